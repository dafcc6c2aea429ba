// Package inbox owns the message centre of lvxin (消息): client
// conversations arriving from WeCom's kf (微信客服) or the simulator, the
// off-hours auto-reply on the real working calendar (statutory holidays
// and 调休), do-not-disturb windows with urgent-keyword escalation, the
// welcome message of a new contact, first-response times counted in
// working minutes with the weekly report, and the case groups (案件群):
// the naming convention, member review, dissolution after closing and
// important notices with read confirmation.
//
// The wecom processor calls Message, ContactEvent and GroupEvent (the
// Sink); outgoing messages go through a Sender the wecom client satisfies.
// Who may see a conversation or a group is decided by internal/access.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
)

// Sender sends messages to WeCom (the wecom client satisfies it).
type Sender interface {
	SendKFText(ctx context.Context, openKFID, externalUserID, text string) error
	SendAppText(ctx context.Context, wecomUserIDs []string, text string) error
	SendWelcome(ctx context.Context, welcomeCode, text string) error
}

// Notifier posts to the notification centre (*notify.Service satisfies it).
type Notifier interface {
	Post(ctx context.Context, n model.Notification) error
	PostToAdmins(ctx context.Context, n model.Notification) error
}

// Directory maps lvxin users to WeCom userids and back (from
// users.wecom_userid); ok false when a user has none.
type Directory interface {
	WeComUserID(ctx context.Context, userID int64) (string, bool)
	UserIDByWeCom(ctx context.Context, wecomUserID string) (int64, bool)
}

// Config wires a Service.
type Config struct {
	DB       *store.DB
	Schedule *schedule.Service // working hours and the firm's calendar
	// Sender sends to WeCom; nil records outgoing messages as failed
	// (企业微信未配置).
	Sender Sender
	// Notify posts notifications; nil posts none.
	Notify Notifier
	// Directory maps users to WeCom userids; nil knows none.
	Directory Directory
	// Paused reports whether a user's outgoing messages are frozen
	// (emergency freeze); nil never pauses.
	Paused func(ctx context.Context, userID int64) bool
	Now    func() time.Time
	Logger *slog.Logger
}

// Service is the message centre.
type Service struct {
	cfg Config
	db  *store.DB
}

// New returns a Service on cfg (Now defaults to time.Now).
func New(cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Service{cfg: cfg, db: cfg.DB}
}

// SetSender sets the WeCom sender after construction (the lead wires the
// wecom client, which may be built later).
func (s *Service) SetSender(snd Sender) { s.cfg.Sender = snd }

// SetNotifier sets the notification centre after construction.
func (s *Service) SetNotifier(n Notifier) { s.cfg.Notify = n }

// SetDirectory sets the user ↔ WeCom userid mapping after construction.
func (s *Service) SetDirectory(d Directory) { s.cfg.Directory = d }

// SetPaused sets the emergency-freeze check after construction.
func (s *Service) SetPaused(f func(ctx context.Context, userID int64) bool) { s.cfg.Paused = f }

// ErrNoSender: WeCom is not configured, nothing can be sent.
var ErrNoSender = errors.New("企业微信尚未配置，无法发送")

func (s *Service) paused(ctx context.Context, userIDs ...int64) bool {
	if s.cfg.Paused == nil {
		return false
	}
	for _, id := range userIDs {
		if id != 0 && s.cfg.Paused(ctx, id) {
			return true
		}
	}
	return false
}

// actor names who acts, for the audit log; nil is the local CLI.
func actor(p *auth.Principal) (int64, string) {
	if p == nil || p.User == nil {
		return 0, model.ActorCLI
	}
	return p.User.ID, p.User.Username
}

func audit(p *auth.Principal, action, target, detail string) *model.AuditEvent {
	id, name := actor(p)
	ev := &model.AuditEvent{ActorID: id, Actor: name, Action: action, Target: target, Detail: detail}
	if p != nil && p.Session != nil {
		ev.IP = p.Session.IP
	}
	return ev
}

// userOf is p's user id (0 for the CLI).
func userOf(p *auth.Principal) int64 {
	id, _ := actor(p)
	return id
}

// phone is the number a lawyer's 专业形象 profile gives clients.
func (s *Service) phone(ctx context.Context, lawyerID int64) string {
	if lawyerID != 0 {
		lp, err := s.db.LawyerProfile(ctx, lawyerID)
		if err == nil {
			if lp.Phone != "" {
				return lp.Phone
			}
			if lp.WorkPhone != "" {
				return lp.WorkPhone
			}
		}
	}
	return "（律师尚未在专业形象中填写电话）"
}

// lawyerName is a user's display name ("" when unknown).
func (s *Service) lawyerName(ctx context.Context, userID int64) string {
	if userID == 0 {
		return ""
	}
	if lp, err := s.db.LawyerProfile(ctx, userID); err == nil && lp.Name != "" {
		return lp.Name
	}
	if u, err := s.db.UserByID(ctx, userID); err == nil {
		return u.DisplayName
	}
	return ""
}

func target(kind string, id int64) string { return fmt.Sprintf("%s/%d", kind, id) }

// DirectoryFuncs adapts two lookups (for example over users.wecom_userid)
// to a Directory.
type DirectoryFuncs struct {
	WeComUserIDFunc   func(ctx context.Context, userID int64) (string, bool)
	UserIDByWeComFunc func(ctx context.Context, wecomUserID string) (int64, bool)
}

// WeComUserID implements Directory.
func (d DirectoryFuncs) WeComUserID(ctx context.Context, userID int64) (string, bool) {
	if d.WeComUserIDFunc == nil {
		return "", false
	}
	return d.WeComUserIDFunc(ctx, userID)
}

// UserIDByWeCom implements Directory.
func (d DirectoryFuncs) UserIDByWeCom(ctx context.Context, wecomUserID string) (int64, bool) {
	if d.UserIDByWeComFunc == nil {
		return 0, false
	}
	return d.UserIDByWeComFunc(ctx, wecomUserID)
}
