package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestEmergencyFreezeInBrowser: a lawyer signed in on two browsers freezes
// their account from one; the other's next request lands on the login page,
// the frozen user cannot sign in, the freezing browser ticks off the WeChat
// checklist, an admin unfreezes, and `lvxin user freeze` from the command
// line signs the user out again.
func TestEmergencyFreezeInBrowser(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			admin := browser(t)
			setupAdmin(t, admin, srv)
			addUser(t, srv, "lawyer", "张律师", "zhang")

			phone := browser(t)
			laptop := browser(t)
			login(t, phone, srv.URL, "zhang", adminPassword)
			login(t, laptop, srv.URL, "zhang", adminPassword)

			// The freeze needs its confirmation box ticked.
			run(t, laptop, "freeze",
				chromedp.Navigate(srv.URL+"/security"),
				chromedp.WaitVisible(chromedp.ID("freeze-link")),
				chromedp.Click(chromedp.ID("freeze-link")),
				chromedp.WaitVisible(chromedp.ID("freeze-submit")),
				chromedp.Click(chromedp.ID("freeze-confirm")),
				chromedp.Click(chromedp.ID("freeze-submit")),
				chromedp.WaitVisible(chromedp.ID("frozen-notice")),
			)
			notice := get(t, laptop, "read notice", chromedp.Text(chromedp.CSS("main")))
			for _, want := range []string{"张律师 的律信账户已冻结", "weixin110.qq.com", "登录设备管理", "Secret", "案件群", "12321", "110"} {
				if !strings.Contains(notice, want) {
					t.Fatalf("checklist lacks %q: %q", want, notice)
				}
			}
			screenshot(t, laptop, "freeze-checklist-"+e.Name)
			run(t, laptop, "tick a step",
				chromedp.Click(chromedp.ID("tick-weixin110")),
				chromedp.WaitVisible(chromedp.CSS("#step-weixin110 .done")),
			)
			if p := get(t, laptop, "progress", chromedp.Text(chromedp.ID("checklist-progress"))); !strings.Contains(p, "已完成 1 / 5") {
				t.Fatalf("progress: %q", p)
			}
			// The freezing browser itself is signed out of everything else.
			run(t, laptop, "laptop signed out", chromedp.Navigate(srv.URL+"/deadlines"), chromedp.WaitVisible(chromedp.ID("login-form")))

			// The other browser's next request lands on the login page.
			run(t, phone, "phone signed out",
				chromedp.Navigate(srv.URL+"/deadlines"),
				chromedp.WaitVisible(chromedp.ID("login-form")),
			)
			if loc := location(t, phone); !strings.Contains(loc, "/login") {
				t.Fatalf("frozen user's other browser is at %s", loc)
			}
			// The frozen user cannot sign in, with the right password.
			run(t, phone, "frozen login",
				chromedp.SendKeys(chromedp.ID("username"), "zhang"),
				chromedp.SendKeys(chromedp.ID("password"), adminPassword),
				chromedp.Click(chromedp.ID("login-submit")),
				chromedp.WaitVisible(chromedp.ID("error")),
			)
			if msg := get(t, phone, "read error", chromedp.Text(chromedp.ID("error"))); !strings.Contains(msg, "已紧急冻结") {
				t.Fatalf("frozen login message: %q", msg)
			}

			// An admin sees the freeze and its checklist, and unfreezes.
			login(t, admin, srv.URL, "wang", adminPassword)
			run(t, admin, "admin user page",
				chromedp.Navigate(srv.URL+"/admin/users/2"),
				chromedp.WaitVisible(chromedp.ID("unfreeze")),
			)
			run(t, admin, "admin notifications", chromedp.Navigate(srv.URL+"/notifications"), chromedp.WaitVisible(chromedp.CSS("main")))
			if notes := get(t, admin, "read notifications", chromedp.Text(chromedp.CSS("main"))); !strings.Contains(notes, "用户已紧急冻结：张律师") {
				t.Fatalf("admin was not notified: %q", notes)
			}
			run(t, admin, "admin user page again", chromedp.Navigate(srv.URL+"/admin/users/2"), chromedp.WaitVisible(chromedp.ID("unfreeze")))
			if s := get(t, admin, "read status", chromedp.Text(chromedp.ID("user-frozen"))); !strings.Contains(s, "已紧急冻结") || !strings.Contains(s, "zhang") {
				t.Fatalf("admin page status: %q", s)
			}
			run(t, admin, "unfreeze",
				chromedp.Click(chromedp.ID("unfreeze")),
				chromedp.WaitVisible(chromedp.ID("freeze-user")),
			)
			login(t, phone, srv.URL, "zhang", adminPassword)

			// The command line freezes too; the browser is signed out again.
			if out, errOut, code := runCLI(t, "", cliArgs(srv, "user", "freeze", "zhang")...); code != 0 || !strings.Contains(out, "已紧急冻结 zhang：1 个会话已下线") {
				t.Fatalf("user freeze: %d %s %s", code, out, errOut)
			}
			run(t, phone, "signed out by the CLI", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("login-form")))
			// The audit log holds the freezes, the step and the unfreeze.
			run(t, admin, "audit", chromedp.Navigate(srv.URL+"/audit"), chromedp.WaitVisible(chromedp.CSS("main")))
			audit := auditRows(t, admin)
			for want, words := range map[string]string{"user.freeze": "紧急冻结账户", "user.unfreeze": "解除紧急冻结",
				"freeze.step": "完成应急清单步骤", "login.frozen": "已冻结账户尝试登录"} {
				if !strings.Contains(audit[want], words) {
					t.Fatalf("audit page lacks %s (%s): %q", want, words, audit[want])
				}
			}
		})
	}
}
