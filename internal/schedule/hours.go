package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Policy returns a user's working-hours policy: their own, or the firm
// default (工作日 09:00–18:00 Asia/Shanghai).
func (s *Service) Policy(ctx context.Context, userID int64) (calendar.Policy, error) {
	h, err := s.db.WorkingHours(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return calendar.DefaultPolicy(), nil
	}
	if err != nil {
		return calendar.Policy{}, err
	}
	return calendar.ParsePolicy(h.Start, h.End, h.Zone)
}

// SetPolicy changes the signed-in user's working hours (an admin may change
// anyone's).
func (s *Service) SetPolicy(ctx context.Context, p *auth.Principal, userID int64, start, end string) (calendar.Policy, error) {
	if err := access.ManageUser(p.Actor(), userID); err != nil {
		return calendar.Policy{}, err
	}
	pol, err := calendar.ParsePolicy(start, end, "Asia/Shanghai")
	if err != nil {
		return calendar.Policy{}, fmt.Errorf("%w：%w", model.ErrInvalidInput, err)
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetWorkingHours(ctx, &model.WorkingHours{UserID: userID, Start: pol.Start.String(), End: pol.End.String(), Zone: "Asia/Shanghai"}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: p.User.ID, Actor: p.User.Username, Action: "hours.set",
			Target: fmt.Sprintf("user/%d", userID), Detail: pol.Start.String() + "-" + pol.End.String()})
	})
	return pol, err
}

// WorkingStatus says whether t is inside the user's working hours on the
// firm's calendar and, if not, when the next working period starts.
type WorkingStatus struct {
	Policy    calendar.Policy
	Inside    bool
	NextStart time.Time
}

// Status evaluates a user's working hours at t.
func (s *Service) Status(ctx context.Context, userID int64, t time.Time) (WorkingStatus, error) {
	pol, err := s.Policy(ctx, userID)
	if err != nil {
		return WorkingStatus{}, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return WorkingStatus{}, err
	}
	st := WorkingStatus{Policy: pol, Inside: pol.IsWorkingTime(cal, t)}
	if !st.Inside {
		st.NextStart = pol.NextWorkingStart(cal, t)
	}
	return st, nil
}
