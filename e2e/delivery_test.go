package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDeliveryInBrowser: a lawyer uploads a 保密 document for a matter; the
// send is refused without an NDA (the form shows why and keeps what was
// typed); after the NDA is recorded the link goes out with an access code;
// the recipient, in another browser with no cookies at phone width, enters
// a wrong code, then the right one, downloads the file and confirms
// receipt; the lawyer sees the confirmation on the matter page and in the
// notification centre, preserves the proof of service as evidence and
// revokes the link, which the recipient then finds refused. An altered
// token is refused too.
func TestDeliveryInBrowser(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			if out, errOut, code := runCLI(t, adminPassword+"\n", cliArgs(srv, "user", "add", "--role", "lawyer", "--name", "张律师", "--password-stdin", "zhang")...); code != 0 {
				t.Fatalf("user add: %s %s", out, errOut)
			}
			work := t.TempDir()
			docPath := filepath.Join(work, "和解方案.txt")
			docBody := []byte(strings.Repeat("和解方案：分三期付款。\n", 200))
			ndaPath := filepath.Join(work, "保密协议-甲公司.pdf")
			os.WriteFile(docPath, docBody, 0o600)
			os.WriteFile(ndaPath, []byte("%PDF-1.4 signed NDA"), 0o600)

			a := browser(t)
			run(t, a, "phone width", chromedp.EmulateViewport(phoneWidth, 844))
			login(t, a, srv.URL, "zhang", adminPassword)
			narrow := func(page string) {
				t.Helper()
				if o := get(t, a, "measure "+page, chromedp.Evaluate[overflow](overflowJS)); o.Scroll > o.Inner {
					t.Errorf("%s scrolls sideways at 390 px: %+v", page, o)
				}
			}
			run(t, a, "create matter",
				chromedp.Navigate(srv.URL+"/matters"),
				chromedp.Click(chromedp.CSS("#new-matter-box > summary")),
				chromedp.WaitVisible(chromedp.ID("new-matter")),
				chromedp.SendKeys(chromedp.ID("m-title"), "甲公司诉乙公司买卖合同纠纷"),
				chromedp.SetValue(chromedp.ID("m-type"), "民事"),
				chromedp.SetValue(chromedp.ID("m-status"), "engaged"),
				chromedp.Click(chromedp.ID("m-save")),
				chromedp.WaitVisible(chromedp.ID("matter-title")),
			)
			matterURL := strings.SplitN(location(t, a), "?", 2)[0]
			run(t, a, "upload a confidential document",
				chromedp.Click(chromedp.CSS("#upload-document-box > summary")),
				chromedp.WaitVisible(chromedp.ID("upload-document")),
				chromedp.SetUploadFiles(chromedp.ID("doc-file"), []string{docPath}),
				chromedp.SetValue(chromedp.ID("doc-class"), "confidential"),
				chromedp.Click(chromedp.ID("doc-upload")),
				chromedp.WaitVisible(chromedp.ID("documents")),
			)
			if docs := get(t, a, "documents", chromedp.Text(chromedp.ID("documents"))); !strings.Contains(docs, "和解方案.txt") || !strings.Contains(docs, "保密") {
				t.Fatalf("documents: %q", docs)
			}

			// Without an NDA the send is refused with the reason, values kept.
			run(t, a, "send without an NDA",
				chromedp.Click(chromedp.CSS("#documents a.send-doc")),
				chromedp.WaitVisible(chromedp.ID("send-form")),
				chromedp.SendKeys(chromedp.ID("send-recipient"), "甲公司"),
				chromedp.SetValue(chromedp.ID("send-days"), "5"),
				chromedp.Click(chromedp.ID("send-submit")),
				chromedp.WaitVisible(chromedp.ID("err-recipient")),
			)
			reason := get(t, a, "refusal", chromedp.Text(chromedp.ID("err-recipient")))
			if !strings.Contains(reason, "保密协议") || !strings.Contains(reason, "甲公司") {
				t.Fatalf("refusal: %q", reason)
			}
			if v := get(t, a, "kept recipient", chromedp.Value(chromedp.ID("send-recipient"))); v != "甲公司" {
				t.Fatalf("recipient not kept: %q", v)
			}
			if v := get(t, a, "kept days", chromedp.Value(chromedp.ID("send-days"))); v != "5" {
				t.Fatalf("days not kept: %q", v)
			}
			if v := get(t, a, "kept document", chromedp.Evaluate[string](`document.querySelector('#send-document').selectedOptions[0].text`)); !strings.Contains(v, "和解方案") {
				t.Fatalf("document not kept: %q", v)
			}
			screenshot(t, a, "delivery-refused-"+e.Name)
			narrow("the send form")

			// Record the NDA, then send: the link and the code appear once.
			run(t, a, "record the NDA",
				chromedp.Navigate(matterURL),
				chromedp.Click(chromedp.CSS("#record-nda-box > summary")),
				chromedp.WaitVisible(chromedp.ID("record-nda")),
				chromedp.SendKeys(chromedp.ID("nda-recipient"), "甲公司"),
				chromedp.SetValue(chromedp.ID("nda-date"), "2026-12-01"),
				chromedp.SetUploadFiles(chromedp.ID("nda-file"), []string{ndaPath}),
				chromedp.Click(chromedp.ID("nda-save")),
				chromedp.WaitVisible(chromedp.ID("ndas")),
			)
			run(t, a, "send with the NDA",
				chromedp.Click(chromedp.ID("matter-send")),
				chromedp.WaitVisible(chromedp.ID("send-form")),
				chromedp.Evaluate[chromedp.Void](`document.querySelector('#send-document').selectedIndex = 1`),
				chromedp.SendKeys(chromedp.ID("send-recipient"), "甲公司"),
				chromedp.Click(chromedp.ID("send-submit")),
				chromedp.WaitVisible(chromedp.ID("link-url")),
			)
			linkURL := get(t, a, "link", chromedp.Text(chromedp.ID("link-url")))
			code := get(t, a, "code", chromedp.Text(chromedp.ID("link-code")))
			if !strings.HasPrefix(linkURL, srv.URL+"/d/") || len(code) != 6 {
				t.Fatalf("link %q code %q", linkURL, code)
			}
			narrow("the new link")
			recordURL := get(t, a, "record", chromedp.Evaluate[string](`document.querySelector('#delivery-revoke').form.action.replace('/revoke','')`))

			// The recipient: another browser, no cookies, a phone screen.
			b := browser(t)
			run(t, b, "open the link", chromedp.EmulateViewport(phoneWidth, 844), chromedp.Navigate(linkURL), chromedp.WaitVisible(chromedp.ID("code-form")))
			if wide := get(t, b, "width", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); wide {
				t.Error("the link page scrolls sideways at 390 px")
			}
			if w := get(t, b, "viewport", chromedp.Evaluate[int](`window.innerWidth`)); w > 400 {
				t.Errorf("viewport %d px, want a phone", w)
			}
			wrong := "000000"
			if code == wrong {
				wrong = "111111"
			}
			run(t, b, "wrong code",
				chromedp.SendKeys(chromedp.ID("link-code-input"), wrong),
				chromedp.Click(chromedp.ID("code-submit")),
				chromedp.WaitVisible(chromedp.ID("error")),
			)
			if msg := get(t, b, "wrong code message", chromedp.Text(chromedp.ID("error"))); !strings.Contains(msg, "访问码错误") {
				t.Fatalf("wrong code: %q", msg)
			}
			run(t, b, "right code",
				chromedp.SendKeys(chromedp.ID("link-code-input"), code),
				chromedp.Click(chromedp.ID("code-submit")),
				chromedp.WaitVisible(chromedp.ID("link-download")),
			)
			screenshot(t, b, "delivery-recipient-"+e.Name)
			got := download(t, b, filepath.Join(work, "downloads"), "download", chromedp.Click(chromedp.ID("link-download")))
			if !bytes.Equal(got, docBody) {
				t.Fatalf("downloaded %d bytes, want the document", len(got))
			}
			run(t, b, "confirm receipt",
				chromedp.Navigate(linkURL),
				chromedp.WaitVisible(chromedp.ID("confirm-form")),
				chromedp.SendKeys(chromedp.ID("confirm-name"), "张三"),
				chromedp.Click(chromedp.ID("confirm-submit")),
				chromedp.WaitVisible(chromedp.ID("confirmed")),
			)
			if wide := get(t, b, "width after confirming", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); wide {
				t.Error("the confirmed page scrolls sideways at 390 px")
			}

			// The lawyer sees the confirmation on the matter page and the bell.
			run(t, a, "matter page", chromedp.Navigate(matterURL), chromedp.WaitVisible(chromedp.ID("deliveries")))
			if list := get(t, a, "deliveries", chromedp.Text(chromedp.ID("deliveries"))); !strings.Contains(list, "张三 已于") || !strings.Contains(list, "确认收悉") {
				t.Fatalf("matter page: %q", list)
			}
			screenshot(t, a, "delivery-matter-"+e.Name)
			narrow("the matter page")
			run(t, a, "notifications", chromedp.Navigate(srv.URL+"/notifications"), chromedp.WaitVisible(chromedp.ID("notifications")))
			if n := get(t, a, "notification", chromedp.Text(chromedp.ID("notifications"))); !strings.Contains(n, "已确认收悉") || !strings.Contains(n, "张三") {
				t.Fatalf("notifications: %q", n)
			}
			run(t, a, "record page", chromedp.Navigate(recordURL), chromedp.WaitVisible(chromedp.ID("delivery-events")))
			events := get(t, a, "events", chromedp.Text(chromedp.ID("delivery-events")))
			narrow("the link record")
			for _, want := range []string{"打开链接", "访问码错误", "下载文件", "确认收悉：张三", "127.0.0.1"} {
				if !strings.Contains(events, want) {
					t.Errorf("events lack %q: %q", want, events)
				}
			}
			// One click preserves the proof of service as evidence of the matter.
			run(t, a, "preserve", chromedp.Click(chromedp.ID("delivery-preserve")), chromedp.WaitVisible(chromedp.ID("evidence-item")))
			if title := get(t, a, "evidence title", chromedp.Text(chromedp.CSS("main h1"))); !strings.Contains(title, "送达凭证") {
				t.Fatalf("evidence title: %q", title)
			}
			// Revoked: the recipient's link is refused.
			run(t, a, "revoke", chromedp.Navigate(recordURL), chromedp.Click(chromedp.ID("delivery-revoke")), chromedp.WaitVisible(`//p[contains(., "已保存")]`))
			run(t, b, "revoked link", chromedp.Navigate(linkURL), chromedp.WaitVisible(chromedp.ID("error")))
			if msg := get(t, b, "revoked", chromedp.Text(chromedp.ID("error"))); !strings.Contains(msg, "已被撤回") {
				t.Fatalf("revoked link: %q", msg)
			}
			// An altered token is refused.
			i := len(srv.URL+"/d/") + 5
			c := byte('A')
			if linkURL[i] == 'A' {
				c = 'B'
			}
			altered := linkURL[:i] + string(c) + linkURL[i+1:]
			run(t, b, "altered link", chromedp.Navigate(altered), chromedp.WaitVisible(chromedp.ID("error")))
			if msg := get(t, b, "altered", chromedp.Text(chromedp.ID("error"))); !strings.Contains(msg, "链接无效") {
				t.Fatalf("altered link: %q", msg)
			}
		})
	}
}
