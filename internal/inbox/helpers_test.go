package inbox_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/inbox"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
)

// sent is one call a recordingSender received.
type sent struct {
	Kind   string // "kf", "app", "welcome"
	To     string // external user, joined userids or welcome code
	Via    string // the kf account
	Text   string
	AtTime time.Time
}

// recordingSender stands in for WeCom (the boundary to an outside
// service): it records every call.
type recordingSender struct {
	mu    sync.Mutex
	calls []sent
	now   func() time.Time
	fail  error
}

func (r *recordingSender) add(s sent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	s.AtTime = r.now()
	r.calls = append(r.calls, s)
	return r.fail
}

func (r *recordingSender) SendKFText(_ context.Context, openKFID, externalUserID, text string) error {
	return r.add(sent{Kind: "kf", To: externalUserID, Via: openKFID, Text: text})
}

func (r *recordingSender) SendAppText(_ context.Context, ids []string, text string) error {
	to := ""
	for i, id := range ids {
		if i > 0 {
			to += "|"
		}
		to += id
	}
	return r.add(sent{Kind: "app", To: to, Text: text})
}

func (r *recordingSender) SendWelcome(_ context.Context, code, text string) error {
	return r.add(sent{Kind: "welcome", To: code, Text: text})
}

func (r *recordingSender) SendKFWelcome(_ context.Context, code, text string) error {
	return r.add(sent{Kind: "kfwelcome", To: code, Text: text})
}

func (r *recordingSender) of(kind string) []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []sent
	for _, c := range r.calls {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	return out
}

// recordingNotifier stands in for the notification centre.
type recordingNotifier struct {
	mu    sync.Mutex
	posts []model.Notification
}

func (n *recordingNotifier) Post(_ context.Context, x model.Notification) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.posts = append(n.posts, x)
	return nil
}

func (n *recordingNotifier) PostToAdmins(_ context.Context, x model.Notification) error {
	x.UserID = -1
	return n.Post(context.Background(), x)
}

func (n *recordingNotifier) kinds() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []string
	for _, p := range n.posts {
		out = append(out, p.Kind)
	}
	return out
}

// directory maps users to WeCom userids.
type directory map[int64]string

func (d directory) WeComUserID(_ context.Context, id int64) (string, bool) {
	v, ok := d[id]
	return v, ok
}

func (d directory) UserIDByWeCom(_ context.Context, w string) (int64, bool) {
	for id, v := range d {
		if v == w {
			return id, true
		}
	}
	return 0, false
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// at is a wall-clock time in Asia/Shanghai.
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, calendar.Shanghai)
}

type fixture struct {
	db       *store.DB
	svc      *inbox.Service
	sender   *recordingSender
	notes    *recordingNotifier
	clock    *clock
	paused   map[int64]bool
	lawyer   *model.User
	other    *model.User
	admin    *model.User
	asst     *model.User
	sched    *schedule.Service
	pausedMu sync.Mutex
}

func user(t *testing.T, db *store.DB, name string, role model.Role) *model.User {
	t.Helper()
	ctx := context.Background()
	u := &model.User{Username: name, DisplayName: name, Role: role, PasswordHash: "h"}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
		t.Fatal(err)
	}
	return u
}

func principal(u *model.User) *auth.Principal { return &auth.Principal{User: u} }

// newFixture builds the service on db with the real calendar (the
// embedded holiday years), a recording WeCom and a settable clock; the
// lawyer "zhang" owns kf account kf-zhang and has a phone in her profile.
func newFixture(t *testing.T, db *store.DB, c *clock) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db, clock: c, paused: map[int64]bool{}}
	f.lawyer = user(t, db, "zhang", model.RoleLawyer)
	f.other = user(t, db, "li", model.RoleLawyer)
	f.admin = user(t, db, "boss", model.RoleAdmin)
	f.asst = user(t, db, "xiao", model.RoleAssistant)
	f.sender = &recordingSender{now: c.now}
	f.notes = &recordingNotifier{}
	f.sched = schedule.New(db, c.now)
	dir := directory{f.lawyer.ID: "zhangsan", f.other.ID: "lisi"}
	f.svc = inbox.New(inbox.Config{DB: db, Schedule: f.sched, Sender: f.sender, Notify: f.notes,
		Directory: inbox.DirectoryFuncs{WeComUserIDFunc: dir.WeComUserID, UserIDByWeComFunc: dir.UserIDByWeCom}, Now: c.now,
		Paused: func(_ context.Context, id int64) bool {
			f.pausedMu.Lock()
			defer f.pausedMu.Unlock()
			return f.paused[id]
		}})
	if err := f.svc.SetKFAccount(ctx, nil, "kf-zhang", "张律师客服", f.lawyer.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *store.Tx) error {
		return tx.SaveLawyerProfile(ctx, &model.LawyerProfile{UserID: f.lawyer.ID, Name: "张律师", Phone: "138-0013-8000"})
	}); err != nil {
		t.Fatal(err)
	}
	return f
}

// message receives a client message sent now (the clock is set to at).
func (f *fixture) message(t *testing.T, when time.Time, msgID, text string) inbox.Received {
	t.Helper()
	f.clock.set(when)
	rec, err := f.svc.Receive(context.Background(), model.InboundMessage{Channel: model.ChannelSimulator, OpenKFID: "kf-zhang",
		ExternalUserID: "wmClient0001", MsgID: msgID, SentAt: when, Kind: "text", Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}
