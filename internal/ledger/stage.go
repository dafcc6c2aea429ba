package ledger

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Writer stores entries whose indexes continue the stored log (Size,
// Size+1, ...), or stores nothing and returns an error wrapping ErrStale
// when the log has grown meanwhile. A Storage is a Writer that commits on
// its own; a caller that keeps other rows with the entries (evidence items,
// audit records) passes a Writer over its own transaction, so that all of
// them commit together or not at all.
type Writer interface {
	Append(ctx context.Context, entries []StoredEntry) error
}

// Staged is a batch of entries encoded as the next entries of the log as
// it was stored when Stage ran; nothing of it is stored yet.
type Staged struct {
	log     *Log
	base    uint64 // the log size the entries continue
	entries []Entry
	stored  []StoredEntry
	written bool
}

// Entries returns the staged entries with their indexes, exact leaf bytes
// and leaf hashes: what Write stores, so callers need not parse it back.
// The slice is shared; callers must not modify it.
func (s *Staged) Entries() []Entry { return s.entries }

// Stage encodes inputs as the next entries of the log: it brings the log up
// to the stored size (another process may have appended) and assigns the
// following indexes and the current time. Nothing is stored. A log that
// failed verification refuses (ErrLogBroken).
//
// An append is Stage, then Write inside the caller's transaction, then,
// once that transaction committed, Advance. When Write answers ErrStale the
// caller rolls back and starts again with Stage (RetryStale does that).
func (l *Log) Stage(ctx context.Context, inputs []EntryInput) (*Staged, error) {
	if len(inputs) == 0 {
		return nil, fmt.Errorf("%w：没有要追加的条目", ErrBadInput)
	}
	for i, in := range inputs {
		if err := in.validate(); err != nil {
			return nil, fmt.Errorf("第 %d 项：%w", i+1, err)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.broken != nil {
		return nil, l.broken
	}
	if err := l.syncLocked(ctx); err != nil {
		return nil, err
	}
	entries, stored, err := l.encodeLocked(inputs)
	if err != nil {
		return nil, err
	}
	return &Staged{log: l, base: l.tail.End(), entries: entries, stored: stored}, nil
}

// Write stores the staged entries through w, normally the caller's open
// transaction; they become part of the log when that transaction commits.
// It answers ErrStale (from w) when another writer appended since Stage.
func (l *Log) Write(ctx context.Context, w Writer, st *Staged) error {
	if st == nil || st.log != l {
		return fmt.Errorf("%w：暂存的条目不属于此日志", ErrBadInput)
	}
	l.mu.Lock()
	broken := l.broken
	l.mu.Unlock()
	if broken != nil {
		return broken
	}
	if err := w.Append(ctx, st.stored); err != nil {
		return err
	}
	st.written = true
	return nil
}

// Advance tells the log that the transaction in which st was written has
// committed, so that it extends its in-memory tree without reading the
// entries back. Call it only after that commit: after a rollback, simply
// drop st. Skipping it is always safe (the log then reloads the entries
// from storage at its next use); so is calling it twice.
func (l *Log) Advance(st *Staged) {
	if st == nil || st.log != l || !st.written {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tail == nil || l.tail.End() != st.base {
		return // the log reloads (or already read) these entries from storage
	}
	for _, e := range st.entries {
		if err := l.tail.Append(e.LeafHash, nil); err != nil {
			// Cannot happen for 32-byte hashes; reload from storage.
			l.tail = nil
			return
		}
	}
}

// maxAppendAttempts bounds the retries of an append that lost the race
// against another process appending to the same storage.
const maxAppendAttempts = 100

// RetryStale runs attempt until it returns anything but an error wrapping
// ErrStale, waiting a short random time between attempts so that two
// writers stop colliding. It gives up after 100 attempts.
func RetryStale(ctx context.Context, attempt func() error) error {
	for n := 1; ; n++ {
		err := attempt()
		if !errors.Is(err, ErrStale) {
			return err
		}
		if n == maxAppendAttempts {
			return fmt.Errorf("%w，重试 %d 次仍未成功，请稍后再试", err, n)
		}
		if err := backoff(ctx, n); err != nil {
			return err
		}
	}
}

// backoff waits a short random time before the next attempt, longer after
// repeated losses.
func backoff(ctx context.Context, attempt int) error {
	d := time.Duration(1+rand.IntN(5*min(attempt, 10))) * time.Millisecond
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
