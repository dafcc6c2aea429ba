package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// ExportFilter selects the items of a bundle; no field: all evidence.
type ExportFilter struct {
	MatterID  int64  // items linked to this matter
	MatterRef string // items whose matter text is exactly this
	IDs       []int64
}

// ExportSummary says what a bundle holds.
type ExportSummary struct {
	Items       int
	Checkpoint  ledger.Checkpoint
	Timestamped bool
	// ChainComplete is false when the bundle's tsa-chain.pem holds only the
	// certificates the timestamp carried (no TSA chain was configured).
	ChainComplete bool
}

// Export writes an evidence bundle (see ledger.WriteBundle) for the selected
// items to w. It takes a new checkpoint when the latest one does not cover
// every item or lacks the timestamp a configured TSA would give, and
// records the export of every item in the audit log before writing.
//
// Only what actor may see is exported: naming an item actor may not see, or
// a matter actor may not see, refuses the whole export (auth.ErrForbidden,
// audited); an export by matter text or of all evidence holds the visible
// items only.
func (s *Service) Export(ctx context.Context, actor *auth.Principal, client auth.Client, f ExportFilter, w io.Writer) (ExportSummary, error) {
	log, err := s.open(ctx)
	if err != nil {
		return ExportSummary{}, err
	}
	if f.MatterID != 0 && actor != nil {
		if _, err := s.chooseMatter(ctx, actor, client, f.MatterID); err != nil {
			return ExportSummary{}, err
		}
	}
	items, err := s.cfg.DB.FindEvidence(ctx, store.EvidenceFilter{MatterID: f.MatterID, MatterRef: f.MatterRef, IDs: f.IDs})
	if err != nil {
		return ExportSummary{}, err
	}
	if len(f.IDs) > 0 && len(items) != len(uniqueIDs(f.IDs)) {
		return ExportSummary{}, fmt.Errorf("%w：部分证据编号不存在", model.ErrInvalidInput)
	}
	if items, err = s.exportable(ctx, actor, client, items, len(f.IDs) > 0); err != nil {
		return ExportSummary{}, err
	}
	if len(items) == 0 {
		return ExportSummary{}, fmt.Errorf("%w：没有符合条件的证据", model.ErrInvalidInput)
	}
	cp, err := s.exportCheckpoint(ctx, log, items)
	if err != nil {
		return ExportSummary{}, err
	}
	bundle := make([]ledger.BundleItem, len(items))
	for i, it := range items {
		entry, err := log.Entry(ctx, uint64(it.LogIndex))
		if err != nil {
			return ExportSummary{}, err
		}
		if entry.SHA256 != it.SHA256 || entry.SM3 != it.SM3 || entry.Size != it.Size {
			return ExportSummary{}, fmt.Errorf("证据 %d（日志序号 %d）的登记摘要与日志条目不一致，拒绝导出", it.ID, it.LogIndex)
		}
		proof, err := log.Prove(ctx, entry.Index, cp)
		if err != nil {
			return ExportSummary{}, err
		}
		sha := it.SHA256
		bundle[i] = ledger.BundleItem{
			Entry: entry, Proof: proof,
			Open: func() (io.ReadCloser, error) { return s.cfg.Blobs.Open(sha) },
			Meta: ledger.BundleMeta{Title: it.Title, Source: it.Source(), Purpose: it.Purpose, FormedAt: it.FormedAt},
		}
	}
	sum := ExportSummary{Items: len(items), Checkpoint: cp, Timestamped: len(cp.TSR) > 0}
	var chain []byte
	if sum.Timestamped {
		if chain, sum.ChainComplete, err = s.tsaChain(ctx, cp.TSR); err != nil {
			return ExportSummary{}, err
		}
	}
	err = s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		for _, it := range items {
			if err := tx.AppendAudit(ctx, auditEvent(actor, client, "evidence.export", it,
				fmt.Sprintf("导出证据包（共 %d 项，检查点 %d 条）", len(items), cp.Size))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return ExportSummary{}, err
	}
	if err := ledger.WriteBundle(ctx, w, bundle, cp, s.keys.vkey, cp.TSR, chain); err != nil {
		return ExportSummary{}, err
	}
	return sum, nil
}

// exportable keeps the items actor may see. When the items were named
// (strict), any item actor may not see refuses the export, each refusal
// audited.
func (s *Service) exportable(ctx context.Context, actor *auth.Principal, client auth.Client, items []*model.EvidenceItem, strict bool) ([]*model.EvidenceItem, error) {
	if !strict {
		return s.filterVisible(ctx, actor, items)
	}
	cache := matterCache{}
	refused := false
	for _, it := range items {
		ok, err := s.visible(ctx, actor, it, cache)
		if err != nil {
			return nil, err
		}
		if !ok {
			refused = true
			if err := s.deny(ctx, actor, client, it.ID, "导出证据包"); !errors.Is(err, auth.ErrForbidden) {
				return nil, err
			}
		}
	}
	if refused {
		return nil, auth.Audited(auth.ErrHidden)
	}
	return items, nil
}

func (s *Service) exportCheckpoint(ctx context.Context, log *ledger.Log, items []*model.EvidenceItem) (ledger.Checkpoint, error) {
	var need uint64
	for _, it := range items {
		need = max(need, uint64(it.LogIndex)+1)
	}
	cp, err := log.LatestCheckpoint(ctx)
	if err == nil && cp.Size >= need && (len(cp.TSR) > 0 || !s.Timestamped()) {
		return cp, nil
	}
	return log.Checkpoint(ctx)
}

func uniqueIDs(ids []int64) map[int64]bool {
	m := map[int64]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// ParseIDs parses "1,2,3" into item IDs.
func ParseIDs(s string) ([]int64, error) {
	var out []int64
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		var id int64
		if _, err := fmt.Sscan(part, &id); err != nil || id <= 0 || fmt.Sprint(id) != part {
			return nil, fmt.Errorf("%w：证据编号 %q 无效", model.ErrInvalidInput, part)
		}
		out = append(out, id)
	}
	return out, nil
}
