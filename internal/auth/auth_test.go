package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{time.Date(2026, 4, 7, 1, 0, 0, 0, time.UTC)} }
func client(ip string) auth.Client       { return auth.Client{IP: ip, UserAgent: "test-agent"} }

const goodPassword = "correct horse battery"

func setup(t *testing.T, db *store.DB, c *clock) (*auth.Service, *model.User, *model.User) {
	t.Helper()
	svc := auth.New(db, c.now)
	ctx := context.Background()
	admin, err := svc.CreateUser(ctx, nil, auth.NewUser{Username: "admin", DisplayName: "王主任", Role: model.RoleAdmin, Password: goodPassword}, client("cli"))
	if err != nil {
		t.Fatal(err)
	}
	lawyer, err := svc.CreateUser(ctx, nil, auth.NewUser{Username: "zhang", DisplayName: "张律师", Role: model.RoleLawyer, Password: goodPassword}, client("cli"))
	if err != nil {
		t.Fatal(err)
	}
	return svc, admin, lawyer
}

func TestLoginAndTimeouts(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		svc, _, _ := setup(t, db, c)
		if _, err := svc.Login(ctx, "zhang", "wrong password!!", client("10.0.0.1")); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := svc.Login(ctx, "nobody", goodPassword, client("10.0.0.1")); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("unknown user: %v", err)
		}
		res, err := svc.Login(ctx, "zhang", goodPassword, client("10.0.0.1"))
		if err != nil || res.NeedTOTP {
			t.Fatalf("login: %v %+v", err, res)
		}
		if len(res.Token) < 22 {
			t.Fatalf("token too short: %q", res.Token)
		}
		p, err := svc.Authenticate(ctx, res.Token, client("10.0.0.1"))
		if err != nil || p.User.Username != "zhang" {
			t.Fatalf("authenticate: %v", err)
		}
		// Idle timeout: 29 minutes is fine and refreshes; 31 idle minutes is not.
		c.advance(29 * time.Minute)
		if _, err := svc.Authenticate(ctx, res.Token, client("10.0.0.1")); err != nil {
			t.Fatalf("after 29 min: %v", err)
		}
		c.advance(31 * time.Minute)
		if _, err := svc.Authenticate(ctx, res.Token, client("10.0.0.1")); !errors.Is(err, auth.ErrNoSession) {
			t.Fatalf("after 31 idle min: %v", err)
		}
		// Absolute timeout: active every 20 minutes, still out after 12 h.
		res, _ = svc.Login(ctx, "zhang", goodPassword, client("10.0.0.1"))
		for i := 0; i < 35; i++ {
			c.advance(20 * time.Minute)
			if _, err := svc.Authenticate(ctx, res.Token, client("10.0.0.1")); err != nil {
				t.Fatalf("active session ended early after %d min: %v", (i+1)*20, err)
			}
		}
		c.advance(20 * time.Minute)
		if _, err := svc.Authenticate(ctx, res.Token, client("10.0.0.1")); !errors.Is(err, auth.ErrNoSession) {
			t.Fatalf("past 12 h: %v", err)
		}
	})
}

func TestLockoutAfterRepeatedFailures(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		svc, _, _ := setup(t, db, c)
		for i := 0; i < auth.MaxFailedLogins; i++ {
			c.advance(5 * time.Second)
			want := auth.ErrBadCredentials
			if i == auth.MaxFailedLogins-1 {
				want = auth.ErrLocked // the failure that locks says so
			}
			if _, err := svc.Login(ctx, "zhang", "wrong password!!", client("10.0.0.2")); !errors.Is(err, want) {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if _, err := svc.Login(ctx, "zhang", goodPassword, client("10.0.0.2")); !errors.Is(err, auth.ErrLocked) {
			t.Fatalf("locked account accepted the right password: %v", err)
		}
		c.advance(auth.LockoutDuration + time.Second)
		if _, err := svc.Login(ctx, "zhang", goodPassword, client("10.0.0.2")); err != nil {
			t.Fatalf("after lockout: %v", err)
		}
		rep, err := db.VerifyAudit(ctx)
		if err != nil || !rep.OK() || rep.Rows == 0 {
			t.Fatalf("audit: %+v, %v", rep, err)
		}
		fails, _ := db.FindAudit(ctx, store.AuditFilter{Action: "login.fail"})
		if len(fails) != auth.MaxFailedLogins {
			t.Fatalf("%d login.fail rows, want %d", len(fails), auth.MaxFailedLogins)
		}
	})
}

func TestIPThrottle(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		svc := auth.New(db, c.now)
		var throttled bool
		for i := 0; i < 30; i++ {
			_, err := svc.Login(ctx, "ghost", "whatever password", client("10.9.9.9"))
			if errors.Is(err, auth.ErrThrottled) {
				throttled = true
				break
			}
		}
		if !throttled {
			t.Fatal("30 rapid attempts from one address were never throttled")
		}
		if _, err := svc.Login(ctx, "ghost", "whatever password", client("10.9.9.10")); errors.Is(err, auth.ErrThrottled) {
			t.Fatal("another address was throttled too")
		}
	})
}

func TestRevokeAllAndAccess(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		svc, admin, lawyer := setup(t, db, c)
		phone, _ := svc.Login(ctx, "zhang", goodPassword, client("10.0.0.3"))
		laptop, _ := svc.Login(ctx, "zhang", goodPassword, client("10.0.0.4"))
		p, _ := svc.Authenticate(ctx, laptop.Token, client("10.0.0.4"))
		sessions, err := svc.Sessions(ctx, p, lawyer.ID)
		if err != nil || len(sessions) != 2 {
			t.Fatalf("sessions: %d %v", len(sessions), err)
		}
		// A lawyer may not touch the admin's sessions.
		if _, err := svc.Sessions(ctx, p, admin.ID); !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("lawyer listed admin sessions: %v", err)
		}
		if _, err := svc.RevokeAll(ctx, p, admin.ID, client("10.0.0.4")); !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("lawyer revoked admin sessions: %v", err)
		}
		// Revoke one, then the admin freezes everything.
		if err := svc.RevokeSession(ctx, p, phone.Session.ID, client("10.0.0.4")); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(ctx, phone.Token, client("10.0.0.3")); !errors.Is(err, auth.ErrNoSession) {
			t.Fatalf("revoked session still works: %v", err)
		}
		adminLogin, _ := svc.Login(ctx, "admin", goodPassword, client("10.0.0.5"))
		ap, _ := svc.Authenticate(ctx, adminLogin.Token, client("10.0.0.5"))
		n, err := svc.RevokeAll(ctx, ap, lawyer.ID, client("10.0.0.5"))
		if err != nil || n != 1 {
			t.Fatalf("revoke all: %d %v", n, err)
		}
		if _, err := svc.Authenticate(ctx, laptop.Token, client("10.0.0.4")); !errors.Is(err, auth.ErrNoSession) {
			t.Fatalf("session survived revoke-all: %v", err)
		}
	})
}

func TestTOTPNoReuse(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		svc, _, _ := setup(t, db, c)
		res, _ := svc.Login(ctx, "zhang", goodPassword, client("10.0.0.6"))
		p, _ := svc.Authenticate(ctx, res.Token, client("10.0.0.6"))
		url, err := svc.BeginTOTP(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		key, err := otp.NewKeyFromURL(url)
		if err != nil {
			t.Fatal(err)
		}
		code := func() string {
			s, err := totp.GenerateCode(key.Secret(), c.now())
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		if _, err := svc.EnableTOTP(ctx, p, "000000", client("10.0.0.6")); !errors.Is(err, auth.ErrBadTOTP) {
			t.Fatalf("bad code enabled TOTP: %v", err)
		}
		if _, err := svc.EnableTOTP(ctx, p, code(), client("10.0.0.6")); err != nil {
			t.Fatal(err)
		}
		c.advance(30 * time.Second)
		res, err = svc.Login(ctx, "zhang", goodPassword, client("10.0.0.6"))
		if err != nil || !res.NeedTOTP {
			t.Fatalf("login with TOTP: %v %+v", err, res)
		}
		// A half-logged-in session grants nothing.
		if _, err := svc.Authenticate(ctx, res.Token, client("10.0.0.6")); !errors.Is(err, auth.ErrNoSession) {
			t.Fatalf("a session waiting for TOTP was accepted: %v", err)
		}
		used := code()
		full, err := svc.CompleteTOTP(ctx, res.Token, used, client("10.0.0.6"))
		if err != nil {
			t.Fatal(err)
		}
		if full == res.Token {
			t.Fatal("token not rotated after TOTP")
		}
		if _, err := svc.Authenticate(ctx, res.Token, client("10.0.0.6")); err == nil {
			t.Fatal("pre-TOTP token still valid")
		}
		// The same code, within its validity window, is refused the second time.
		res2, _ := svc.Login(ctx, "zhang", goodPassword, client("10.0.0.6"))
		if _, err := svc.CompleteTOTP(ctx, res2.Token, used, client("10.0.0.6")); !errors.Is(err, auth.ErrBadTOTP) {
			t.Fatalf("reused code: %v", err)
		}
		c.advance(30 * time.Second)
		if _, err := svc.CompleteTOTP(ctx, res2.Token, code(), client("10.0.0.6")); err != nil {
			t.Fatalf("next code: %v", err)
		}
	})
}

func TestSetupTokenCreatesFirstAdminOnce(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		svc := auth.New(db, c.now)
		need, _ := svc.NeedsSetup(ctx)
		if !need {
			t.Fatal("fresh database does not need setup")
		}
		tok, err := svc.NewSetupToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		nu := auth.NewUser{Username: "boss", DisplayName: "主任", Password: goodPassword}
		if _, err := svc.CompleteSetup(ctx, "wrong", nu, client("1.1.1.1")); !errors.Is(err, auth.ErrBadSetupToken) {
			t.Fatalf("wrong token: %v", err)
		}
		weak := nu
		weak.Password = "short"
		if _, err := svc.CompleteSetup(ctx, tok, weak, client("1.1.1.1")); !errors.Is(err, auth.ErrWeakPassword) {
			t.Fatalf("weak password: %v", err)
		}
		if !svc.SetupTokenValid(ctx, tok) {
			t.Fatal("a rejected attempt spent the token")
		}
		u, err := svc.CompleteSetup(ctx, tok, nu, client("1.1.1.1"))
		if err != nil || u.Role != model.RoleAdmin {
			t.Fatalf("setup: %v", err)
		}
		nu.Username = "second"
		if _, err := svc.CompleteSetup(ctx, tok, nu, client("1.1.1.1")); err == nil {
			t.Fatal("token used twice")
		}
	})
}

func TestCreateUserValidation(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := auth.New(db, newClock().now)
		cases := []auth.NewUser{
			{Username: "", DisplayName: "x", Role: model.RoleLawyer, Password: goodPassword},
			{Username: "a b", DisplayName: "x", Role: model.RoleLawyer, Password: goodPassword},
			{Username: "ok", DisplayName: "", Role: model.RoleLawyer, Password: goodPassword},
			{Username: "ok", DisplayName: "x", Role: "boss", Password: goodPassword},
			{Username: "ok", DisplayName: "x", Role: model.RoleLawyer, Password: "short"},
			{Username: "cli", DisplayName: "x", Role: model.RoleLawyer, Password: goodPassword},
			{Username: "System", DisplayName: "x", Role: model.RoleLawyer, Password: goodPassword},
		}
		for _, nu := range cases {
			if _, err := svc.CreateUser(ctx, nil, nu, client("cli")); err == nil {
				t.Errorf("accepted %+v", nu)
			}
		}
	})
}
