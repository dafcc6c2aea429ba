package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestMatterIsTheHub, on a phone-sized screen: a party with a contact's ID
// number links to the contact; the matter page's add actions save a
// deadline and start a consultation for the matter, and both then show on
// the page (the rule in words, the consultation's duration); closing asks
// first (cancel changes nothing), closing hands over the dissolution
// deadline; the lead lawyer cannot reopen, an admin can, and the
// dissolution deadline is gone.
func TestMatterIsTheHub(t *testing.T) {
	e := engines(t)[0]
	srv := startServer(t, e)
	addUser(t, srv, "lawyer", "张律师", "zhang")
	csv := filepath.Join(t.TempDir(), "c.csv")
	os.WriteFile(csv, []byte("名称,类型,微信号,手机,邮箱,单位,统一社会信用代码,标签\n张三,个人,,13800138000,,,,现有客户\n"), 0o600)
	if out, errOut, code := runCLI(t, "", cliArgs(srv, "clients", "import", csv)...); code != 0 {
		t.Fatalf("clients import: %s %s", out, errOut)
	}
	admin := browser(t)
	setupAdmin(t, admin, srv)
	b := phone(t)
	login(t, b, srv.URL, "zhang", adminPassword)
	run(t, b, "new matter with a party that is a contact",
		chromedp.Navigate(srv.URL+"/matters"),
		chromedp.Click(chromedp.CSS("#new-matter-box > summary")),
		chromedp.WaitVisible(chromedp.ID("new-matter")),
		chromedp.SendKeys(chromedp.ID("m-title"), "张三诉某某公司劳动争议"),
		chromedp.SetValue(chromedp.ID("m-type"), "劳动"),
		chromedp.SetValue(chromedp.ID("m-status"), "in_progress"),
		chromedp.SendKeys(chromedp.ID("party-name-0"), "张三"),
		chromedp.SendKeys(chromedp.ID("party-phone-0"), "138 0013 8000"),
		chromedp.Click(chromedp.ID("m-save")),
		chromedp.WaitVisible(chromedp.ID("matter-title")),
	)
	matterPath := get(t, b, "path", chromedp.Evaluate[string](`location.pathname`))
	if link := get(t, b, "party link", chromedp.Evaluate[string](`(document.querySelector('#parties a[href^="/clients/"]') || {}).textContent || ""`)); link != "张三" {
		t.Fatalf("the party with the contact's phone is not linked: %q", link)
	}
	fitsPhone(t, b, srv.URL, matterPath)

	run(t, b, "add a deadline from the matter",
		chromedp.Navigate(srv.URL+matterPath),
		chromedp.Click(chromedp.ID("matter-add-deadline")),
		chromedp.WaitVisible(chromedp.ID("compute-form")),
	)
	if ref := get(t, b, "prefilled", chromedp.Evaluate[string](`document.getElementById("matter").value`)); !strings.Contains(ref, "张三诉某某公司劳动争议") {
		t.Fatalf("deadline form not prefilled with the matter: %q", ref)
	}
	run(t, b, "compute and save",
		chromedp.SetValue(chromedp.ID("rule"), "appeal-judgment"),
		chromedp.SetValue(chromedp.ID("from"), "2026-12-01"),
		chromedp.Click(chromedp.ID("compute")),
		chromedp.WaitVisible(chromedp.ID("due")),
		chromedp.Click(chromedp.ID("save")),
		chromedp.WaitVisible(chromedp.ID("mark-done")),
		chromedp.Navigate(srv.URL+matterPath),
		chromedp.WaitVisible(chromedp.ID("matter-deadline-list")),
	)
	if list := get(t, b, "deadlines", chromedp.Text(chromedp.ID("matter-deadline-list"))); !strings.Contains(list, "2026-12-16") || !strings.Contains(list, "民事一审判决上诉期") || strings.Contains(list, "appeal-judgment") {
		t.Fatalf("matter deadlines: %q", list)
	}

	run(t, b, "start and stop a consultation from the matter",
		chromedp.Click(chromedp.CSS("#add-consultation-box > summary")),
		chromedp.SendKeys(chromedp.ID("mc-topic"), "仲裁时效"),
		chromedp.Click(chromedp.ID("mc-start")),
		chromedp.WaitVisible(chromedp.ID("stop")),
		chromedp.Click(chromedp.ID("stop")),
		chromedp.WaitNotPresent(chromedp.ID("stop")),
		chromedp.Navigate(srv.URL+matterPath),
		chromedp.WaitVisible(chromedp.ID("matter-consultations")),
	)
	if list := get(t, b, "consultations", chromedp.Text(chromedp.ID("matter-consultations"))); !strings.Contains(list, "仲裁时效") || !strings.Contains(list, "秒") {
		t.Fatalf("matter consultations: %q", list)
	}

	run(t, b, "close, cancel",
		chromedp.SetValue(chromedp.ID("new-status"), "closed"),
		chromedp.Click(chromedp.ID("status-save")),
		chromedp.WaitVisible(chromedp.ID("close-confirm")),
		chromedp.Click(chromedp.ID("close-confirm-no")),
		chromedp.WaitVisible(chromedp.ID("status-form")),
	)
	if st := get(t, b, "status", chromedp.Text(chromedp.ID("matter-status"))); st != "办理中" {
		t.Fatalf("cancelled closing changed the status to %q", st)
	}
	run(t, b, "close, confirm",
		chromedp.SetValue(chromedp.ID("new-status"), "closed"),
		chromedp.Click(chromedp.ID("status-save")),
		chromedp.WaitVisible(chromedp.ID("close-confirm")),
		chromedp.Click(chromedp.ID("close-confirm-yes")),
		chromedp.WaitVisible(chromedp.ID("dissolution")),
	)
	if st := get(t, b, "status", chromedp.Text(chromedp.ID("matter-status"))); st != "结案" {
		t.Fatalf("status after closing: %q", st)
	}
	if list := get(t, b, "deadlines", chromedp.Text(chromedp.ID("matter-deadline-list"))); !strings.Contains(list, "结案后解散案件群") {
		t.Fatalf("no dissolution deadline on the matter page: %q", list)
	}
	if n := get(t, b, "no reopen for the lawyer", chromedp.Evaluate[int](`document.querySelectorAll("#reopen").length`)); n != 0 {
		t.Fatal("the lead lawyer is offered 重新打开")
	}

	login(t, admin, srv.URL, "wang", adminPassword)
	run(t, admin, "reopen",
		chromedp.Navigate(srv.URL+matterPath),
		chromedp.WaitVisible(chromedp.ID("reopen")),
		chromedp.Click(chromedp.ID("reopen")),
		chromedp.WaitNotPresent(chromedp.ID("reopen")), // the page after reopening offers it no more
	)
	if st := get(t, admin, "status", chromedp.Text(chromedp.ID("matter-status"))); st != "办理中" {
		t.Fatalf("status after reopening: %q", st)
	}
	if list := get(t, admin, "deadlines", chromedp.Text(chromedp.ID("matter-deadline-list"))); strings.Contains(list, "结案后解散案件群") || !strings.Contains(list, "民事一审判决上诉期") {
		t.Fatalf("deadlines after reopening: %q", list)
	}
	run(t, admin, "audit", chromedp.Navigate(srv.URL+"/audit"), chromedp.WaitVisible(chromedp.CSS("main")))
	if audit := auditRows(t, admin); !strings.Contains(audit["matter.reopen"], "重新打开案件") {
		t.Errorf("the reopening is not in the audit log: %v", audit)
	}
}
