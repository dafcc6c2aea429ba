package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// phoneWidth is the width of the phone the workbench must fit.
const phoneWidth = 390

// overflowJS measures the page: the document width, the viewport width and
// the elements that stick out to the right (to name the culprit).
const overflowJS = `(() => {
  const vw = window.innerWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 0.5) {
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if (ox === "auto" || ox === "scroll" || ox === "hidden") { inScroller = true; break; }
      }
      if (!inScroller) wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : "") + " right=" + Math.round(r.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, inner: vw, wide: wide.slice(0, 8)};
})()`

type overflow struct {
	Scroll int      `json:"scroll"`
	Inner  int      `json:"inner"`
	Wide   []string `json:"wide"`
}

// fitsPhone opens path and fails the test when the page is wider than the
// phone or is an error page.
func fitsPhone(t *testing.T, ctx context.Context, base, path string) {
	t.Helper()
	run(t, ctx, "open "+path, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if h1 := get(t, ctx, "h1 of "+path, chromedp.Text(chromedp.CSS("main h1"))); h1 == "页面不存在" || h1 == "没有权限" || h1 == "服务器错误" {
		t.Fatalf("%s: error page %q", path, h1)
	}
	o := get(t, ctx, "measure "+path, chromedp.Evaluate[overflow](overflowJS))
	if o.Inner != phoneWidth {
		t.Fatalf("%s: viewport is %d px, want %d", path, o.Inner, phoneWidth)
	}
	if o.Scroll > o.Inner {
		t.Errorf("%s scrolls sideways at %d px: document is %d px wide; sticking out: %v", path, o.Inner, o.Scroll, o.Wide)
	}
	// LVXIN_PHONE_SHOTS=<folder> keeps a picture of every page checked,
	// for a person to look at.
	if dir := os.Getenv("LVXIN_PHONE_SHOTS"); dir != "" {
		png := get(t, ctx, "screenshot "+path, chromedp.FullScreenshot(100))
		name := strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(strings.TrimPrefix(path, "/"))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d-%s.png", time.Now().UnixNano(), name)), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// firstLink is the path of the first link matching css on the current page.
func firstLink(t *testing.T, ctx context.Context, base, listPath, css string) string {
	t.Helper()
	run(t, ctx, "open "+listPath, chromedp.Navigate(base+listPath), chromedp.WaitVisible(chromedp.CSS("main h1")))
	href := get(t, ctx, "first link on "+listPath, chromedp.Evaluate[string](`(() => { const a = document.querySelector(`+"`"+css+"`"+`); return a ? a.getAttribute("href") : ""; })()`))
	if href == "" {
		t.Fatalf("%s has no link %s", listPath, css)
	}
	return href
}

// TestPhoneWidth: at 390 px no page of the workbench scrolls sideways, for
// an administrator and for an assistant of the demo firm with chats,
// evidence and deadlines; the navigation opens from a menu button and
// shows every item; the 新建 forms open from a button. With
// LVXIN_SCREENSHOTS=<folder> it saves the dashboard, a matter page and the
// chat page at 390 and 1366 px (docs/screenshots/ holds the last ones).
func TestPhoneWidth(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			a := phone(t)
			setupAdmin(t, a, srv)
			out, errOut, code := runCLI(t, "", cliArgs(srv, "demo")...)
			if code != 0 {
				t.Fatalf("demo: %s", errOut)
			}
			pw := regexp.MustCompile(`demo-wang（[^）]*）密码：(\S+)`).FindStringSubmatch(out)
			if pw == nil {
				t.Fatalf("no password for demo-wang: %s", out)
			}
			// Chats and evidence in the demo matter the assistant assists on.
			for _, f := range []string{"wechatmsg.csv", "short-terms.csv"} {
				if out, errOut, code := runCLI(t, "", cliArgs(srv, "import", chatFixture(f), "--matter", "1")...); code != 0 {
					t.Fatalf("import %s: %s %s", f, out, errOut)
				}
			}
			file := filepath.Join(t.TempDir(), "借条照片-2025年3月1日由委托人通过微信发送的原图.png")
			if err := os.WriteFile(file, evidencePNG(), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, errOut, code := runCLI(t, "", cliArgs(srv, "evidence", "add", file, "--matter", "#1", "--source", "委托人赵示例通过微信发送的原图", "--purpose", "证明借款事实及金额")...); code != 0 {
				t.Fatalf("evidence add: %s %s", out, errOut)
			}

			login(t, a, srv.URL, "wang", adminPassword)
			saveDeadline(t, a, srv.URL, "（2025）京0105民初10001号")
			w := phone(t)
			run(t, w, "login page", chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(chromedp.ID("login-form")))
			if o := get(t, w, "measure the login page", chromedp.Evaluate[overflow](overflowJS)); o.Scroll > o.Inner {
				t.Errorf("the login page scrolls sideways: %+v", o)
			}
			login(t, w, srv.URL, "demo-wang", pw[1])
			saveDeadline(t, w, srv.URL, "")

			for _, who := range []struct {
				name  string
				ctx   context.Context
				extra []string
			}{
				{"admin", a, []string{"/admin/users/1", "/matters/1/deadlines", "/chats/1/print"}},
				{"assistant", w, []string{"/matters/1/deadlines"}},
			} {
				ctx := who.ctx
				nav := get(t, ctx, "navigation", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("nav.nav a")).map(a => a.getAttribute("href"))`))
				if len(nav) < 7 {
					t.Fatalf("%s: navigation %v", who.name, nav)
				}
				checkMenu(t, ctx, srv.URL, len(nav))
				pages := append([]string{}, nav...)
				pages = append(pages, "/conflicts", "/consultations", "/consultations/report", "/clients/review", "/profile", "/profile/card", "/security/totp")
				pages = append(pages, who.extra...)
				pages = append(pages,
					firstLink(t, ctx, srv.URL, "/matters", `#matters a[href^="/matters/"]`),
					firstLink(t, ctx, srv.URL, "/clients", `#contacts a[href^="/clients/"]`),
					firstLink(t, ctx, srv.URL, "/chats", `#conversations a[href^="/chats/"]`),
					firstLink(t, ctx, srv.URL, "/deadlines", `main a[href^="/deadlines/"]`),
					firstLink(t, ctx, srv.URL, "/evidence", `main a[href^="/evidence/"]:not([href$="/file"])`),
				)
				for _, p := range pages {
					fitsPhone(t, ctx, srv.URL, p)
				}
				// A search with results, an import result and an error page.
				fitsPhone(t, ctx, srv.URL, "/chats?q=押金")
				run(t, ctx, "missing page", chromedp.Navigate(srv.URL+"/matters/99999"), chromedp.WaitVisible(chromedp.ID("error")))
				if o := get(t, ctx, "measure 404", chromedp.Evaluate[overflow](overflowJS)); o.Scroll > o.Inner {
					t.Errorf("404 page scrolls sideways: %+v", o)
				}
			}

			// The 新建 forms open from a button.
			for _, f := range []struct{ path, details, field string }{
				{"/matters", "new-matter-box", "m-title"},
				{"/clients", "new-contact-box", "c-name"},
			} {
				run(t, a, "open "+f.path, chromedp.Navigate(srv.URL+f.path), chromedp.WaitVisible(chromedp.CSS("main h1")))
				if visible := get(t, a, "form hidden", chromedp.Evaluate[bool](`document.getElementById("`+f.field+`").checkVisibility()`)); visible {
					t.Errorf("%s: the new form is open before its button is pressed", f.path)
				}
				run(t, a, "press 新建 on "+f.path, chromedp.Click(chromedp.CSS("#"+f.details+" > summary")), chromedp.WaitVisible(chromedp.ID(f.field)))
			}

			if os.Getenv("LVXIN_SCREENSHOTS") != "" && e.Name == engines(t)[0].Name {
				for _, width := range []int64{390, 1366} {
					run(t, a, "viewport", chromedp.EmulateViewport(width, 900))
					for _, s := range []struct{ name, path string }{{"dashboard", "/"}, {"matter", "/matters/1"}, {"chat", "/chats/1"}} {
						run(t, a, "open "+s.path, chromedp.Navigate(srv.URL+s.path), chromedp.WaitVisible(chromedp.CSS("main h1")))
						screenshot(t, a, s.name+"-"+strconv.FormatInt(width, 10))
					}
				}
			}
		})
	}
}

// phone is a browser with a 390 px wide viewport (a headless window cannot
// be narrower than 500 px, so the viewport is emulated; not as a mobile
// device, which would zoom out a page that is too wide instead of letting
// it scroll).
func phone(t *testing.T) context.Context {
	t.Helper()
	ctx := browser(t)
	run(t, ctx, "phone viewport", chromedp.EmulateViewport(phoneWidth, 844))
	return ctx
}

// saveDeadline computes an appeal deadline and saves it.
func saveDeadline(t *testing.T, ctx context.Context, base, matter string) {
	t.Helper()
	run(t, ctx, "save a deadline",
		chromedp.Navigate(base+"/deadlines?rule=appeal-judgment&from=2026-09-25&title=一审判决上诉期&matter="+matter),
		chromedp.WaitVisible(chromedp.ID("save")),
		chromedp.Click(chromedp.ID("save")),
		chromedp.WaitVisible(chromedp.ID("due")),
	)
}

// checkMenu: at phone width the navigation is folded behind a menu button
// that, once pressed, shows every item inside the screen.
func checkMenu(t *testing.T, ctx context.Context, base string, items int) {
	t.Helper()
	run(t, ctx, "dashboard", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("menu-button")))
	shown := `Array.from(document.querySelectorAll("nav.nav a")).filter(a => { const r = a.getBoundingClientRect(); return a.offsetParent !== null && r.width > 0 && r.left >= 0 && r.right <= window.innerWidth; }).length`
	if n := get(t, ctx, "items before", chromedp.Evaluate[int](shown)); n != 0 {
		t.Errorf("navigation shows %d items before the menu is opened", n)
	}
	run(t, ctx, "open the menu", chromedp.Click(chromedp.ID("menu-button")))
	if n := get(t, ctx, "items after", chromedp.Evaluate[int](shown)); n != items {
		t.Errorf("the open menu shows %d of %d items inside the screen", n, items)
	}
	run(t, ctx, "close the menu", chromedp.Click(chromedp.ID("menu-button")))
}
