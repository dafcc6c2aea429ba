package e2e

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// shownFeedQR decodes the subscription QR code as the page shows it.
func shownFeedQR(t *testing.T, ctx context.Context) string {
	t.Helper()
	width := get(t, ctx, "feed QR loaded", chromedp.Evaluate[int](`new Promise(done => {
		const img = document.getElementById("feed-qr");
		if (img.complete) { done(img.naturalWidth); return; }
		img.onload = () => done(img.naturalWidth);
		img.onerror = () => done(0);
	})`, chromedp.EvalAwaitPromise))
	if width == 0 {
		t.Fatal("the subscription QR image did not load")
	}
	shot := get(t, ctx, "screenshot feed QR", chromedp.Screenshot(chromedp.ID("feed-qr")))
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("the subscription QR code does not decode: %v", err)
	}
	return res.GetText()
}

func fetchFeed(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

// TestCalendarSubscriptionForAPhone: the admin sets the firm's public
// address in 全所设置; the lawyer's subscription page shows the address on
// it at any time, with a copy button and a QR code that decodes to the same
// address; regenerating asks first (cancel keeps the address, confirm
// replaces it and the old one stops); the feed's alarms ring at 09:00 on
// their day (read by Python's icalendar); serve --public-url wins over the
// setting.
func TestCalendarSubscriptionForAPhone(t *testing.T) {
	e := engines(t)[0]
	srv := startServer(t, e)
	addUser(t, srv, "lawyer", "张律师", "zhang")
	b := browser(t)
	setupAdmin(t, b, srv)
	login(t, b, srv.URL, "wang", adminPassword)
	// localhost reaches this server too, but is not the address the
	// browser uses: the page must take the setting.
	public := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	run(t, b, "bad public address is refused and kept",
		chromedp.Navigate(srv.URL+"/admin/users"),
		chromedp.SetValue(chromedp.ID("public-url"), "lvxin.example.cn"),
		chromedp.Submit(chromedp.ID("public-url")),
		chromedp.WaitVisible(chromedp.CSS(".error")),
	)
	if msg := get(t, b, "error", chromedp.Text(chromedp.CSS(".error"))); !strings.Contains(msg, "公开地址") {
		t.Errorf("bad address error: %q", msg)
	}
	if v := get(t, b, "kept", chromedp.Evaluate[string](`document.getElementById("public-url").value`)); v != "lvxin.example.cn" {
		t.Errorf("refused address not kept: %q", v)
	}
	run(t, b, "set the public address",
		chromedp.SetValue(chromedp.ID("public-url"), public+"/"),
		chromedp.Submit(chromedp.ID("public-url")),
		chromedp.WaitVisible(chromedp.CSS(".flash")), // saved: the page after the redirect
	)
	if v := get(t, b, "saved", chromedp.Evaluate[string](`document.getElementById("public-url").value`)); v != public {
		t.Fatalf("saved public address %q, want %q", v, public)
	}

	b2 := phone(t)
	login(t, b2, srv.URL, "zhang", adminPassword)
	run(t, b2, "save a deadline and subscribe",
		chromedp.Navigate(srv.URL+"/deadlines?rule=appeal-judgment&from=2026-12-01&title=上诉期"),
		chromedp.WaitVisible(chromedp.ID("due")),
		chromedp.Click(chromedp.ID("save")),
		chromedp.WaitVisible(chromedp.ID("mark-done")),
		chromedp.Navigate(srv.URL+"/deadlines#feed"),
		chromedp.Click(chromedp.ID("new-feed")),
		chromedp.WaitVisible(chromedp.ID("feed-url")),
	)
	feedURL := get(t, b2, "feed url", chromedp.Evaluate[string](`document.getElementById("feed-url").value`))
	if !strings.HasPrefix(feedURL, public+"/calendar/") || !strings.HasSuffix(feedURL, ".ics") {
		t.Fatalf("feed url %q does not use the public address %s", feedURL, public)
	}
	if qr := shownFeedQR(t, b2); qr != feedURL {
		t.Fatalf("QR code carries %q, page shows %q", qr, feedURL)
	}
	if get(t, b2, "copy button", chromedp.Evaluate[string](`document.getElementById("feed-copy").dataset.copy`)) != "feed-url" {
		t.Error("no copy button for the address")
	}
	screenshot(t, b2, "subscription")
	fitsPhone(t, b2, srv.URL, "/deadlines")
	// Later, on another visit, the same address is shown again.
	run(t, b2, "come back", chromedp.Navigate(srv.URL+"/"), chromedp.Navigate(srv.URL+"/deadlines"), chromedp.WaitVisible(chromedp.ID("feed-url")))
	if again := get(t, b2, "again", chromedp.Evaluate[string](`document.getElementById("feed-url").value`)); again != feedURL {
		t.Fatalf("address shown again %q, first %q", again, feedURL)
	}
	status, data := fetchFeed(t, feedURL)
	if status != 200 {
		t.Fatalf("feed: %d %s", status, data)
	}
	file := filepath.Join(t.TempDir(), "lvxin.ics")
	os.WriteFile(file, data, 0o600)
	python := "/usr/bin/python3"
	script := `
import sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
for ev in cal.walk("VEVENT"):
    start = datetime.datetime.combine(ev.get("DTSTART").dt, datetime.time())
    for a in ev.walk("VALARM"):
        print((start + a.get("TRIGGER").dt).isoformat(), str(ev.get("DESCRIPTION")).splitlines()[1])
`
	out, err := exec.Command(python, "-c", script, file).CombinedOutput()
	switch {
	case err != nil && strings.Contains(string(out), "No module named") && os.Getenv("CI") != "true":
		t.Log("python3-icalendar not installed; skipping that reader")
	case err != nil:
		t.Fatalf("python icalendar: %v\n%s", err, out)
	default:
		want := "2026-12-09T09:00:00 规则：民事一审判决上诉期\n2026-12-15T09:00:00 规则：民事一审判决上诉期"
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("alarms as Python's icalendar reads them:\n%s\nwant\n%s", got, want)
		}
	}

	// Regenerating asks first; cancelling keeps the address.
	run(t, b2, "regenerate, cancel",
		chromedp.Click(chromedp.ID("new-feed")),
		chromedp.WaitVisible(chromedp.ID("feed-confirm")),
		chromedp.Click(chromedp.ID("feed-confirm-no")),
		chromedp.WaitVisible(chromedp.ID("feed-url")),
	)
	if kept := get(t, b2, "kept", chromedp.Evaluate[string](`document.getElementById("feed-url").value`)); kept != feedURL {
		t.Fatalf("cancelled regeneration changed the address: %q", kept)
	}
	run(t, b2, "regenerate, confirm",
		chromedp.Click(chromedp.ID("new-feed")),
		chromedp.WaitVisible(chromedp.ID("feed-confirm")),
		chromedp.Click(chromedp.ID("feed-confirm-yes")),
		chromedp.WaitVisible(chromedp.ID("feed-url")),
	)
	fresh := get(t, b2, "fresh", chromedp.Evaluate[string](`document.getElementById("feed-url").value`))
	if fresh == feedURL || !strings.HasPrefix(fresh, public+"/calendar/") {
		t.Fatalf("after regenerating: %q (was %q)", fresh, feedURL)
	}
	if qr := shownFeedQR(t, b2); qr != fresh {
		t.Fatalf("QR after regenerating: %q", qr)
	}
	if status, _ := fetchFeed(t, feedURL); status != 404 {
		t.Errorf("old address answers %d", status)
	}
	if status, _ := fetchFeed(t, fresh); status != 200 {
		t.Errorf("new address answers %d", status)
	}
}

// TestPublicURLFlagWins: serve --public-url names the address even when
// the firm setting names another.
func TestPublicURLFlagWins(t *testing.T) {
	e := engines(t)[0]
	srv := startServer(t, e, "--public-url", "https://lvxin.example.test/")
	addUser(t, srv, "lawyer", "张律师", "zhang")
	b := browser(t)
	setupAdmin(t, b, srv)
	login(t, b, srv.URL, "wang", adminPassword)
	run(t, b, "a firm setting that the flag overrides",
		chromedp.Navigate(srv.URL+"/admin/users"),
		chromedp.SetValue(chromedp.ID("public-url"), "https://other.example.test"),
		chromedp.Submit(chromedp.ID("public-url")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		chromedp.WaitVisible(chromedp.ID("public-url-flag")),
	)
	b = browser(t)
	login(t, b, srv.URL, "zhang", adminPassword)
	run(t, b, "subscribe",
		chromedp.Navigate(srv.URL+"/deadlines"),
		chromedp.Click(chromedp.ID("new-feed")),
		chromedp.WaitVisible(chromedp.ID("feed-url")),
	)
	if u := get(t, b, "url", chromedp.Evaluate[string](`document.getElementById("feed-url").value`)); !strings.HasPrefix(u, "https://lvxin.example.test/calendar/") {
		t.Fatalf("feed url %q ignores --public-url", u)
	}
	if n := get(t, b, "no local warning", chromedp.Evaluate[int](`document.querySelectorAll("#feed-local").length`)); n != 0 {
		t.Error("a public address is warned about as local")
	}
	if _, errOut, code := runCLI(t, "", "--data", t.TempDir(), "serve", "--public-url", "lvxin.example.test"); code == 0 || !strings.Contains(errOut, "--public-url") {
		t.Errorf("a bad --public-url started: %d %s", code, errOut)
	}
}
