package archive_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// chatlogPrintFixture is a chatlog JSON export with an image the export
// gives only an md5 (no file name), a file with a name, a message whose
// sender the export does not name and a system notice.
const chatlogPrintFixture = `[
{"seq": 1, "time": "2024-03-01T10:00:00+08:00", "talker": "wxid_client", "talkerName": "王五", "isChatRoom": false, "sender": "wxid_client", "senderName": "王五", "isSelf": false, "type": 1, "subType": 0, "content": "合同我发你了"},
{"seq": 2, "time": "2024-03-01T10:01:00+08:00", "talker": "wxid_client", "talkerName": "王五", "isChatRoom": false, "sender": "wxid_client", "senderName": "王五", "isSelf": false, "type": 3, "subType": 0, "content": "", "contents": {"md5": "0123456789abcdef"}},
{"seq": 3, "time": "2024-03-01T10:02:00+08:00", "talker": "wxid_client", "talkerName": "王五", "isChatRoom": false, "sender": "wxid_client", "senderName": "王五", "isSelf": false, "type": 49, "subType": 6, "content": "", "contents": {"title": "买卖合同.docx", "md5": "fedcba9876543210"}},
{"seq": 4, "time": "2024-03-01T10:03:00+08:00", "talker": "wxid_client", "talkerName": "王五", "isChatRoom": false, "sender": "", "senderName": "", "isSelf": false, "type": 1, "subType": 0, "content": "谁发的"},
{"seq": 5, "time": "2024-03-01T10:04:00+08:00", "talker": "wxid_client", "talkerName": "王五", "isChatRoom": false, "sender": "", "senderName": "", "isSelf": false, "type": 10000, "subType": 0, "content": "你已添加了王五，现在可以开始聊天了。"}
]
`

// TestPrintoutOnceAndNamed: a conversation imported twice lists its source
// file once; each kind label is printed once; no empty 附件; a missing
// sender is 未知 (系统 for a system notice); a participant mapped to a
// contact is named by the contact; a renamed conversation keeps its
// export identity (a third import still lands in it) and shows the name.
func TestPrintoutOnceAndNamed(t *testing.T) {
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db)
		file := filepath.Join(t.TempDir(), "chatlog.json")
		if err := os.WriteFile(file, []byte(chatlogPrintFixture), 0o600); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := s.ImportFile(ctx, file, archive.ImportOptions{}, cli); err != nil {
				t.Fatal(err)
			}
		}
		convs, err := db.Conversations(ctx)
		if err != nil || len(convs) != 1 {
			t.Fatalf("conversations: %d %v", len(convs), err)
		}
		id := convs[0].ID
		if imports, _ := db.ChatImports(ctx, id); len(imports) != 2 {
			t.Fatalf("%d imports recorded, want 2", len(imports))
		}
		p, err := s.Printout(ctx, id, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Sources) != 1 || p.Sources[0].Imports != 2 {
			t.Fatalf("sources: %d (imports %d), want the file once, imported twice", len(p.Sources), p.Sources[0].Imports)
		}
		if len(p.Lines) != 5 {
			t.Fatalf("%d lines", len(p.Lines))
		}
		for i, l := range p.Lines {
			printed := l.Tag + " " + l.Message.Text
			for _, label := range []string{"[图片]", "[文件]"} {
				if strings.Count(printed, label) > 1 {
					t.Errorf("line %d prints %s twice: %q", i, label, printed)
				}
			}
			if l.Message.Attachment != nil && l.Attachment == "" {
				t.Errorf("line %d: an attachment with nothing to name", i)
			}
			for _, m := range l.Marks {
				if strings.Contains(m, "另一份导出文件") {
					t.Errorf("line %d: a re-import of the same file marked as another file: %s", i, m)
				}
			}
		}
		image, file2 := p.Lines[1], p.Lines[2]
		if image.Tag+image.Message.Text != "[图片]" && image.Tag != "" && !strings.HasPrefix(image.Message.Text, "[图片]") {
			t.Errorf("image printed as %q %q", image.Tag, image.Message.Text)
		}
		if image.Attachment != "md5:0123456789abcdef" {
			t.Errorf("image attachment named %q", image.Attachment)
		}
		if file2.Attachment != "买卖合同.docx" {
			t.Errorf("file attachment named %q", file2.Attachment)
		}
		if got := p.Lines[3].SenderName; got != "未知" {
			t.Errorf("missing sender named %q", got)
		}
		if got := p.Lines[4].SenderName; got != "系统" {
			t.Errorf("system notice sender %q", got)
		}

		// Mapping and renaming: only for users who may see the conversation.
		authSvc := auth.New(db, nil)
		mk := func(name string, role model.Role) *auth.Principal {
			u, err := authSvc.CreateUser(ctx, nil, auth.NewUser{Username: name, DisplayName: name, Role: role, Password: "correct horse battery 9"}, auth.Client{IP: "cli"})
			if err != nil {
				t.Fatal(err)
			}
			return &auth.Principal{User: u}
		}
		admin, outsider := mk("wang", model.RoleAdmin), mk("li", model.RoleAssistant)
		c := &model.Contact{Kind: model.ContactPerson, Name: "王五（委托人）"}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateContact(ctx, c) }); err != nil {
			t.Fatal(err)
		}
		liActor := archive.Actor{ID: outsider.User.ID, Name: "li"}
		if err := s.MapParticipant(ctx, outsider, id, "wxid_client", c.ID, liActor); !errors.Is(err, auth.ErrHidden) {
			t.Fatalf("an assistant who may not see the conversation mapped a participant: %v", err)
		}
		if err := s.RenameConversation(ctx, outsider, id, "偷改", liActor); !errors.Is(err, auth.ErrHidden) {
			t.Fatalf("an assistant who may not see the conversation renamed it: %v", err)
		}
		if denied, _ := db.FindAudit(ctx, store.AuditFilter{ActorID: outsider.User.ID, Action: "chat.view.denied"}); len(denied) != 2 {
			t.Errorf("refusals audited: %d, want 2", len(denied))
		}
		wang := archive.Actor{ID: admin.User.ID, Name: "wang"}
		typed, err := s.ResolveContact(ctx, "王五（委托人） #"+itoa(c.ID))
		if err != nil || typed != c.ID {
			t.Fatalf("resolve: %d %v", typed, err)
		}
		if byName, err := s.ResolveContact(ctx, "王五（委托人）"); err != nil || byName != c.ID {
			t.Fatalf("resolve by name: %d %v", byName, err)
		}
		if _, err := s.ResolveContact(ctx, "赵六"); !errors.Is(err, model.ErrInvalidInput) || !strings.Contains(err.Error(), "赵六") {
			t.Fatalf("unknown contact: %v", err)
		}
		if err := s.MapParticipant(ctx, admin, id, "wxid_nobody", c.ID, wang); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("mapping a participant the conversation lacks: %v", err)
		}
		if err := s.MapParticipant(ctx, admin, id, "wxid_client", c.ID, wang); err != nil {
			t.Fatal(err)
		}
		if err := s.RenameConversation(ctx, admin, id, "  王五 · 买卖合同纠纷  ", wang); err != nil {
			t.Fatal(err)
		}
		if err := s.RenameConversation(ctx, admin, id, strings.Repeat("名", 101), wang); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("an over-long name: %v", err)
		}
		// A third import of the same export still finds the conversation
		// and does not undo the name.
		if res, err := s.ImportFile(ctx, file, archive.ImportOptions{}, cli); err != nil || res.Import.New != 0 {
			t.Fatalf("third import: %+v %v", res, err)
		}
		convs, _ = db.Conversations(ctx)
		if len(convs) != 1 || convs[0].Title != "王五 · 买卖合同纠纷" || convs[0].ExportTitle != "王五" || !convs[0].Renamed {
			t.Fatalf("after rename and re-import: %d conversations, %+v", len(convs), convs[0])
		}
		p, err = s.Printout(ctx, id, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Conversation.Title != "王五 · 买卖合同纠纷" || len(p.Sources) != 1 || p.Sources[0].Imports != 3 {
			t.Errorf("printout title %q, %d sources", p.Conversation.Title, len(p.Sources))
		}
		if got := p.Lines[0].SenderName; got != "王五（委托人）" {
			t.Errorf("mapped sender printed as %q", got)
		}
		hits, err := s.Search(ctx, store.SearchQuery{Terms: []string{"合同"}}, archive.SortNewest)
		if err != nil || len(hits) == 0 {
			t.Fatalf("search: %d %v", len(hits), err)
		}
		for _, h := range hits {
			if h.ConversationTitle != "王五 · 买卖合同纠纷" || (h.Message.SenderWxID == "wxid_client" && h.Sender != "王五（委托人）") {
				t.Errorf("search hit: conversation %q sender %q", h.ConversationTitle, h.Sender)
			}
		}
		// Back to the export's title; unmapped again.
		if err := s.RenameConversation(ctx, admin, id, "", wang); err != nil {
			t.Fatal(err)
		}
		if err := s.MapParticipant(ctx, admin, id, "wxid_client", 0, wang); err != nil {
			t.Fatal(err)
		}
		conv, _ := db.ConversationByID(ctx, id)
		if conv.Title != "王五" || conv.Renamed || conv.Participants[0].ContactID != 0 {
			t.Errorf("after undoing: %+v", conv)
		}
		events, _ := db.FindAudit(ctx, store.AuditFilter{ActorID: admin.User.ID})
		var actions []string
		for _, ev := range events {
			actions = append(actions, ev.Action+" "+ev.Detail)
		}
		joined := strings.Join(actions, "\n")
		for _, want := range []string{"chat.rename 会话改名：王五 → 王五 · 买卖合同纠纷", "chat.rename 会话改名：王五 · 买卖合同纠纷 → 王五",
			"chat.participant 王五（wxid_client）对应联系人 王五（委托人） #", "chat.participant 王五（委托人）（wxid_client）不再对应联系人"} {
			if !strings.Contains(joined, want) {
				t.Errorf("audit lacks %q:\n%s", want, joined)
			}
		}
	})
}
