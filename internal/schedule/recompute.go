package schedule

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/deadline"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// AuditRecalculated is the audit action of a deadline moved by new holiday
// data; its detail starts with RecalculatedNotice.
const (
	AuditRecalculated  = "deadline.recalculated"
	RecalculatedNotice = "期限已按新的节假日安排调整"
)

// Recompute brings every open deadline onto the current calendar. Serve
// calls it at start-up, so that a binary with a newer embedded year (or a
// changed provisional-year rule) moves the deadlines saved on older data.
// reason says why, in Chinese. It returns the changes made.
func (s *Service) Recompute(ctx context.Context, actor, reason string) ([]*model.DeadlineChange, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	var changes []*model.DeadlineChange
	err = s.db.Update(ctx, func(tx *store.Tx) (err error) {
		changes, err = recomputeTx(ctx, tx, cal, s.poster, actor, reason)
		return err
	})
	return changes, err
}

// recomputeTx recomputes, inside tx, each open deadline not computed on
// cal's version from its stored inputs (rule, start date, foreign). Every
// deadline gets the new version; one whose due date or provisional flag
// changes keeps the old values in deadline_changes and is audited as
// RecalculatedNotice for its owner, who is notified through p (when set).
func recomputeTx(ctx context.Context, tx *store.Tx, cal *calendar.Calendar, p Poster, actor, reason string) ([]*model.DeadlineChange, error) {
	stale, err := tx.OpenDeadlinesNotOn(ctx, cal.Version())
	if err != nil {
		return nil, err
	}
	var changes []*model.DeadlineChange
	for _, d := range stale {
		from, err := calendar.ParseDate(d.FromDate)
		if err != nil {
			return nil, fmt.Errorf("期限 #%d 的起算日期：%w", d.ID, err)
		}
		res, err := deadline.Compute(cal, d.RuleID, from, deadline.Options{Foreign: d.Foreign})
		if err != nil {
			return nil, fmt.Errorf("重新计算期限 #%d：%w", d.ID, err)
		}
		resultJSON, err := json.Marshal(res)
		if err != nil {
			return nil, err
		}
		if err := tx.UpdateDeadlineComputation(ctx, store.RecomputedDeadline{ID: d.ID, FromDate: d.FromDate, Foreign: d.Foreign,
			DueDate: res.Due.String(), Statute: res.Statute, Result: string(resultJSON), Provisional: res.Provisional,
			CalendarVersion: cal.Version()}); err != nil {
			return nil, err
		}
		if res.Due.String() == d.DueDate && res.Provisional == d.Provisional {
			continue
		}
		c := &model.DeadlineChange{DeadlineID: d.ID, OwnerID: d.OwnerID, Title: d.Title, OldDue: d.DueDate, NewDue: res.Due.String(),
			OldProvisional: d.Provisional, NewProvisional: res.Provisional, CalendarVersion: cal.Version(), Cause: model.CauseCalendar, Reason: reason}
		if err := tx.AddDeadlineChange(ctx, c); err != nil {
			return nil, err
		}
		if err := tx.AppendAudit(ctx, &model.AuditEvent{Actor: actor, Action: AuditRecalculated,
			Target: fmt.Sprintf("deadline/%d", d.ID), Detail: describeChange(c)}); err != nil {
			return nil, err
		}
		if err := postCalendarChanged(ctx, tx, p, d, c); err != nil {
			return nil, err
		}
		changes = append(changes, c)
	}
	return changes, nil
}

// describeChange is the Chinese one-line account of a change.
func describeChange(c *model.DeadlineChange) string {
	move := "届满日不变"
	switch {
	case c.NewDue < c.OldDue:
		move = fmt.Sprintf("届满日提前：%s → %s", c.OldDue, c.NewDue)
	case c.NewDue > c.OldDue:
		move = fmt.Sprintf("届满日推后：%s → %s", c.OldDue, c.NewDue)
	}
	state := ""
	switch {
	case c.OldProvisional && !c.NewProvisional:
		state = "，不再是暂定结果"
	case !c.OldProvisional && c.NewProvisional:
		state = "，现为暂定结果"
	}
	return fmt.Sprintf("%s：「%s」%s%s（%s）", RecalculatedNotice, c.Title, move, state, c.Reason)
}

// Changes lists the recomputations of a user's open deadlines in the last
// 30 days, newest first, for the dashboard.
func (s *Service) Changes(ctx context.Context, ownerID int64) ([]*model.DeadlineChange, error) {
	return s.db.FindDeadlineChanges(ctx, store.DeadlineChangeFilter{OwnerID: ownerID, OpenOnly: true,
		Since: s.now().Add(-30 * 24 * time.Hour), Limit: 20})
}

// History lists every recomputation of one deadline, newest first.
func (s *Service) History(ctx context.Context, deadlineID int64) ([]*model.DeadlineChange, error) {
	return s.db.FindDeadlineChanges(ctx, store.DeadlineChangeFilter{DeadlineID: deadlineID})
}

// MissingNextYear returns next year when, from November on, its holiday
// arrangement is not known yet (the State Council published 2025's on
// 2024-11-12 and 2026's on 2025-11-04), so that admins are asked to import
// it; otherwise 0.
func (s *Service) MissingNextYear(ctx context.Context) (int, error) {
	today := s.Today()
	if today.Month < time.November {
		return 0, nil
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	if cal.HasYear(today.Year + 1) {
		return 0, nil
	}
	return today.Year + 1, nil
}
