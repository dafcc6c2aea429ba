// Command intake is the Go side of the evidence benchmarks in
// bench/ledger/run.sh:
//
//	intake -append N   durable log appends on SQLite (synchronous=FULL):
//	                   N/5 single-entry appends (one commit each, the
//	                   baseline) and N entries in batches of -batch,
//	                   alternating -pairs times, each run on a fresh
//	                   database; one line per pair
//	intake -file PATH  the full intake of one file: stream into the
//	                   encrypted blob store with SHA-256 and SM3, append
//	                   the log entry and record the item
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/evidence"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/store"
)

func main() {
	appends := flag.Int("append", 0, "number of entries to append")
	batch := flag.Int("batch", 256, "entries per durable transaction in the batched run")
	pairs := flag.Int("pairs", 3, "single-entry and batched runs, alternating")
	file := flag.String("file", "", "file to preserve")
	flag.Parse()
	var err error
	switch {
	case *appends > 0 && *pairs < 1:
		err = fmt.Errorf("-pairs must be at least 1")
	case *appends > 0:
		err = benchAppendPairs(*appends, *batch, *pairs)
	case *file != "":
		err = benchIntake(*file)
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func openDB(ctx context.Context) (*store.DB, string, error) {
	dir, err := os.MkdirTemp("", "lvxin-bench-")
	if err != nil {
		return nil, "", err
	}
	db, err := store.Open(ctx, store.Options{DataDir: dir, Migrate: true})
	return db, dir, err
}

func openLog(ctx context.Context, db *store.DB) (*ledger.Log, error) {
	skey, vkey, err := ledger.GenerateKey("lvxin.local/bench/evidence")
	if err != nil {
		return nil, err
	}
	signer, err := noteSigner(skey)
	if err != nil {
		return nil, err
	}
	verifier, err := noteVerifier(vkey)
	if err != nil {
		return nil, err
	}
	return ledger.Open(ctx, evidence.NewSQLStorage(db), signer, verifier, "lvxin.local/bench/evidence", nil, time.Now)
}

func input(i int) ledger.EntryInput {
	hex := fmt.Sprintf("%064x", i)
	return ledger.EntryInput{Name: fmt.Sprintf("file-%d.jpg", i), Matter: "（2026）京0105民初1号",
		Digests: ledger.Digests{SHA256: hex, SM3: strings.Repeat("a", 64-len(fmt.Sprint(i))) + fmt.Sprint(i), Size: int64(i)}}
}

// benchAppendPairs alternates single-entry and batched appends, each on a
// fresh database, and prints one line per pair with the 1-minute load.
func benchAppendPairs(n, batch, pairs int) error {
	for p := 1; p <= pairs; p++ {
		single, err := benchAppend(max(n/5, 1), 1)
		if err != nil {
			return err
		}
		batched, err := benchAppend(n, batch)
		if err != nil {
			return err
		}
		fmt.Printf("pair %d: single_per_s %.0f batched_per_s %.0f ratio %.1f load %s\n", p, single, batched, batched/single, loadAvg())
	}
	return nil
}

// benchAppend appends n entries in durable transactions of batch entries to
// a new log and returns the entries per second; the log must verify after.
func benchAppend(n, batch int) (float64, error) {
	ctx := context.Background()
	db, dir, err := openDB(ctx)
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	defer db.Close()
	log, err := openLog(ctx, db)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	for i := 0; i < n; i += batch {
		inputs := make([]ledger.EntryInput, 0, batch)
		for j := i; j < min(n, i+batch); j++ {
			inputs = append(inputs, input(j))
		}
		if _, err := log.Append(ctx, inputs); err != nil {
			return 0, err
		}
	}
	rate := float64(n) / time.Since(start).Seconds()
	if _, err := log.Checkpoint(ctx); err != nil {
		return 0, err
	}
	rep, err := log.Verify(ctx, 0)
	if err != nil || !rep.OK() {
		return 0, fmt.Errorf("log does not verify after the benchmark: %v\n%s", err, rep)
	}
	return rate, nil
}

// loadAvg is the 1-minute load average, or "?".
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

func benchIntake(path string) error {
	ctx := context.Background()
	db, dir, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	defer db.Close()
	blobs, err := blob.Open(dir)
	if err != nil {
		return err
	}
	svc := evidence.New(evidence.Config{DB: db, Blobs: blobs, DataDir: dir, Firm: "bench"})
	if _, err := svc.State(ctx); err != nil { // key generation and start-up check outside the timing
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	item, err := svc.Add(ctx, nil, auth.Client{}, evidence.AddInput{FileName: filepath.Base(path)}, f)
	if err != nil {
		return err
	}
	elapsed := time.Since(start).Seconds()
	blobSize := int64(0)
	filepath.Walk(filepath.Join(dir, "blobs"), func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".age") {
			blobSize += info.Size()
		}
		return nil
	})
	fmt.Printf("seconds: %.3f\nsha256: %s\nsm3: %s\nencrypted_bytes: %d\n", elapsed, item.SHA256, item.SM3, blobSize)
	return nil
}
