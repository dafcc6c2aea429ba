package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const adminPassword = "律信-初始密码-2026"

func login(t *testing.T, ctx context.Context, base, user, password string) {
	t.Helper()
	run(t, ctx, "login as "+user,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(`//h1[text()="工作台"]`),
	)
}

// setupAdmin creates the first admin (wang / adminPassword) through the
// one-time setup URL the server printed.
func setupAdmin(t *testing.T, a context.Context, srv *server) {
	t.Helper()
	run(t, a, "setup",
		chromedp.Navigate(srv.SetupURL),
		chromedp.WaitVisible(chromedp.ID("setup-form")),
		chromedp.SendKeys(chromedp.ID("username"), "wang"),
		chromedp.SendKeys(chromedp.ID("display_name"), "王主任"),
		chromedp.SendKeys(chromedp.ID("password"), adminPassword),
		chromedp.SendKeys(chromedp.ID("password2"), adminPassword),
		chromedp.Click(chromedp.ID("setup-submit")),
		chromedp.WaitVisible(chromedp.ID("login-form")),
	)
}

// location returns the browser's current path.
func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	return get(t, ctx, "read location", chromedp.Location())
}

// TestFoundationInBrowser walks through first-run setup, login, a wrong
// password, the session list, a form without its CSRF token, revoke-all
// across two browsers and logout, on every database engine.
func TestFoundationInBrowser(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			a := browser(t)

			// First-run setup through the one-time URL.
			setupAdmin(t, a, srv)
			// The setup link works once only.
			run(t, a, "setup link reused", chromedp.Navigate(srv.SetupURL))
			body := get(t, a, "read page", chromedp.Text(chromedp.CSS("main")))
			if !strings.Contains(body, "已有管理员") {
				t.Fatalf("second use of the setup link: %q", body)
			}

			// A wrong password shows a clear Chinese error.
			run(t, a, "wrong password",
				chromedp.Navigate(srv.URL+"/login"),
				chromedp.WaitVisible(chromedp.ID("username")),
				chromedp.SendKeys(chromedp.ID("username"), "wang"),
				chromedp.SendKeys(chromedp.ID("password"), "not-the-password"),
				chromedp.Click(chromedp.ID("login-submit")),
				chromedp.WaitVisible(chromedp.ID("error")),
			)
			errText := get(t, a, "read error", chromedp.Text(chromedp.ID("error")))
			if !strings.Contains(errText, "用户名或密码错误") {
				t.Fatalf("wrong password message: %q", errText)
			}

			// Log in on two browsers: the session page lists both.
			login(t, a, srv.URL, "wang", adminPassword)
			b := browser(t)
			login(t, b, srv.URL, "wang", adminPassword)
			run(t, a, "session list",
				chromedp.Navigate(srv.URL+"/security"),
				chromedp.WaitVisible(chromedp.ID("sessions")),
			)
			screenshot(t, a, "security-"+e.Name)
			rows := get(t, a, "count sessions", chromedp.Evaluate[int](`document.querySelectorAll("#sessions tr[data-session]").length`))
			if rows != 2 {
				t.Fatalf("session list shows %d sessions, want 2", rows)
			}
			current := get(t, a, "read sessions", chromedp.Text(chromedp.ID("sessions")))
			if !strings.Contains(current, "当前设备") || !strings.Contains(current, "127.0.0.1") {
				t.Fatalf("session table lacks device/IP details: %q", current)
			}

			// A form POST without its CSRF token is refused, and nothing happens.
			get(t, a, "drop the token", chromedp.Evaluate[bool](`document.querySelector("#revoke-all-form input[name=csrf_token]").remove() === undefined`))
			run(t, a, "post without csrf token",
				chromedp.Click(chromedp.ID("revoke-all")),
				chromedp.WaitVisible(chromedp.ID("error")),
			)
			refused := get(t, a, "read refusal", chromedp.Text(chromedp.ID("error")))
			if !strings.Contains(refused, "CSRF") {
				t.Fatalf("CSRF refusal message: %q", refused)
			}
			run(t, b, "other browser still signed in", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`//h1[text()="工作台"]`))

			// 全部下线 in browser A signs out browser B too.
			run(t, a, "revoke all",
				chromedp.Navigate(srv.URL+"/security"),
				chromedp.WaitVisible(chromedp.ID("revoke-all")),
				chromedp.Click(chromedp.ID("revoke-all")),
				chromedp.WaitVisible(chromedp.ID("login-form")),
			)
			run(t, b, "other browser signed out",
				chromedp.Navigate(srv.URL+"/security"),
				chromedp.WaitVisible(chromedp.ID("login-form")),
			)
			if loc := location(t, b); !strings.Contains(loc, "/login") {
				t.Fatalf("revoked browser is at %s", loc)
			}

			// Logout ends the session.
			login(t, a, srv.URL, "wang", adminPassword)
			run(t, a, "logout",
				chromedp.Click(chromedp.ID("logout")),
				chromedp.WaitVisible(chromedp.ID("login-form")),
				chromedp.Navigate(srv.URL+"/"),
				chromedp.WaitVisible(chromedp.ID("login-form")),
			)

			// Everything above is in an intact audit log.
			out, stderr, code := runCLI(t, "", cliArgs(srv, "audit", "verify")...)
			if code != 0 || !strings.Contains(out, "审计日志完好") {
				t.Fatalf("audit verify: %d %s %s", code, out, stderr)
			}
		})
	}
}

// cliArgs prefixes args with the server's data folder and database.
func cliArgs(srv *server, args ...string) []string {
	pre := []string{"--data", srv.DataDir}
	if srv.DBURL != "" {
		pre = append(pre, "--database-url", srv.DBURL)
	}
	return append(pre, args...)
}
