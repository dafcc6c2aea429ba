package clientbook

import (
	"context"
	"fmt"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// ErrNotClosed refuses reopening a matter that is still open.
var ErrNotClosed = fmt.Errorf("%w：案件尚未结案，无需重新打开", model.ErrInvalidInput)

// Reopened is what ReopenMatter did.
type Reopened struct {
	From model.MatterStatus // 结案 or 归档
	// Cancelled is how many open group-dissolution deadlines were removed
	// (the case group stays while the matter is open again).
	Cancelled int
}

// ReopenMatter takes a closed (or archived) matter back to 办理中: only an
// administrator may (a matter's status otherwise only moves forward). The
// closing date is cleared and the open group-dissolution deadline that
// closing handed to the deadline engine is removed (a done one stays as a
// record); the matter, the deadline and the audit row change together.
// Closing the matter again hands over a new deadline from the new date.
func (s *Service) ReopenMatter(ctx context.Context, p *auth.Principal, id int64) (Reopened, error) {
	m, err := s.db.MatterByID(ctx, id)
	if err != nil {
		return Reopened{}, err
	}
	if err := access.ViewMatter(p.Actor(), m); err != nil {
		return Reopened{}, err
	}
	if err := access.Administer(p.Actor()); err != nil {
		return Reopened{}, err
	}
	if m.Status.Rank() < model.MatterClosed.Rank() {
		return Reopened{}, ErrNotClosed
	}
	out := Reopened{From: m.Status}
	closedOn := m.ClosedOn
	m.Status, m.ClosedOn = model.MatterInProgress, time.Time{}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateMatter(ctx, m); err != nil {
			return err
		}
		open, err := tx.OpenMatterDeadlines(ctx, m.ID, DissolutionRule)
		if err != nil {
			return err
		}
		for _, d := range open {
			if err := tx.DeleteDeadline(ctx, d.ID); err != nil {
				return err
			}
			out.Cancelled++
		}
		detail := fmt.Sprintf("%s → %s（原结案日期 %s）", out.From.Label(), model.MatterInProgress.Label(), closedOn.Format("2006-01-02"))
		if out.Cancelled > 0 {
			detail += fmt.Sprintf("；撤销“结案后解散案件群”期限 %d 个", out.Cancelled)
		}
		return tx.AppendAudit(ctx, audit(p, "matter.reopen", fmt.Sprintf("matter/%d", m.ID), detail))
	})
	if err != nil {
		return Reopened{}, err
	}
	return out, nil
}
