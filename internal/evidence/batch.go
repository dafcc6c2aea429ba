package evidence

import (
	"context"

	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/store"
)

// maxBatch bounds the entries committed in one transaction.
const maxBatch = 1000

// appendReq is one caller's append waiting for a group commit.
type appendReq struct {
	inputs  []ledger.EntryInput
	hook    appendHook
	entries []ledger.Entry
	err     error
	done    chan struct{}
}

// groupCommit batches concurrent appends: the first caller becomes the
// leader and commits everything queued meanwhile in one durable transaction,
// then the next batch, until the queue is empty; the others wait for their
// result. No background goroutine is needed.
func (s *Service) groupCommit(ctx context.Context, req *appendReq) ([]ledger.Entry, error) {
	req.done = make(chan struct{})
	s.batchMu.Lock()
	s.pending = append(s.pending, req)
	if s.leading {
		s.batchMu.Unlock()
		<-req.done
		return req.entries, req.err
	}
	s.leading = true
	ctx = context.WithoutCancel(ctx) // others' appends must not die with this caller
	for len(s.pending) > 0 {
		var batch []*appendReq
		n := 0
		for len(s.pending) > 0 && (n == 0 || n+len(s.pending[0].inputs) <= maxBatch) {
			n += len(s.pending[0].inputs)
			batch = append(batch, s.pending[0])
			s.pending = s.pending[1:]
		}
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
	return req.entries, req.err
}

// commitBatch appends a batch in one transaction; if that fails and the
// batch has several requests, each is retried alone so that one bad request
// does not fail the others.
func (s *Service) commitBatch(ctx context.Context, batch []*appendReq) {
	finish := func(r *appendReq, entries []ledger.Entry, err error) {
		r.entries, r.err = entries, err
		close(r.done)
	}
	var inputs []ledger.EntryInput
	for _, r := range batch {
		inputs = append(inputs, r.inputs...)
	}
	hook := func(ctx context.Context, tx *store.Tx, stored []ledger.StoredEntry) error {
		off := 0
		for _, r := range batch {
			part := stored[off : off+len(r.inputs)]
			off += len(r.inputs)
			if r.hook != nil {
				if err := r.hook(ctx, tx, part); err != nil {
					return err
				}
			}
		}
		return nil
	}
	entries, err := s.log.Append(withHook(ctx, hook), inputs)
	if err != nil && len(batch) > 1 {
		for _, r := range batch {
			e, err := s.log.Append(withHook(ctx, r.hook), r.inputs)
			finish(r, e, err)
		}
		return
	}
	off := 0
	for _, r := range batch {
		var part []ledger.Entry
		if err == nil {
			part = entries[off : off+len(r.inputs)]
		}
		off += len(r.inputs)
		finish(r, part, err)
	}
}
