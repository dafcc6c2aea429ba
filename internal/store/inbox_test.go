package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func TestInboxConversationsAndMessages(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		users := addUsers(t, db, "zhang")
		sent := time.Date(2026, 10, 3, 7, 0, 0, 0, time.UTC)
		var conv *model.InboxConversation
		err := db.Update(ctx, func(tx *store.Tx) (err error) {
			if err := tx.SetKFAccount(ctx, &model.KFAccount{OpenKFID: "kf1", Name: "客服", LawyerID: users[0]}); err != nil {
				return err
			}
			conv, err = tx.EnsureInboxConversation(ctx, &model.InboxConversation{Channel: "kf", OpenKFID: "kf1", ExternalUserID: "wm1", LawyerID: users[0]})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if id, err := db.KFAccountLawyer(ctx, "kf1"); err != nil || id != users[0] {
			t.Fatalf("kf lawyer = %d, %v", id, err)
		}
		add := func(msgID string) error {
			return db.Update(ctx, func(tx *store.Tx) error {
				if err := tx.AddInboxMessage(ctx, &model.InboxMessage{ConversationID: conv.ID, Direction: "in", MsgID: msgID, Kind: "text",
					Text: "你好 " + msgID, SentAt: sent}); err != nil {
					return err
				}
				return tx.SetInboxWaiting(ctx, conv.ID, sent)
			})
		}
		if err := add("m1"); err != nil {
			t.Fatal(err)
		}
		// A retried MsgId is refused and leaves the transaction usable (on
		// PostgreSQL a failed INSERT would abort it).
		if err := add("m1"); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate: %v", err)
		}
		if err := add("m2"); err != nil {
			t.Fatal(err)
		}
		got, err := db.InboxConversationByID(ctx, conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Unread != 2 || got.LastText != "你好 m2" || !got.WaitingSince.Equal(sent) {
			t.Fatalf("conversation = %+v", got)
		}
		// The auto-reply of one period is claimed once.
		period := time.Date(2026, 10, 8, 1, 0, 0, 0, time.UTC)
		for i, want := range []bool{true, false} {
			var ok bool
			if err := db.Update(ctx, func(tx *store.Tx) (err error) { ok, err = tx.ClaimAutoReply(ctx, conv.ID, period); return err }); err != nil {
				t.Fatal(err)
			}
			if ok != want {
				t.Fatalf("claim %d = %v", i, ok)
			}
		}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			return tx.AnswerInbox(ctx, &model.InboxResponse{ConversationID: conv.ID, LawyerID: users[0], AskedAt: sent,
				AnsweredAt: sent.Add(time.Hour), WorkingMinutes: 42})
		}); err != nil {
			t.Fatal(err)
		}
		resps, err := db.InboxResponses(ctx, users[0], sent, sent.Add(2*time.Hour))
		if err != nil || len(resps) != 1 || resps[0].WorkingMinutes != 42 {
			t.Fatalf("responses = %+v, %v", resps, err)
		}
		got, _ = db.InboxConversationByID(ctx, conv.ID)
		if !got.WaitingSince.IsZero() || !got.AutoReplyPeriod.Equal(period) {
			t.Fatalf("after answering: %+v", got)
		}
		msgs, err := db.InboxMessages(ctx, conv.ID)
		if err != nil || len(msgs) != 2 {
			t.Fatalf("messages = %d, %v", len(msgs), err)
		}
		list, err := db.FindInboxConversations(ctx, store.InboxFilter{Narrow: true, LawyerID: users[0] + 1})
		if err != nil || len(list) != 0 {
			t.Fatalf("narrowed to another lawyer: %d, %v", len(list), err)
		}
	})
}

func TestCaseGroupsStore(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		users := addUsers(t, db, "zhang")
		g := &model.CaseGroup{ChatID: "wr1", Name: "群", Members: []model.CaseGroupMember{
			{MemberID: "a", Type: "staff", Name: "甲"}, {MemberID: "b", Type: "external", Name: "乙"}}}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.UpsertCaseGroup(ctx, g) }); err != nil {
			t.Fatal(err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.KeepCaseGroupMember(ctx, g.ID, "b") }); err != nil {
			t.Fatal(err)
		}
		// A re-sync keeps the kept mark of a member still present.
		again := &model.CaseGroup{ChatID: "wr1", Name: "新群名", Members: []model.CaseGroupMember{
			{MemberID: "b", Type: "external", Name: "乙"}, {MemberID: "c", Type: "external", Name: "丙"}}}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.UpsertCaseGroup(ctx, again) }); err != nil {
			t.Fatal(err)
		}
		got, err := db.CaseGroupByID(ctx, g.ID)
		if err != nil || again.ID != g.ID || got.Name != "新群名" || len(got.Members) != 2 {
			t.Fatalf("group = %+v, %v", got, err)
		}
		for _, m := range got.Members {
			if m.Kept != (m.MemberID == "b") {
				t.Fatalf("member %+v", m)
			}
		}
		n := &model.GroupNotice{GroupID: g.ID, Title: "通知", Body: "内容", Token: "tok0123456789abcdefghi", CreatedBy: users[0]}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateGroupNotice(ctx, n) }); err != nil {
			t.Fatal(err)
		}
		for i, want := range []bool{true, false} {
			var first bool
			if err := db.Update(ctx, func(tx *store.Tx) (err error) {
				first, err = tx.ConfirmGroupNotice(ctx, n.ID, "张三", "192.0.2.1")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if first != want {
				t.Fatalf("confirm %d = %v", i, first)
			}
		}
		byTok, err := db.GroupNoticeByToken(ctx, n.Token)
		if err != nil || len(byTok.Reads) != 1 || byTok.Reads[0].Name != "张三" {
			t.Fatalf("notice = %+v, %v", byTok, err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.DismissCaseGroup(ctx, "wr1", time.Now()) }); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.CaseGroupByChatID(ctx, "wr1"); got.DismissedAt.IsZero() {
			t.Fatal("not dismissed")
		}
	})
}
