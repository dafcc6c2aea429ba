package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

const totpPeriod = 30

// totpStep finds the time step a code belongs to within one step of skew,
// or -1. Stepping through candidates ourselves (rather than
// totp.ValidateCustom's yes/no) tells us which step matched, which is what
// refusing reuse needs.
func totpStep(secret, code string, now time.Time) int64 {
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	base := now.Unix() / totpPeriod
	for _, d := range []int64{0, -1, 1} {
		step := base + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), opts)
		if err == nil && len(code) == 6 && subtleEqual(want, code) {
			return step
		}
	}
	return -1
}

func subtleEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return v == 0
}

// BeginTOTP creates (or replaces, while not yet enabled) a user's TOTP
// secret and returns the otpauth:// URL for the authenticator app.
func (s *Service) BeginTOTP(ctx context.Context, p *Principal) (string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "律信 lvxin", AccountName: p.User.Username, Period: totpPeriod})
	if err != nil {
		return "", err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, p.User.ID)
		if err != nil {
			return err
		}
		if u.TOTPEnabled {
			return fmt.Errorf("%w：动态验证码已启用", ErrInvalidInput)
		}
		u.TOTPSecret = key.Secret()
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return "", err
	}
	p.User.TOTPSecret = key.Secret()
	return key.URL(), nil
}

// EnableTOTP turns TOTP on after the user proves the app works.
func (s *Service) EnableTOTP(ctx context.Context, p *Principal, code string, client Client) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, p.User.ID)
		if err != nil {
			return err
		}
		if u.TOTPSecret == "" {
			return fmt.Errorf("%w：请先生成密钥", ErrInvalidInput)
		}
		step := totpStep(u.TOTPSecret, code, s.clock())
		if step < 0 || step <= u.TOTPLastStep {
			return ErrBadTOTP
		}
		u.TOTPEnabled = true
		u.TOTPLastStep = step
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		p.User = u
		return tx.AppendAudit(ctx, auditFrom(p, client, "totp.enable", "user/"+u.Username, ""))
	})
}

// CompleteTOTP finishes a login waiting for the TOTP code: the code must be
// valid and newer than the last accepted one (no reuse). The session gets a
// new token, which the caller must set as the cookie.
func (s *Service) CompleteTOTP(ctx context.Context, pendingToken, code string, client Client) (string, error) {
	sess, err := s.db.SessionByTokenHash(ctx, hashToken(pendingToken))
	if err != nil {
		return "", ErrNoSession
	}
	now := s.clock()
	if sess.Stage != model.StageTOTP || !sess.RevokedAt.IsZero() || !now.Before(sess.ExpiresAt) {
		return "", ErrNoSession
	}
	if !s.throttle.allow(client.IP, now) {
		return "", ErrThrottled
	}
	token := newToken()
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, sess.UserID)
		if err != nil {
			return err
		}
		step := totpStep(u.TOTPSecret, code, now)
		if step < 0 || step <= u.TOTPLastStep {
			return ErrBadTOTP
		}
		u.TOTPLastStep = step
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.PromoteSession(ctx, sess.ID, hashToken(token), now, now.Add(AbsoluteTimeout)); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: u.ID, Actor: u.Username, Action: "login.ok",
			Target: fmt.Sprintf("session/%d", sess.ID), Detail: "密码 + 动态验证码", IP: client.IP})
	})
	if err != nil {
		if err == ErrBadTOTP {
			_ = s.db.Audit(ctx, &model.AuditEvent{ActorID: sess.UserID, Actor: fmt.Sprintf("user#%d", sess.UserID), Action: "login.totp_fail", Target: fmt.Sprintf("session/%d", sess.ID), IP: client.IP})
		}
		return "", err
	}
	return token, nil
}

// AdminNeedsTOTP reports whether the firm requires TOTP for admins and this
// admin has not set it up yet: such a session may only enrol.
func (s *Service) AdminNeedsTOTP(ctx context.Context, p *Principal) bool {
	if p.User.Role != model.RoleAdmin || p.User.TOTPEnabled {
		return false
	}
	v, err := s.db.Setting(ctx, SettingRequireAdminTOTP)
	return err == nil && v == "true"
}

// SetRequireAdminTOTP changes the firm setting.
func (s *Service) SetRequireAdminTOTP(ctx context.Context, actor *Principal, on bool, client Client) error {
	if actor != nil && !CanAdminister(actor) {
		return ErrForbidden
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		v := "false"
		if on {
			v = "true"
		}
		if err := tx.SetSetting(ctx, SettingRequireAdminTOTP, v); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditFrom(actor, client, "setting.require_admin_totp", "firm", v))
	})
}
