package safety_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/safety"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

const goodPassword = "correct horse battery"

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func client() auth.Client { return auth.Client{IP: "10.0.0.9", UserAgent: "test"} }

type fixture struct {
	auth          *auth.Service
	svc           *safety.Service
	admin, lawyer *model.User
	other         *model.User
}

func setup(t *testing.T, db *store.DB, c *clock) fixture {
	t.Helper()
	ctx := context.Background()
	a := auth.New(db, c.now)
	var f fixture
	f.auth, f.svc = a, safety.New(db, c.now)
	var err error
	for _, u := range []struct {
		p    **model.User
		name string
		role model.Role
	}{{&f.admin, "admin", model.RoleAdmin}, {&f.lawyer, "zhang", model.RoleLawyer}, {&f.other, "li", model.RoleLawyer}} {
		*u.p, err = a.CreateUser(ctx, nil, auth.NewUser{Username: u.name, DisplayName: u.name, Role: u.role, Password: goodPassword}, client())
		if err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func login(t *testing.T, a *auth.Service, name string) (string, *auth.Principal) {
	t.Helper()
	res, err := a.Login(context.Background(), name, goodPassword, client())
	if err != nil {
		t.Fatalf("login %s: %v", name, err)
	}
	p, err := a.Authenticate(context.Background(), res.Token, client())
	if err != nil {
		t.Fatal(err)
	}
	return res.Token, p
}

func TestFreezeRevokesEverythingUntilAdminUnfreezes(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := &clock{time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)}
		f := setup(t, db, c)
		phone, _ := login(t, f.auth, "zhang")
		laptop, me := login(t, f.auth, "zhang")
		otherTok, otherP := login(t, f.auth, "li")
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetCalendarFeed(ctx, f.lawyer.ID, "feedhash", "") }); err != nil {
			t.Fatal(err)
		}
		var revoked []int64
		f.svc.Revokers = []safety.Revoker{func(ctx context.Context, userID int64) error {
			revoked = append(revoked, userID)
			return nil
		}, func(ctx context.Context, userID int64) error { return errors.New("delivery down") }}
		var notified []string
		f.svc.NotifyAdmins = func(ctx context.Context, title, body, link string) error {
			notified = append(notified, title+"|"+link)
			return nil
		}

		// Another lawyer may not freeze zhang.
		if _, err := f.svc.Freeze(ctx, otherP, f.lawyer.ID, client()); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("other lawyer froze zhang: %v", err)
		}
		if db.UserPaused(ctx, f.lawyer.ID) {
			t.Fatal("paused before the freeze")
		}

		res, err := f.svc.Freeze(ctx, me, f.lawyer.ID, client())
		if err != nil {
			t.Fatal(err)
		}
		if res.Sessions != 2 || res.ChecklistToken == "" || len(res.RevokerErrors) != 1 {
			t.Fatalf("result: %+v", res)
		}
		if len(revoked) != 1 || revoked[0] != f.lawyer.ID {
			t.Fatalf("revokers: %v", revoked)
		}
		if len(notified) != 1 || notified[0] != "用户已紧急冻结：zhang|/admin/users/2" {
			t.Fatalf("notified: %v", notified)
		}
		for _, tok := range []string{phone, laptop} {
			if _, err := f.auth.Authenticate(ctx, tok, client()); !errors.Is(err, auth.ErrNoSession) {
				t.Fatalf("session still works after freeze: %v", err)
			}
		}
		if _, err := f.auth.Authenticate(ctx, otherTok, client()); err != nil {
			t.Fatalf("another user's session ended: %v", err)
		}
		if _, err := db.CalendarFeedUser(ctx, "feedhash"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("calendar feed survived: %v", err)
		}
		if !db.UserPaused(ctx, f.lawyer.ID) || !f.svc.UserPaused(ctx, f.lawyer.ID) || !f.auth.UserPaused(ctx, f.lawyer.ID) || db.UserPaused(ctx, f.other.ID) || !db.UserPaused(ctx, 9999) {
			t.Fatal("UserPaused wrong after freeze")
		}
		if _, err := f.auth.Login(ctx, "zhang", goodPassword, client()); !errors.Is(err, auth.ErrFrozen) {
			t.Fatalf("frozen user signed in: %v", err)
		}
		// A wrong password still says only that.
		if _, err := f.auth.Login(ctx, "zhang", "wrong password!!", client()); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("wrong password on frozen account: %v", err)
		}

		// The checklist token ticks steps off; unknown steps and doubles are refused.
		in, err := f.svc.TickStepByToken(ctx, res.ChecklistToken, "weixin110", client())
		if err != nil {
			t.Fatal(err)
		}
		if st, ok := in.Done("weixin110"); !ok || st.DoneBy != "zhang" || !st.DoneAt.Equal(c.t) {
			t.Fatalf("step: %+v %v", st, ok)
		}
		if _, err := f.svc.TickStepByToken(ctx, res.ChecklistToken, "weixin110", client()); !errors.Is(err, safety.ErrStepDone) {
			t.Fatalf("double tick: %v", err)
		}
		if _, err := f.svc.TickStepByToken(ctx, res.ChecklistToken, "nonsense", client()); !errors.Is(err, safety.ErrUnknownStep) {
			t.Fatalf("unknown step: %v", err)
		}
		if _, err := f.svc.TickStepByToken(ctx, "not-a-token", "devices", client()); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("bad token: %v", err)
		}
		// Another lawyer cannot see the incident; the admin can tick a step.
		if _, err := f.svc.Incident(ctx, otherP, res.Incident.ID); !errors.Is(err, access.ErrHidden) {
			t.Fatalf("other lawyer saw incident: %v", err)
		}
		_, adminP := login(t, f.auth, "admin")
		if _, err := f.svc.TickStep(ctx, adminP, res.Incident.ID, "wecom_secret", client()); err != nil {
			t.Fatal(err)
		}
		// The token expires after the window.
		c.t = c.t.Add(safety.ChecklistWindow)
		if _, err := f.svc.ChecklistByToken(ctx, res.ChecklistToken); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("token after window: %v", err)
		}

		// Only an admin unfreezes.
		if _, err := f.svc.Unfreeze(ctx, otherP, f.lawyer.ID, client()); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("lawyer unfroze: %v", err)
		}
		if _, err := f.svc.Unfreeze(ctx, adminP, f.lawyer.ID, client()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Unfreeze(ctx, adminP, f.lawyer.ID, client()); !errors.Is(err, safety.ErrNotFrozen) {
			t.Fatalf("unfreeze twice: %v", err)
		}
		if db.UserPaused(ctx, f.lawyer.ID) {
			t.Fatal("still paused after unfreeze")
		}
		login(t, f.auth, "zhang")
		list, err := f.svc.Incidents(ctx, adminP, f.lawyer.ID)
		if err != nil || len(list) != 1 || list[0].EndedAt.IsZero() || list[0].EndedBy != "admin" || len(list[0].Steps) != 2 {
			t.Fatalf("incidents: %v %+v", err, list)
		}

		// Audit: freeze, the failed hook, each step, unfreeze, and the refused login.
		for action, want := range map[string]int{"user.freeze": 1, "user.unfreeze": 1, "freeze.step": 2, "login.frozen": 1, "user.freeze.revoke_failed": 1} {
			evs, err := db.FindAudit(ctx, store.AuditFilter{Action: action})
			if err != nil || len(evs) != want {
				t.Fatalf("audit %s: %d rows, want %d (%v)", action, len(evs), want, err)
			}
		}
		if rep, err := db.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Fatalf("audit chain: %v %+v", err, rep)
		}
	})
}

func TestFreezeFromCommandLineAndAgain(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := &clock{time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)}
		f := setup(t, db, c)
		login(t, f.auth, "zhang")
		res, err := f.svc.Freeze(ctx, nil, f.lawyer.ID, client())
		if err != nil || res.Sessions != 1 || res.ChecklistToken != "" || res.User.FrozenBy != model.ActorCLI {
			t.Fatalf("cli freeze: %v %+v", err, res)
		}
		c.t = c.t.Add(time.Minute)
		again, err := f.svc.Freeze(ctx, nil, f.lawyer.ID, client())
		if err != nil || again.Sessions != 0 || !again.User.FrozenAt.Equal(res.User.FrozenAt) {
			t.Fatalf("second freeze: %v %+v", err, again)
		}
		u, _ := db.UserByID(ctx, f.lawyer.ID)
		if !u.Frozen() || u.FrozenBy != model.ActorCLI {
			t.Fatalf("user: %+v", u)
		}
		if _, err := f.svc.Unfreeze(ctx, nil, f.lawyer.ID, client()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDrillFreezesNothing(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := &clock{time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)}
		f := setup(t, db, c)
		tok, me := login(t, f.auth, "zhang")
		_, otherP := login(t, f.auth, "li")
		in, err := f.svc.StartDrill(ctx, me, f.lawyer.ID, client())
		if err != nil || !in.Drill {
			t.Fatalf("drill: %v %+v", err, in)
		}
		if _, err := f.svc.TickStep(ctx, otherP, in.ID, "weixin110", client()); !errors.Is(err, access.ErrHidden) {
			t.Fatalf("other ticked: %v", err)
		}
		for i, st := range safety.Checklist {
			c.t = c.t.Add(time.Minute)
			got, err := f.svc.TickStep(ctx, me, in.ID, st.Key, client())
			if err != nil {
				t.Fatal(err)
			}
			if last := i == len(safety.Checklist)-1; got.EndedAt.IsZero() == last {
				t.Fatalf("step %d: ended %v", i, got.EndedAt)
			}
		}
		if _, err := f.svc.TickStep(ctx, me, in.ID, "weixin110", client()); !errors.Is(err, safety.ErrClosed) {
			t.Fatalf("tick after drill ended: %v", err)
		}
		if _, err := f.auth.Authenticate(ctx, tok, client()); err != nil {
			t.Fatalf("drill ended the session: %v", err)
		}
		if db.UserPaused(ctx, f.lawyer.ID) {
			t.Fatal("drill paused the user")
		}
		list, _ := f.svc.Incidents(ctx, me, f.lawyer.ID)
		if len(list) != 1 || len(list[0].Steps) != len(safety.Checklist) {
			t.Fatalf("drill record: %+v", list)
		}
	})
}
