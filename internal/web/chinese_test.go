package web_test

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// getFrom fetches path as if the visitor came from referer.
func (c *client) getFrom(path, referer string) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	if referer != "" {
		req.Header.Set("Referer", referer)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestErrorPagesHaveAWayBack: 403, 404 and 413 pages are in Chinese and
// lead back to the page the visitor came from (when it is of this site)
// and to the workbench, or to the login page for an anonymous visitor.
func TestErrorPagesHaveAWayBack(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, svc := newServer(t, db)
		createUser(t, svc, "li", model.RoleAssistant)
		li := newClient(t, ts.URL)
		li.login("li")
		for _, tc := range []struct {
			path, referer string
			status        int
			title, back   string
		}{
			{"/matters/9999", ts.URL + "/matters?status=engaged", 404, "页面不存在", `href="/matters?status=engaged" id="back"`},
			{"/admin/users", ts.URL + "/clients", 403, "没有权限", `href="/clients" id="back"`},
			{"/matters/9999", "https://evil.example/x", 404, "页面不存在", ""},
		} {
			code, body := li.getFrom(tc.path, tc.referer)
			if code != tc.status || !strings.Contains(body, "<h1>"+tc.title+"</h1>") || !strings.Contains(body, `<a href="/" id="home">返回工作台</a>`) {
				t.Fatalf("%s: %d, want %d %q with a link to the workbench:\n%s", tc.path, code, tc.status, tc.title, body)
			}
			if tc.back != "" && !strings.Contains(body, tc.back) {
				t.Fatalf("%s from %s: no way back (%s):\n%s", tc.path, tc.referer, tc.back, body)
			}
			if tc.back == "" && strings.Contains(body, `id="back"`) {
				t.Fatalf("%s from %s: a link back to a foreign page:\n%s", tc.path, tc.referer, body)
			}
			if strings.Contains(body, "Not Found") || strings.Contains(body, "Forbidden") {
				t.Fatalf("%s: English on the error page", tc.path)
			}
		}
		anon := newClient(t, ts.URL)
		if code, body := anon.getFrom("/no-such-page", ""); code != 404 || !strings.Contains(body, `<a href="/" id="home">返回首页</a>`) {
			t.Fatalf("anonymous 404: %d\n%s", code, body)
		}
		// 413: a form far over its cap, sent from the client book.
		tok := li.csrf("/clients")
		code, body, _ := li.post("/clients", url.Values{"csrf_token": {tok}, "name": {strings.Repeat("长", 1<<20)}}, "Referer", ts.URL+"/clients")
		if code != http.StatusRequestEntityTooLarge || !strings.Contains(body, `href="/clients" id="back"`) || !strings.Contains(body, `id="home"`) {
			t.Fatalf("413: %d\n%s", code, body)
		}
	})
}

// TestChatsAndDeadlinesInWords: message kinds in Chinese, a message
// without sender named, no CLI flag in the web import error, rule names
// (not ids) on the deadline page and in the calendar feed, and 案号 with
// full-width brackets.
func TestChatsAndDeadlinesInWords(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		c := newClient(t, ts.URL)
		c.login("zhang")

		export, err := os.ReadFile("../chatexport/testdata/wechatmsg.csv")
		if err != nil {
			t.Fatal(err)
		}
		if code, body := c.importChatAs("wechatmsg.csv", "", export, ""); code != 200 {
			t.Fatalf("import: %d\n%s", code, body)
		}
		_, list, _ := c.get("/chats")
		m := regexp.MustCompile(`href="(/chats/\d+)"`).FindStringSubmatch(list)
		if m == nil {
			t.Fatalf("no conversation listed:\n%s", list)
		}
		_, page, _ := c.get(m[1])
		for _, want := range []string{"[图片]", "[文件]", "[撤回]", "[系统消息]", "[语音]", `class="msg-sender">系统<`} {
			if !strings.Contains(page, want) {
				t.Errorf("conversation page lacks %q", want)
			}
		}
		for _, bad := range []string{"[image]", "[system]", "[revoke]", "[file]", "[voice]", " ·  · "} {
			if strings.Contains(page, bad) {
				t.Errorf("conversation page shows %q", bad)
			}
		}
		if n := strings.Count(page, "[图片]"); n != 1 {
			t.Errorf("an image message says [图片] %d times", n)
		}
		_, results, _ := c.get("/chats?q=" + url.QueryEscape("合同"))
		if strings.Contains(results, "[file]") || strings.Contains(results, "[link]") {
			t.Errorf("search results show raw kinds:\n%s", results)
		}
		// Nothing to search for: the reason, the query kept, and no count.
		code, results, _ := c.get("/chats?q=" + url.QueryEscape("。！"))
		if code != http.StatusBadRequest || !strings.Contains(results, "查询词中没有可检索的文字或数字") ||
			!strings.Contains(results, `value="。！"`) || strings.Contains(results, "找到 0 条") {
			t.Errorf("a query of punctuation: %d\n%s", code, results)
		}

		code, body := c.importChatAs("notes.json", "", []byte(`{"备注": "这不是聊天记录"}`+"\n"), "")
		if code != http.StatusBadRequest || strings.Contains(body, "--format") || !strings.Contains(body, "“格式”中选择") {
			t.Fatalf("unknown format: %d\n%s", code, body)
		}

		tok := c.csrf("/deadlines")
		if code, _, h := c.post("/deadlines", url.Values{"csrf_token": {tok}, "rule": {"appeal-judgment"}, "from": {"2026-09-25"},
			"title": {"上诉期"}, "matter": {"(2026)京0105民初1号"}}); code != http.StatusSeeOther {
			t.Fatalf("save deadline: %d", code)
		} else {
			_, body, _ := c.get(h.Get("Location"))
			if strings.Contains(body, "appeal-judgment") || !strings.Contains(body, "规则：民事一审判决上诉期") || !strings.Contains(body, "（2026）京0105民初1号") {
				t.Fatalf("deadline page:\n%s", body)
			}
		}
		c.post("/deadlines/feed", url.Values{"csrf_token": {tok}})
		_, body, _ = c.get("/deadlines")
		feed := feedRE.FindStringSubmatch(body)
		if feed == nil {
			t.Fatalf("no feed URL:\n%s", body)
		}
		resp, err := http.Get(feed[1])
		if err != nil {
			t.Fatal(err)
		}
		ics, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		unfolded := strings.ReplaceAll(string(ics), "\r\n ", "")
		if strings.Contains(unfolded, "appeal-judgment") || !strings.Contains(unfolded, `规则：民事一审判决上诉期`) {
			t.Fatalf("feed names the rule by id:\n%s", unfolded)
		}

		tok = c.csrf("/matters")
		code, _, h := c.post("/matters", url.Values{"csrf_token": {tok}, "title": {"甲诉乙"}, "type": {"民事"}, "case_number": {"(2024)京0105民初12345号"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create matter: %d", code)
		}
		_, body, _ = c.get(strings.SplitN(h.Get("Location"), "?", 2)[0])
		if !strings.Contains(body, `<td id="case-number">（2024）京0105民初12345号</td>`) || !strings.Contains(body, `value="（2024）京0105民初12345号"`) {
			t.Fatalf("matter page case number:\n%s", body)
		}
		if _, body, _ := c.get("/matters"); !strings.Contains(body, "（2024）京0105民初12345号") {
			t.Fatalf("matter list case number:\n%s", body)
		}
	})
}
