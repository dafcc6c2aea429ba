package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPhishingLinkInChatArchive: in an imported chat, a message with a
// phishing link is flagged with the reasons, its link is shown defanged and
// is not clickable until the user reveals it and confirms; a genuine court
// delivery link is neither flagged nor defanged. Search results flag and
// defang the same message.
func TestPhishingLinkInChatArchive(t *testing.T) {
	csv := "Time,SenderName,Sender,TalkerName,Talker,Content\n" +
		"2024-02-01 09:00:00,赵六,wxid_zhaoliu,赵六,wxid_zhaoliu,【法院通知】您有传票未签收，请登录court-gov-cn.top/login查看，逾期将强制执行\n" +
		"2024-02-01 09:05:00,赵六,wxid_zhaoliu,赵六,wxid_zhaoliu,法院的短信说电子送达传票在 https://zxfw.court.gov.cn/zxfw/index.html 查看，是真的吗\n"
	file := filepath.Join(t.TempDir(), "赵六.csv")
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			a := browser(t)
			setupAdmin(t, a, srv)
			login(t, a, srv.URL, "wang", adminPassword)
			run(t, a, "import",
				chromedp.Navigate(srv.URL+"/chats"),
				chromedp.WaitVisible(chromedp.ID("chat-import")),
				chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{file}),
				chromedp.Click(chromedp.ID("import-submit")),
				chromedp.WaitVisible(chromedp.ID("import-result")),
			)
			// Search results: flagged and defanged, nothing clickable.
			run(t, a, "search",
				chromedp.SendKeys(chromedp.ID("q"), "传票"),
				chromedp.Click(chromedp.ID("search-submit")),
				chromedp.WaitVisible(chromedp.ID("result-count")),
			)
			results := get(t, a, "results", chromedp.Text(chromedp.ID("results")))
			if !strings.Contains(results, "疑似钓鱼链接") || !strings.Contains(results, "court-gov-cn[.]top") {
				t.Fatalf("search results not flagged: %q", results)
			}
			if n := get(t, a, "links in results", chromedp.Evaluate[int](`document.querySelectorAll('#results a[href*="court-gov-cn"]').length`)); n != 0 {
				t.Fatalf("%d phishing links clickable in search results", n)
			}
			if n := get(t, a, "warnings in results", chromedp.Evaluate[int](`document.querySelectorAll('#results .link-warning').length`)); n != 1 {
				t.Fatalf("%d warnings in search results, want 1 (the genuine court message is not flagged)", n)
			}

			// The conversation.
			run(t, a, "open conversation",
				chromedp.Click(chromedp.CSS(`#results a[href^="/chats/"]`)),
				chromedp.WaitVisible(chromedp.CSS(".link-warning")),
			)
			screenshot(t, a, "phishing-link-"+e.Name)
			warnings := get(t, a, "warnings", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".link-warning")).map(w => w.textContent)`))
			if len(warnings) != 1 || !strings.Contains(warnings[0], "court-gov-cn[.]top/login") || !strings.Contains(warnings[0], "分") {
				t.Fatalf("warnings: %q", warnings)
			}
			// The phishing link is defanged and no visible element links to it.
			visible := `Array.from(document.querySelectorAll('a[href*="court-gov-cn.top"]')).filter(a => a.checkVisibility()).length`
			if n := get(t, a, "visible phishing links", chromedp.Evaluate[int](visible)); n != 0 {
				t.Fatalf("%d visible clickable phishing links", n)
			}
			if d := get(t, a, "defanged", chromedp.Text(chromedp.CSS(".risky-link .defanged"))); d != "court-gov-cn[.]top/login" {
				t.Fatalf("defanged text %q", d)
			}
			// Clicking the defanged text opens nothing.
			run(t, a, "click defanged", chromedp.Click(chromedp.CSS(".risky-link .defanged")))
			if loc := location(t, a); strings.Contains(loc, "court-gov-cn") {
				t.Fatalf("clicking the defanged link navigated to %s", loc)
			}
			// The genuine court link is an ordinary link, not flagged.
			court := `Array.from(document.querySelectorAll('a.message-link[href="https://zxfw.court.gov.cn/zxfw/index.html"]')).filter(a => a.checkVisibility() && !a.closest(".risky-link")).length`
			if n := get(t, a, "court link", chromedp.Evaluate[int](court)); n != 1 {
				t.Fatalf("genuine court link: %d visible links", n)
			}
			// Reveal: the warning again, then the real link.
			run(t, a, "reveal",
				chromedp.Click(chromedp.CSS(".risky-link summary")),
				chromedp.WaitVisible(chromedp.CSS(".risky-link .link-confirm a")),
			)
			confirm := get(t, a, "confirmation", chromedp.Text(chromedp.CSS(".risky-link .link-confirm")))
			if !strings.Contains(confirm, "钓鱼") || !strings.Contains(confirm, "我已了解风险，仍要打开") {
				t.Fatalf("confirmation: %q", confirm)
			}
		})
	}
}

// TestPhishingDrillInBrowser: the drill mixes lures with genuine notices;
// answering "钓鱼" to all gets exactly the lures right, the explanations
// show, and the score is kept in the lawyer's history.
func TestPhishingDrillInBrowser(t *testing.T) {
	e := engines(t)[0]
	srv := startServer(t, e)
	a := browser(t)
	setupAdmin(t, a, srv)
	login(t, a, srv.URL, "wang", adminPassword)
	run(t, a, "open drill",
		chromedp.Navigate(srv.URL+"/security"),
		chromedp.WaitVisible(chromedp.ID("phishing-drill-link")),
		chromedp.Click(chromedp.ID("phishing-drill-link")),
		chromedp.WaitVisible(chromedp.ID("drill-form")),
	)
	// Before grading nothing gives the answer away.
	if n := get(t, a, "warnings", chromedp.Evaluate[int](`document.querySelectorAll("#drill-form .link-warning").length`)); n != 0 {
		t.Fatalf("%d link warnings before grading", n)
	}
	get(t, a, "answer all lure", chromedp.Evaluate[int](`Array.from(document.querySelectorAll('input[value="lure"]')).map(r => r.click()).length`))
	run(t, a, "submit", chromedp.Click(chromedp.ID("drill-submit")), chromedp.WaitVisible(chromedp.ID("drill-result")))
	if got := get(t, a, "correct", chromedp.Text(chromedp.ID("drill-correct"))); got != "5" {
		t.Fatalf("all answered lure: %s correct, want 5", got)
	}
	body := get(t, a, "result", chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"误把正常通知当作钓鱼 5 条", "真实通知", "钓鱼消息", "我的成绩", "全所成绩"} {
		if !strings.Contains(body, want) {
			t.Fatalf("result page lacks %q", want)
		}
	}
	if n := get(t, a, "history rows", chromedp.Evaluate[int](`document.querySelectorAll("#drill-history tbody tr").length`)); n != 1 {
		t.Fatalf("history has %d rows", n)
	}
}
