package evidence

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// poisonName is the file whose item or audit row the injected failure
// refuses.
const poisonName = "坏.txt"

// injectFailure makes the database refuse, inside lvxin's own transaction,
// the insert of the poison file's row in table (evidence_items or
// audit_log), as a full disk or a violated constraint would; the returned
// function removes the fault.
func injectFailure(t *testing.T, db *store.DB, table string) (remove func()) {
	t.Helper()
	when := "NEW.file_name = '" + poisonName + "'"
	if table == "audit_log" {
		when = "NEW.detail LIKE '%" + poisonName + "%'"
	}
	if db.Dialect() == store.Postgres {
		rawExec(t, db, `CREATE OR REPLACE FUNCTION inject_failure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'injected failure'; END $$`)
		rawExec(t, db, fmt.Sprintf("CREATE TRIGGER inject_failure BEFORE INSERT ON %s FOR EACH ROW WHEN (%s) EXECUTE FUNCTION inject_failure()", table, when))
		return func() { rawExec(t, db, "DROP TRIGGER inject_failure ON "+table) }
	}
	rawExec(t, db, fmt.Sprintf("CREATE TRIGGER inject_failure BEFORE INSERT ON %s WHEN %s BEGIN SELECT RAISE(ABORT, 'injected failure'); END", table, when))
	return func() { rawExec(t, db, "DROP TRIGGER inject_failure") }
}

// intakeRows is what an intake writes: log entries, the largest size ever
// appended, evidence items and evidence.add audit rows.
type intakeRows struct {
	entries, items, audits int
	appended               string
}

func countIntakeRows(t *testing.T, db *store.DB) intakeRows {
	t.Helper()
	ctx := context.Background()
	entries, err := db.LedgerEntries(ctx, 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	items, err := db.FindEvidence(ctx, store.EvidenceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	audits, err := db.FindAudit(ctx, store.AuditFilter{Action: "evidence.add", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	appended, _ := db.Setting(ctx, appendedSetting)
	return intakeRows{entries: len(entries), items: len(items), audits: len(audits), appended: appended}
}

// TestIntakeIsAtomic: when the item or its audit row cannot be written
// (after the log entry was, in the same transaction), nothing of the
// intake remains: no log entry, no item, no audit row, no recorded size;
// the next file takes the index the failed one would have had, and the log
// verifies.
func TestIntakeIsAtomic(t *testing.T) {
	for _, table := range []string{"evidence_items", "audit_log"} {
		t.Run(table, func(t *testing.T) {
			storetest.Each(t, clock(), func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				dataDir := t.TempDir()
				s := newService(t, db, dataDir, "", nil)
				add(t, s, "0.txt", "", "", []byte("file 0"))
				add(t, s, "1.txt", "", "", []byte("file 1"))
				before := countIntakeRows(t, db)
				if before != (intakeRows{entries: 2, items: 2, audits: 2, appended: "2"}) {
					t.Fatalf("before: %+v", before)
				}

				remove := injectFailure(t, db, table)
				_, err := s.Add(ctx, nil, auth.Client{}, AddInput{FileName: poisonName}, strings.NewReader("poison"))
				if err == nil || !strings.Contains(err.Error(), "injected failure") {
					t.Fatalf("add with an injected failure: %v", err)
				}
				if after := countIntakeRows(t, db); after != before {
					t.Fatalf("a failed intake left rows: %+v, before %+v", after, before)
				}
				remove()

				item, err := s.Add(ctx, nil, auth.Client{}, AddInput{FileName: "2.txt"}, strings.NewReader("file 2"))
				if err != nil || item.LogIndex != 2 {
					t.Fatalf("next add: %+v, %v (want log index 2)", item, err)
				}
				if after := countIntakeRows(t, db); after != (intakeRows{entries: 3, items: 3, audits: 3, appended: "3"}) {
					t.Fatalf("after the next add: %+v", after)
				}
				if _, err := s.Checkpoint(ctx); err != nil {
					t.Fatal(err)
				}
				rep, err := newService(t, db, dataDir, "", nil).VerifyAll(ctx, VerifyOptions{})
				if err != nil || !rep.OK() {
					t.Fatalf("verify: %v\n%s", err, rep.String())
				}
			})
		})
	}
}

// TestBatchWithFailingItem: a failure in one file of a group commit rolls
// back the whole batch; each file is then committed alone, so the others
// land with consecutive indexes and the failed one leaves nothing.
func TestBatchWithFailingItem(t *testing.T) {
	storetest.Each(t, clock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		dataDir := t.TempDir()
		s := newService(t, db, dataDir, "", nil)
		add(t, s, "0.txt", "", "", []byte("file 0"))
		defer injectFailure(t, db, "evidence_items")()
		names := []string{"a.txt", "b.txt", poisonName, "c.txt", "d.txt"}
		// "a.txt" leads the first group commit alone and waits there until
		// the other four are queued: they then share the next one.
		var first sync.Once
		leading := make(chan struct{})
		s.beforeCommit = func() {
			first.Do(func() {
				close(leading)
				deadline := time.Now().Add(30 * time.Second)
				for time.Now().Before(deadline) {
					s.batchMu.Lock()
					queued := len(s.pending)
					s.batchMu.Unlock()
					if queued == len(names)-1 {
						return
					}
					time.Sleep(time.Millisecond)
				}
				t.Error("the other adds never queued")
			})
		}
		errs := make([]error, len(names))
		var wg sync.WaitGroup
		for i, name := range names {
			wg.Go(func() {
				_, errs[i] = s.Add(ctx, nil, auth.Client{}, AddInput{FileName: name}, strings.NewReader(name))
			})
			if i == 0 {
				<-leading
			}
		}
		wg.Wait()
		for i, name := range names {
			if failed := errs[i] != nil; failed != (name == poisonName) {
				t.Fatalf("%s: %v", name, errs[i])
			}
		}
		if c := s.commits.Load(); c != 3 { // 0.txt, a.txt, then the batch of four
			t.Fatalf("%d group commits, want 3", c)
		}
		if got := countIntakeRows(t, db); got != (intakeRows{entries: 5, items: 5, audits: 5, appended: "5"}) {
			t.Fatalf("rows: %+v", got)
		}
		items, _ := db.FindEvidence(ctx, store.EvidenceFilter{})
		for i, it := range items {
			if it.LogIndex != int64(i) || it.FileName == poisonName {
				t.Fatalf("item %d: %s at log index %d", i, it.FileName, it.LogIndex)
			}
		}
		if _, err := s.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		rep, err := newService(t, db, dataDir, "", nil).VerifyAll(ctx, VerifyOptions{})
		if err != nil || !rep.OK() {
			t.Fatalf("verify: %v\n%s", err, rep.String())
		}
	})
}
