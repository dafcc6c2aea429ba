// Package clientbook owns the client book workflows of lvxin: contacts with
// tags, star and the quarterly review; matters with their parties and staff,
// the matter access rule (access.go, the one place it is decided) and the
// audit of every matter view; closing a matter and handing the
// group-dissolution deadline to internal/schedule; conflict checks against
// every contact and every party of every matter (matching by
// internal/conflict) with the recorded decision; consultations with the
// conversion report; contact import and export through internal/contactio.
package clientbook

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/conflict"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
)

// Service runs the client book workflows on a store.
type Service struct {
	db    *store.DB
	sched *schedule.Service
	now   func() time.Time

	// poster, when set, receives the "assigned to me" notifications.
	poster Poster

	mu       sync.Mutex
	index    *conflict.Index
	indexSeq int64 // the last conflict change the index includes
}

// New returns a Service. sched may be nil (no deadline is handed over on
// closing); now may be nil for time.Now.
func New(db *store.DB, sched *schedule.Service, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, sched: sched, now: now}
}

// DB is the store the service works on.
func (s *Service) DB() *store.DB { return s.db }

// actor names who acts, for the audit log; nil is the local CLI.
func actor(p *auth.Principal) (int64, string) {
	if p == nil || p.User == nil {
		return 0, model.ActorCLI
	}
	return p.User.ID, p.User.Username
}

// audit builds an audit event of p.
func audit(p *auth.Principal, action, target, detail string) *model.AuditEvent {
	id, name := actor(p)
	ev := &model.AuditEvent{ActorID: id, Actor: name, Action: action, Target: target, Detail: detail}
	if p != nil && p.Session != nil {
		ev.IP = p.Session.IP
	}
	return ev
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w：%s", model.ErrInvalidInput, fmt.Sprintf(format, args...))
}

// checkLen refuses over-long or invalid UTF-8 text fields.
func checkLen(label, value string, max int) error {
	if !utf8.ValidString(value) {
		return invalid("%s含无效字符", label)
	}
	if utf8.RuneCountInString(value) > max {
		return invalid("%s不能超过 %d 字", label, max)
	}
	return nil
}

// userRole returns the role of a user id, for validating staff.
func (s *Service) userRole(ctx context.Context, id int64) (model.Role, error) {
	u, err := s.db.UserByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return "", invalid("用户 #%d 不存在", id)
	}
	if err != nil {
		return "", err
	}
	return u.Role, nil
}

func trim(s string) string { return strings.TrimSpace(s) }
