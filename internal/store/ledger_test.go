package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func ledgerRows(from, n int) []store.LedgerEntry {
	out := make([]store.LedgerEntry, n)
	for i := range out {
		idx := uint64(from + i)
		out[i] = store.LedgerEntry{Index: idx, Data: []byte(fmt.Sprintf(`{"index":%d}`, idx)), LeafHash: bytes.Repeat([]byte{byte(idx)}, 32)}
	}
	return out
}

func TestLedgerEntriesAndCheckpoints(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if n, err := db.LedgerSize(ctx); err != nil || n != 0 {
			t.Fatalf("empty size = %d, %v", n, err)
		}
		// 250 rows in one transaction crosses the 100-row insert chunks.
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.AppendLedgerEntries(ctx, ledgerRows(0, 250)) }); err != nil {
			t.Fatal(err)
		}
		// An append that does not continue the log is refused and writes nothing.
		err := db.Update(ctx, func(tx *store.Tx) error { return tx.AppendLedgerEntries(ctx, ledgerRows(249, 2)) })
		if !errors.Is(err, store.ErrLedgerStale) {
			t.Fatalf("overlapping append: %v, want ErrLedgerStale", err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error { return tx.AppendLedgerEntries(ctx, ledgerRows(251, 1)) })
		if !errors.Is(err, store.ErrLedgerStale) {
			t.Fatalf("gap append: %v, want ErrLedgerStale", err)
		}
		if n, _ := db.LedgerSize(ctx); n != 250 {
			t.Fatalf("size = %d, want 250", n)
		}
		rows, err := db.LedgerEntries(ctx, 98, 103)
		if err != nil || len(rows) != 5 || rows[0].Index != 98 || string(rows[4].Data) != `{"index":102}` {
			t.Fatalf("entries: %+v, %v", rows, err)
		}
		hashes, err := db.LedgerLeafHashes(ctx, 248, 260)
		if err != nil || len(hashes) != 2 || hashes[1][0] != 249 {
			t.Fatalf("leaf hashes: %v, %v", hashes, err)
		}
		if _, err := db.LatestLedgerCheckpoint(ctx); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("no checkpoint: %v", err)
		}
		t0 := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
		cps := []store.LedgerCheckpoint{
			{Size: 250, Note: []byte("b"), TSR: []byte{0x30, 1}, CreatedAt: t0.Add(time.Hour)},
			{Size: 100, Note: []byte("a"), CreatedAt: t0},
		}
		for _, cp := range cps {
			if err := db.Update(ctx, func(tx *store.Tx) error { return tx.AddLedgerCheckpoint(ctx, cp) }); err != nil {
				t.Fatal(err)
			}
		}
		latest, err := db.LatestLedgerCheckpoint(ctx)
		if err != nil || latest.Size != 100 || len(latest.TSR) != 0 || !latest.CreatedAt.Equal(t0) {
			t.Fatalf("latest = %+v, %v (want the most recently added)", latest, err)
		}
		all, err := db.LedgerCheckpoints(ctx)
		if err != nil || len(all) != 2 || all[0].Size != 100 || all[1].Size != 250 || !bytes.Equal(all[1].TSR, []byte{0x30, 1}) {
			t.Fatalf("checkpoints = %+v, %v", all, err)
		}
	})
}
