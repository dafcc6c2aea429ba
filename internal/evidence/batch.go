package evidence

import (
	"context"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// maxBatch bounds the files committed in one transaction.
const maxBatch = 1000

// appendReq is one file waiting for a group commit: its log entry, and the
// evidence item and audit record written with it.
type appendReq struct {
	input  ledger.EntryInput
	add    *preparedAdd
	actor  *auth.Principal
	client auth.Client
	item   *model.EvidenceItem // set by writeItem
	err    error
	done   chan struct{}
}

// groupCommit batches concurrent appends: the first caller becomes the
// leader and commits everything queued meanwhile in one durable transaction,
// then the next batch, until the queue is empty; the others wait for their
// result. No background goroutine is needed.
func (s *Service) groupCommit(ctx context.Context, req *appendReq) error {
	req.done = make(chan struct{})
	s.batchMu.Lock()
	s.pending = append(s.pending, req)
	if s.leading {
		s.batchMu.Unlock()
		<-req.done
		return req.err
	}
	s.leading = true
	ctx = context.WithoutCancel(ctx) // others' appends must not die with this caller
	for len(s.pending) > 0 {
		n := min(len(s.pending), maxBatch)
		batch := s.pending[:n:n]
		s.pending = s.pending[n:]
		s.batchMu.Unlock()
		if s.beforeCommit != nil {
			s.beforeCommit()
		}
		s.commits.Add(1)
		s.commitBatch(ctx, batch)
		s.batchMu.Lock()
	}
	s.leading = false
	s.batchMu.Unlock()
	<-req.done
	return req.err
}

// commitBatch appends a batch in one transaction; if that fails and the
// batch has several requests, each is retried alone so that one bad request
// does not fail the others.
func (s *Service) commitBatch(ctx context.Context, batch []*appendReq) {
	err := s.appendBatch(ctx, batch)
	if err != nil && len(batch) > 1 {
		for _, r := range batch {
			r.err = s.appendBatch(ctx, []*appendReq{r})
			close(r.done)
		}
		return
	}
	for _, r := range batch {
		r.err = err
		close(r.done)
	}
}

// appendBatch writes the batch's log entries, evidence items and audit
// records in one transaction: the ledger encodes the entries (Stage), they
// are written in the transaction with the rows that belong to them, and the
// ledger learns of them once it has committed (Advance). When another
// process appended first, the transaction is rolled back and everything
// starts again from a fresh Stage.
func (s *Service) appendBatch(ctx context.Context, batch []*appendReq) error {
	inputs := make([]ledger.EntryInput, len(batch))
	for i, r := range batch {
		inputs[i] = r.input
	}
	return ledger.RetryStale(ctx, func() error {
		staged, err := s.log.Stage(ctx, inputs)
		if err != nil {
			return err
		}
		err = s.cfg.DB.Update(ctx, func(tx *store.Tx) error {
			if err := s.log.Write(ctx, ledgerTx{tx}, staged); err != nil {
				return err
			}
			for i, entry := range staged.Entries() {
				if err := s.writeItem(ctx, tx, batch[i], entry); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		s.log.Advance(staged)
		return nil
	})
}
