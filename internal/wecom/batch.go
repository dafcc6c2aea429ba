package wecom

import (
	"context"

	"github.com/lvxin/lvxin/internal/store"
)

// Group commit of callbacks: every callback must be durable before its 200,
// and a durable commit costs an fsync. Callbacks that arrive while one
// commit is under way wait and go into the next commit together, so a burst
// costs one fsync per batch, not per callback.

// maxBatch caps the callbacks of one commit.
const maxBatch = 256

type enqueueRequest struct {
	item *store.WeComEnqueue
	done chan error
}

// enqueue queues one callback through the batcher and waits for its commit.
func (s *Service) enqueue(ctx context.Context, item *store.WeComEnqueue) error {
	s.batchOnce.Do(func() {
		s.batch = make(chan enqueueRequest, maxBatch)
		go s.runBatches()
	})
	req := enqueueRequest{item: item, done: make(chan error, 1)}
	select {
	case s.batch <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		// The commit may still land; WeCom's retry is then a duplicate.
		return ctx.Err()
	}
}

// runBatches commits waiting callbacks together, for the life of the
// process.
func (s *Service) runBatches() {
	for first := range s.batch {
		reqs := []enqueueRequest{first}
	drain:
		for len(reqs) < maxBatch {
			select {
			case r := <-s.batch:
				reqs = append(reqs, r)
			default:
				break drain
			}
		}
		items := make([]*store.WeComEnqueue, len(reqs))
		for i, r := range reqs {
			items[i] = r.item
		}
		// Detached from any one request: a caller that gives up must not
		// roll back the others.
		err := s.db.EnqueueWeComEvents(context.Background(), items)
		for _, r := range reqs {
			r.done <- err
		}
	}
}
