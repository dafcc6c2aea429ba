package archive_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

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
		if !errors.Is(err, auth.ErrInvalidInput) || !strings.Contains(err.Error(), "无权查看") || !strings.Contains(err.Error(), "未导入任何消息") {
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
