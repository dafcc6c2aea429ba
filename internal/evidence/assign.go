package evidence

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// Assign sets the current matter of an item preserved without one (or
// under the wrong one): matterID links it to a matter actor may see (its
// label becomes the matter text); matterID 0 leaves it unlinked with the
// free text matterRef ("" removes the matter). The log entry is immutable
// and keeps the matter the file was preserved under; the item's matter,
// which decides who may see it and selects it for export by matter,
// changes. The change is recorded with the item and in the audit log in
// one transaction. It returns the updated item; assigning the matter it
// already has changes nothing and records nothing. actor must be allowed to
// see the item (a refusal is audited); an assistant may link an unlinked
// item but not unlink or move a linked one.
func (s *Service) Assign(ctx context.Context, actor *auth.Principal, client auth.Client, id, matterID int64, matterRef string) (*model.EvidenceItem, error) {
	matterRef = strings.TrimSpace(matterRef)
	if !utf8.ValidString(matterRef) || utf8.RuneCountInString(matterRef) > maxFieldRunes || strings.ContainsAny(matterRef, "\r\n") {
		return nil, fmt.Errorf("%w：案件最多 %d 字，且不能换行", model.ErrInvalidInput, maxFieldRunes)
	}
	item, err := s.cfg.DB.EvidenceItem(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(ctx, actor, client, item, "指定案件"); err != nil {
		return nil, err
	}
	if access.MoveEvidence(actor.Actor(), item, matterID) != nil {
		// An assistant files evidence under a matter but never takes it
		// out of one: that would hide it from the matter's lawyers.
		actorID, name := actorName(actor)
		if err := s.cfg.DB.Audit(ctx, &model.AuditEvent{ActorID: actorID, Actor: name, Action: "evidence.assign.denied",
			Target: fmt.Sprintf("evidence/%d", id), Detail: "助理不能解除或更改证据已关联的案件", IP: client.IP}); err != nil {
			return nil, err
		}
		return nil, auth.Audited(fmt.Errorf("%w：助理不能解除或更改证据已关联的案件，请联系承办律师", auth.ErrForbidden))
	}
	if matterID != 0 {
		m, err := s.chooseMatter(ctx, actor, client, matterID)
		if err != nil {
			return nil, err
		}
		matterRef = m.Ref()
	} else if err := checkFreeMatter(matterRef); err != nil {
		return nil, err
	}
	if item.MatterRef == matterRef && item.MatterID == matterID {
		return item, nil
	}
	_, by := actorName(actor)
	change := &store.EvidenceMatterChange{ItemID: id, From: item.MatterRef, To: matterRef, FromID: item.MatterID,
		ToID: matterID, ChangedBy: by}
	err = s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetEvidenceMatter(ctx, change); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, auditEvent(actor, client, "evidence.assign", item,
			fmt.Sprintf("指定案件：由“%s”改为“%s”（日志条目不可更改，仍记载保全时的案件）", orNone(change.From), orNone(change.To))))
	})
	if err != nil {
		return nil, err
	}
	item.MatterID, item.MatterRef = matterID, matterRef
	return item, nil
}

// MatterChanges lists the matter changes of an item, oldest first.
func (s *Service) MatterChanges(ctx context.Context, id int64) ([]store.EvidenceMatterChange, error) {
	return s.cfg.DB.EvidenceMatterChanges(ctx, id)
}

// Entry returns the log entry of an item (the exact leaf, with the matter
// recorded when the file was preserved).
func (s *Service) Entry(ctx context.Context, item *model.EvidenceItem) (ledger.Entry, error) {
	log, err := s.open(ctx)
	if err != nil {
		return ledger.Entry{}, err
	}
	return log.Entry(ctx, uint64(item.LogIndex))
}

func orNone(matter string) string {
	if matter == "" {
		return "未指定"
	}
	return matter
}
