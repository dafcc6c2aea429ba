package archive_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestImportNeverReachesAHiddenConversation: an export that continues a
// conversation its importer may not see is refused whole (nothing added,
// no import recorded) with a clear message, and the refusal is audited.
// Exports into different matters, or by different users without a matter,
// are different conversations.
func TestImportNeverReachesAHiddenConversation(t *testing.T) {
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db)
		authSvc := auth.New(db, nil)
		users := map[string]*model.User{}
		for name, role := range map[string]model.Role{"zhang": model.RoleLawyer, "zhao": model.RoleAssistant, "li": model.RoleAssistant} {
			u, err := authSvc.CreateUser(ctx, nil, auth.NewUser{Username: name, DisplayName: name, Role: role, Password: "correct horse battery 9"}, auth.Client{IP: "cli"})
			if err != nil {
				t.Fatal(err)
			}
			users[name] = u
		}
		m := &model.Matter{Title: "案件", Type: model.MatterCivil, Status: model.MatterInProgress, LeadLawyerID: users["zhang"].ID}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateMatter(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		zhao := archive.Actor{ID: users["zhao"].ID, Name: "zhao"}
		// The trusted command line files zhao's export under the matter.
		if _, err := s.ImportFile(ctx, fixture("wechatmsg.csv"), archive.ImportOptions{MatterID: m.ID}, zhao); err != nil {
			t.Fatal(err)
		}
		before, _ := db.Conversations(ctx)
		// zhao, not on the matter, imports the same export into it.
		_, err := s.ImportFile(ctx, fixture("wechatmsg.csv"), archive.ImportOptions{MatterID: m.ID,
			Viewer: &auth.Principal{User: users["zhao"]}}, zhao)
		if !errors.Is(err, model.ErrInvalidInput) || !strings.Contains(err.Error(), "无权查看") || !strings.Contains(err.Error(), "未导入任何消息") {
			t.Fatalf("import into a hidden conversation: %v", err)
		}
		after, _ := db.Conversations(ctx)
		if len(after) != len(before) || after[0].Messages != before[0].Messages {
			t.Fatalf("a refused import changed the archive: %d→%d conversations", len(before), len(after))
		}
		imports, _ := db.ChatImports(ctx, before[0].ID)
		if len(imports) != 1 {
			t.Fatalf("a refused import was recorded: %d imports", len(imports))
		}
		denied, err := db.FindAudit(ctx, store.AuditFilter{ActorID: users["zhao"].ID, Action: "chat.view.denied"})
		if err != nil || len(denied) != 1 || denied[0].Target != "conversation:"+itoa(before[0].ID) {
			t.Fatalf("refusal audited: %+v, %v", denied, err)
		}

		// Without a matter, each importer has their own conversations.
		for _, who := range []string{"zhao", "li"} {
			res, err := s.ImportFile(ctx, fixture("wechatmsg.csv"), archive.ImportOptions{Viewer: &auth.Principal{User: users[who]}},
				archive.Actor{ID: users[who].ID, Name: who})
			if err != nil || res.Import.New == 0 || res.Import.Duplicate != 0 {
				t.Fatalf("%s imports without a matter: %+v, %v", who, res, err)
			}
		}
		if all, _ := db.Conversations(ctx); len(all) != 3 {
			t.Fatalf("conversations: %d, want one per matter or importer (3)", len(all))
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestConversationCountsAndPages: the counts the chat list shows are kept by
// the imports (re-imports add nothing) and agree with the messages stored;
// the list pages through every conversation once, most recent first.
func TestConversationCountsAndPages(t *testing.T) {
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db)
		for _, name := range []string{"wechatmsg.csv", "chatlog.json", "chatlog.csv", "pywxdump.csv", "wecom.jsonl", "wechatmsg.csv", "chatlog.json"} {
			if _, err := s.ImportFile(ctx, fixture(name), archive.ImportOptions{}, cli); err != nil {
				t.Fatal(err)
			}
		}
		all, err := db.Conversations(ctx)
		if err != nil || len(all) < 4 {
			t.Fatalf("conversations: %d, %v", len(all), err)
		}
		for _, c := range all {
			msgs, err := db.Messages(ctx, store.MessageFilter{ConversationID: c.ID, Limit: 100000})
			if err != nil {
				t.Fatal(err)
			}
			if c.Messages != len(msgs) || c.Messages == 0 || !c.FirstAt.Equal(msgs[0].SentAt.UTC().Truncate(time.Second)) ||
				!c.LastAt.Equal(msgs[len(msgs)-1].SentAt.UTC().Truncate(time.Second)) {
				t.Errorf("%s: list says %d messages %v–%v; stored %d", c.Title, c.Messages, c.FirstAt, c.LastAt, len(msgs))
			}
		}
		var paged []int64
		page := store.ConversationPage{Limit: 2}
		for {
			list, err := db.VisibleConversations(ctx, nil, page)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) == 0 {
				break
			}
			for _, c := range list {
				paged = append(paged, c.ID)
			}
			page = page.Next(list)
		}
		if len(paged) != len(all) {
			t.Fatalf("paging saw %d conversations, want %d", len(paged), len(all))
		}
		for i, c := range all {
			if paged[i] != c.ID || (i > 0 && c.LastAt.After(all[i-1].LastAt)) {
				t.Fatalf("page order %v differs from %v or is not most recent first", paged, all)
			}
		}
	})
}

// TestShortQueriesHitAndMiss: one- and two-character queries find exactly
// the messages that contain them (with the term highlighted) and nothing
// for characters or pairs the messages lack, also when both characters
// occur but not next to each other.
func TestShortQueriesHitAndMiss(t *testing.T) {
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db)
		if _, err := s.ImportFile(ctx, fixture("short-terms.csv"), archive.ImportOptions{}, cli); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]int{"钱": 2, "押金": 2, "收": 2, "到账": 1, "铁": 0, "金押": 0, "钱押": 0, "据我": 1} {
			res, err := s.Search(ctx, store.SearchQuery{Terms: archive.ParseQuery(q)}, archive.SortNewest)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != want {
				t.Errorf("%s: %d results, want %d", q, len(res), want)
			}
			for _, r := range res {
				hit := false
				for _, f := range r.Fragments {
					hit = hit || (f.Hit && f.Text == q)
				}
				if !strings.Contains(r.Message.Text, q) || !hit {
					t.Errorf("%s: %q without the term highlighted: %+v", q, r.Message.Text, r.Fragments)
				}
			}
		}
	})
}
