package evidence

import (
	"context"
	"errors"
	"fmt"

	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/model"
)

// ErrNoSuchCheckpoint wraps model.ErrInvalidInput: a consistency proof was asked
// for a tree size beyond the latest signed checkpoint.
var ErrNoSuchCheckpoint = fmt.Errorf("%w：没有覆盖该大小的检查点", model.ErrInvalidInput)

// Consistency returns the RFC 6962 consistency proof that the tree of size
// to extends the tree of size from, for 1 <= from <= to <= the size of the
// latest signed checkpoint (a verifier takes the two roots from the
// checkpoints of those sizes and checks with ledger.VerifyConsistency).
func (s *Service) Consistency(ctx context.Context, from, to uint64) ([][]byte, error) {
	log, err := s.open(ctx)
	if err != nil {
		return nil, err
	}
	if from < 1 || from > to {
		return nil, fmt.Errorf("%w：起始大小 from 必须在 1 与结束大小 to 之间（from=%d，to=%d）", model.ErrInvalidInput, from, to)
	}
	latest := uint64(0)
	cp, err := log.LatestCheckpoint(ctx)
	switch {
	case err == nil:
		latest = cp.Size
	case !errors.Is(err, ledger.ErrNoCheckpoint):
		return nil, err
	}
	if to > latest {
		return nil, fmt.Errorf("%w（to=%d，最新检查点为 %d 条）", ErrNoSuchCheckpoint, to, latest)
	}
	return log.ConsistencyProof(ctx, from, to)
}

// Checkpoints returns every stored checkpoint, verified with the log key,
// by size.
func (s *Service) Checkpoints(ctx context.Context) ([]ledger.Checkpoint, error) {
	if _, err := s.open(ctx); err != nil {
		return nil, err
	}
	stored, err := NewSQLStorage(s.cfg.DB).Checkpoints(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ledger.Checkpoint, len(stored))
	for i, st := range stored {
		cp, err := ledger.OpenCheckpoint(st.Note, s.keys.verifier)
		if err != nil {
			return nil, fmt.Errorf("检查点（%d 条）：%w", st.Size, err)
		}
		cp.TSR, cp.CreatedAt = st.TSR, st.CreatedAt
		out[i] = cp
	}
	return out, nil
}
