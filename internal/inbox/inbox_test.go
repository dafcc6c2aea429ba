package inbox_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/inbox"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/notify"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// The scenario on the real 2026 calendar: 国庆节 2026 is 10-01 to
// 10-07 off, with Saturday 10-10 an adjusted working day (调休上班).
func TestOffHoursAutoReplyOnTheRealCalendar(t *testing.T) {
	c := &clock{}
	storetest.Each(t, c.now, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, c)
		ctx := context.Background()

		// A statutory holiday: exactly one auto-reply, promising the day
		// after the holiday block (Thursday 10-08, 09:00).
		rec := f.message(t, at(2026, 10, 3, 15, 0), "m1", "您好，想咨询一下合同的问题")
		if rec.AutoReply != model.SendSent {
			t.Fatalf("auto-reply status = %q, want sent", rec.AutoReply)
		}
		kf := f.sender.of("kf")
		if len(kf) != 1 {
			t.Fatalf("kf messages = %d, want 1: %+v", len(kf), kf)
		}
		want := "将于2026年10月8日（周四）09:00前回复您"
		if !strings.Contains(kf[0].Text, want) || !strings.Contains(kf[0].Text, "138-0013-8000") ||
			!strings.Contains(kf[0].Text, "工作日 09:00-18:00") {
			t.Fatalf("auto-reply = %q, want it to contain %q, the phone and the hours", kf[0].Text, want)
		}
		if kf[0].To != "wmClient0001" || kf[0].Via != "kf-zhang" {
			t.Fatalf("auto-reply went to %s via %s", kf[0].To, kf[0].Via)
		}

		// A second message in the same off-hours period: none.
		if rec := f.message(t, at(2026, 10, 5, 22, 10), "m2", "在吗？"); rec.AutoReply != "" {
			t.Fatalf("second message in the period got an auto-reply (%s)", rec.AutoReply)
		}
		// A retried delivery of the first message changes nothing.
		if rec := f.message(t, at(2026, 10, 5, 22, 11), "m1", "您好，想咨询一下合同的问题"); !rec.Duplicate {
			t.Fatal("a repeated MsgId was not recognised as a retry")
		}
		if n := len(f.sender.of("kf")); n != 1 {
			t.Fatalf("kf messages after the second message = %d, want 1", n)
		}

		// Friday evening after the holiday: the next period is the
		// adjusted working Saturday 10-10, a new period, a new reply.
		f.message(t, at(2026, 10, 9, 19, 30), "m3", "周末能看一下吗")
		kf = f.sender.of("kf")
		if len(kf) != 2 || !strings.Contains(kf[1].Text, "2026年10月10日（周六）09:00") {
			t.Fatalf("after Friday evening: %+v", kf)
		}
		// Inside working hours on that Saturday: no auto-reply.
		f.message(t, at(2026, 10, 10, 10, 0), "m4", "收到")
		if n := len(f.sender.of("kf")); n != 2 {
			t.Fatalf("a message in working hours got an auto-reply (%d kf messages)", n)
		}

		// The conversation holds 4 incoming and 2 automatic messages.
		list, err := f.svc.Conversations(ctx, principal(f.lawyer), 0, 0)
		if err != nil || len(list) != 1 {
			t.Fatalf("conversations = %v, %v", list, err)
		}
		th, err := f.svc.Conversation(ctx, principal(f.lawyer), list[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		var in, auto int
		for _, m := range th.Messages {
			if m.Direction == model.DirectionIn {
				in++
			} else if m.Auto == model.AutoOffHours {
				auto++
			}
		}
		if in != 4 || auto != 2 {
			t.Fatalf("messages: %d in, %d auto; want 4 and 2", in, auto)
		}

		// Lawyer replies Saturday 10:20: first response measured from the
		// first unanswered message (10-03 15:00) in working minutes only:
		// 10-08 and 10-09 full days (2 × 540) + 10-10 09:00–10:20 (80).
		c.set(at(2026, 10, 10, 10, 20))
		out, err := f.svc.Reply(ctx, principal(f.lawyer), list[0].ID, "您好，我是张律师，请讲。")
		if err != nil || out.Status != model.SendSent {
			t.Fatalf("reply: %+v %v", out, err)
		}
		rep, err := f.svc.Report(ctx, principal(f.lawyer), calendar.MustDate(2026, 10, 10))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Rows) != 1 || rep.Rows[0].Answered != 1 || rep.Rows[0].Median != 2*540+80 || rep.Rows[0].WithinTarget != 0 {
			t.Fatalf("report = %+v", rep.Rows)
		}
	})
}

func TestUrgentKeywordDuringDNDSendsAppMessage(t *testing.T) {
	c := &clock{}
	storetest.Each(t, c.now, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, c)
		ctx := context.Background()
		if _, err := f.svc.SetDND(ctx, principal(f.lawyer), f.lawyer.ID, "22:00-08:00"); err != nil {
			t.Fatal(err)
		}
		// 23:30 on a working Monday, in the DND window, no keyword: a
		// silent delivery (the auto-reply still goes to the client).
		rec := f.message(t, at(2026, 11, 2, 23, 30), "d1", "明天聊")
		if !rec.DND || rec.Urgent != "" {
			t.Fatalf("rec = %+v", rec)
		}
		if len(f.sender.of("app")) != 0 || len(f.notes.kinds()) != 0 {
			t.Fatalf("a non-urgent message during DND notified: app %v, notes %v", f.sender.of("app"), f.notes.kinds())
		}
		// An urgent keyword during DND: an app message to the lawyer and
		// an urgent notification.
		rec = f.message(t, at(2026, 11, 2, 23, 45), "d2", "法院刚通知明天上午开庭，怎么办")
		if rec.Urgent != "开庭" {
			t.Fatalf("urgent = %q", rec.Urgent)
		}
		app := f.sender.of("app")
		if len(app) != 1 || app[0].To != "zhangsan" || !strings.Contains(app[0].Text, "开庭") {
			t.Fatalf("app messages = %+v", app)
		}
		if got := f.notes.kinds(); !slices.Equal(got, []string{model.NotifyUrgentMessage}) {
			t.Fatalf("notifications = %v", got)
		}
		// The app message already reached the phone: the notification is
		// posted as pushed, so the centre's pusher does not repeat it.
		if pushed := f.notes.posts[0].PushedAt; !pushed.Equal(at(2026, 11, 2, 23, 45)) {
			t.Fatalf("urgent notification PushedAt = %v, want the send time", pushed)
		}
		// Outside DND, in working hours: an ordinary notification, left
		// to the pusher.
		f.message(t, at(2026, 11, 3, 10, 0), "d3", "好的")
		if got := f.notes.kinds(); !slices.Equal(got, []string{model.NotifyUrgentMessage, model.NotifyInboxMessage}) {
			t.Fatalf("notifications = %v", got)
		}
		if pushed := f.notes.posts[1].PushedAt; !pushed.IsZero() {
			t.Fatalf("ordinary notification PushedAt = %v, want zero", pushed)
		}
	})
}

func TestPausedLawyerSendsNothing(t *testing.T) {
	c := &clock{}
	storetest.Each(t, c.now, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, c)
		ctx := context.Background()
		f.paused[f.lawyer.ID] = true
		rec := f.message(t, at(2026, 11, 1, 12, 0), "p1", "周日打扰了") // a Sunday
		if rec.AutoReply != model.SendPaused || len(f.sender.of("kf")) != 0 {
			t.Fatalf("frozen lawyer: status %q, kf %v", rec.AutoReply, f.sender.of("kf"))
		}
		out, err := f.svc.Reply(ctx, principal(f.lawyer), rec.Conversation.ID, "回复")
		if err != nil || out.Status != model.SendPaused || !strings.Contains(out.Error, "已暂停") {
			t.Fatalf("reply while frozen: %+v %v", out, err)
		}
		if len(f.sender.of("kf")) != 0 {
			t.Fatal("a frozen lawyer's reply was sent")
		}
		// The welcome message is held back too, and recorded.
		if err := f.svc.ContactEvent(ctx, model.ContactEvent{Change: "add_external_contact", StaffUserID: "zhangsan",
			ExternalUserID: "wmNew", WelcomeCode: "W1"}); err != nil {
			t.Fatal(err)
		}
		ws, _ := f.svc.Welcomes(ctx)
		if len(ws) != 1 || ws[0].Status != model.SendPaused || len(f.sender.of("welcome")) != 0 {
			t.Fatalf("welcomes = %+v", ws)
		}
	})
}

func TestWelcomeOnceWithServiceHours(t *testing.T) {
	c := &clock{t: at(2026, 11, 2, 10, 0)}
	storetest.Each(t, c.now, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, c)
		ctx := context.Background()
		if _, err := f.sched.SetPolicy(ctx, principal(f.lawyer), f.lawyer.ID, "08:30", "17:30"); err != nil {
			t.Fatal(err)
		}
		ev := model.ContactEvent{Change: "add_external_contact", StaffUserID: "zhangsan", ExternalUserID: "wmNew", WelcomeCode: "W1"}
		for range 2 { // WeCom retries the event
			if err := f.svc.ContactEvent(ctx, ev); err != nil {
				t.Fatal(err)
			}
		}
		w := f.sender.of("welcome")
		if len(w) != 1 || w[0].To != "W1" || !strings.Contains(w[0].Text, "工作日 08:30-17:30") || !strings.Contains(w[0].Text, "张律师") {
			t.Fatalf("welcome = %+v", w)
		}
		// A client entering the kf session: the kf welcome, once; the
		// event is not a message of the conversation.
		for range 2 {
			if err := f.svc.Message(ctx, model.InboundMessage{Channel: model.ChannelKF, OpenKFID: "kf-zhang", ExternalUserID: "wmNew",
				Kind: model.InboundEvent, Text: "enter_session", WelcomeCode: "KF-W2"}); err != nil {
				t.Fatal(err)
			}
		}
		kw := f.sender.of("kfwelcome")
		if len(kw) != 1 || kw[0].To != "KF-W2" || !strings.Contains(kw[0].Text, "工作日 08:30-17:30") {
			t.Fatalf("kf welcome = %+v", kw)
		}
		if list, _ := f.svc.Conversations(ctx, nil, 0, 0); len(list) != 0 {
			t.Fatalf("an event made a conversation: %+v", list)
		}
	})
}

func TestConversationAccess(t *testing.T) {
	c := &clock{t: at(2026, 11, 2, 10, 0)}
	storetest.Each(t, c.now, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, c)
		ctx := context.Background()
		rec := f.message(t, at(2026, 11, 2, 10, 0), "a1", "你好")
		id := rec.Conversation.ID
		// Unlinked: its lawyer and admins; not another lawyer, not an assistant.
		for _, u := range []*model.User{f.lawyer, f.admin} {
			if _, err := f.svc.Conversation(ctx, principal(u), id); err != nil {
				t.Fatalf("%s: %v", u.Username, err)
			}
		}
		for _, u := range []*model.User{f.other, f.asst} {
			if _, err := f.svc.Conversation(ctx, principal(u), id); !errors.Is(err, access.ErrHidden) {
				t.Fatalf("%s opened another lawyer's conversation: %v", u.Username, err)
			}
			if _, err := f.svc.Reply(ctx, principal(u), id, "x"); !errors.Is(err, access.ErrHidden) {
				t.Fatalf("%s replied to another lawyer's conversation: %v", u.Username, err)
			}
			if list, _ := f.svc.Conversations(ctx, principal(u), 0, 0); len(list) != 0 {
				t.Fatalf("%s lists %d conversations", u.Username, len(list))
			}
		}
		// Linked to li's matter, which the assistant is not on: li sees it,
		// zhang (the kf lawyer) no longer does, the assistant does not.
		m := &model.Matter{Title: "买卖合同纠纷", Type: model.MatterCivil, Status: model.MatterEngaged, LeadLawyerID: f.other.ID}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateMatter(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.LinkMatter(ctx, principal(f.admin), id, m.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Conversation(ctx, principal(f.other), id); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*model.User{f.lawyer, f.asst} {
			if _, err := f.svc.Conversation(ctx, principal(u), id); !errors.Is(err, access.ErrHidden) {
				t.Fatalf("%s: %v", u.Username, err)
			}
		}
		// Every refusal is in the audit log.
		evs, err := db.FindAudit(ctx, store.AuditFilter{Action: "inbox.view.denied"})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) < 4 {
			t.Fatalf("denied views audited: %d", len(evs))
		}
	})
}

func TestWorkingMinutes(t *testing.T) {
	cal := calendar.Default()
	pol := calendar.DefaultPolicy()
	cases := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"same morning", at(2026, 11, 2, 9, 10), at(2026, 11, 2, 9, 40), 30},
		{"evening to next morning", at(2026, 11, 2, 17, 50), at(2026, 11, 3, 9, 15), 25},
		{"over a weekend", at(2026, 10, 30, 17, 0), at(2026, 11, 2, 10, 0), 120},
		{"across the national day block", at(2026, 9, 30, 17, 50), at(2026, 10, 8, 9, 15), 25},
		{"adjusted Saturday counts", at(2026, 10, 9, 17, 30), at(2026, 10, 10, 9, 30), 60},
		{"all off hours", at(2026, 10, 3, 9, 0), at(2026, 10, 5, 18, 0), 0},
		{"backwards", at(2026, 11, 3, 9, 0), at(2026, 11, 2, 9, 0), 0},
	}
	for _, c := range cases {
		if got := inbox.WorkingMinutes(pol, cal, c.from, c.to); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

// With the real notification centre: an urgent message lands in the
// lawyer's bell, a conversation of no lawyer in every admin's.
func TestNotificationsReachTheCentre(t *testing.T) {
	c := &clock{t: at(2026, 11, 2, 10, 0)}
	storetest.Each(t, c.now, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, c)
		ctx := context.Background()
		notes := notify.New(db, c.now)
		f.svc.SetNotifier(notes)
		f.message(t, at(2026, 11, 2, 10, 0), "n1", "明天要保全，紧急")
		if n, err := notes.Unread(ctx, f.lawyer.ID); err != nil || n != 1 {
			t.Fatalf("lawyer's unread = %d, %v", n, err)
		}
		list, err := notes.List(ctx, f.lawyer, store.NotificationFilter{})
		if err != nil || len(list) != 1 || list[0].Kind != model.NotifyUrgentMessage || !strings.HasPrefix(list[0].Link, "/inbox/") {
			t.Fatalf("notifications = %+v, %v", list, err)
		}
		if _, err := f.svc.Receive(ctx, model.InboundMessage{Channel: model.ChannelKF, OpenKFID: "kf-unmapped",
			ExternalUserID: "wmX", MsgID: "n2", SentAt: c.now(), Text: "你好"}); err != nil {
			t.Fatal(err)
		}
		if n, _ := notes.Unread(ctx, f.admin.ID); n != 1 {
			t.Fatalf("admin's unread = %d", n)
		}
		if n, _ := notes.Unread(ctx, f.other.ID); n != 0 {
			t.Fatalf("another lawyer was notified (%d)", n)
		}
	})
}
