package auth_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// signIn logs in with the password only (no TOTP yet) and returns the
// principal.
func signIn(t *testing.T, svc *auth.Service, c *clock, username, ip string) *auth.Principal {
	t.Helper()
	ctx := context.Background()
	c.advance(5 * time.Second)
	res, err := svc.Login(ctx, username, goodPassword, client(ip))
	if err != nil || res.NeedTOTP {
		t.Fatalf("login %s: %v %+v", username, err, res)
	}
	p, err := svc.Authenticate(ctx, res.Token, client(ip))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// enrol turns TOTP on for the signed-in user and returns the secret and
// the recovery codes.
func enrol(t *testing.T, svc *auth.Service, c *clock, p *auth.Principal) (string, []string) {
	t.Helper()
	ctx := context.Background()
	url, err := svc.BeginTOTP(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	key, err := otp.NewKeyFromURL(url)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(key.Secret(), c.now())
	codes, err := svc.EnableTOTP(ctx, p, code, client("10.1.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	return key.Secret(), codes
}

// pending logs in with the right password for a TOTP user and returns the
// token of the session waiting for the second factor.
func pending(t *testing.T, svc *auth.Service, c *clock, username, ip string) string {
	t.Helper()
	c.advance(5 * time.Second)
	res, err := svc.Login(context.Background(), username, goodPassword, client(ip))
	if err != nil || !res.NeedTOTP {
		t.Fatalf("password step for %s: %v %+v", username, err, res)
	}
	return res.Token
}

func TestPendingTOTPSecretIsStable(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		svc, _, _ := setup(t, db, c)
		p := signIn(t, svc, c, "zhang", "10.1.0.1")
		if _, err := svc.PendingTOTP(ctx, p); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("pending secret before enrolment began: %v", err)
		}
		first, err := svc.BeginTOTP(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		// Reloading the page, fetching the QR image and a wrong code all
		// leave the secret on screen valid.
		again, err := svc.BeginTOTP(ctx, p)
		if err != nil || again != first {
			t.Fatalf("second visit changed the secret:\n%s\n%s (%v)", first, again, err)
		}
		if _, err := svc.EnableTOTP(ctx, p, "123456", client("10.1.0.1")); !errors.Is(err, auth.ErrBadTOTP) {
			t.Fatalf("wrong enrolment code: %v", err)
		}
		shown, err := svc.PendingTOTP(ctx, p)
		if err != nil || shown != first {
			t.Fatalf("pending secret after a wrong code: %q %v", shown, err)
		}
		key, err := otp.NewKeyFromURL(shown)
		if err != nil || key.Issuer() != "律信 lvxin" || key.AccountName() != "zhang" || key.Period() != 30 {
			t.Fatalf("otpauth URL %q: %v", shown, err)
		}
		code, _ := totp.GenerateCode(key.Secret(), c.now())
		codes, err := svc.EnableTOTP(ctx, p, code, client("10.1.0.1"))
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != auth.RecoveryCodeCount {
			t.Fatalf("%d recovery codes", len(codes))
		}
		if _, err := svc.PendingTOTP(ctx, p); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the enabled secret is still shown: %v", err)
		}
		if _, err := svc.BeginTOTP(ctx, p); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("enrolment began again over an enabled secret: %v", err)
		}
		if _, err := svc.EnableTOTP(ctx, p, code, client("10.1.0.1")); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("enabled twice: %v", err)
		}
	})
}

func TestRecoveryCodes(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		svc, admin, lawyer := setup(t, db, c)
		_, codes := enrol(t, svc, c, signIn(t, svc, c, "zhang", "10.1.1.1"))
		_, adminCodes := enrol(t, svc, c, signIn(t, svc, c, "admin", "10.1.1.2"))
		format := regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$`)
		seen := map[string]bool{}
		for _, code := range append(append([]string{}, codes...), adminCodes...) {
			if !format.MatchString(code) || seen[code] {
				t.Fatalf("recovery code %q: bad format or repeated", code)
			}
			seen[code] = true
		}
		if n, _ := db.UnusedRecoveryCodes(ctx, lawyer.ID); n != auth.RecoveryCodeCount {
			t.Fatalf("%d unused codes stored", n)
		}

		// Someone else's code does not work, nor does a made-up one.
		tok := pending(t, svc, c, "zhang", "10.1.1.1")
		if _, err := svc.CompleteRecovery(ctx, tok, adminCodes[0], client("10.1.1.1")); !errors.Is(err, auth.ErrBadRecoveryCode) {
			t.Fatalf("the admin's code signed in zhang: %v", err)
		}
		if _, err := svc.CompleteRecovery(ctx, tok, "0000-0000-0000-0000", client("10.1.1.1")); !errors.Is(err, auth.ErrBadRecoveryCode) {
			t.Fatalf("made-up code: %v", err)
		}
		// A code typed in capitals without hyphens signs in, once.
		typed := strings.ToUpper(strings.ReplaceAll(codes[3], "-", " "))
		full, err := svc.CompleteRecovery(ctx, tok, typed, client("10.1.1.1"))
		if err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		p, err := svc.Authenticate(ctx, full, client("10.1.1.1"))
		if err != nil || p.User.ID != lawyer.ID {
			t.Fatalf("session after recovery code: %v", err)
		}
		tok = pending(t, svc, c, "zhang", "10.1.1.1")
		if _, err := svc.CompleteRecovery(ctx, tok, codes[3], client("10.1.1.1")); !errors.Is(err, auth.ErrBadRecoveryCode) {
			t.Fatalf("a used code worked again: %v", err)
		}
		if n, _ := db.UnusedRecoveryCodes(ctx, lawyer.ID); n != auth.RecoveryCodeCount-1 {
			t.Fatalf("%d unused codes after one use", n)
		}
		if n, _ := db.UnusedRecoveryCodes(ctx, admin.ID); n != auth.RecoveryCodeCount {
			t.Fatalf("the admin's codes changed: %d", n)
		}
		oks, _ := db.FindAudit(ctx, store.AuditFilter{Action: "login.ok"})
		if last := oks[0]; !strings.Contains(last.Detail, "恢复码（剩余 9 个）") {
			t.Fatalf("audit of the recovery login: %+v", last)
		}
	})
}

func TestTOTPFailuresLockTheAccount(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		svc, _, lawyer := setup(t, db, c)
		secret, _ := enrol(t, svc, c, signIn(t, svc, c, "zhang", "10.2.0.1"))
		wrong := func(tok string) error {
			c.advance(5 * time.Second)
			_, err := svc.CompleteTOTP(ctx, tok, "000000", client("10.2.0.1"))
			return err
		}
		// The right password in between does not reset the count.
		tok := pending(t, svc, c, "zhang", "10.2.0.1")
		for i := 0; i < 2; i++ {
			if err := wrong(tok); !errors.Is(err, auth.ErrBadTOTP) {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		tok = pending(t, svc, c, "zhang", "10.2.0.1")
		if _, err := svc.CompleteRecovery(ctx, tok, "0000-0000-0000-0000", client("10.2.0.1")); !errors.Is(err, auth.ErrBadRecoveryCode) {
			t.Fatalf("wrong recovery code: %v", err)
		}
		if err := wrong(tok); !errors.Is(err, auth.ErrBadTOTP) {
			t.Fatalf("wrong code: %v", err)
		}
		tok = pending(t, svc, c, "zhang", "10.2.0.1")
		if err := wrong(tok); !errors.Is(err, auth.ErrLocked) {
			t.Fatalf("fifth failure did not lock: %v", err)
		}
		// Locked: the right password and the right code do nothing now.
		if _, err := svc.Login(ctx, "zhang", goodPassword, client("10.2.0.1")); !errors.Is(err, auth.ErrLocked) {
			t.Fatalf("password while locked: %v", err)
		}
		code, _ := totp.GenerateCode(secret, c.now())
		if _, err := svc.CompleteTOTP(ctx, tok, code, client("10.2.0.1")); !errors.Is(err, auth.ErrNoSession) {
			t.Fatalf("the session that locked the account was not ended: %v", err)
		}
		fails, _ := db.FindAudit(ctx, store.AuditFilter{Action: "login.totp_fail"})
		if len(fails) != auth.MaxFailedLogins || !strings.Contains(fails[0].Detail, "锁定") {
			t.Fatalf("%d login.totp_fail rows, newest %+v", len(fails), fails[0])
		}
		c.advance(auth.LockoutDuration + time.Minute)
		tok = pending(t, svc, c, "zhang", "10.2.0.1")
		code, _ = totp.GenerateCode(secret, c.now())
		if _, err := svc.CompleteTOTP(ctx, tok, code, client("10.2.0.1")); err != nil {
			t.Fatalf("after the lockout: %v", err)
		}
		u, _ := db.UserByID(ctx, lawyer.ID)
		if u.FailedLogins != 0 {
			t.Fatalf("failures not reset by a full login: %d", u.FailedLogins)
		}
	})
}

func TestLoginWaitingForTOTPIsNoDevice(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		svc, _, lawyer := setup(t, db, c)
		p := signIn(t, svc, c, "zhang", "10.3.0.1")
		secret, _ := enrol(t, svc, c, p)
		tok := pending(t, svc, c, "zhang", "10.3.0.2")
		if _, err := svc.CompleteTOTP(ctx, tok, "000000", client("10.3.0.2")); !errors.Is(err, auth.ErrBadTOTP) {
			t.Fatal(err)
		}
		sessions, err := svc.Sessions(ctx, p, lawyer.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(sessions) != 1 || sessions[0].ID != p.Session.ID {
			t.Fatalf("devices after a failed TOTP step: %+v", sessions)
		}
		c.advance(30 * time.Second)
		code, _ := totp.GenerateCode(secret, c.now())
		if _, err := svc.CompleteTOTP(ctx, tok, code, client("10.3.0.2")); err != nil {
			t.Fatal(err)
		}
		if sessions, _ := svc.Sessions(ctx, p, lawyer.ID); len(sessions) != 2 {
			t.Fatalf("%d devices after the second step succeeded, want 2", len(sessions))
		}
	})
}

// TestLockoutSameForUnknownNames: a name without an account fails, locks
// and unlocks exactly like a real one, with the same messages.
func TestLockoutSameForUnknownNames(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		svc, _, _ := setup(t, db, c)
		answers := func(username string) []string {
			var out []string
			for i := 0; i < auth.MaxFailedLogins+1; i++ {
				c.advance(5 * time.Second)
				_, err := svc.Login(ctx, username, "wrong password!!", client("10.4.0.1"))
				out = append(out, err.Error())
			}
			c.advance(5 * time.Second)
			_, err := svc.Login(ctx, username, goodPassword, client("10.4.0.1"))
			return append(out, err.Error())
		}
		real, ghost := answers("zhang"), answers("nobody")
		if strings.Join(real, "|") != strings.Join(ghost, "|") {
			t.Fatalf("existing and unknown names answer differently:\n%q\n%q", real, ghost)
		}
		if real[auth.MaxFailedLogins-1] != auth.ErrLocked.Error() || real[auth.MaxFailedLogins] != auth.ErrLocked.Error() {
			t.Fatalf("no lockout: %q", real)
		}
		locked, _ := db.FindAudit(ctx, store.AuditFilter{Action: "login.locked"})
		if len(locked) != 4 {
			t.Fatalf("%d login.locked rows, want 4", len(locked))
		}
		c.advance(auth.LockoutDuration + time.Minute)
		if _, err := svc.Login(ctx, "nobody", "wrong password!!", client("10.4.0.1")); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("unknown name after the lockout: %v", err)
		}
		if _, err := svc.Login(ctx, "zhang", goodPassword, client("10.4.0.1")); err != nil {
			t.Fatalf("real name after the lockout: %v", err)
		}
	})
}

func TestResetTOTP(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		svc, admin, lawyer := setup(t, db, c)
		res, err := svc.Login(ctx, "zhang", goodPassword, client("10.5.0.1"))
		if err != nil {
			t.Fatal(err)
		}
		phone, _ := svc.Authenticate(ctx, res.Token, client("10.5.0.1"))
		enrol(t, svc, c, phone)
		ap := signIn(t, svc, c, "admin", "10.5.0.2")
		other, _ := svc.CreateUser(ctx, ap, auth.NewUser{Username: "li", DisplayName: "李律师", Role: model.RoleLawyer, Password: goodPassword}, client("10.5.0.2"))
		lp := signIn(t, svc, c, "li", "10.5.0.3")
		if _, err := svc.ResetTOTP(ctx, lp, lawyer.ID, client("10.5.0.3")); !errors.Is(err, auth.ErrForbidden) {
			t.Fatalf("a lawyer reset someone's TOTP: %v", err)
		}
		n, err := svc.ResetTOTP(ctx, ap, lawyer.ID, client("10.5.0.2"))
		if err != nil || n != 1 {
			t.Fatalf("reset: %d %v", n, err)
		}
		if _, err := svc.Authenticate(ctx, res.Token, client("10.5.0.1")); err == nil {
			t.Fatal("the lost phone's session survived the reset")
		}
		u, _ := db.UserByID(ctx, lawyer.ID)
		if u.TOTPEnabled || u.TOTPSecret != "" {
			t.Fatalf("TOTP still set after reset: %+v", u)
		}
		if n, _ := db.UnusedRecoveryCodes(ctx, lawyer.ID); n != 0 {
			t.Fatalf("%d recovery codes survived the reset", n)
		}
		// The password alone signs in again, and enrolment starts afresh.
		enrol(t, svc, c, signIn(t, svc, c, "zhang", "10.5.0.1"))
		rows, _ := db.FindAudit(ctx, store.AuditFilter{Action: "totp.reset"})
		if len(rows) != 1 || rows[0].Actor != admin.Username || rows[0].Target != "user/zhang" || rows[0].IP != "10.5.0.2" {
			t.Fatalf("reset audit: %+v", rows)
		}
		// The CLI (nil actor) may reset too, audited as the command line.
		if _, err := svc.ResetTOTP(ctx, nil, other.ID, client("cli")); err != nil {
			t.Fatal(err)
		}
		rows, _ = db.FindAudit(ctx, store.AuditFilter{Action: "totp.reset"})
		if len(rows) != 2 || rows[0].Actor != "命令行" || rows[0].Target != "user/li" {
			t.Fatalf("CLI reset audit: %+v", rows[0])
		}
	})
}

// TestAdminActionsAudited: every administrative action writes a row naming
// the admin, the target and the address.
func TestAdminActionsAudited(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		svc, _, lawyer := setup(t, db, c)
		lp := signIn(t, svc, c, "zhang", "10.6.0.1")
		ap := signIn(t, svc, c, "admin", "10.6.0.9")
		from := client("10.6.0.9")
		steps := []struct {
			action, target, detail string
			do                     func() error
		}{
			{"user.create", "user/li", "律师", func() error {
				_, err := svc.CreateUser(ctx, ap, auth.NewUser{Username: "li", DisplayName: "李律师", Role: model.RoleLawyer, Password: goodPassword}, from)
				return err
			}},
			{"session.revoke", "session/", "", func() error { return svc.RevokeSession(ctx, ap, lp.Session.ID, from) }},
			{"session.revoke_all", "user/zhang", "下线", func() error { _, err := svc.RevokeAll(ctx, ap, lawyer.ID, from); return err }},
			{"setting.require_admin_totp", "firm", "关闭 → 开启", func() error { return svc.SetRequireAdminTOTP(ctx, ap, true, from) }},
			{"user.password", "user/zhang", "", func() error { return svc.SetPassword(ctx, ap, lawyer.ID, goodPassword+"!", from) }},
			{"totp.reset", "user/zhang", "", func() error { _, err := svc.ResetTOTP(ctx, ap, lawyer.ID, from); return err }},
		}
		for _, st := range steps {
			if err := st.do(); err != nil {
				t.Fatalf("%s: %v", st.action, err)
			}
			rows, err := db.FindAudit(ctx, store.AuditFilter{Action: st.action})
			if err != nil || len(rows) == 0 {
				t.Fatalf("%s wrote no audit row (%v)", st.action, err)
			}
			r := rows[0]
			if r.Actor != "admin" || r.IP != "10.6.0.9" || !strings.HasPrefix(r.Target, st.target) || !strings.Contains(r.Detail, st.detail) {
				t.Errorf("%s audit row: %+v", st.action, r)
			}
		}
		if rep, err := db.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Fatalf("audit chain: %+v", rep)
		}
	})
}

func TestRegenerateRecoveryCodes(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		svc, _, lawyer := setup(t, db, c)
		p := signIn(t, svc, c, "zhang", "10.7.0.1")
		secret, old := enrol(t, svc, c, p)
		spent, _ := totp.GenerateCode(secret, c.now()) // the enrolment's step
		if _, err := svc.RegenerateRecoveryCodes(ctx, p, spent, client("10.7.0.1")); !errors.Is(err, auth.ErrBadTOTP) {
			t.Fatalf("a spent code regenerated the codes: %v", err)
		}
		c.advance(30 * time.Second)
		code, _ := totp.GenerateCode(secret, c.now())
		fresh, err := svc.RegenerateRecoveryCodes(ctx, p, code, client("10.7.0.1"))
		if err != nil || len(fresh) != auth.RecoveryCodeCount {
			t.Fatalf("regenerate: %d %v", len(fresh), err)
		}
		tok := pending(t, svc, c, "zhang", "10.7.0.1")
		if _, err := svc.CompleteRecovery(ctx, tok, old[0], client("10.7.0.1")); !errors.Is(err, auth.ErrBadRecoveryCode) {
			t.Fatalf("an old code still works: %v", err)
		}
		if _, err := svc.CompleteRecovery(ctx, tok, fresh[0], client("10.7.0.1")); err != nil {
			t.Fatalf("a new code: %v", err)
		}
		if n, _ := db.UnusedRecoveryCodes(ctx, lawyer.ID); n != auth.RecoveryCodeCount-1 {
			t.Fatalf("%d unused codes", n)
		}
		rows, _ := db.FindAudit(ctx, store.AuditFilter{Action: "totp.recovery_codes"})
		if len(rows) != 1 || rows[0].Actor != "zhang" {
			t.Fatalf("audit: %+v", rows)
		}
	})
}
