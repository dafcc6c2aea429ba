package evidence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/tsa"
)

func clock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

func newService(t *testing.T, db *store.DB, dataDir, tsaURL string, chain []byte) *Service {
	t.Helper()
	blobs, err := blob.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	return New(Config{DB: db, Blobs: blobs, DataDir: dataDir, Firm: "Test Firm", TSAURL: tsaURL, TSAChainPEM: chain, Now: clock()})
}

func add(t *testing.T, s *Service, name, title, matter string, data []byte) int64 {
	t.Helper()
	item, err := s.Add(context.Background(), nil, auth.Client{}, AddInput{FileName: name, Title: title, MatterRef: matter}, bytes.NewReader(data))
	if err != nil {
		t.Fatalf("add %s: %v", name, err)
	}
	return item.ID
}

func TestIntakeExportAndVerify(t *testing.T) {
	authority, err := tsa.NewTestAuthority()
	if err != nil {
		t.Fatal(err)
	}
	tsaServer := httptest.NewServer(authority)
	defer tsaServer.Close()
	storetest.Each(t, clock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		dataDir := t.TempDir()
		s := newService(t, db, dataDir, tsaServer.URL, authority.ChainPEM())
		photo := jpegWith(map[uint16]string{0x010F: "Apple", 0x0110: "iPhone 15"}, "")
		id1 := add(t, s, "/tmp/IMG_0001.jpg", "现场照片", "（2026）京0105民初1号", photo)
		id2 := add(t, s, "Screenshot_1.png", "转账截图", "（2026）京0105民初1号", plainPNG())
		add(t, s, "合同.pdf", "", "其他案件", []byte("%PDF-1.7 contract"))
		var dupErr *DuplicateError
		if _, err := s.Add(ctx, nil, auth.Client{}, AddInput{FileName: "copy.jpg"}, bytes.NewReader(photo)); !errors.As(err, &dupErr) || dupErr.Existing.ID != id1 {
			t.Fatalf("duplicate without confirmation: %v", err)
		}
		dup, err := s.Add(ctx, nil, auth.Client{}, AddInput{FileName: "copy.jpg", AllowDuplicate: true}, bytes.NewReader(photo))
		if err != nil {
			t.Fatal(err)
		}
		if len(dup.Warnings) != 1 || !strings.Contains(dup.Warnings[0], "重复证据") || dup.LogIndex != 3 {
			t.Fatalf("duplicate: %+v", dup)
		}
		item, err := db.EvidenceItem(ctx, id1)
		if err != nil || item.FileName != "IMG_0001.jpg" || item.LogIndex != 0 || len(item.Warnings) != 0 || item.MediaType != "image/jpeg" {
			t.Fatalf("item 1: %+v, %v", item, err)
		}
		if item2, _ := db.EvidenceItem(ctx, id2); len(item2.Warnings) != 2 {
			t.Fatalf("screenshot warnings: %q", item2.Warnings)
		}
		// The key file is private and its public key is recorded.
		st, err := os.Stat(filepath.Join(dataDir, KeyFile))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("key file: %v %v", st, err)
		}
		state, err := s.State(ctx)
		if err != nil || !state.OK || state.Size != 4 || state.Origin != "lvxin.local/test-firm/evidence" || !strings.HasPrefix(state.VKey, state.Origin+"+") {
			t.Fatalf("state: %+v, %v", state, err)
		}
		// Export a matter: a timestamped checkpoint is taken; the bundle verifies against the TSA root.
		var zipBuf bytes.Buffer
		sum, err := s.Export(ctx, nil, auth.Client{}, ExportFilter{MatterRef: "（2026）京0105民初1号"}, &zipBuf)
		if err != nil || sum.Items != 2 || !sum.Timestamped || !sum.ChainComplete || sum.Checkpoint.Size != 4 {
			t.Fatalf("export: %+v, %v", sum, err)
		}
		rep, err := ledger.VerifyBundle(bytes.NewReader(zipBuf.Bytes()), int64(zipBuf.Len()), ledger.VerifyOptions{TrustedVKey: state.VKey, TSARoots: authority.Roots()})
		if err != nil || !rep.OK() {
			t.Fatalf("bundle: %v\n%s", err, rep)
		}
		audits, _ := db.FindAudit(ctx, store.AuditFilter{Action: "evidence."})
		counts := map[string]int{}
		for _, a := range audits {
			counts[a.Action]++
		}
		if counts["evidence.add"] != 4 || counts["evidence.export"] != 2 {
			t.Fatalf("audit: %v", counts)
		}
		// Download and view are audited.
		if _, rc, err := s.Open(ctx, nil, auth.Client{IP: "127.0.0.1"}, id1); err != nil {
			t.Fatal(err)
		} else {
			got := new(bytes.Buffer)
			got.ReadFrom(rc)
			rc.Close()
			if !bytes.Equal(got.Bytes(), photo) {
				t.Fatal("download differs")
			}
		}
		if _, err := s.Item(ctx, nil, auth.Client{}, id1); err != nil {
			t.Fatal(err)
		}
		audits, _ = db.FindAudit(ctx, store.AuditFilter{Action: "evidence.", Limit: 2})
		if audits[0].Action != "evidence.view" || audits[1].Action != "evidence.download" || audits[1].IP != "127.0.0.1" {
			t.Fatalf("view/download audit: %+v %+v", audits[0], audits[1])
		}
		// Full verification passes, then a replaced file is reported with its index.
		if rep, err := s.VerifyAll(ctx, VerifyOptions{}); err != nil || !rep.OK() {
			t.Fatalf("verify: %v\n%s", err, rep)
		}
		if _, err := s.Export(ctx, nil, auth.Client{}, ExportFilter{IDs: []int64{id1, 999}}, &bytes.Buffer{}); !errors.Is(err, model.ErrInvalidInput) {
			t.Fatalf("unknown id: %v", err)
		}
	})
}

func TestBrokenLogRefusesAppends(t *testing.T) {
	storetest.Each(t, clock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		dataDir := t.TempDir()
		s := newService(t, db, dataDir, "", nil)
		for i := range 3 {
			add(t, s, fmt.Sprintf("f%d.txt", i), "", "", []byte(fmt.Sprintf("file %d", i)))
		}
		if _, err := s.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		// Replace a stored blob: VerifyAll reports it with its index.
		blobs, _ := blob.Open(dataDir)
		items, _ := db.FindEvidence(ctx, store.EvidenceFilter{})
		other, _ := blobs.Put(ctx, strings.NewReader("forged"))
		src := filepath.Join(blobs.Root(), other.SHA256[:2], other.SHA256+".age")
		dst := filepath.Join(blobs.Root(), items[1].SHA256[:2], items[1].SHA256+".age")
		if data, err := os.ReadFile(src); err != nil {
			t.Fatal(err)
		} else if err := os.WriteFile(dst, data, 0o600); err != nil {
			t.Fatal(err)
		}
		rep, err := s.VerifyAll(ctx, VerifyOptions{})
		if err != nil || rep.OK() || len(rep.Failures()) != 1 || rep.Failures()[0].Index != 1 {
			t.Fatalf("replaced blob: %v\n%s", err, rep)
		}
		// Edit an entry in SQL; a new process (service) finds it at start-up and refuses appends.
		editEntry(t, db, 0)
		s2 := newService(t, db, dataDir, "", nil)
		st, err := s2.State(ctx)
		if err != nil || st.OK || len(st.Problems) == 0 {
			t.Fatalf("state after tamper: %+v, %v", st, err)
		}
		_, err = s2.Add(ctx, nil, auth.Client{}, AddInput{FileName: "new.txt"}, strings.NewReader("new"))
		if !errors.Is(err, ledger.ErrLogBroken) {
			t.Fatalf("append to broken log: %v", err)
		}
		// A swapped key file is refused.
		skey, vkey, _ := ledger.GenerateKey("lvxin.local/x/evidence")
		os.WriteFile(filepath.Join(dataDir, KeyFile), []byte(skey+"\n"+vkey+"\n"), 0o600)
		if _, err := newService(t, db, dataDir, "", nil).State(ctx); err == nil || !strings.Contains(err.Error(), "不一致") {
			t.Fatalf("swapped key: %v", err)
		}
	})
}

func TestConcurrentAddsAreBatched(t *testing.T) {
	storetest.Each(t, clock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db, t.TempDir(), "", nil)
		const n = 40
		// The first leader waits until every other append is queued behind
		// it: they must then share one group commit.
		var first sync.Once
		s.beforeCommit = func() {
			first.Do(func() {
				deadline := time.Now().Add(30 * time.Second)
				for time.Now().Before(deadline) {
					s.batchMu.Lock()
					queued := len(s.pending)
					s.batchMu.Unlock()
					if queued == n-1 {
						return
					}
					time.Sleep(time.Millisecond)
				}
				t.Error("the other appends never queued")
			})
		}
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.Add(ctx, nil, auth.Client{}, AddInput{FileName: fmt.Sprintf("f%02d.txt", i)}, strings.NewReader(fmt.Sprint(i)))
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		items, _ := db.FindEvidence(ctx, store.EvidenceFilter{})
		if len(items) != n {
			t.Fatalf("%d items, want %d", len(items), n)
		}
		for i, it := range items {
			if it.LogIndex != int64(i) {
				t.Fatalf("item %d at log index %d", i, it.LogIndex)
			}
		}
		if rep, err := s.VerifyAll(ctx, VerifyOptions{}); err != nil || !rep.OK() {
			t.Fatalf("verify: %v\n%s", err, rep)
		}
		if c := s.commits.Load(); c != 2 {
			t.Fatalf("%d appends took %d group commits, want 2 (the first, then the %d queued behind it)", n, c, n-1)
		}
	})
}
