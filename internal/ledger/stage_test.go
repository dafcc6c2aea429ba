package ledger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
)

// memTx is a caller's transaction over a MemStorage: rows written through
// it reach the storage only on commit, and the stale check runs at write
// time against the stored log, as store.Tx.AppendLedgerEntries does.
type memTx struct {
	mem  *MemStorage
	rows []StoredEntry
}

func (tx *memTx) Append(ctx context.Context, entries []StoredEntry) error {
	size, _ := tx.mem.Size(ctx)
	for i, e := range entries {
		if want := size + uint64(i); e.Index != want {
			return fmt.Errorf("%w: index %d, want %d", ErrStale, e.Index, want)
		}
	}
	tx.rows = append(tx.rows, entries...)
	return nil
}

func (tx *memTx) commit(t *testing.T) {
	t.Helper()
	if err := tx.mem.Append(context.Background(), tx.rows); err != nil {
		t.Fatal(err)
	}
}

// readCounter counts the leaf-hash reads a log makes to catch up.
type readCounter struct {
	*MemStorage
	reads int
}

func (r *readCounter) LeafHashes(ctx context.Context, from, to uint64) ([][]byte, error) {
	r.reads++
	return r.MemStorage.LeafHashes(ctx, from, to)
}

// TestStageWriteAdvance drives an append through a caller's transaction:
// staged entries carry the exact stored bytes, a rolled-back transaction
// leaves the log as it was, a committed one extends it (Advance without
// reading the entries back, or a reload when Advance is skipped), and
// checkpoints over the result verify.
func TestStageWriteAdvance(t *testing.T) {
	ctx := context.Background()
	keys := newKeys(t)
	mem := NewMemStorage()
	rc := &readCounter{MemStorage: mem}
	l := openTestLog(t, rc, keys, nil)
	appendN(t, l, 2)
	inputs := []EntryInput{inputFor(t, "a.txt", "a"), inputFor(t, "b.txt", "b"), inputFor(t, "c.txt", "c")}

	// Staging stores nothing and returns what will be stored.
	st, err := l.Stage(ctx, inputs)
	if err != nil {
		t.Fatal(err)
	}
	if size, _ := mem.Size(ctx); size != 2 {
		t.Fatalf("Stage stored entries: size %d", size)
	}
	for i, e := range st.Entries() {
		parsed, err := ParseEntry(e.Data)
		if err != nil || parsed.Index != uint64(2+i) || e.Index != parsed.Index || !parsed.AddedAt.Equal(e.AddedAt) ||
			parsed.Name != inputs[i].Name || !bytes.Equal(e.LeafHash, hasher.HashLeaf(e.Data)) {
			t.Fatalf("staged entry %d: %+v / %+v, %v", i, e, parsed, err)
		}
	}

	// Written, then rolled back (so no Advance): the log is unchanged and
	// the next Stage takes the same indexes.
	rolledBack := &memTx{mem: mem}
	if err := l.Write(ctx, rolledBack, st); err != nil {
		t.Fatal(err)
	}
	if size, err := l.Size(ctx); err != nil || size != 2 {
		t.Fatalf("size after a rollback: %d, %v", size, err)
	}
	st, err = l.Stage(ctx, inputs)
	if err != nil || st.Entries()[0].Index != 2 {
		t.Fatalf("restage after a rollback: %v", err)
	}

	// Committed and advanced: no leaf hash is read back.
	tx := &memTx{mem: mem}
	if err := l.Write(ctx, tx, st); err != nil {
		t.Fatal(err)
	}
	tx.commit(t)
	reads := rc.reads
	l.Advance(st)
	l.Advance(st) // a second call changes nothing
	if size, err := l.Size(ctx); err != nil || size != 5 {
		t.Fatalf("size after commit: %d, %v", size, err)
	}
	if rc.reads != reads {
		t.Fatalf("Advance read %d leaf-hash ranges back, want none", rc.reads-reads)
	}
	rows, _ := mem.Entries(ctx, 2, 5)
	for i, r := range rows {
		if !bytes.Equal(r.Data, st.Entries()[i].Data) {
			t.Fatalf("stored entry %d differs from the staged one", r.Index)
		}
	}
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}

	// Committed without Advance: the log reloads the entries at next use.
	st, err = l.Stage(ctx, inputs[:1])
	if err != nil {
		t.Fatal(err)
	}
	tx = &memTx{mem: mem}
	if err := l.Write(ctx, tx, st); err != nil {
		t.Fatal(err)
	}
	tx.commit(t)
	reads = rc.reads
	if next, err := l.Stage(ctx, inputs[1:2]); err != nil || next.Entries()[0].Index != 6 {
		t.Fatalf("stage after an unannounced commit: %v", err)
	}
	if rc.reads == reads {
		t.Fatal("the log did not read the committed entries back")
	}
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if rep, err := openTestLog(t, mem, keys, nil).Verify(ctx, 0); err != nil || !rep.OK() {
		t.Fatalf("verify: %v\n%s", err, rep.String())
	}
}

// TestWriteStaleThenRetry: another writer appends between Stage and Write;
// Write stores nothing and answers ErrStale, Advance of the failed batch
// changes nothing, and RetryStale restages at the next index.
func TestWriteStaleThenRetry(t *testing.T) {
	ctx := context.Background()
	keys := newKeys(t)
	mem := NewMemStorage()
	l := openTestLog(t, mem, keys, nil)
	other := openTestLog(t, mem, keys, nil)
	in := []EntryInput{inputFor(t, "mine.txt", "mine")}

	st, err := l.Stage(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, other, 1)
	tx := &memTx{mem: mem}
	if err := l.Write(ctx, tx, st); !errors.Is(err, ErrStale) || len(tx.rows) != 0 {
		t.Fatalf("write after another append: %v (%d rows)", err, len(tx.rows))
	}
	l.Advance(st) // not written: ignored
	attempts := 0
	var entries []Entry
	err = RetryStale(ctx, func() error {
		attempts++
		st, err := l.Stage(ctx, in)
		if err != nil {
			return err
		}
		if attempts == 1 {
			appendN(t, other, 1) // loses the race once more
		}
		tx := &memTx{mem: mem}
		if err := l.Write(ctx, tx, st); err != nil {
			return err
		}
		tx.commit(t)
		l.Advance(st)
		entries = st.Entries()
		return nil
	})
	if err != nil || attempts != 2 || len(entries) != 1 || entries[0].Index != 2 {
		t.Fatalf("retry: %v after %d attempts, entries %+v", err, attempts, entries)
	}
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if rep, err := openTestLog(t, mem, keys, nil).Verify(ctx, 0); err != nil || !rep.OK() {
		t.Fatalf("verify: %v\n%s", err, rep.String())
	}
	// A batch staged by one log cannot be written through another, and an
	// empty batch is refused.
	st, _ = l.Stage(ctx, in)
	if err := other.Write(ctx, &memTx{mem: mem}, st); !errors.Is(err, ErrBadInput) {
		t.Fatalf("foreign batch: %v", err)
	}
	if _, err := l.Stage(ctx, nil); !errors.Is(err, ErrBadInput) {
		t.Fatalf("empty batch: %v", err)
	}
}

// TestStageRefusedOnBrokenLog: after a failed verification neither Stage
// nor Write (of a batch staged before) goes through.
func TestStageRefusedOnBrokenLog(t *testing.T) {
	ctx := context.Background()
	l, st, _ := buildVerifiedLog(t)
	staged, err := l.Stage(ctx, []EntryInput{inputFor(t, "x.txt", "x")})
	if err != nil {
		t.Fatal(err)
	}
	st.mu.Lock()
	st.entries[3].Data = append([]byte(nil), st.entries[3].Data...)
	st.entries[3].Data[len(st.entries[3].Data)-2] ^= 1
	st.mu.Unlock()
	if rep, err := l.Verify(ctx, 0); err != nil || rep.OK() {
		t.Fatalf("tampered log verified: %v", err)
	}
	if _, err := l.Stage(ctx, []EntryInput{inputFor(t, "y.txt", "y")}); !errors.Is(err, ErrLogBroken) {
		t.Fatalf("Stage on a broken log: %v", err)
	}
	tx := &memTx{mem: st}
	if err := l.Write(ctx, tx, staged); !errors.Is(err, ErrLogBroken) || len(tx.rows) != 0 {
		t.Fatalf("Write on a broken log: %v", err)
	}
}
