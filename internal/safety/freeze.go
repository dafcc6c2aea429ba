package safety

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// ChecklistWindow is how long the frozen user's browser may tick off the
// checklist after the freeze ended its session.
const ChecklistWindow = 24 * time.Hour

// Errors the user reads.
var (
	ErrNotFrozen   = fmt.Errorf("%w：该用户未被冻结", model.ErrInvalidInput)
	ErrUnknownStep = fmt.Errorf("%w：清单中没有这一步", model.ErrInvalidInput)
	ErrStepDone    = fmt.Errorf("%w：这一步已经勾选过", model.ErrInvalidInput)
	ErrClosed      = fmt.Errorf("%w：这次应急或演练已经结束，不能再勾选", model.ErrInvalidInput)
)

// Revoker ends one kind of access a user handed out (for example the
// delivery links they issued, internal/delivery). It runs after the freeze
// committed, in its own transaction.
type Revoker func(ctx context.Context, userID int64) error

// AdminNotifier tells every admin that a user was frozen (the notification
// centre, internal/notify: PostToAdmins with Kind model.NotifySecurity).
type AdminNotifier func(ctx context.Context, title, body, link string) error

// Service runs freezes, unfreezes, checklists and drills.
type Service struct {
	db  *store.DB
	now func() time.Time
	// Revokers run after every freeze: each revokes one more kind of token
	// or link the frozen user issued. The lead wires delivery's here.
	Revokers []Revoker
	// NotifyAdmins, when set, is told about every freeze (serve and the CLI
	// wire NotifyAdminsVia over the notification centre).
	NotifyAdmins AdminNotifier
	// Logger receives failures of Revokers and NotifyAdmins (the freeze
	// itself has committed by then).
	Logger *slog.Logger
}

// New returns a Service. now may be nil for time.Now.
func New(db *store.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now, Logger: slog.Default()}
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// UserPaused reports whether nothing may be sent on the user's behalf
// (outgoing WeCom messages): while the user is frozen or disabled. The
// inbox asks this before every send.
func (s *Service) UserPaused(ctx context.Context, userID int64) bool {
	return s.db.UserPaused(ctx, userID)
}

// FreezeResult says what a freeze did.
type FreezeResult struct {
	User     *model.User
	Incident *model.FreezeIncident
	Sessions int64 // sessions ended
	// ChecklistToken lets the browser that froze its own account tick off
	// the checklist (only that) for ChecklistWindow; empty when an admin or
	// the command line froze someone else.
	ChecklistToken string
	// RevokerErrors are the hooks that failed (the freeze stands).
	RevokerErrors []error
}

func actorName(p *auth.Principal) string {
	if p == nil {
		return model.ActorCLI
	}
	return p.User.Username
}

func auditEvent(p *auth.Principal, client auth.Client, action, target, detail string) *model.AuditEvent {
	ev := &model.AuditEvent{Actor: model.ActorCLI, Action: action, Target: target, Detail: detail, IP: client.IP}
	if p != nil {
		ev.ActorID, ev.Actor = p.User.ID, p.User.Username
	}
	return ev
}

// Freeze is 紧急冻结: in one transaction it marks the user frozen, ends
// every session (this one too), revokes the iCalendar feed token, opens an
// incident for the checklist and writes the audit row; then it runs the
// Revokers and notifies the admins. The user themself (from any signed-in
// device), an admin, or the command line (actor nil) may freeze. The
// recovery codes and TOTP secret stay: the user needs them to come back.
// Freezing a frozen user ends any sessions again and keeps the open
// incident.
func (s *Service) Freeze(ctx context.Context, actor *auth.Principal, userID int64, client auth.Client) (*FreezeResult, error) {
	if err := access.ManageUser(actor.Actor(), userID); err != nil {
		return nil, err
	}
	now := s.clock()
	res := &FreezeResult{}
	self := actor != nil && actor.User.ID == userID
	var token string
	if self {
		token = newToken()
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		wasFrozen := u.Frozen()
		if !wasFrozen {
			if err := tx.SetUserFrozen(ctx, userID, now, actorName(actor)); err != nil {
				return err
			}
			u.FrozenAt, u.FrozenBy = now, actorName(actor)
		}
		res.User = u
		if res.Sessions, err = tx.RevokeUserSessions(ctx, userID, "freeze", now); err != nil {
			return err
		}
		if err := tx.DeleteCalendarFeed(ctx, userID); err != nil {
			return err
		}
		in := &model.FreezeIncident{UserID: userID, StartedAt: now, StartedBy: actorName(actor)}
		if token != "" {
			in.ChecklistTokenHash, in.ChecklistUntil = hashToken(token), now.Add(ChecklistWindow)
		}
		if wasFrozen {
			// Keep the open incident; a new one only if none is open.
			if _, err := tx.EndFreezeIncidents(ctx, userID, false, now, actorName(actor)); err != nil {
				return err
			}
		}
		if err := tx.CreateFreezeIncident(ctx, in); err != nil {
			return err
		}
		res.Incident = in
		detail := fmt.Sprintf("紧急冻结：下线 %d 个会话，撤销日历订阅链接，暂停代发企业微信消息", res.Sessions)
		if wasFrozen {
			detail = "再次" + detail
		}
		return tx.AppendAudit(ctx, auditEvent(actor, client, "user.freeze", "user/"+u.Username, detail))
	})
	if err != nil {
		return nil, err
	}
	res.ChecklistToken = token
	for i, revoke := range s.Revokers {
		if err := revoke(ctx, userID); err != nil {
			res.RevokerErrors = append(res.RevokerErrors, err)
			s.Logger.Error("freeze: revoker failed", "hook", i, "user", userID, "err", err)
			_ = s.db.Audit(ctx, auditEvent(actor, client, "user.freeze.revoke_failed", "user/"+res.User.Username, fmt.Sprintf("第 %d 项撤销失败：%v", i+1, err)))
		}
	}
	if s.NotifyAdmins != nil {
		title := fmt.Sprintf("用户已紧急冻结：%s", res.User.DisplayName)
		body := fmt.Sprintf("%s（%s）于 %s 由 %s 紧急冻结：全部会话已下线，日历订阅已撤销，企业微信代发已暂停。解冻需管理员操作。",
			res.User.DisplayName, res.User.Username, now.In(calendar.Shanghai).Format("2006-01-02 15:04"), actorName(actor))
		if err := s.NotifyAdmins(ctx, title, body, fmt.Sprintf("/admin/users/%d", userID)); err != nil {
			s.Logger.Error("freeze: notifying admins failed", "user", userID, "err", err)
		}
	}
	return res, nil
}

// Unfreeze lifts a freeze; only an admin (or the command line) may. The
// user signs in again with password and TOTP (or a recovery code).
func (s *Service) Unfreeze(ctx context.Context, actor *auth.Principal, userID int64, client auth.Client) (*model.User, error) {
	if err := access.Administer(actor.Actor()); err != nil {
		return nil, err
	}
	now := s.clock()
	var u *model.User
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if u, err = tx.UserByID(ctx, userID); err != nil {
			return err
		}
		if !u.Frozen() {
			return ErrNotFrozen
		}
		if err := tx.SetUserFrozen(ctx, userID, time.Time{}, ""); err != nil {
			return err
		}
		if _, err := tx.EndFreezeIncidents(ctx, userID, false, now, actorName(actor)); err != nil {
			return err
		}
		detail := fmt.Sprintf("解除紧急冻结（%s 于 %s 冻结）", u.FrozenBy, u.FrozenAt.In(calendar.Shanghai).Format("2006-01-02 15:04"))
		u.FrozenAt, u.FrozenBy = time.Time{}, ""
		return tx.AppendAudit(ctx, auditEvent(actor, client, "user.unfreeze", "user/"+u.Username, detail))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// StartDrill opens a drill of the checklist for the user: nothing is
// frozen or revoked. The user or an admin may start one.
func (s *Service) StartDrill(ctx context.Context, actor *auth.Principal, userID int64, client auth.Client) (*model.FreezeIncident, error) {
	if err := access.ManageUser(actor.Actor(), userID); err != nil {
		return nil, err
	}
	now := s.clock()
	in := &model.FreezeIncident{UserID: userID, Drill: true, StartedAt: now, StartedBy: actorName(actor)}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		// An unfinished drill is left behind when a new one starts.
		if _, err := tx.EndFreezeIncidents(ctx, userID, true, now, actorName(actor)); err != nil {
			return err
		}
		if err := tx.CreateFreezeIncident(ctx, in); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditEvent(actor, client, "freeze.drill", fmt.Sprintf("user/%s", u.Username),
			fmt.Sprintf("开始应急演练 #%d（不冻结任何内容）", in.ID)))
	})
	if err != nil {
		return nil, err
	}
	return in, nil
}

// Incident returns an incident or drill the actor may see: their own, or
// anyone's for an admin. Another user's answers like a missing one.
func (s *Service) Incident(ctx context.Context, actor *auth.Principal, id int64) (*model.FreezeIncident, error) {
	in, err := s.db.FreezeIncident(ctx, id)
	if err != nil {
		return nil, err
	}
	if access.ManageUser(actor.Actor(), in.UserID) != nil {
		return nil, access.ErrHidden
	}
	return in, nil
}

// Incidents lists the user's incidents and drills, newest first.
func (s *Service) Incidents(ctx context.Context, actor *auth.Principal, userID int64) ([]*model.FreezeIncident, error) {
	if err := access.ManageUser(actor.Actor(), userID); err != nil {
		return nil, err
	}
	return s.db.FreezeIncidents(ctx, userID, 50)
}

// TickStep records a checklist step done, by a signed-in actor who may
// manage the incident's user (the user during a drill, an admin during a
// freeze).
func (s *Service) TickStep(ctx context.Context, actor *auth.Principal, incidentID int64, step string, client auth.Client) (*model.FreezeIncident, error) {
	in, err := s.Incident(ctx, actor, incidentID)
	if err != nil {
		return nil, err
	}
	return s.tick(ctx, in, actor, actorName(actor), step, client)
}

// ChecklistByToken returns the incident a checklist token opens, while it
// is valid.
func (s *Service) ChecklistByToken(ctx context.Context, token string) (*model.FreezeIncident, error) {
	if token == "" {
		return nil, store.ErrNotFound
	}
	in, err := s.db.FreezeIncidentByChecklistToken(ctx, hashToken(token))
	if err != nil {
		return nil, err
	}
	if !s.clock().Before(in.ChecklistUntil) || !in.EndedAt.IsZero() {
		return nil, store.ErrNotFound
	}
	return in, nil
}

// TickStepByToken records a step done through the checklist token of the
// frozen user's browser.
func (s *Service) TickStepByToken(ctx context.Context, token, step string, client auth.Client) (*model.FreezeIncident, error) {
	in, err := s.ChecklistByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	u, err := s.db.UserByID(ctx, in.UserID)
	if err != nil {
		return nil, err
	}
	return s.tick(ctx, in, &auth.Principal{User: u}, u.Username, step, client)
}

func (s *Service) tick(ctx context.Context, in *model.FreezeIncident, actor *auth.Principal, by, step string, client auth.Client) (*model.FreezeIncident, error) {
	st, ok := stepByKey(step)
	if !ok {
		return nil, ErrUnknownStep
	}
	if !in.EndedAt.IsZero() && in.Drill {
		return nil, ErrClosed
	}
	now := s.clock()
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(ctx, in.UserID)
		if err != nil {
			return err
		}
		if err := tx.AddFreezeStep(ctx, in.ID, model.FreezeStep{Step: step, DoneAt: now, DoneBy: by}); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return ErrStepDone
			}
			return err
		}
		kind := "应急"
		if in.Drill {
			kind = "演练"
		}
		fresh, err := tx.FreezeIncident(ctx, in.ID)
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("%s #%d 完成：%s", kind, in.ID, st.Title)
		if in.Drill && len(fresh.Steps) == len(Checklist) {
			if err := tx.EndFreezeIncident(ctx, in.ID, now, by); err != nil {
				return err
			}
			detail += "（演练全部完成）"
		}
		ev := auditEvent(actor, client, "freeze.step", "user/"+u.Username, detail)
		if actor != nil && actor.User != nil && actor.Session == nil {
			ev.Detail += "（通过冻结后的清单链接）"
		}
		return tx.AppendAudit(ctx, ev)
	})
	if err != nil {
		return nil, err
	}
	return s.db.FreezeIncident(ctx, in.ID)
}

func newToken() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
