package evidence

import (
	"context"
	"errors"
	"strconv"

	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/store"
)

// sqlStorage is ledger.Storage on the SQL store, for reading the log and
// for ledger.Log.Append on its own (an append commits in one durable
// transaction, synchronous=FULL on SQLite, before it returns). Intake does
// not append through it: it writes the entries with ledgerTx in the
// transaction that also writes the items and their audit records.
type sqlStorage struct{ db *store.DB }

// NewSQLStorage returns the SQL implementation of ledger.Storage.
func NewSQLStorage(db *store.DB) ledger.Storage { return sqlStorage{db} }

func (s sqlStorage) Size(ctx context.Context) (uint64, error) { return s.db.LedgerSize(ctx) }

func (s sqlStorage) Append(ctx context.Context, entries []ledger.StoredEntry) error {
	return s.db.Update(ctx, func(tx *store.Tx) error { return ledgerTx{tx}.Append(ctx, entries) })
}

// ledgerTx is ledger.Writer on a store transaction: the entries commit or
// roll back with whatever else the transaction writes.
type ledgerTx struct{ tx *store.Tx }

// Append stores entries that continue the log, or answers ledger.ErrStale
// when another process appended first, and records the largest size ever
// written in the same transaction: a log found shorter later has lost its
// tail (appends are serialised, so this only grows).
func (w ledgerTx) Append(ctx context.Context, entries []ledger.StoredEntry) error {
	if len(entries) == 0 {
		return nil
	}
	rows := make([]store.LedgerEntry, len(entries))
	for i, e := range entries {
		rows[i] = store.LedgerEntry{Index: e.Index, Data: e.Data, LeafHash: e.LeafHash}
	}
	if err := w.tx.AppendLedgerEntries(ctx, rows); err != nil {
		if errors.Is(err, store.ErrLedgerStale) {
			return ledger.ErrStale
		}
		return err
	}
	return w.tx.SetSetting(ctx, appendedSetting, strconv.FormatUint(entries[len(entries)-1].Index+1, 10))
}

func (s sqlStorage) Entries(ctx context.Context, from, to uint64) ([]ledger.StoredEntry, error) {
	rows, err := s.db.LedgerEntries(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]ledger.StoredEntry, len(rows))
	for i, r := range rows {
		out[i] = ledger.StoredEntry{Index: r.Index, Data: r.Data, LeafHash: r.LeafHash}
	}
	return out, nil
}

func (s sqlStorage) LeafHashes(ctx context.Context, from, to uint64) ([][]byte, error) {
	return s.db.LedgerLeafHashes(ctx, from, to)
}

func (s sqlStorage) AddCheckpoint(ctx context.Context, cp ledger.StoredCheckpoint) error {
	return s.db.Update(ctx, func(tx *store.Tx) error {
		return tx.AddLedgerCheckpoint(ctx, store.LedgerCheckpoint{Size: cp.Size, Note: cp.Note, TSR: cp.TSR, CreatedAt: cp.CreatedAt})
	})
}

func (s sqlStorage) LatestCheckpoint(ctx context.Context) (ledger.StoredCheckpoint, error) {
	cp, err := s.db.LatestLedgerCheckpoint(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return ledger.StoredCheckpoint{}, ledger.ErrNoCheckpoint
	}
	if err != nil {
		return ledger.StoredCheckpoint{}, err
	}
	return ledger.StoredCheckpoint{Size: cp.Size, Note: cp.Note, TSR: cp.TSR, CreatedAt: cp.CreatedAt}, nil
}

func (s sqlStorage) Checkpoints(ctx context.Context) ([]ledger.StoredCheckpoint, error) {
	cps, err := s.db.LedgerCheckpoints(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ledger.StoredCheckpoint, len(cps))
	for i, cp := range cps {
		out[i] = ledger.StoredCheckpoint{Size: cp.Size, Note: cp.Note, TSR: cp.TSR, CreatedAt: cp.CreatedAt}
	}
	return out, nil
}
