package web_test

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

var continueLink = regexp.MustCompile(`href="([^"]*)" id="search-continue"`)

// TestChatSearchStopsAtBudget: with a budget of 30 messages per request
// (whole days of 20: 40 per step) a search of two words that meet only in the oldest message says how far
// back it searched and links the next step with the query and filters;
// following the links finds the message. The global search bounds its
// chat group the same way and links to the chat search.
func TestChatSearchStopsAtBudget(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		c := budgetChatsClient(t, db, 30)

		path := "/chats?q=" + urlQuery("押金 工资") + "&sort=newest"
		steps := 0
		for ; steps < 20; steps++ {
			code, body, _ := c.get(path)
			if code != 200 {
				t.Fatalf("GET %s: %d", path, code)
			}
			if strings.Contains(body, "都谈了") {
				if strings.Contains(body, "search-continue") {
					t.Fatal("the last step still offers to go on")
				}
				break
			}
			want := "已检索最近约 40 条消息（至 2025年3月9日）"
			if steps > 0 {
				want = "已继续检索更早的约 "
			}
			m := continueLink.FindStringSubmatch(body)
			if !strings.Contains(body, "找到 0 条") || !strings.Contains(body, want) || m == nil {
				t.Fatalf("step %d (%s): want 0 results, %q and the link to go on:\n%s", steps, path, want, body)
			}
			path = html.UnescapeString(m[1])
			if !strings.Contains(path, "sort=newest") || !strings.Contains(path, "before=") {
				t.Fatalf("the link drops the filters: %s", path)
			}
		}
		if steps < 2 || steps == 20 {
			t.Fatalf("found the oldest message after %d steps, want a few", steps)
		}

		_, body, _ := c.get("/search?q=" + urlQuery("押金 工资"))
		if !strings.Contains(body, "已检索最近约 40 条消息") || !strings.Contains(body, "在聊天记录中继续检索更早的消息") {
			t.Fatalf("global search: no budget note:\n%s", body)
		}
	})
}

// seedBudgetChats stores 200 messages over ten days in a conversation of
// a matter zhang leads: 押金 and 工资 meet only in the oldest message.
func seedBudgetChats(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	zhang, err := db.UserByUsername(ctx, "zhang")
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		m := &model.Matter{Title: "押金纠纷", Type: model.MatterCivil, Status: model.MatterInProgress, LeadLawyerID: zhang.ID}
		if err := tx.CreateMatter(ctx, m); err != nil {
			return err
		}
		imp := &model.ChatImport{FileName: "b.csv", Format: "wechatmsg-csv", SHA256: "b1", Size: 1, MatterID: m.ID, ImportedBy: "zhang"}
		if err := tx.CreateChatImport(ctx, imp); err != nil {
			return err
		}
		conv := &model.Conversation{Key: "b@chatroom", Kind: model.ConversationGroup, Title: "押金群"}
		if _, err := tx.EnsureConversation(ctx, conv, store.ConversationOrigin{Scope: "budget", MatterID: m.ID, ImportID: imp.ID}); err != nil {
			return err
		}
		w, err := tx.NewMessageWriter(ctx, imp.ID)
		if err != nil {
			return err
		}
		defer w.Close()
		base := time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)
		for i := range 200 {
			text := []string{"押金不退", "拖欠工资"}[i%2]
			if i == 0 {
				text = "押金和工资都谈了"
			}
			msg := &model.Message{Key: fmt.Sprintf("b%d", i), ConversationID: conv.ID, SentAt: base.Add(time.Duration(i/20)*24*time.Hour + time.Duration(i%20)*time.Minute),
				SenderWxID: "wxid_c", Kind: model.MessageText, Text: text, SourceLine: i + 2}
			if _, err := w.Insert(ctx, msg); err != nil {
				return err
			}
		}
		return w.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
}

var olderLink = regexp.MustCompile(`href="([^"]*)" id="search-older"`)

// budgetChatsClient serves the web app with a search budget of budget
// messages (0: the default) over seedBudgetChats, signed in as the lawyer
// zhang, whose matter holds them.
func budgetChatsClient(t *testing.T, db *store.DB, budget int) *client {
	t.Helper()
	cfg := testConfig(t, db)
	cfg.Archive.SearchBudget = budget
	ts := serveWeb(t, cfg)
	createUser(t, cfg.Auth, "zhang", model.RoleLawyer)
	seedBudgetChats(t, db)
	c := newClient(t, ts.URL)
	c.login("zhang")
	return c
}

var resultTime = regexp.MustCompile(`<li><div class="muted">(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})`)

// TestChatSearchPages: a search with more matches than a page shows the
// newest 50 and links the older ones with the same query and filters;
// following the links shows each of the 100 matches of 押金 once, newest
// first, and the last page offers no link (both engines, as the lawyer).
func TestChatSearchPages(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		c := budgetChatsClient(t, db, 0)

		path := "/chats?q=" + urlQuery("押金") + "&sort=newest&from=2025-03-01"
		var times []string
		for pages := 0; ; pages++ {
			if pages == 5 {
				t.Fatal("more pages than matches")
			}
			code, body, _ := c.get(path)
			if code != 200 {
				t.Fatalf("GET %s: %d", path, code)
			}
			for _, m := range resultTime.FindAllStringSubmatch(body, -1) {
				times = append(times, m[1])
			}
			m := olderLink.FindStringSubmatch(body)
			if m == nil {
				break
			}
			path = html.UnescapeString(m[1])
			if !strings.Contains(path, "sort=newest") || !strings.Contains(path, "from=2025-03-01") || !strings.Contains(path, "before=") {
				t.Fatalf("the link drops the filters: %s", path)
			}
		}
		// 押金 is in the even messages: 100 of them, at distinct times.
		seen := map[string]bool{}
		for i, at := range times {
			if seen[at] {
				t.Fatalf("match at %s shown twice", at)
			}
			seen[at] = true
			if i > 0 && times[i-1] < at {
				t.Fatalf("not newest first: %s before %s", times[i-1], at)
			}
		}
		if len(times) != 100 {
			t.Fatalf("the pages showed %d matches, want 100", len(times))
		}
	})
}
