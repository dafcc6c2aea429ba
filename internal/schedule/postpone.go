package schedule

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// AuditPostponed is the audit action of a deadline postponed by hand.
const AuditPostponed = "deadline.postpone"

// Postpone moves an open deadline to a later due date (顺延: the court
// granted an extension, the client agreed another date), with a note that
// says why. Only whoever may see the deadline may; the move is audited and
// kept with the deadline, and the deadline is no longer recomputed from its
// rule. newDue is YYYY-MM-DD and must lie after the current due date.
func (s *Service) Postpone(ctx context.Context, p *auth.Principal, id int64, newDue, note string) (*store.DeadlinePostponement, error) {
	d, err := s.db.DeadlineByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := access.ViewDeadline(p.Actor(), d); err != nil {
		return nil, err // the web layer audits the refusal
	}
	if d.Status != model.DeadlineOpen {
		return nil, fmt.Errorf("%w：期限已完成，不能顺延", model.ErrInvalidInput)
	}
	due, err := calendar.ParseDate(strings.TrimSpace(newDue))
	if err != nil {
		return nil, fmt.Errorf("%w：顺延后的届满日：请填写日期，格式为 2026-05-01", model.ErrInvalidInput)
	}
	if due.String() <= d.DueDate {
		return nil, fmt.Errorf("%w：顺延后的届满日须晚于原届满日 %s", model.ErrInvalidInput, d.DueDate)
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return nil, fmt.Errorf("%w：顺延说明：请写明顺延的理由（例如法院准许延期）", model.ErrInvalidInput)
	}
	if utf8.RuneCountInString(note) > 500 {
		return nil, fmt.Errorf("%w：顺延说明不超过 500 字", model.ErrInvalidInput)
	}
	pp := &store.DeadlinePostponement{DeadlineID: d.ID, OldDue: d.DueDate, NewDue: due.String(), Note: note, ByUserID: p.User.ID}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PostponeDeadline(ctx, pp); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: p.User.ID, Actor: p.User.Username, Action: AuditPostponed,
			Target: fmt.Sprintf("deadline/%d", d.ID), Detail: fmt.Sprintf("「%s」%s → %s：%s", d.Title, pp.OldDue, pp.NewDue, note)})
	})
	if err != nil {
		return nil, err
	}
	return pp, nil
}
