package auth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

const (
	totpPeriod = 30
	totpIssuer = "律信 lvxin"
)

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

// totpURL is the otpauth:// URL of a secret, the text of the QR code an
// authenticator app scans (the same form totp.Generate produces).
func totpURL(username, secret string) string {
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", totpIssuer)
	q.Set("period", "30")
	q.Set("algorithm", "SHA1")
	q.Set("digits", "6")
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + totpIssuer + ":" + username, RawQuery: q.Encode()}
	return u.String()
}

// BeginTOTP returns the otpauth:// URL of the user's pending TOTP secret,
// creating the secret only when there is none yet. The pending secret stays
// the same until it is confirmed (EnableTOTP) or reset by an admin, so that
// reloading the page, fetching the QR image or a wrong code never changes
// the secret the user has just scanned.
func (s *Service) BeginTOTP(ctx context.Context, p *Principal) (string, error) {
	var secret string
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, p.User.ID)
		if err != nil {
			return err
		}
		if u.TOTPEnabled {
			return fmt.Errorf("%w：动态验证码已启用", model.ErrInvalidInput)
		}
		if u.TOTPSecret != "" {
			secret = u.TOTPSecret
			return nil
		}
		key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: u.Username, Period: totpPeriod})
		if err != nil {
			return err
		}
		u.TOTPSecret = key.Secret()
		secret = u.TOTPSecret
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return "", err
	}
	p.User.TOTPSecret = secret
	return totpURL(p.User.Username, secret), nil
}

// PendingTOTP returns the otpauth:// URL of the user's pending secret
// without creating one: store.ErrNotFound when there is none or TOTP is
// already on (an enabled secret is never shown again).
func (s *Service) PendingTOTP(ctx context.Context, p *Principal) (string, error) {
	u, err := s.db.UserByID(ctx, p.User.ID)
	if err != nil {
		return "", err
	}
	if u.TOTPEnabled || u.TOTPSecret == "" {
		return "", store.ErrNotFound
	}
	return totpURL(u.Username, u.TOTPSecret), nil
}

// EnableTOTP turns TOTP on after the user proves the app works, and
// returns the new recovery codes, to be shown once.
func (s *Service) EnableTOTP(ctx context.Context, p *Principal, code string, client Client) ([]string, error) {
	codes, hashes := newRecoveryCodes()
	now := s.clock()
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, p.User.ID)
		if err != nil {
			return err
		}
		if u.TOTPEnabled {
			return fmt.Errorf("%w：动态验证码已启用", model.ErrInvalidInput)
		}
		if u.TOTPSecret == "" {
			return fmt.Errorf("%w：请先生成密钥", model.ErrInvalidInput)
		}
		step := totpStep(u.TOTPSecret, code, now)
		if step < 0 || step <= u.TOTPLastStep {
			return ErrBadTOTP
		}
		u.TOTPEnabled = true
		u.TOTPLastStep = step
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, u.ID, hashes, now); err != nil {
			return err
		}
		p.User = u
		return tx.AppendAudit(ctx, auditFrom(p, client, "totp.enable", "user/"+u.Username, fmt.Sprintf("生成 %d 个恢复码", len(codes))))
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// RegenerateRecoveryCodes replaces the user's recovery codes with a new set
// (the old ones stop working), after a current TOTP code proves the phone is
// at hand; the code's time step is spent like a login's. Audited.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, p *Principal, code string, client Client) ([]string, error) {
	codes, hashes := newRecoveryCodes()
	now := s.clock()
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, p.User.ID)
		if err != nil {
			return err
		}
		if !u.TOTPEnabled {
			return fmt.Errorf("%w：尚未启用动态验证码", model.ErrInvalidInput)
		}
		step := totpStep(u.TOTPSecret, code, now)
		if step < 0 || step <= u.TOTPLastStep {
			return ErrBadTOTP
		}
		u.TOTPLastStep = step
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, u.ID, hashes, now); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditFrom(p, client, "totp.recovery_codes", "user/"+u.Username, fmt.Sprintf("重新生成 %d 个恢复码，旧恢复码作废", len(codes))))
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// ResetTOTP turns a user's TOTP off and voids their recovery codes, for a
// user who lost the phone and the codes; the user enrols again at the next
// sign-in. Every session of the user ends (the lost phone may hold one).
// Admins only (actor nil is the local CLI); audited.
func (s *Service) ResetTOTP(ctx context.Context, actor *Principal, userID int64, client Client) (int64, error) {
	if err := access.Administer(actor.Actor()); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		u.TOTPEnabled = false
		u.TOTPSecret = ""
		u.TOTPLastStep = 0
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, u.ID, nil, s.clock()); err != nil {
			return err
		}
		n, err = tx.RevokeUserSessions(ctx, u.ID, actorName(actor), s.clock())
		if err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditFrom(actor, client, "totp.reset", "user/"+u.Username,
			fmt.Sprintf("重置动态验证码，恢复码作废，下线 %d 个会话", n)))
	})
	return n, err
}

// CompleteTOTP finishes a login waiting for the TOTP code: the code must be
// valid and newer than the last accepted one (no reuse). The session gets a
// new token, which the caller must set as the cookie.
func (s *Service) CompleteTOTP(ctx context.Context, pendingToken, code string, client Client) (string, error) {
	return s.completeSecondFactor(ctx, pendingToken, client, func(tx *store.Tx, u *model.User, now time.Time) (string, error) {
		step := totpStep(u.TOTPSecret, code, now)
		if step < 0 || step <= u.TOTPLastStep {
			return "", ErrBadTOTP
		}
		u.TOTPLastStep = step
		return "密码 + 动态验证码", nil
	})
}

// CompleteRecovery finishes a login waiting for the TOTP code with one of
// the user's recovery codes instead (a lost phone); each code works once.
func (s *Service) CompleteRecovery(ctx context.Context, pendingToken, code string, client Client) (string, error) {
	return s.completeSecondFactor(ctx, pendingToken, client, func(tx *store.Tx, u *model.User, now time.Time) (string, error) {
		err := tx.UseRecoveryCode(ctx, u.ID, hashRecoveryCode(code), now)
		if errors.Is(err, store.ErrNotFound) {
			return "", ErrBadRecoveryCode
		}
		if err != nil {
			return "", err
		}
		left, err := tx.UnusedRecoveryCodes(ctx, u.ID)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("密码 + 恢复码（剩余 %d 个）", left), nil
	})
}

// secondFactor checks a code for u inside the login transaction and
// returns the audit detail of the successful login, or ErrBadTOTP /
// ErrBadRecoveryCode.
type secondFactor func(tx *store.Tx, u *model.User, now time.Time) (string, error)

// completeSecondFactor promotes a session waiting for its second factor.
// Wrong codes count towards the same lockout as wrong passwords (a correct
// password does not reset the count while the second step is pending), and
// the locking failure ends the waiting session.
func (s *Service) completeSecondFactor(ctx context.Context, pendingToken string, client Client, check secondFactor) (string, error) {
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
	var refused error
	target := fmt.Sprintf("session/%d", sess.ID)
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, sess.UserID)
		if err != nil {
			return err
		}
		if u.Disabled || u.Frozen() || !u.TOTPEnabled {
			refused = ErrNoSession
			return tx.RevokeSession(ctx, sess.ID, "login", now)
		}
		if now.Before(u.LockedUntil) {
			refused = ErrLocked
			if err := tx.RevokeSession(ctx, sess.ID, "lockout", now); err != nil {
				return err
			}
			return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: u.ID, Actor: u.Username, Action: "login.locked", Target: target, IP: client.IP})
		}
		detail, err := check(tx, u, now)
		if errors.Is(err, ErrBadTOTP) || errors.Is(err, ErrBadRecoveryCode) {
			refused = err
			u.FailedLogins++
			what := "动态验证码"
			if errors.Is(err, ErrBadRecoveryCode) {
				what = "恢复码"
			}
			detail := fmt.Sprintf("%s错误（连续第 %d 次）", what, u.FailedLogins)
			if u.FailedLogins >= MaxFailedLogins {
				u.LockedUntil = now.Add(LockoutDuration)
				u.FailedLogins = 0
				detail += "，账户锁定 15 分钟"
				refused = ErrLocked
				if err := tx.RevokeSession(ctx, sess.ID, "lockout", now); err != nil {
					return err
				}
			}
			if err := tx.UpdateUser(ctx, u); err != nil {
				return err
			}
			return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: u.ID, Actor: u.Username, Action: "login.totp_fail", Target: target, Detail: detail, IP: client.IP})
		}
		if err != nil {
			return err
		}
		u.FailedLogins = 0
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.PromoteSession(ctx, sess.ID, hashToken(token), now, now.Add(AbsoluteTimeout)); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: u.ID, Actor: u.Username, Action: "login.ok",
			Target: target, Detail: detail, IP: client.IP})
	})
	if err != nil {
		return "", err
	}
	if refused != nil {
		return "", refused
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

// SetRequireAdminTOTP changes the firm setting (audited, with the old and
// the new value); saving the value it already has changes nothing.
func (s *Service) SetRequireAdminTOTP(ctx context.Context, actor *Principal, on bool, client Client) error {
	if err := access.Administer(actor.Actor()); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		old, err := tx.Setting(ctx, SettingRequireAdminTOTP)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if (old == "true") == on {
			return nil // unchanged: nothing to write or audit
		}
		v := "false"
		if on {
			v = "true"
		}
		if err := tx.SetSetting(ctx, SettingRequireAdminTOTP, v); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditFrom(actor, client, "setting.require_admin_totp", "firm",
			fmt.Sprintf("管理员必须启用动态验证码：%s → %s", onOff(old == "true"), onOff(on))))
	})
}

func onOff(on bool) string {
	if on {
		return "开启"
	}
	return "关闭"
}
