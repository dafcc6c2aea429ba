package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lvxin/lvxin/internal/wecom/wecomtest"
)

// TestWeComSettingsInBrowser: an admin fills the WeCom settings page in
// Chromium against a real lvxin serve; a wrong EncodingAESKey is named
// beside its field with the other values kept, the secrets are never shown
// after saving, 测试连接 gets a token from the fake WeCom server the page
// points at, and the page fits a 390 px phone.
func TestWeComSettingsInBrowser(t *testing.T) {
	e := engines(t)[0]
	srv := startServer(t, e)
	fake := wecomtest.New("wwBrowserCorp", "browser-app-secret")
	defer fake.Close()
	a := browser(t)
	setupAdmin(t, a, srv)
	login(t, a, srv.URL, "wang", adminPassword)
	run(t, a, "open settings", chromedp.Navigate(srv.URL+"/admin/wecom"), chromedp.WaitVisible(chromedp.ID("wecom-settings")))
	if url := get(t, a, "callback url", chromedp.Text(chromedp.ID("wecom-callback-url"))); url != srv.URL+"/wecom/callback" {
		t.Fatalf("callback URL shown: %q", url)
	}
	run(t, a, "fill with a bad key",
		chromedp.SendKeys(chromedp.ID("w-corp"), "wwBrowserCorp"),
		chromedp.SendKeys(chromedp.ID("w-agent"), "1000002"),
		chromedp.SendKeys(chromedp.ID("w-secret"), "browser-app-secret"),
		chromedp.SendKeys(chromedp.ID("w-token"), "BrowserToken1"),
		chromedp.SendKeys(chromedp.ID("w-aeskey"), "not-a-key"),
		chromedp.SendKeys(chromedp.ID("w-base"), fake.URL),
		chromedp.Submit(chromedp.ID("w-corp")),
		chromedp.WaitVisible(chromedp.ID("err-aes_key")),
	)
	if v := get(t, a, "kept agent id", chromedp.Value(chromedp.ID("w-agent"))); v != "1000002" {
		t.Fatalf("agent id not kept: %q", v)
	}
	if v := get(t, a, "kept base url", chromedp.Value(chromedp.ID("w-base"))); v != fake.URL {
		t.Fatalf("base URL not kept: %q", v)
	}
	run(t, a, "fill correctly",
		chromedp.SendKeys(chromedp.ID("w-secret"), "browser-app-secret"),
		chromedp.SendKeys(chromedp.ID("w-token"), "BrowserToken1"),
		chromedp.SendKeys(chromedp.ID("w-aeskey"), "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"),
		chromedp.Submit(chromedp.ID("w-corp")),
		chromedp.WaitVisible(chromedp.CSS("p.flash")),
	)
	html := get(t, a, "page html", chromedp.Evaluate[string]("document.documentElement.outerHTML"))
	for _, secret := range []string{"browser-app-secret", "BrowserToken1", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"} {
		if strings.Contains(html, secret) {
			t.Fatalf("secret %q is on the page after saving", secret)
		}
	}
	if status := get(t, a, "status", chromedp.Text(chromedp.ID("wecom-status"))); !strings.Contains(status, "回调已配置") {
		t.Fatalf("status: %q", status)
	}
	run(t, a, "test connection",
		chromedp.Click(`#wecom-test button`),
		// The page already shows the save's flash: wait for the new page's
		// (reading the old one races the navigation).
		chromedp.WaitVisible(`//p[contains(@class, "flash") and contains(., "连接")]`),
	)
	if flash := get(t, a, "flash", chromedp.Text(chromedp.CSS("p.flash"))); !strings.Contains(flash, "连接成功") {
		t.Fatalf("test connection: %q", flash)
	}
	if fake.TokenCalls() != 1 {
		t.Fatalf("the fake WeCom server got %d gettoken calls, want 1", fake.TokenCalls())
	}
	p := phone(t)
	login(t, p, srv.URL, "wang", adminPassword)
	fitsPhone(t, p, srv.URL, "/admin/wecom")
}
