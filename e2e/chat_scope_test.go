package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestChatImportsStayInTheirMatterInBrowser is the cross-matter attack of
// issue 10 as a person would try it: matter 6 of the demo firm holds a
// WeChatMsg conversation with TalkerId 7; the demo assistant, assigned only
// to matter 1, uploads a one-row export with the same TalkerId into matter 1
// through the chat page. The upload makes a conversation of its own; matter
// 6's conversation stays out of the assistant's list, search, page and
// printout, and stays in matter 6 for its lawyer.
func TestChatImportsStayInTheirMatterInBrowser(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			out, errOut, code := runCLI(t, "", cliArgs(srv, "demo")...)
			if code != 0 {
				t.Fatalf("demo: %s %s", out, errOut)
			}
			passwords := map[string]string{}
			for _, m := range regexp.MustCompile(`(demo-\w+)（[^）]*）密码：(\S+)`).FindAllStringSubmatch(out, -1) {
				passwords[m[1]] = m[2]
			}
			if len(passwords) != 3 {
				t.Fatalf("demo passwords: %q", out)
			}
			// Matter 6 (远帆物流运输合同纠纷) is demo-li's, without the assistant.
			if out, errOut, code := runCLI(t, "", cliArgs(srv, "import", chatFixture("wechatmsg.csv"), "--matter", "6")...); code != 0 {
				t.Fatalf("import into matter 6: %s %s", out, errOut)
			}
			oneRow := filepath.Join(t.TempDir(), "one.csv")
			os.WriteFile(oneRow, []byte("localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n"+
				"1,7,1,0,0,1717200000,2,无关的一句话,2024-06-01 08:00:00,,赵某,wxid_zhao\n"), 0o600)

			a := browser(t)
			login(t, a, srv.URL, "demo-wang", passwords["demo-wang"])
			run(t, a, "assistant uploads into matter 1",
				chromedp.Navigate(srv.URL+"/chats"),
				chromedp.WaitVisible(chromedp.ID("chat-import")),
				chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{oneRow}),
				chromedp.SetValue(chromedp.ID("import-format"), "wechatmsg-csv"),
				chromedp.SetValue(chromedp.ID("import-matter"), "1"),
				chromedp.Click(chromedp.ID("import-submit")),
				chromedp.WaitVisible(chromedp.ID("import-result")),
			)
			options := get(t, a, "matter options", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#import-matter option")).map(o => o.value)`))
			for _, v := range options {
				if v == "6" {
					t.Fatalf("the matter picker offers matter 6 to the assistant: %v", options)
				}
			}
			links := get(t, a, "conversations", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#conversations a[href$='/print']")).map(a => a.getAttribute("href"))`))
			if len(links) != 1 || links[0] == "/chats/1/print" {
				t.Fatalf("the assistant's list: %v (matter 6's conversation is /chats/1)", links)
			}
			run(t, a, "assistant searches matter 6's words",
				chromedp.Navigate(srv.URL+"/chats?q=租赁合同"),
				chromedp.WaitVisible(chromedp.ID("result-count")),
			)
			if body := get(t, a, "results", chromedp.Text(chromedp.CSS("main"))); strings.Contains(body, "请把合同发我看一下") {
				t.Fatal("the assistant finds matter 6's messages")
			}
			for _, path := range []string{"/chats/1", "/chats/1/print"} {
				run(t, a, "assistant opens "+path, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.ID("error")))
				if h1 := get(t, a, "heading", chromedp.Text(chromedp.CSS("main h1"))); h1 != "页面不存在" {
					t.Fatalf("%s: %q", path, h1)
				}
			}
			screenshot(t, a, "chat-scope-"+e.Name)

			// Matter 6's lawyer still has the conversation, in matter 6.
			l := browser(t)
			login(t, l, srv.URL, "demo-li", passwords["demo-li"])
			run(t, l, "lawyer opens matter 6's conversation", chromedp.Navigate(srv.URL+"/chats/1"), chromedp.WaitVisible(chromedp.CSS("main h1")))
			if body := get(t, l, "conversation", chromedp.Text(chromedp.CSS("main"))); !strings.Contains(body, "请把合同发我看一下") || strings.Contains(body, "无关的一句话") {
				t.Fatalf("matter 6's conversation changed:\n%s", body)
			}
			out, _, _ = runCLI(t, "", cliArgs(srv, "search", "无关的一句话", "--matter", "6")...)
			if !strings.Contains(out, "没有找到") {
				t.Fatalf("the assistant's message landed in matter 6: %q", out)
			}
			if out, _, code := runCLI(t, "", cliArgs(srv, "audit", "verify")...); code != 0 || !strings.Contains(out, "审计日志完好") {
				t.Fatalf("audit verify: %q", out)
			}
		})
	}
}
