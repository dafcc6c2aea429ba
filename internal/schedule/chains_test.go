package schedule_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/deadline"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func TestTriggerChain(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := schedule.New(db, func() time.Time { return time.Date(2026, 1, 20, 2, 0, 0, 0, time.UTC) })
		lead := principal(t, db, "zhang", model.RoleLawyer)
		admin := principal(t, db, "wang", model.RoleAdmin)
		m := &model.Matter{Title: "甲诉乙借款纠纷", Type: model.MatterCivil, CaseNumber: "（2026）京0105民初1号", Status: model.MatterInProgress, LeadLawyerID: lead.User.ID}
		other := &model.Matter{Title: "丙诉丁", Type: model.MatterAdministrative, Status: model.MatterInProgress, LeadLawyerID: lead.User.ID}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateMatter(ctx, m); err != nil {
				return err
			}
			return tx.CreateMatter(ctx, other)
		}); err != nil {
			t.Fatal(err)
		}

		// An admin records 受理通知: three deadlines for the lead lawyer.
		trig, saved, err := svc.CreateTrigger(ctx, admin, m, schedule.TriggerInput{Kind: "complaint-served", EventDate: "2026-02-01"})
		if err != nil || len(saved) != 3 {
			t.Fatalf("create: %v %d", err, len(saved))
		}
		for _, d := range saved {
			if d.OwnerID != lead.User.ID || d.MatterID != m.ID || d.TriggerID != trig.ID || d.DueDate != "2026-02-24" {
				t.Errorf("chain deadline: %+v", d)
			}
		}
		chains, err := svc.MatterChains(ctx, m)
		if err != nil || len(chains) != 1 || len(chains[0].Deadlines) != 3 || chains[0].Name != "受理通知（收到起诉状副本）" {
			t.Fatalf("chains: %v %+v", err, chains)
		}

		// Marking one done keeps it out of later changes.
		if err := svc.SetDone(ctx, lead, saved[2].ID, true); err != nil {
			t.Fatal(err)
		}
		changes, err := svc.UpdateTrigger(ctx, lead, m, trig.ID, schedule.TriggerInput{EventDate: "2026-03-20"})
		if err != nil || len(changes) != 2 {
			t.Fatalf("update: %v %+v", err, changes)
		}
		for _, id := range []int64{saved[0].ID, saved[1].ID} {
			if d, _ := db.DeadlineByID(ctx, id); d.DueDate != "2026-04-07" || d.FromDate != "2026-03-20" {
				t.Errorf("after the trigger moved: %+v", d)
			}
		}
		if d, _ := db.DeadlineByID(ctx, saved[2].ID); d.DueDate != "2026-02-24" {
			t.Errorf("a done deadline moved: %+v", d)
		}
		if h, _ := svc.History(ctx, saved[0].ID); len(h) != 1 || h[0].Cause != model.CauseTrigger || h[0].OldDue != "2026-02-24" {
			t.Errorf("history: %+v", h)
		}

		// A trigger of another matter answers like a missing one.
		if _, err := svc.UpdateTrigger(ctx, lead, other, trig.ID, schedule.TriggerInput{EventDate: "2026-03-21"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("update through another matter: %v", err)
		}
		if err := svc.CancelTrigger(ctx, lead, other, trig.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("cancel through another matter: %v", err)
		}

		if err := svc.CancelTrigger(ctx, lead, m, trig.ID); err != nil {
			t.Fatal(err)
		}
		left, _ := db.FindDeadlines(ctx, store.DeadlineFilter{TriggerID: trig.ID})
		if len(left) != 1 || left[0].ID != saved[2].ID {
			t.Errorf("after cancel: %+v", left)
		}
		if _, err := svc.UpdateTrigger(ctx, lead, m, trig.ID, schedule.TriggerInput{EventDate: "2026-03-21"}); !errors.Is(err, schedule.ErrTriggerCancelled) {
			t.Errorf("update after cancel: %v", err)
		}

		// The procedure follows the matter type; bad input is refused.
		_, saved, err = svc.CreateTrigger(ctx, lead, other, schedule.TriggerInput{Kind: "judgment-served", EventDate: "2025-09-13"})
		if err != nil || len(saved) != 1 || saved[0].RuleID != "admin-appeal-judgment" || saved[0].DueDate != "2025-09-28" {
			t.Fatalf("admin chain: %v %+v", err, saved)
		}
		if _, _, err := svc.CreateTrigger(ctx, lead, other, schedule.TriggerInput{Kind: "complaint-served", EventDate: "2026-03-02"}); !errors.Is(err, model.ErrInvalidInput) || !errors.Is(err, deadline.ErrUnknownTrigger) {
			t.Errorf("complaint-served on an administrative matter: %v", err)
		}
		if _, _, err := svc.CreateTrigger(ctx, lead, m, schedule.TriggerInput{Kind: "judgment-served", EventDate: "2026-02-30"}); !errors.Is(err, model.ErrInvalidInput) || !errors.Is(err, deadline.ErrInvalidStart) {
			t.Errorf("impossible date: %v", err)
		}
		if rep, err := db.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Fatalf("audit: %+v", rep)
		}
	})
}
