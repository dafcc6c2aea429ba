package notify

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

type recordingPusher struct {
	got  []model.Notification
	fail error
}

func (p *recordingPusher) Push(_ context.Context, u *model.User, n model.Notification) error {
	if p.fail != nil {
		return p.fail
	}
	if u.Username == "nophone" {
		return ErrNoChannel
	}
	p.got = append(p.got, n)
	return nil
}

func mkUser(t *testing.T, db *store.DB, name string, role model.Role) *model.User {
	t.Helper()
	ctx := context.Background()
	u := &model.User{Username: name, DisplayName: name, Role: role, PasswordHash: "h"}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestNotificationCentre(t *testing.T) {
	now := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		lawyer := mkUser(t, db, "lawyer", model.RoleLawyer)
		other := mkUser(t, db, "other", model.RoleLawyer)
		admin1 := mkUser(t, db, "admin1", model.RoleAdmin)
		admin2 := mkUser(t, db, "nophone", model.RoleAdmin)
		s := New(db, clock)

		if err := s.Post(ctx, model.Notification{UserID: lawyer.ID, Kind: model.NotifyDeadlineDue}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("a notification without a title: %v, want ErrInvalid", err)
		}
		for i, title := range []string{"期限今日到期：上诉期", "期限明日到期：举证期限"} {
			n := model.Notification{UserID: lawyer.ID, Kind: model.NotifyDeadlineDue, Title: title, Link: "/deadlines", DedupKey: "d" + string(rune('0'+i))}
			if err := s.Post(ctx, n); err != nil {
				t.Fatal(err)
			}
			// A periodic job posting the same thing again adds nothing.
			if err := s.Post(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.PostToAdmins(ctx, model.Notification{Kind: model.NotifySecurity, Title: "用户 lawyer 已紧急冻结"}); err != nil {
			t.Fatal(err)
		}

		unread := func(u *model.User) int {
			n, err := s.Unread(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if got := []int{unread(lawyer), unread(other), unread(admin1), unread(admin2)}; got[0] != 2 || got[1] != 0 || got[2] != 1 || got[3] != 1 {
			t.Fatalf("unread counts %v, want [2 0 1 1]", got)
		}
		list, err := s.List(ctx, lawyer, store.NotificationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Title != "期限明日到期：举证期限" || !list[0].CreatedAt.Equal(now) {
			t.Fatalf("list %+v: want the two, newest first", list)
		}

		// Nobody marks another user's notification read.
		if err := s.MarkRead(ctx, other.ID, list[0].ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other user marking lawyer's notification: %v, want ErrNotFound", err)
		}
		if err := s.MarkRead(ctx, lawyer.ID, list[0].ID); err != nil {
			t.Fatal(err)
		}
		if n := unread(lawyer); n != 1 {
			t.Fatalf("unread after marking one: %d", n)
		}
		if err := s.MarkRead(ctx, lawyer.ID, 0); err != nil {
			t.Fatal(err)
		}
		if n := unread(lawyer); n != 0 {
			t.Fatalf("unread after marking all: %d", n)
		}

		// The outbox: a failing push keeps everything pending; then each
		// is pushed once; users without a channel are skipped, not retried.
		p := &recordingPusher{fail: errors.New("network down")}
		s.SetPusher(p)
		if _, err := s.PushPending(ctx, 100); err == nil {
			t.Fatal("a failed push reported no error")
		}
		p.fail = nil
		pushed, err := s.PushPending(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		if pushed != 3 || len(p.got) != 3 {
			t.Fatalf("pushed %d (%d recorded), want 3 (the nophone admin has no channel)", pushed, len(p.got))
		}
		if again, err := s.PushPending(ctx, 100); err != nil || again != 0 {
			t.Fatalf("second round pushed %d, %v; want 0", again, err)
		}

		// A notification its workflow already delivered to the phone (the
		// inbox's urgent app message) is posted as pushed: the bell shows
		// it, the pusher does not send it again.
		if err := s.Post(ctx, model.Notification{UserID: lawyer.ID, Kind: model.NotifyUrgentMessage, Title: "紧急客户消息（开庭）：赵六",
			PushedAt: now}); err != nil {
			t.Fatal(err)
		}
		if n := unread(lawyer); n != 1 {
			t.Fatalf("unread after the urgent notification: %d, want 1", n)
		}
		if again, err := s.PushPending(ctx, 100); err != nil || again != 0 || len(p.got) != 3 {
			t.Fatalf("an already delivered notification was pushed again: %d, %v (%d recorded)", again, err, len(p.got))
		}
	})
}

func TestUnreadCountIsBounded(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mkUser(t, db, "busy", model.RoleLawyer)
		s := New(db, nil)
		err := db.Update(ctx, func(tx *store.Tx) error {
			for i := 0; i < BellLimit+20; i++ {
				if err := s.PostTx(ctx, tx, model.Notification{UserID: u.ID, Kind: model.NotifyInboxMessage, Title: "新消息"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := s.Unread(ctx, u.ID); err != nil || n != BellLimit {
			t.Fatalf("unread = %d, %v; want the bell's limit %d", n, err, BellLimit)
		}
	})
}

// A notification about a matter is shown only while its user may see the
// matter: taken off the matter, the user no longer reads its title.
func TestNotificationsFollowMatterAccess(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		lead := mkUser(t, db, "lead", model.RoleLawyer)
		assist := mkUser(t, db, "assist", model.RoleAssistant)
		m := &model.Matter{Title: "张某诉李某借款纠纷", Type: model.MatterCivil, Status: model.MatterInProgress,
			LeadLawyerID: lead.ID, AssistantIDs: []int64{assist.ID}}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateMatter(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		s := New(db, nil)
		if err := s.Post(ctx, model.Notification{UserID: assist.ID, Kind: model.NotifyAssigned,
			Title: "已将案件“张某诉李某借款纠纷”分配给您", MatterID: m.ID, Link: "/matters/1"}); err != nil {
			t.Fatal(err)
		}
		if list, err := s.List(ctx, assist, store.NotificationFilter{}); err != nil || len(list) != 1 {
			t.Fatalf("assistant on the matter: %d notifications, %v; want 1", len(list), err)
		}
		m.AssistantIDs = nil
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.UpdateMatter(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		list, err := s.List(ctx, assist, store.NotificationFilter{})
		if err != nil || len(list) != 0 {
			t.Fatalf("assistant taken off the matter still reads %d notifications (%v)", len(list), err)
		}
		if n, _ := s.Unread(ctx, assist.ID); n != 0 {
			t.Fatalf("the bell still counts %d hidden notifications", n)
		}
	})
}
