package ledger

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestTwoWritersOnOneStorage opens the same storage twice, as two processes
// would, and appends from both at once: every append succeeds (the loser of
// a race reloads and retries), indexes are unique and the log verifies.
func TestTwoWritersOnOneStorage(t *testing.T) {
	ctx := context.Background()
	keys := newKeys(t)
	st := NewMemStorage()
	logs := []*Log{openTestLog(t, st, keys, nil), openTestLog(t, st, keys, nil)}
	const perWriter = 200
	var wg sync.WaitGroup
	errs := make(chan error, 2*perWriter)
	for w, l := range logs {
		wg.Go(func() {
			for i := range perWriter {
				in := inputFor(t, fmt.Sprintf("w%d-%d.txt", w, i), fmt.Sprintf("writer %d file %d", w, i))
				if _, err := l.Append(ctx, []EntryInput{in}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("append failed: %v", err)
	}
	size, err := st.Size(ctx)
	if err != nil || size != 2*perWriter {
		t.Fatalf("size %d (%v), want %d", size, err, 2*perWriter)
	}
	if _, err := logs[0].Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := openTestLog(t, st, keys, nil).Verify(ctx, 0)
	if err != nil || !rep.OK() {
		t.Fatalf("verify after concurrent appends: %v\n%s", err, rep.String())
	}
}

// TestVerifyKnownCatchesDeletedUnsignedTail deletes entries that no
// checkpoint covers: only the size known good from an earlier verification
// can tell.
func TestVerifyKnownCatchesDeletedUnsignedTail(t *testing.T) {
	ctx := context.Background()
	l, st, keys := buildVerifiedLog(t) // 10 entries, signed
	appendN(t, l, 3)                   // 13, the last three unsigned
	if rep, err := l.Verify(ctx, 0); err != nil || !rep.OK() {
		t.Fatalf("clean log: %v %s", err, rep.String())
	}
	st.mu.Lock()
	st.entries = st.entries[:11]
	st.mu.Unlock()
	l2 := openTestLog(t, st, keys, nil)
	if rep, err := l2.Verify(ctx, 0); err != nil || !rep.OK() {
		t.Fatalf("without the known size the deletion is invisible, the test is wrong: %v %s", err, rep.String())
	}
	rep, err := l2.VerifyKnown(ctx, 0, 13)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || !strings.Contains(rep.String(), "少于此前校验确认的 13 条") || !strings.Contains(rep.String(), "第 11 至 12 条被删除") {
		t.Fatalf("deleted tail not reported:\n%s", rep.String())
	}
	if _, err := l2.Append(ctx, []EntryInput{inputFor(t, "x.txt", "x")}); err == nil {
		t.Fatal("append accepted after a failed verification")
	}
	// A known-good size beyond the log also recomputes the rest.
	rep, err = l2.VerifyKnown(ctx, 12, 13)
	if err != nil || rep.OK() || !hasFailure(rep, CheckTree) {
		t.Fatalf("from beyond the log: %v\n%s", err, rep.String())
	}
}

// racingStorage lets another writer append just before every other Append,
// as a second process would between this one's read of the size and its
// write.
type racingStorage struct {
	*MemStorage
	calls  int
	before func()
}

func (r *racingStorage) Append(ctx context.Context, entries []StoredEntry) error {
	r.calls++
	if r.calls%2 == 1 {
		r.before()
	}
	return r.MemStorage.Append(ctx, entries)
}

func TestAppendRetriesAfterLosingTheRace(t *testing.T) {
	ctx := context.Background()
	keys := newKeys(t)
	mem := NewMemStorage()
	other := openTestLog(t, mem, keys, nil)
	n := 0
	racing := &racingStorage{MemStorage: mem, before: func() {
		n++
		if _, err := other.Append(ctx, []EntryInput{inputFor(t, fmt.Sprintf("other%d.txt", n), fmt.Sprintf("other %d", n))}); err != nil {
			t.Fatal(err)
		}
	}}
	l := openTestLog(t, racing, keys, nil)
	for i := range 5 {
		es, err := l.Append(ctx, []EntryInput{inputFor(t, fmt.Sprintf("mine%d.txt", i), fmt.Sprintf("mine %d", i))})
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		if want := uint64(2*i + 1); es[0].Index != want {
			t.Fatalf("append %d got index %d, want %d", i, es[0].Index, want)
		}
	}
	if racing.calls != 10 {
		t.Fatalf("%d storage appends, want 10 (each lost once, then won)", racing.calls)
	}
	if rep, err := l.Verify(ctx, 0); err != nil || !rep.OK() {
		t.Fatalf("%v\n%s", err, rep.String())
	}
}
