package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/deadline"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// ErrTriggerCancelled refuses changing a cancelled trigger.
var ErrTriggerCancelled = fmt.Errorf("%w：该起算事件已撤销", model.ErrInvalidInput)

// ProcedureOf is the proceedings a matter of type t is in.
func ProcedureOf(t model.MatterType) deadline.Procedure {
	switch t {
	case model.MatterAdministrative:
		return deadline.ProcedureAdmin
	case model.MatterCriminal:
		return deadline.ProcedureCriminal
	}
	return deadline.ProcedureCivil
}

// TriggerInput is a trigger event to record on a matter.
type TriggerInput struct {
	Kind      string // deadline.Trigger id, e.g. judgment-served
	EventDate string // YYYY-MM-DD
	Foreign   bool
}

// Chain is one trigger of a matter with the deadlines it created.
type Chain struct {
	Trigger   *model.DeadlineTrigger
	Name      string // the trigger's Chinese name
	Deadlines []*model.Deadline
}

// MatterRef is how a deadline names its matter.
func MatterRef(m *model.Matter) string {
	if m.CaseNumber != "" {
		return fmt.Sprintf("#%d %s %s", m.ID, m.CaseNumber, m.Title)
	}
	return fmt.Sprintf("#%d %s", m.ID, m.Title)
}

// CreateTrigger records a trigger event on matter m and saves every
// deadline that follows from it, owned by the matter's lead lawyer and
// linked to the matter and to the trigger, in one transaction. The caller
// has checked that p may change m. Bad input wraps model.ErrInvalidInput together
// with deadline.ErrUnknownTrigger or deadline.ErrInvalidStart.
func (s *Service) CreateTrigger(ctx context.Context, p *auth.Principal, m *model.Matter, in TriggerInput) (*model.DeadlineTrigger, []*model.Deadline, error) {
	trig, links, err := deadline.Links(in.Kind, ProcedureOf(m.Type))
	if err != nil {
		return nil, nil, fmt.Errorf("%w：%w", model.ErrInvalidInput, err)
	}
	from, err := calendar.ParseDate(in.EventDate)
	if err != nil {
		return nil, nil, fmt.Errorf("%w：%w：%w", model.ErrInvalidInput, deadline.ErrInvalidStart, err)
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, nil, err
	}
	t := &model.DeadlineTrigger{OwnerID: m.LeadLawyerID, MatterID: m.ID, Kind: trig.ID, EventDate: from.String(), Foreign: in.Foreign}
	var saved []*model.Deadline
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateDeadlineTrigger(ctx, t); err != nil {
			return err
		}
		for _, l := range links {
			d, err := saveTx(ctx, tx, cal, p, m.LeadLawyerID, SaveInput{Title: l.Title + "：" + m.Title, MatterID: m.ID,
				MatterRef: MatterRef(m), RuleID: l.Rule, From: t.EventDate, Foreign: t.Foreign, TriggerID: t.ID})
			if err != nil {
				return err
			}
			saved = append(saved, d)
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: p.User.ID, Actor: p.User.Username, Action: "deadline.trigger",
			Target: fmt.Sprintf("matter/%d", m.ID), Detail: fmt.Sprintf("%s %s：%d 个期限", trig.Name, t.EventDate, len(saved))})
	})
	if err != nil {
		if errors.Is(err, deadline.ErrInvalidStart) {
			return nil, nil, fmt.Errorf("%w：%w", model.ErrInvalidInput, err)
		}
		return nil, nil, err
	}
	return t, saved, nil
}

// matterTrigger loads trigger id and checks it belongs to m, so that a
// trigger of another matter answers like a missing one.
func (s *Service) matterTrigger(ctx context.Context, m *model.Matter, id int64) (*model.DeadlineTrigger, error) {
	t, err := s.db.DeadlineTriggerByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.MatterID != m.ID {
		return nil, store.ErrNotFound
	}
	return t, nil
}

// UpdateTrigger changes a trigger's event date (and foreign flag) and
// recomputes every open deadline of its chain in the same transaction,
// keeping the old dates in their history. The caller has checked that p may
// change m.
func (s *Service) UpdateTrigger(ctx context.Context, p *auth.Principal, m *model.Matter, id int64, in TriggerInput) ([]*model.DeadlineChange, error) {
	t, err := s.matterTrigger(ctx, m, id)
	if err != nil {
		return nil, err
	}
	if t.Status != model.TriggerActive {
		return nil, ErrTriggerCancelled
	}
	from, err := calendar.ParseDate(in.EventDate)
	if err != nil {
		return nil, fmt.Errorf("%w：%w：%w", model.ErrInvalidInput, deadline.ErrInvalidStart, err)
	}
	trig, _ := deadline.LookupTrigger(t.Kind)
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	reason := fmt.Sprintf("起算事件「%s」由 %s 改为 %s", trig.Name, t.EventDate, from)
	oldDate := t.EventDate
	t.EventDate, t.Foreign = from.String(), in.Foreign
	var changes []*model.DeadlineChange
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateDeadlineTrigger(ctx, t); err != nil {
			return err
		}
		list, err := tx.TriggerDeadlines(ctx, t.ID)
		if err != nil {
			return err
		}
		for _, d := range list {
			if d.Status != model.DeadlineOpen {
				continue
			}
			res, err := deadline.Compute(cal, d.RuleID, from, deadline.Options{Foreign: t.Foreign})
			if err != nil {
				return err
			}
			resultJSON, err := json.Marshal(res)
			if err != nil {
				return err
			}
			if err := tx.UpdateDeadlineComputation(ctx, store.RecomputedDeadline{ID: d.ID, FromDate: from.String(), Foreign: res.Foreign,
				DueDate: res.Due.String(), Statute: res.Statute, Result: string(resultJSON), Provisional: res.Provisional,
				CalendarVersion: cal.Version()}); err != nil {
				return err
			}
			c := &model.DeadlineChange{DeadlineID: d.ID, OwnerID: d.OwnerID, Title: d.Title, OldDue: d.DueDate, NewDue: res.Due.String(),
				OldProvisional: d.Provisional, NewProvisional: res.Provisional, CalendarVersion: cal.Version(), Cause: model.CauseTrigger, Reason: reason}
			if err := tx.AddDeadlineChange(ctx, c); err != nil {
				return err
			}
			changes = append(changes, c)
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: p.User.ID, Actor: p.User.Username, Action: "deadline.trigger_update",
			Target: fmt.Sprintf("matter/%d", m.ID), Detail: fmt.Sprintf("%s %s → %s：%d 个期限重新计算", trig.Name, oldDate, t.EventDate, len(changes))})
	})
	if err != nil {
		return nil, err
	}
	return changes, nil
}

// CancelTrigger cancels a trigger and removes the open deadlines of its
// chain in one transaction; deadlines already done stay as a record. The
// caller has checked that p may change m.
func (s *Service) CancelTrigger(ctx context.Context, p *auth.Principal, m *model.Matter, id int64) error {
	t, err := s.matterTrigger(ctx, m, id)
	if err != nil {
		return err
	}
	if t.Status != model.TriggerActive {
		return ErrTriggerCancelled
	}
	trig, _ := deadline.LookupTrigger(t.Kind)
	t.Status = model.TriggerCancelled
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateDeadlineTrigger(ctx, t); err != nil {
			return err
		}
		list, err := tx.TriggerDeadlines(ctx, t.ID)
		if err != nil {
			return err
		}
		removed := 0
		for _, d := range list {
			if d.Status != model.DeadlineOpen {
				continue
			}
			if err := tx.DeleteDeadline(ctx, d.ID); err != nil {
				return err
			}
			removed++
		}
		return tx.AppendAudit(ctx, &model.AuditEvent{ActorID: p.User.ID, Actor: p.User.Username, Action: "deadline.trigger_cancel",
			Target: fmt.Sprintf("matter/%d", m.ID), Detail: fmt.Sprintf("%s %s：撤销 %d 个未完成的期限", trig.Name, t.EventDate, removed)})
	})
}

// MatterChains lists the triggers of matter m with their deadlines. The
// caller has checked that p may see m.
func (s *Service) MatterChains(ctx context.Context, m *model.Matter) ([]Chain, error) {
	list, err := s.db.MatterDeadlineTriggers(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Chain, 0, len(list))
	for _, t := range list {
		ds, err := s.db.FindDeadlines(ctx, store.DeadlineFilter{TriggerID: t.ID})
		if err != nil {
			return nil, err
		}
		name := t.Kind
		if trig, ok := deadline.LookupTrigger(t.Kind); ok {
			name = trig.Name
		}
		out = append(out, Chain{Trigger: t, Name: name, Deadlines: ds})
	}
	return out, nil
}
