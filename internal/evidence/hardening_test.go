package evidence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func TestEmptyFileRefused(t *testing.T) {
	storetest.Each(t, clock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db, t.TempDir(), "", nil)
		_, err := s.Add(ctx, nil, auth.Client{}, AddInput{FileName: "空.txt"}, bytes.NewReader(nil))
		if !errors.Is(err, model.ErrInvalidInput) || !strings.Contains(err.Error(), "空.txt") || !strings.Contains(err.Error(), "0 字节") {
			t.Fatalf("empty file: %v", err)
		}
		if n, _ := db.LedgerSize(ctx); n != 0 {
			t.Fatalf("empty file logged: size %d", n)
		}
	})
}

// TestDuplicateNeedsConfirmation: content the user can already see as
// evidence is not preserved again without a confirmation, which names the
// earlier item; content only others may see is preserved without a word
// about the other item.
func TestDuplicateNeedsConfirmation(t *testing.T) {
	storetest.Each(t, clock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db, t.TempDir(), "", nil)
		f := newAccessFixture(t, db, s) // f.linked: "借条" in the matter of "lead"
		const content = "今借到人民币壹万元整"
		addAs := func(who string, allow bool) (*ledgerItem, error) {
			item, err := s.Add(ctx, f.users[who], auth.Client{}, AddInput{FileName: "借条副本.txt", AllowDuplicate: allow}, strings.NewReader(content))
			if err != nil {
				return nil, err
			}
			return &ledgerItem{item.ID, item.LogIndex, item.Warnings}, nil
		}
		before, _ := db.LedgerSize(ctx)

		_, err := addAs("lead", false)
		var dup *DuplicateError
		if !errors.As(err, &dup) || !errors.Is(err, ErrDuplicate) || dup.Existing.ID != f.linked.ID || dup.Pending == "" {
			t.Fatalf("lead's duplicate: %v", err)
		}
		if msg := err.Error(); !strings.Contains(msg, fmt.Sprintf("保全为证据 #%d", f.linked.ID)) || !strings.Contains(msg, "借条") {
			t.Fatalf("duplicate message: %s", msg)
		}
		if n, _ := db.LedgerSize(ctx); n != before {
			t.Fatalf("refused duplicate was logged: %d -> %d", before, n)
		}
		// Only the uploader can confirm, and only once.
		if _, err := s.ConfirmDuplicate(ctx, f.users["shared"], auth.Client{}, dup.Pending); !errors.Is(err, ErrPendingGone) {
			t.Fatalf("confirmation by another user: %v", err)
		}
		item, err := s.ConfirmDuplicate(ctx, f.users["lead"], auth.Client{}, dup.Pending)
		if err != nil {
			t.Fatal(err)
		}
		if item.MatterID != 0 || len(item.Warnings) != 1 || !strings.Contains(item.Warnings[0], fmt.Sprintf("#%d", f.linked.ID)) {
			t.Fatalf("confirmed duplicate: %+v", item)
		}
		if _, err := s.ConfirmDuplicate(ctx, f.users["lead"], auth.Client{}, dup.Pending); !errors.Is(err, ErrPendingGone) {
			t.Fatalf("second confirmation: %v", err)
		}
		// The flag preserves directly.
		if _, err := addAs("lead", true); err != nil {
			t.Fatal(err)
		}
		// Users who may not see the earlier items learn nothing about them.
		for _, who := range []string{"other", "unassigned"} {
			got, err := addAs(who, false)
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			for _, w := range got.warnings {
				if strings.Contains(w, "重复") || strings.Contains(w, "#") || strings.Contains(w, "无权") {
					t.Fatalf("%s was told about an item they may not see: %q", who, w)
				}
			}
		}
		// ... but the uploader of those sees his own as a duplicate next time.
		if _, err := addAs("other", false); !errors.Is(err, ErrDuplicate) {
			t.Fatalf("other's second upload: %v", err)
		}
		// The command line sees everything.
		if _, err := s.Add(ctx, nil, auth.Client{}, AddInput{FileName: "x.txt"}, strings.NewReader(content)); !errors.Is(err, ErrDuplicate) {
			t.Fatalf("command line: %v", err)
		}
		if n, _ := db.LedgerSize(ctx); n != before+4 {
			t.Fatalf("log size %d, want %d", n, before+4)
		}
	})
}

type ledgerItem struct {
	id, index int64
	warnings  []string
}

// TestTwoProcessesAppend runs two services on two database handles, as
// `lvxin serve` and `lvxin evidence add` would, each adding files from
// several goroutines: all succeed, no index is used twice, and the full
// verification passes.
func TestTwoProcessesAppend(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			dataDir := t.TempDir()
			db1 := storetest.Open(t, e, clock())
			db2, err := store.Open(ctx, store.Options{DataDir: e.DataDir, URL: db1.URL(), Now: clock()})
			if db1.Dialect() == store.SQLite {
				db2, err = store.Open(ctx, store.Options{DataDir: e.DataDir, Now: clock()})
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db2.Close()
			services := []*Service{newService(t, db1, dataDir, "", nil), newService(t, db2, dataDir, "", nil)}
			const perGoroutine, goroutines = 15, 2
			var wg sync.WaitGroup
			errs := make(chan error, 100)
			for p, s := range services {
				for g := range goroutines {
					wg.Go(func() {
						for i := range perGoroutine {
							name := fmt.Sprintf("p%d-g%d-%d.txt", p, g, i)
							if _, err := s.Add(ctx, nil, auth.Client{}, AddInput{FileName: name}, strings.NewReader(name)); err != nil {
								errs <- fmt.Errorf("%s: %w", name, err)
								return
							}
						}
					})
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			const total = 2 * goroutines * perGoroutine
			items, err := db1.FindEvidence(ctx, store.EvidenceFilter{})
			if err != nil || len(items) != total {
				t.Fatalf("%d items (%v), want %d", len(items), err, total)
			}
			for i, it := range items {
				if it.LogIndex != int64(i) {
					t.Fatalf("item %d has log index %d", i, it.LogIndex)
				}
			}
			if _, err := services[1].Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
			rep, err := newService(t, db1, dataDir, "", nil).VerifyAll(ctx, VerifyOptions{})
			if err != nil || !rep.OK() {
				t.Fatalf("verify: %v\n%s", err, rep.String())
			}
		})
	}
}

// TestVerifyAllUnsignedAndDeletedTail: an add that stopped before its
// checkpoint leaves entries no checkpoint covers, which the next start-up
// signs and ledger verify reports; entries deleted from the end, where no
// checkpoint can show it, are caught by the size known before.
func TestVerifyAllUnsignedAndDeletedTail(t *testing.T) {
	storetest.Each(t, clock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		dataDir := t.TempDir()
		s1 := newService(t, db, dataDir, "", nil)
		for i := range 5 {
			add(t, s1, fmt.Sprintf("%d.txt", i), "", "", fmt.Appendf(nil, "file %d", i))
		}
		if _, err := s1.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		add(t, s1, "5.txt", "", "", []byte("file 5"))
		add(t, s1, "6.txt", "", "", []byte("file 6")) // the process dies here, before its checkpoint

		s2 := newService(t, db, dataDir, "", nil)
		st, err := s2.State(ctx) // the start-up check signs the tail
		if err != nil || !st.OK || st.Tail == nil || !st.Tail.Signed || st.Tail.From != 5 || st.Tail.To != 7 || st.Latest == nil || st.Latest.Size != 7 {
			t.Fatalf("start-up state: %+v %v", st, err)
		}
		rep, err := s2.VerifyAll(ctx, VerifyOptions{})
		if err != nil || !rep.OK() {
			t.Fatalf("verify: %v\n%s", err, rep.String())
		}
		if !hasFinding(rep, ledger.CheckCoverage, true, "条目 5 至 6") || !strings.Contains(rep.String(), "已补签检查点") {
			t.Fatalf("unsigned tail not reported:\n%s", rep.String())
		}
		if cp, err := s2.LatestCheckpoint(ctx); err != nil || cp.Size != 7 {
			t.Fatalf("tail not signed: %+v %v", cp, err)
		}
		rep, err = newService(t, db, dataDir, "", nil).VerifyAll(ctx, VerifyOptions{})
		if err != nil || !rep.OK() || !hasFinding(rep, ledger.CheckCoverage, true, "全部 7 条都已被签名检查点覆盖") {
			t.Fatalf("second verify: %v\n%s", err, rep.String())
		}

		// Two more entries, unsigned, then deleted with their items.
		s3 := newService(t, db, dataDir, "", nil)
		add(t, s3, "7.txt", "", "", []byte("file 7"))
		add(t, s3, "8.txt", "", "", []byte("file 8"))
		rawExec(t, db, "DELETE FROM evidence_items WHERE log_index >= 7")
		rawExec(t, db, "DELETE FROM ledger_entries WHERE idx >= 7")
		s4 := newService(t, db, dataDir, "", nil)
		rep, err = s4.VerifyAll(ctx, VerifyOptions{})
		if err != nil || rep.OK() || !hasFinding(rep, ledger.CheckTree, false, "少于此前校验确认的 9 条") {
			t.Fatalf("deleted tail: %v\n%s", err, rep.String())
		}
		if _, err := s4.Add(ctx, nil, auth.Client{}, AddInput{FileName: "9.txt"}, strings.NewReader("file 9")); !errors.Is(err, ledger.ErrLogBroken) {
			t.Fatalf("append to a log with a deleted tail: %v", err)
		}
		// Every later start-up finds it too.
		st, err = newService(t, db, dataDir, "", nil).State(ctx)
		if err != nil || st.OK {
			t.Fatalf("next start-up: %+v %v", st, err)
		}
	})
}

func TestVerifyAllMissingItem(t *testing.T) {
	storetest.Each(t, clock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		dataDir := t.TempDir()
		s := newService(t, db, dataDir, "", nil)
		for i := range 3 {
			add(t, s, fmt.Sprintf("%d.txt", i), "", "", fmt.Appendf(nil, "file %d", i))
		}
		if _, err := s.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		if rep, err := s.VerifyAll(ctx, VerifyOptions{}); err != nil || !rep.OK() || !hasFinding(rep, ledger.CheckItem, true, "3 条日志条目都有对应的证据记录") {
			t.Fatalf("clean: %v\n%s", err, rep.String())
		}
		rawExec(t, db, "DELETE FROM evidence_items WHERE log_index = 1")
		rep, err := newService(t, db, dataDir, "", nil).VerifyAll(ctx, VerifyOptions{})
		if err != nil || rep.OK() {
			t.Fatalf("missing item passed: %v\n%s", err, rep.String())
		}
		var idx []int64
		for _, f := range rep.Failures() {
			if f.Check == ledger.CheckItem && strings.Contains(f.Reason, "证据记录被删除") {
				idx = append(idx, f.Index)
			}
		}
		if len(idx) != 1 || idx[0] != 1 {
			t.Fatalf("missing item findings %v:\n%s", idx, rep.String())
		}
	})
}

func hasFinding(rep ledger.Report, check ledger.Check, ok bool, text string) bool {
	for _, f := range rep.Findings {
		if f.Check == check && f.OK == ok && strings.Contains(f.Item+f.Reason, text) {
			return true
		}
	}
	return false
}
