package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// chatlogTwice is a chatlog JSON export: text, an image the export names
// only by md5, a named file, a message without a sender and a system
// notice.
const chatlogTwice = `[
{"seq": 1, "time": "2024-03-01T10:00:00+08:00", "talker": "wxid_wangwu", "talkerName": "王五", "isChatRoom": false, "sender": "wxid_wangwu", "senderName": "王五", "isSelf": false, "type": 1, "subType": 0, "content": "合同我发你了"},
{"seq": 2, "time": "2024-03-01T10:01:00+08:00", "talker": "wxid_wangwu", "talkerName": "王五", "isChatRoom": false, "sender": "wxid_wangwu", "senderName": "王五", "isSelf": false, "type": 3, "subType": 0, "content": "", "contents": {"md5": "0123456789abcdef"}},
{"seq": 3, "time": "2024-03-01T10:02:00+08:00", "talker": "wxid_wangwu", "talkerName": "王五", "isChatRoom": false, "sender": "wxid_wangwu", "senderName": "王五", "isSelf": false, "type": 49, "subType": 6, "content": "", "contents": {"title": "买卖合同.docx", "md5": "fedcba9876543210"}},
{"seq": 4, "time": "2024-03-01T10:03:00+08:00", "talker": "wxid_wangwu", "talkerName": "王五", "isChatRoom": false, "sender": "", "senderName": "", "isSelf": false, "type": 1, "subType": 0, "content": "谁发的"},
{"seq": 5, "time": "2024-03-01T10:04:00+08:00", "talker": "wxid_wangwu", "talkerName": "王五", "isChatRoom": false, "sender": "", "senderName": "", "isSelf": false, "type": 10000, "subType": 0, "content": "你已添加了王五，现在可以开始聊天了。"}
]
`

// TestChatsReadLikeChats: a conversation imported twice is renamed and its
// participant mapped to a contact in the browser; the chat page, the search
// results and the court printout then name the contact, the printout lists
// the file once, prints each label once, has no empty 附件 line and shows
// 未知 for the missing sender; a lawyer who may not see the conversation
// gets 404 for it.
func TestChatsReadLikeChats(t *testing.T) {
	e := engines(t)[0]
	srv := startServer(t, e)
	addUser(t, srv, "lawyer", "张律师", "zhang")
	file := filepath.Join(t.TempDir(), "chatlog.json")
	os.WriteFile(file, []byte(chatlogTwice), 0o600)
	for range 2 {
		if out, errOut, code := runCLI(t, "", cliArgs(srv, "import", file)...); code != 0 {
			t.Fatalf("import: %s %s", out, errOut)
		}
	}
	csv := filepath.Join(t.TempDir(), "c.csv")
	os.WriteFile(csv, []byte("名称,类型,微信号,手机,邮箱,单位,统一社会信用代码,标签\n王五,个人,wxid_wangwu,13800138000,,,,现有客户\n"), 0o600)
	if out, errOut, code := runCLI(t, "", cliArgs(srv, "clients", "import", csv)...); code != 0 {
		t.Fatalf("clients import: %s %s", out, errOut)
	}
	b := phone(t)
	setupAdmin(t, b, srv)
	login(t, b, srv.URL, "wang", adminPassword)
	run(t, b, "open the conversation",
		chromedp.Navigate(srv.URL+"/chats"),
		chromedp.Click(chromedp.CSS(`#conversations td.card-title a`)),
		chromedp.WaitVisible(chromedp.ID("chat-title")),
	)
	chatPath := get(t, b, "path", chromedp.Evaluate[string](`location.pathname`))
	senders := get(t, b, "senders", chromedp.Evaluate[[]string](`[...document.querySelectorAll(".msg-sender")].map(e => e.textContent)`))
	if strings.Join(senders, ",") != "王五,王五,王五,未知,系统" {
		t.Errorf("senders before mapping: %v", senders)
	}
	kinds := get(t, b, "kinds", chromedp.Text(chromedp.ID("messages")))
	for _, bad := range []string{"[image]", "[system]", "[revoke]", "[图片] · [图片]"} {
		if strings.Contains(kinds, bad) {
			t.Errorf("chat page shows %q", bad)
		}
	}
	run(t, b, "rename and map",
		chromedp.Click(chromedp.CSS("#rename-box > summary")),
		chromedp.SetValue(chromedp.ID("chat-name"), "王五 · 买卖合同纠纷"),
		chromedp.Click(chromedp.ID("chat-rename")),
		chromedp.WaitVisible(chromedp.ID("export-title")),
	)
	if title := get(t, b, "title", chromedp.Text(chromedp.ID("chat-title"))); title != "王五 · 买卖合同纠纷" {
		t.Fatalf("title after rename: %q", title)
	}
	suggestion := get(t, b, "suggestion", chromedp.Evaluate[string](`document.querySelector("#contact-suggestions option").value`))
	if !strings.HasPrefix(suggestion, "王五 #") {
		t.Fatalf("the contact with the same 微信号 is not suggested: %q", suggestion)
	}
	run(t, b, "map the participant",
		chromedp.SetValue(chromedp.CSS(`tr[data-wxid="wxid_wangwu"] input[name="contact"]`), suggestion),
		chromedp.Submit(chromedp.CSS(`tr[data-wxid="wxid_wangwu"] input[name="contact"]`)),
		chromedp.WaitVisible(chromedp.CSS(".mapped-contact")),
	)
	screenshot(t, b, "chat-named")
	fitsPhone(t, b, srv.URL, chatPath)
	if list := func() string {
		run(t, b, "chat list", chromedp.Navigate(srv.URL+"/chats"), chromedp.WaitVisible(chromedp.ID("conversations")))
		return get(t, b, "list", chromedp.Text(chromedp.ID("conversations")))
	}(); !strings.Contains(list, "王五 · 买卖合同纠纷") || strings.Contains(list, "wxid_wangwu") {
		t.Errorf("chat list after renaming and mapping: %q", list)
	}
	run(t, b, "search", chromedp.Navigate(srv.URL+"/chats?q=合同"), chromedp.WaitVisible(chromedp.ID("results")))
	results := get(t, b, "results", chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(results, "王五 · 买卖合同纠纷") {
		t.Errorf("search results lack the conversation's name:\n%s", results)
	}

	run(t, b, "printout", chromedp.Navigate(srv.URL+chatPath+"/print"), chromedp.WaitVisible(chromedp.ID("print-log")))
	sources := get(t, b, "sources", chromedp.Evaluate[int](`document.querySelectorAll("#print-sources > li").length`))
	if sources != 1 {
		t.Errorf("the file imported twice is listed %d times", sources)
	}
	if s := get(t, b, "sources text", chromedp.Text(chromedp.ID("print-sources"))); !strings.Contains(s, "同一文件共导入 2 次") {
		t.Errorf("sources: %q", s)
	}
	log := get(t, b, "log", chromedp.Text(chromedp.ID("print-log")))
	for _, bad := range []string{"[图片] [图片]", "[文件] [文件]", "[文件][文件]"} {
		if strings.Contains(log, bad) {
			t.Errorf("printout says a label twice: %q", bad)
		}
	}
	cells := get(t, b, "cells", chromedp.Evaluate[[]string](`[...document.querySelectorAll("#print-log td.chat-text")].map(e => e.innerText)`))
	for i, c := range cells {
		for _, line := range strings.Split(c, "\n") {
			if strings.TrimSpace(line) == "附件：" {
				t.Errorf("message %d has an empty 附件 line: %q", i, c)
			}
		}
	}
	printSenders := get(t, b, "print senders", chromedp.Evaluate[[]string](`[...document.querySelectorAll("#print-log td.sender")].map(e => e.innerText.split("\n")[0])`))
	if len(printSenders) != 5 || !strings.HasPrefix(printSenders[0], "王五") || printSenders[3] != "未知" || printSenders[4] != "系统" {
		t.Errorf("printout senders: %q", printSenders)
	}
	if ids := get(t, b, "identities", chromedp.Text(chromedp.ID("identities"))); !strings.Contains(ids, "通讯录联系人：王五") {
		t.Errorf("identities lack the mapped contact: %q", ids)
	}
	if h1 := get(t, b, "print title", chromedp.Text(chromedp.CSS("#court-print h1"))); !strings.Contains(h1, "王五 · 买卖合同纠纷") {
		t.Errorf("printout title %q", h1)
	}

	// zhang may not see the conversation: the page and the rename answer
	// like a missing one.
	z := browser(t)
	login(t, z, srv.URL, "zhang", adminPassword)
	run(t, z, "hidden conversation", chromedp.Navigate(srv.URL+chatPath), chromedp.WaitVisible(chromedp.CSS("h1")))
	if h := get(t, z, "h1", chromedp.Text(chromedp.CSS("h1"))); !strings.Contains(h, "不存在") {
		t.Errorf("hidden conversation shows %q", h)
	}
	status := get(t, z, "post rename", chromedp.Evaluate[int](`(async () => {
		const page = await fetch("/chats").then(r => r.text());
		const token = page.match(/name="csrf_token" value="([^"]+)"/)[1];
		const r = await fetch("`+chatPath+`/rename", {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded"},
			body: "csrf_token=" + encodeURIComponent(token) + "&name=" + encodeURIComponent("偷改")});
		return r.status;
	})()`, chromedp.EvalAwaitPromise))
	if status != 404 {
		t.Errorf("rename of a hidden conversation answered %d", status)
	}
	run(t, b, "name unchanged", chromedp.Navigate(srv.URL+chatPath), chromedp.WaitVisible(chromedp.ID("chat-title")))
	if title := get(t, b, "title", chromedp.Text(chromedp.ID("chat-title"))); title != "王五 · 买卖合同纠纷" {
		t.Errorf("after the refused rename: %q", title)
	}
}
