package wecom_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/inbox"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/wecom"
	"github.com/lvxin/lvxin/internal/wecom/wecomtest"
)

// The connector is the message centre's sender and directory (as serve
// wires them).
var (
	_ inbox.Sender    = (*wecom.Service)(nil)
	_ inbox.Directory = (*wecom.Service)(nil)
)

// TestServiceAsInboxSender: the message centre sending through the
// connector reaches the fake WeCom server (kf auto-reply, urgent app
// message to the linked member), follows a change of the saved settings at
// the next send, and records a clear failure while WeCom is not
// configured.
func TestServiceAsInboxSender(t *testing.T) {
	clk := &clock{t: time.Date(2026, 10, 2, 22, 30, 0, 0, calendar.Shanghai)} // 国庆, at night
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		lawyer := addUser(t, db, "zhang", model.RoleLawyer, "zhangsan")
		// Without settings: the auto-reply is recorded as failed, with the
		// connector's Chinese reason, and nothing is sent.
		bare, err := wecom.NewService(wecom.ServiceConfig{DB: db, DataDir: t.TempDir(), Now: clk.now})
		if err != nil {
			t.Fatal(err)
		}
		box := inbox.New(inbox.Config{DB: db, Schedule: schedule.New(db, clk.now), Now: clk.now, Sender: bare, Directory: bare})
		if err := box.SetKFAccount(ctx, nil, "wkZhang", "张律师客服", lawyer.ID); err != nil {
			t.Fatal(err)
		}
		rec, err := box.Receive(ctx, model.InboundMessage{Channel: model.ChannelKF, OpenKFID: "wkZhang", ExternalUserID: "wmB",
			MsgID: "m2", SentAt: clk.now(), Kind: "text", Text: "您好"})
		if err != nil {
			t.Fatal(err)
		}
		if rec.AutoReply != model.SendFailed {
			t.Fatalf("auto-reply without settings: %q", rec.AutoReply)
		}
		msgs, err := db.InboxMessages(ctx, rec.Conversation.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := msgs[len(msgs)-1]
		if last.Direction != model.DirectionOut || last.Status != model.SendFailed || last.Error != wecom.ErrNotConfigured.Error() {
			t.Fatalf("recorded reply: %+v", last)
		}
		if err := bare.SendAppText(ctx, []string{"zhangsan"}, "x"); !errors.Is(err, wecom.ErrNotConfigured) {
			t.Fatalf("app message without settings: %v", err)
		}
		f := newFixture(t, db, clk)
		gone := addUser(t, db, "old", model.RoleLawyer, "oldhand")
		gone.Disabled = true
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.UpdateUser(ctx, gone) }); err != nil {
			t.Fatal(err)
		}

		// The directory.
		if id, ok := f.svc.WeComUserID(ctx, lawyer.ID); !ok || id != "zhangsan" {
			t.Fatalf("WeComUserID(lawyer) = %q, %v", id, ok)
		}
		if id, ok := f.svc.WeComUserID(ctx, gone.ID); ok {
			t.Fatalf("a disabled member still has WeCom id %q", id)
		}
		frozen := addUser(t, db, "lost", model.RoleLawyer, "lostphone")
		if err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.SetUserFrozen(ctx, frozen.ID, clk.now(), "cli")
		}); err != nil {
			t.Fatal(err)
		}
		if id, ok := f.svc.WeComUserID(ctx, frozen.ID); ok {
			t.Fatalf("a frozen member (phone maybe lost) still has WeCom id %q", id)
		}
		if id, ok := f.svc.UserIDByWeCom(ctx, "zhangsan"); !ok || id != lawyer.ID {
			t.Fatalf("UserIDByWeCom(zhangsan) = %d, %v", id, ok)
		}
		if _, ok := f.svc.UserIDByWeCom(ctx, "nobody"); ok {
			t.Fatal("an unknown WeCom userid maps to a user")
		}

		box = inbox.New(inbox.Config{DB: db, Schedule: schedule.New(db, clk.now), Now: clk.now,
			Sender: f.svc, Directory: f.svc})
		if _, err := box.SetDND(ctx, nil, lawyer.ID, "22:00-08:00"); err != nil {
			t.Fatal(err)
		}
		rec, err = box.Receive(ctx, model.InboundMessage{Channel: model.ChannelKF, OpenKFID: "wkZhang", ExternalUserID: "wmA",
			MsgID: "m1", SentAt: clk.now(), Kind: "text", Text: "法院说明天开庭，请尽快联系我"})
		if err != nil {
			t.Fatal(err)
		}
		if rec.AutoReply != model.SendSent || rec.Urgent != "开庭" || !rec.DND {
			t.Fatalf("received: %+v", rec)
		}
		sent := f.fake.Sent()
		if len(sent) != 2 || sent[0].API != "kf" || sent[0].To != "wmA" || sent[0].OpenKFID != "wkZhang" ||
			!strings.Contains(sent[0].Text, "将于2026年10月8日（周四）09:00前回复您") ||
			sent[1].API != "app" || sent[1].To != "zhangsan" || !strings.Contains(sent[1].Text, "【律信·紧急】") {
			t.Fatalf("sent: %+v", sent)
		}

		// New settings (another API host) apply to the next send.
		other := wecomtest.New(testCorp, "s3cret")
		t.Cleanup(other.Close)
		if _, err := f.svc.SaveSettings(ctx, f.admin, wecom.SettingsInput{CorpID: testCorp, AgentID: "1000002",
			Token: testToken, EncodingAESKey: testAESKey, BaseURL: other.URL}, "127.0.0.1"); err != nil {
			t.Fatal(err)
		}
		clk.advance(time.Minute)
		if _, err := box.Reply(ctx, &auth.Principal{User: lawyer}, rec.Conversation.ID, "收到，我明早联系您。"); err != nil {
			t.Fatal(err)
		}
		if got := other.Sent(); len(got) != 1 || got[0].API != "kf" || got[0].Text != "收到，我明早联系您。" {
			t.Fatalf("after the settings change the new host got %+v", got)
		}
		if n := len(f.fake.Sent()); n != 2 {
			t.Fatalf("the old host got %d messages after the change", n)
		}

		if err := f.svc.SendAppText(ctx, nil, "x"); !errors.Is(err, wecom.ErrNoWeComAccount) {
			t.Fatalf("app message to nobody: %v", err)
		}
	})
}
