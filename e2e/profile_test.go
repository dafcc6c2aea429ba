package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// fetched is a response the page fetched with its own session.
type fetched struct {
	Status int    `json:"status"`
	Type   string `json:"type"`
	Data   string `json:"data"` // base64
}

// fetchInPage fetches path from the page (same origin, same cookies).
func fetchInPage(t *testing.T, ctx context.Context, path string) fetched {
	t.Helper()
	js := `fetch(` + strconv.Quote(path) + `).then(async r => {
		const bytes = new Uint8Array(await r.arrayBuffer());
		let bin = "";
		for (let i = 0; i < bytes.length; i += 8192) { bin += String.fromCharCode(...bytes.subarray(i, i + 8192)); }
		return {status: r.status, type: r.headers.get("Content-Type"), data: btoa(bin)};
	})`
	return get(t, ctx, "fetch "+path, chromedp.Evaluate[fetched](js, chromedp.EvalAwaitPromise))
}

// TestProfileInBrowser: from the 客户 page to 专业形象; a nickname without
// the firm abbreviation and a promise of results get their Chinese
// findings; once fixed and saved, the contact card's QR code is served as
// image/png and decodes (gozxing) to the lawyer's vCard.
func TestProfileInBrowser(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			addUser(t, srv, "lawyer", "张律师", "zhang")
			a := browser(t)
			login(t, a, srv.URL, "zhang", adminPassword)

			run(t, a, "check a bad nickname",
				chromedp.Navigate(srv.URL+"/clients"),
				chromedp.Click(chromedp.ID("profile-link")),
				chromedp.WaitVisible(chromedp.ID("profile-form")),
				chromedp.SetValue(chromedp.ID("p-name"), "张三"),
				chromedp.SendKeys(chromedp.ID("p-nickname"), "张三律师"),
				chromedp.SendKeys(chromedp.ID("p-signature"), "婚姻家事包赢"),
				chromedp.SendKeys(chromedp.ID("p-firm-abbrev"), "某某律所"),
				chromedp.Click(chromedp.ID("p-check")),
				chromedp.WaitVisible(chromedp.ID("findings")),
			)
			findings := get(t, a, "findings", chromedp.Text(chromedp.ID("findings")))
			for _, want := range []string{"必须修改", "昵称“张三律师”未包含律所简称“某某律所”", "承诺办理结果"} {
				if !strings.Contains(findings, want) {
					t.Fatalf("findings lack %q: %s", want, findings)
				}
			}
			screenshot(t, a, "profile-findings")

			// 检查并保存 over a finding that must be fixed saves nothing and
			// says so; only the explicit 仍然保存 stores it.
			run(t, a, "check and save with a violation",
				chromedp.Click(chromedp.ID("p-save")),
				chromedp.WaitVisible(chromedp.ID("not-saved")),
			)
			if n := get(t, a, "no card yet", chromedp.Evaluate[int](`document.querySelectorAll("#card-link").length + document.querySelectorAll(".flash").length`)); n != 0 {
				t.Fatal("a profile with a violation was reported saved")
			}
			if v := get(t, a, "kept", chromedp.Evaluate[string](`document.getElementById("p-signature").value`)); v != "婚姻家事包赢" {
				t.Fatalf("signature not kept: %q", v)
			}
			run(t, a, "save anyway",
				chromedp.Click(chromedp.ID("p-force")),
				chromedp.WaitVisible(chromedp.ID("card-link")),
			)
			if v := get(t, a, "stored as typed", chromedp.Evaluate[string](`document.getElementById("p-signature").value`)); v != "婚姻家事包赢" {
				t.Fatalf("forced save stored %q", v)
			}

			run(t, a, "fix and save",
				chromedp.SetValue(chromedp.ID("p-nickname"), "张三-某某律所"),
				chromedp.SetValue(chromedp.ID("p-signature"), "专注婚姻家事、劳动争议"),
				chromedp.SetValue(chromedp.ID("p-firm-name"), "北京市某某律师事务所"),
				chromedp.SetValue(chromedp.ID("p-phone"), "13800138000"),
				chromedp.SetValue(chromedp.ID("p-areas"), "婚姻家事、劳动争议"),
				// The page of the forced save already shows the card link.
				submit("p-save"),
				chromedp.WaitVisible(chromedp.ID("card-link")),
			)
			if findings := get(t, a, "findings after save", chromedp.Text(chromedp.ID("findings"))); !strings.Contains(findings, "昵称和签名符合规范") {
				t.Fatalf("findings after the fix: %s", findings)
			}
			run(t, a, "open the card",
				chromedp.Click(chromedp.ID("card-link")),
				chromedp.WaitVisible(chromedp.ID("card-qr")),
			)
			screenshot(t, a, "profile-card")
			if name := get(t, a, "card name", chromedp.Text(chromedp.ID("card-name"))); !strings.Contains(name, "张三") {
				t.Fatalf("card name: %q", name)
			}
			src := get(t, a, "qr src", chromedp.AttributeValue(chromedp.ID("card-qr"), "src")).Value
			res := fetchInPage(t, a, src)
			if res.Status != 200 || res.Type != "image/png" {
				t.Fatalf("QR code: status %d, Content-Type %q", res.Status, res.Type)
			}
			raw, err := base64.StdEncoding.DecodeString(res.Data)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("QR code is not a PNG: %v", err)
			}
			bmp, err := gozxing.NewBinaryBitmapFromImage(img)
			if err != nil {
				t.Fatal(err)
			}
			decoded, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
			if err != nil {
				t.Fatalf("QR code does not decode: %v", err)
			}
			text := decoded.GetText()
			for _, want := range []string{"BEGIN:VCARD", "FN:张三", "ORG:北京市某某律师事务所", "TEL;TYPE=CELL:13800138000", "执业领域：婚姻家事、劳动争议"} {
				if !strings.Contains(text, want) {
					t.Fatalf("decoded vCard lacks %q:\n%s", want, text)
				}
			}
		})
	}
}
