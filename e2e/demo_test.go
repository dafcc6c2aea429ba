package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDemoFirm: `lvxin demo` seeds a living workbench that a demo lawyer
// can sign in to, and refuses to seed twice.
func TestDemoFirm(t *testing.T) {
	e := engines(t)[0]
	srv := startServer(t, e)
	out, errOut, code := runCLI(t, "", cliArgs(srv, "demo")...)
	if code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	m := regexp.MustCompile(`已载入演示数据：(\d+) 个联系人、(\d+) 个案件、(\d+) 次咨询`).FindStringSubmatch(out)
	if m == nil || m[1] == "0" || m[2] == "0" || m[3] == "0" {
		t.Fatalf("demo summary: %s", out)
	}
	pw := regexp.MustCompile(`demo-zhang（[^）]*）密码：(\S+)`).FindStringSubmatch(out)
	if pw == nil {
		t.Fatalf("no demo password printed: %s", out)
	}
	if _, errOut, code := runCLI(t, "", cliArgs(srv, "demo")...); code == 0 || !strings.Contains(errOut, "只能载入一次") {
		t.Fatalf("second demo: %d %s", code, errOut)
	}
	b := browser(t)
	login(t, b, srv.URL, "demo-zhang", pw[1])
	run(t, b, "clients", chromedp.Navigate(srv.URL+"/clients"), chromedp.WaitVisible(chromedp.CSS("main table")))
	text := get(t, b, "client list", chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(text, "现有客户") {
		t.Fatalf("demo client list lacks tags: %s", text)
	}
	screenshot(t, b, "demo-clients")
	run(t, b, "matters", chromedp.Navigate(srv.URL+"/matters"), chromedp.WaitVisible(chromedp.CSS("main table")))
	screenshot(t, b, "demo-matters")
}
