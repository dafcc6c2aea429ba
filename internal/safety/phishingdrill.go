package safety

import (
	"context"
	"fmt"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/phishing"
	"github.com/lvxin/lvxin/internal/store"
)

// RecordPhishingDrill grades the signed-in user's answers to the drill of
// seed (phishing.NewDrill) and records the score with an audit row.
func (s *Service) RecordPhishingDrill(ctx context.Context, actor *auth.Principal, seed uint64, answers map[int]string, client auth.Client) (phishing.DrillGrade, *model.PhishingDrillResult, error) {
	if err := access.Self(actor.Actor()); err != nil {
		return phishing.DrillGrade{}, nil, err
	}
	g := phishing.GradeDrill(seed, answers)
	res := &model.PhishingDrillResult{UserID: actor.User.ID, TakenAt: s.clock(), Questions: g.Questions,
		Correct: g.Correct, MissedLures: g.MissedLures, FalseAlarms: g.FalseAlarms}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddPhishingDrill(ctx, res); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditEvent(actor, client, "phishing.drill", "user/"+actor.User.Username,
			fmt.Sprintf("钓鱼演练：%d 题答对 %d 题（漏判钓鱼 %d，误判正常 %d）", g.Questions, g.Correct, g.MissedLures, g.FalseAlarms)))
	})
	if err != nil {
		return g, nil, err
	}
	return g, res, nil
}

// PhishingDrills lists drill results, newest first: the user's own, or
// with userID 0 everyone's (admins only).
func (s *Service) PhishingDrills(ctx context.Context, actor *auth.Principal, userID int64) ([]*model.PhishingDrillResult, error) {
	if userID == 0 {
		if err := access.Administer(actor.Actor()); err != nil {
			return nil, err
		}
	} else if err := access.ManageUser(actor.Actor(), userID); err != nil {
		return nil, err
	}
	return s.db.PhishingDrills(ctx, userID, 200)
}
