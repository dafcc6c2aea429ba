package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDeadlineChainOnMatterPage records 判决书送达 from a matter's page on a
// phone-sized screen, sees the appeal deadline it creates in the lawyer's
// deadlines, and moves the event.
func TestDeadlineChainOnMatterPage(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			if out, errOut, code := runCLI(t, adminPassword+"\n", cliArgs(srv, "user", "add", "--role", "lawyer", "--name", "张律师", "--password-stdin", "zhang")...); code != 0 {
				t.Fatalf("user add: %s %s", out, errOut)
			}
			b := browser(t)
			login(t, b, srv.URL, "zhang", adminPassword)
			run(t, b, "create matter",
				chromedp.Navigate(srv.URL+"/matters"),
				chromedp.Click(chromedp.CSS("#new-matter-box > summary")),
				chromedp.WaitVisible(chromedp.ID("new-matter")),
				chromedp.SendKeys(chromedp.ID("m-title"), "甲公司诉乙公司买卖合同纠纷"),
				chromedp.SetValue(chromedp.ID("m-type"), "民事"),
				chromedp.SetValue(chromedp.ID("m-status"), "engaged"),
				chromedp.Click(chromedp.ID("m-save")),
				chromedp.WaitVisible(chromedp.ID("matter-title")),
			)
			run(t, b, "open chains", chromedp.Click(chromedp.ID("matter-deadlines")), chromedp.WaitVisible(chromedp.ID("trigger-form")))
			run(t, b, "record judgment served",
				chromedp.SetValue(chromedp.ID("trigger-kind"), "judgment-served"),
				chromedp.SetValue(chromedp.ID("trigger-date"), "2026-01-31"),
				chromedp.Click(chromedp.ID("trigger-save")),
				chromedp.WaitVisible(`#chains .chain`),
			)
			screenshot(t, b, "deadline-chain-"+e.Name)
			chains := get(t, b, "chains", chromedp.Text(chromedp.ID("chains")))
			if !strings.Contains(chains, "判决书送达：2026-01-31") || !strings.Contains(chains, "上诉期届满：甲公司诉乙公司买卖合同纠纷：2026-02-24") {
				t.Fatalf("chains: %q", chains)
			}
			if wide := get(t, b, "width", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); wide {
				t.Error("the chain page scrolls sideways on a phone")
			}
			run(t, b, "move the event",
				chromedp.SetValue(`.trigger-update input[name="date"]`, "2026-09-20"),
				chromedp.Click(`.trigger-update button`),
				chromedp.WaitVisible(`//strong[@class="due" and text()="2026-10-08"]`),
			)
			if chains := get(t, b, "chains after", chromedp.Text(chromedp.ID("chains"))); !strings.Contains(chains, "2026-10-08") || strings.Contains(chains, "2026-02-24") {
				t.Fatalf("after moving the event: %q", chains)
			}
			run(t, b, "deadlines page", chromedp.Navigate(srv.URL+"/deadlines"), chromedp.WaitVisible(`//h1[text()="期限"]`))
			if page := get(t, b, "deadlines", chromedp.Text(chromedp.CSS("main"))); !strings.Contains(page, "上诉期届满：甲公司诉乙公司买卖合同纠纷") {
				t.Fatalf("the chain deadline is not among the lawyer's deadlines: %q", page)
			}
		})
	}
}
