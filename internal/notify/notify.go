// Package notify owns the notification centre: the one place workflows
// post what a user must know (deadlines due, receipts confirmed, items
// assigned, calendar changes, urgent client messages, security events).
// The web shows the notifications behind the bell; an optional Pusher
// delivers them to the phone (the WeCom app message), as an outbox: a
// notification committed with its workflow's transaction is pushed after
// that commit, and a crash before the push only delays it.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// ErrInvalid is a notification without a recipient, kind or title.
var ErrInvalid = errors.New("通知缺少接收人、类型或标题")

// Pusher delivers a notification to the user's phone. It returns
// ErrNoChannel when the user has no channel (nothing to retry).
type Pusher interface {
	Push(ctx context.Context, u *model.User, n model.Notification) error
}

// ErrNoChannel says the user cannot be reached outside lvxin.
var ErrNoChannel = errors.New("该用户没有可推送的渠道")

// Service posts and reads notifications.
type Service struct {
	db     *store.DB
	now    func() time.Time
	pusher Pusher
	log    *slog.Logger
}

// New returns the notification centre on db.
func New(db *store.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now, log: slog.Default()}
}

// SetPusher sets where RunPusher delivers notifications (nil: nowhere).
func (s *Service) SetPusher(p Pusher) { s.pusher = p }

func (s *Service) prepare(n *model.Notification) error {
	n.Title = strings.TrimSpace(n.Title)
	if n.UserID == 0 || n.Kind == "" || n.Title == "" {
		return ErrInvalid
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = s.now()
	}
	return nil
}

// PostTx posts n inside the caller's transaction, so the notification
// exists exactly when the change it reports does.
func (s *Service) PostTx(ctx context.Context, tx *store.Tx, n model.Notification) error {
	if err := s.prepare(&n); err != nil {
		return err
	}
	_, err := tx.InsertNotification(ctx, &n)
	return err
}

// Post posts n in its own transaction.
func (s *Service) Post(ctx context.Context, n model.Notification) error {
	return s.db.Update(ctx, func(tx *store.Tx) error { return s.PostTx(ctx, tx, n) })
}

// PostToAdmins posts a copy of n to every active admin.
func (s *Service) PostToAdmins(ctx context.Context, n model.Notification) error {
	admins, err := s.db.FindUsers(ctx, store.UserFilter{Role: model.RoleAdmin})
	if err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		for _, a := range admins {
			if a.Disabled {
				continue
			}
			c := n
			c.UserID = a.ID
			if err := s.PostTx(ctx, tx, c); err != nil {
				return err
			}
		}
		return nil
	})
}

// List returns one page of u's notifications, newest first. A
// notification about a matter u may no longer see (taken off the matter
// since it was posted) is left out, and marked read so the bell stops
// counting it: its title may name the matter.
func (s *Service) List(ctx context.Context, u *model.User, f store.NotificationFilter) ([]model.Notification, error) {
	f.UserID = u.ID
	all, err := s.db.Notifications(ctx, f)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, n := range all {
		if n.MatterID != 0 {
			m, err := s.db.MatterByID(ctx, n.MatterID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, err
			}
			if err != nil || access.ViewMatter(u, m) != nil {
				if n.ReadAt.IsZero() {
					if err := s.MarkRead(ctx, u.ID, n.ID); err != nil {
						return nil, err
					}
				}
				continue
			}
		}
		out = append(out, n)
	}
	return out, nil
}

// BellLimit is the most unread notifications the bell counts; beyond it
// the bell shows "99+".
const BellLimit = 100

// Unread counts the user's unread notifications, up to BellLimit.
func (s *Service) Unread(ctx context.Context, userID int64) (int, error) {
	return s.db.UnreadNotifications(ctx, userID, BellLimit)
}

// MarkRead marks one of the user's notifications read (id 0: all).
func (s *Service) MarkRead(ctx context.Context, userID, id int64) error {
	return s.db.MarkNotificationsRead(ctx, userID, id, s.now())
}

// PushPending pushes up to limit notifications not yet pushed and reports
// how many reached a phone. A notification whose user has no channel is
// marked as handled; a failed push stays pending for the next round.
func (s *Service) PushPending(ctx context.Context, limit int) (int, error) {
	if s.pusher == nil {
		return 0, nil
	}
	pending, err := s.db.UnpushedNotifications(ctx, limit)
	if err != nil {
		return 0, err
	}
	pushed := 0
	for _, n := range pending {
		u, err := s.db.UserByID(ctx, n.UserID)
		if err != nil {
			return pushed, err
		}
		err = s.pusher.Push(ctx, u, n)
		switch {
		case err == nil:
			pushed++
		case errors.Is(err, ErrNoChannel):
		default:
			return pushed, fmt.Errorf("推送通知 #%d 失败：%w", n.ID, err)
		}
		if err := s.db.MarkNotificationPushed(ctx, n.ID, s.now()); err != nil {
			return pushed, err
		}
	}
	return pushed, nil
}

// RunPusher pushes pending notifications every interval until ctx ends.
func (s *Service) RunPusher(ctx context.Context, interval time.Duration) {
	if s.pusher == nil {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.PushPending(ctx, 100); err != nil && ctx.Err() == nil {
			s.log.Warn("notification push", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
