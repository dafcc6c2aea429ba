package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Errors shown to users; their texts are the UI's messages.
var (
	ErrBadCredentials = errors.New("用户名或密码错误")
	ErrLocked         = errors.New("登录失败次数过多，账户已被暂时锁定，请 15 分钟后再试")
	ErrThrottled      = errors.New("登录尝试过于频繁，请稍后再试")
	ErrBadTOTP        = errors.New("动态验证码错误或已使用过")
	ErrNoSession      = errors.New("未登录或登录已过期")
	ErrForbidden      = access.ErrForbidden
	ErrBadSetupToken  = errors.New("初始化链接无效、已使用或已过期")
	ErrSetupDone      = errors.New("系统已有管理员，无需初始化")
	// ErrFrozen is said only after the right password: the account is under
	// an emergency freeze until an admin lifts it.
	ErrFrozen = errors.New("账户已紧急冻结（手机丢失应急），请联系管理员解冻")
)

// Policy values from the design's security baseline.
const (
	IdleTimeout       = 30 * time.Minute
	AbsoluteTimeout   = 12 * time.Hour
	TOTPPendingWindow = 5 * time.Minute
	MaxFailedLogins   = 5
	LockoutDuration   = 15 * time.Minute
	SetupTokenTTL     = 24 * time.Hour
	// forgetFailuresAfter drops the failure count of a name without an
	// account after a day without attempts.
	forgetFailuresAfter = 24 * time.Hour
	// touchInterval limits last-seen writes to one a minute per session.
	touchInterval = time.Minute
)

// SettingRequireAdminTOTP is the firm setting that makes TOTP mandatory for
// admins ("true"/"false").
const SettingRequireAdminTOTP = "require_admin_totp"

// Service implements authentication and session management on a store.
type Service struct {
	db       *store.DB
	now      func() time.Time
	throttle *ipThrottle
}

// New returns a Service. now may be nil for time.Now.
func New(db *store.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now, throttle: newIPThrottle(20, 3*time.Second)}
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Principal is the signed-in user of a request.
type Principal struct {
	User    *model.User
	Session *model.Session
}

// Client describes where a request comes from, for sessions and the audit log.
type Client struct {
	IP        string
	UserAgent string
}

// NewUser describes a user to create.
type NewUser struct {
	Username    string
	DisplayName string
	Role        model.Role
	Password    string
}

func (n NewUser) validate() error {
	n.Username = strings.TrimSpace(n.Username)
	if n.Username == "" || utf8.RuneCountInString(n.Username) > 64 || strings.ContainsAny(n.Username, " \t\r\n/") {
		return fmt.Errorf("%w：用户名不能为空、不能含空格或斜杠，最多 64 个字符", model.ErrInvalidInput)
	}
	if reservedUsernames[strings.ToLower(n.Username)] {
		return fmt.Errorf("%w：用户名 %q 为系统保留（命令行与系统操作在审计日志中使用此名）", model.ErrInvalidInput, n.Username)
	}
	if strings.TrimSpace(n.DisplayName) == "" {
		return fmt.Errorf("%w：姓名不能为空", model.ErrInvalidInput)
	}
	if !n.Role.Valid() {
		return fmt.Errorf("%w：角色应为 admin、lawyer 或 assistant，而不是 %q", model.ErrInvalidInput, n.Role)
	}
	return CheckPasswordPolicy(n.Password)
}

// reservedUsernames name the command line and the system in audit rows and
// import records; no person may carry them.
var reservedUsernames = map[string]bool{"cli": true, "system": true, model.ActorCLI: true, model.ActorSystem: true}

// CreateUser adds a user. actor is who does it (nil for the CLI), and only
// an admin may create users through the web.
func (s *Service) CreateUser(ctx context.Context, actor *Principal, n NewUser, client Client) (*model.User, error) {
	if err := access.Administer(actor.Actor()); err != nil {
		return nil, err
	}
	n.Username = strings.TrimSpace(n.Username)
	n.DisplayName = strings.TrimSpace(n.DisplayName)
	if err := n.validate(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(n.Password)
	if err != nil {
		return nil, err
	}
	u := &model.User{Username: n.Username, DisplayName: n.DisplayName, Role: n.Role, PasswordHash: hash}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		ev := auditFrom(actor, client, "user.create", "user/"+u.Username, "角色："+u.Role.Label())
		return tx.AppendAudit(ctx, ev)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetPassword replaces a user's password and ends all their sessions.
func (s *Service) SetPassword(ctx context.Context, actor *Principal, userID int64, password string, client Client) error {
	if err := access.ManageUser(actor.Actor(), userID); err != nil {
		return err
	}
	if err := CheckPasswordPolicy(password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		u.FailedLogins = 0
		u.LockedUntil = time.Time{}
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if _, err := tx.RevokeUserSessions(ctx, u.ID, "password-change", s.clock()); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditFrom(actor, client, "user.password", "user/"+u.Username, "修改密码，全部会话已下线"))
	})
}

func auditFrom(actor *Principal, client Client, action, target, detail string) *model.AuditEvent {
	ev := &model.AuditEvent{Actor: model.ActorCLI, Action: action, Target: target, Detail: detail, IP: client.IP}
	if actor != nil {
		ev.ActorID = actor.User.ID
		ev.Actor = actor.User.Username
	}
	return ev
}

// LoginResult is a successful first login step.
type LoginResult struct {
	Token    string // the new session cookie value
	Session  *model.Session
	User     *model.User
	NeedTOTP bool // the session is waiting for the TOTP code
}

// Login checks a username and password. On success it creates a new
// session (a fresh token: any earlier token the browser had is not reused).
// Failures are counted; MaxFailedLogins in a row lock the account for
// LockoutDuration. A name without an account is counted and locked the
// same way, and ErrLocked reads the same for both, so that neither the
// messages nor the lockout tell which usernames exist.
func (s *Service) Login(ctx context.Context, username, password string, client Client) (*LoginResult, error) {
	now := s.clock()
	if !s.throttle.allow(client.IP, now) {
		return nil, ErrThrottled
	}
	username = strings.TrimSpace(username)
	u, err := s.db.UserByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.Disabled) {
		return nil, s.failNoAccount(ctx, username, password, err == nil, client, now)
	}
	if err != nil {
		return nil, err
	}
	if now.Before(u.LockedUntil) {
		// The same work and the same answer as for a name without an account.
		checkPassword(password, "")
		if err := s.db.Audit(ctx, &model.AuditEvent{ActorID: u.ID, Actor: u.Username, Action: "login.locked", Target: "user/" + u.Username, IP: client.IP}); err != nil {
			return nil, err
		}
		return nil, ErrLocked
	}
	if !checkPassword(password, u.PasswordHash) {
		locked := false
		err := s.db.Update(ctx, func(tx *store.Tx) error {
			fresh, err := tx.UserByID(ctx, u.ID)
			if err != nil {
				return err
			}
			fresh.FailedLogins++
			detail := fmt.Sprintf("密码错误（连续第 %d 次）", fresh.FailedLogins)
			if fresh.FailedLogins >= MaxFailedLogins {
				fresh.LockedUntil = now.Add(LockoutDuration)
				fresh.FailedLogins = 0
				detail += "，账户锁定 15 分钟"
				locked = true
			}
			if err := tx.UpdateUser(ctx, fresh); err != nil {
				return err
			}
			return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: u.ID, Actor: u.Username, Action: "login.fail", Target: "user/" + u.Username, Detail: detail, IP: client.IP})
		})
		if err != nil {
			return nil, err
		}
		if locked {
			return nil, ErrLocked
		}
		return nil, ErrBadCredentials
	}
	if u.Frozen() {
		// The password was right, so saying why is no hint to a guesser.
		if err := s.db.Audit(ctx, &model.AuditEvent{ActorID: u.ID, Actor: u.Username, Action: "login.frozen", Target: "user/" + u.Username, Detail: "账户已紧急冻结，拒绝登录", IP: client.IP}); err != nil {
			return nil, err
		}
		return nil, ErrFrozen
	}
	token := newToken()
	sess := &model.Session{UserID: u.ID, TokenHash: hashToken(token), CSRFToken: newToken(), Stage: model.StageFull,
		IP: client.IP, UserAgent: truncate(client.UserAgent, 300), CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(AbsoluteTimeout)}
	if u.TOTPEnabled {
		sess.Stage = model.StageTOTP
		sess.ExpiresAt = now.Add(TOTPPendingWindow)
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		fresh, err := tx.UserByID(ctx, u.ID)
		if err != nil {
			return err
		}
		// With TOTP on, the count of failures (wrong codes included) is
		// reset only when the second step succeeds: a known password must
		// not buy an attacker fresh code guesses.
		if !u.TOTPEnabled {
			fresh.FailedLogins = 0
			if err := tx.UpdateUser(ctx, fresh); err != nil {
				return err
			}
		}
		if err := tx.CreateSession(ctx, sess); err != nil {
			return err
		}
		action := "login.ok"
		if sess.Stage == model.StageTOTP {
			action = "login.password_ok"
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: u.ID, Actor: u.Username, Action: action, Target: fmt.Sprintf("session/%d", sess.ID), Detail: truncate(client.UserAgent, 120), IP: client.IP})
	})
	if err != nil {
		return nil, err
	}
	return &LoginResult{Token: token, Session: sess, User: u, NeedTOTP: sess.Stage == model.StageTOTP}, nil
}

// Authenticate resolves a session token. It enforces revocation, the idle
// and absolute timeouts, and records activity.
func (s *Service) Authenticate(ctx context.Context, token string, client Client) (*Principal, error) {
	if token == "" {
		return nil, ErrNoSession
	}
	sess, err := s.db.SessionByTokenHash(ctx, hashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	now := s.clock()
	if sess.Stage != model.StageFull || !sess.RevokedAt.IsZero() || !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > IdleTimeout {
		return nil, ErrNoSession
	}
	u, err := s.db.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled || u.Frozen() {
		return nil, ErrNoSession
	}
	if now.Sub(sess.LastSeenAt) >= touchInterval || sess.IP != client.IP {
		if err := s.db.TouchSession(ctx, sess.ID, now, client.IP); err != nil {
			return nil, err
		}
		sess.LastSeenAt, sess.IP = now, client.IP
	}
	return &Principal{User: u, Session: sess}, nil
}

// Logout ends the session behind token.
func (s *Service) Logout(ctx context.Context, p *Principal, client Client) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.RevokeSession(ctx, p.Session.ID, "logout", s.clock()); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditFrom(p, client, "logout", fmt.Sprintf("session/%d", p.Session.ID), ""))
	})
}

// Sessions lists a user's live sessions. A user sees their own; an admin
// sees anyone's.
func (s *Service) Sessions(ctx context.Context, actor *Principal, userID int64) ([]*model.Session, error) {
	if err := access.ManageUser(actor.Actor(), userID); err != nil {
		return nil, err
	}
	now := s.clock()
	return s.db.ActiveSessions(ctx, userID, now, now.Add(-IdleTimeout))
}

// RevokeSession ends one session of the actor's own, or any as admin.
func (s *Service) RevokeSession(ctx context.Context, actor *Principal, sessionID int64, client Client) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		sess, err := tx.SessionByID(ctx, sessionID)
		if err != nil {
			return err
		}
		if err := access.ManageUser(actor.Actor(), sess.UserID); err != nil {
			return err
		}
		if err := tx.RevokeSession(ctx, sessionID, actor.User.Username, s.clock()); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditFrom(actor, client, "session.revoke", fmt.Sprintf("session/%d", sessionID), fmt.Sprintf("用户 #%d 的会话", sess.UserID)))
	})
}

// RevokeAll ends every session of a user (全部下线): the emergency freeze
// when a phone is lost. Returns how many sessions ended.
func (s *Service) RevokeAll(ctx context.Context, actor *Principal, userID int64, client Client) (int64, error) {
	if err := access.ManageUser(actor.Actor(), userID); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		n, err = tx.RevokeUserSessions(ctx, userID, actorName(actor), s.clock())
		if err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditFrom(actor, client, "session.revoke_all", "user/"+u.Username, fmt.Sprintf("下线 %d 个会话", n)))
	})
	return n, err
}

func actorName(p *Principal) string {
	if p == nil {
		return model.ActorCLI
	}
	return p.User.Username
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// failNoAccount answers a login for a name without an enabled account
// exactly as for a wrong password: the same argon2id work, the same
// failure count and lockout (kept per name in login_failures), the same
// messages. Returns ErrBadCredentials or ErrLocked.
func (s *Service) failNoAccount(ctx context.Context, username, password string, disabled bool, client Client, now time.Time) error {
	checkPassword(password, "")
	name := truncate(username, 200)
	why := "用户不存在"
	if disabled {
		why = "账户已停用"
	}
	answer := ErrBadCredentials
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		f, err := tx.LoginFailure(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			f = &store.LoginFailure{Username: name}
		} else if err != nil {
			return err
		}
		if now.Before(f.LockedUntil) {
			answer = ErrLocked
			return tx.AppendAudit(ctx, &model.AuditEvent{Actor: name, Action: "login.locked", Target: "user/" + name, Detail: why, IP: client.IP})
		}
		f.FailedLogins++
		detail := fmt.Sprintf("%s（连续第 %d 次）", why, f.FailedLogins)
		if f.FailedLogins >= MaxFailedLogins {
			f.LockedUntil = now.Add(LockoutDuration)
			f.FailedLogins = 0
			detail += "，锁定 15 分钟"
			answer = ErrLocked
		}
		if err := tx.SaveLoginFailure(ctx, f, now, now.Add(-forgetFailuresAfter)); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{Actor: name, Action: "login.fail", Target: "user/" + name, Detail: detail, IP: client.IP})
	})
	if err != nil {
		return err
	}
	return answer
}

// UserPaused reports whether nothing may be sent on the user's behalf
// (outgoing WeCom messages): while the user is under an emergency freeze
// or disabled, and when in doubt (unknown user, database error). The inbox
// asks before every send.
func (s *Service) UserPaused(ctx context.Context, userID int64) bool {
	return s.db.UserPaused(ctx, userID)
}
