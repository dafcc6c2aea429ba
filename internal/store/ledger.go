package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// LedgerEntry is one leaf of the evidence log as stored: its position, the
// exact leaf bytes and the leaf hash. internal/evidence adapts these rows to
// ledger.Storage, so that this package does not depend on the log's code.
type LedgerEntry struct {
	Index    uint64
	Data     []byte
	LeafHash []byte
}

// LedgerCheckpoint is one stored signed checkpoint of the evidence log.
type LedgerCheckpoint struct {
	Size      uint64
	Note      []byte
	TSR       []byte // empty without a time-stamping authority
	CreatedAt time.Time
}

// ErrLedgerStale is returned by AppendLedgerEntries when the entries'
// indexes do not continue the stored log: another writer appended first.
// Nothing was stored; the caller reloads the log and retries.
var ErrLedgerStale = fmt.Errorf("%w：证据日志已由其他进程追加", ErrConflict)

// ledgerLock serialises appends to the log on PostgreSQL (SQLite's immediate
// transactions already are serialised).
const ledgerLock = 7460002

// LockLedger serialises writers of the evidence log (appends, first-use key
// generation) for the rest of the transaction: an advisory lock on
// PostgreSQL; SQLite's immediate transactions are already serialised.
func (tx *Tx) LockLedger(ctx context.Context) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	_, err := tx.c().exec(ctx, "SELECT pg_advisory_xact_lock(?)", ledgerLock)
	return err
}

// LedgerSize returns one past the highest stored index: the number of
// entries when none is missing (a deleted row in the middle is a gap that
// the log's verification reports). An index lookup, not a count, so it stays
// cheap on a large log.
func (db *DB) LedgerSize(ctx context.Context) (uint64, error) {
	var n int64
	err := db.read().queryRow(ctx, "SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries").Scan(&n)
	return uint64(n), err
}

// AppendLedgerEntries stores entries whose indexes continue the log
// (LedgerSize, LedgerSize+1, ...) inside the transaction; anything else is
// ErrLedgerStale, so two processes can never interleave or overwrite entries.
func (tx *Tx) AppendLedgerEntries(ctx context.Context, entries []LedgerEntry) error {
	if len(entries) == 0 {
		return nil
	}
	c := tx.c()
	if err := tx.LockLedger(ctx); err != nil {
		return err
	}
	var n int64
	if err := c.queryRow(ctx, "SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries").Scan(&n); err != nil {
		return err
	}
	for i, e := range entries {
		if want := uint64(n) + uint64(i); e.Index != want {
			return fmt.Errorf("%w（日志条目序号 %d，应为 %d）", ErrLedgerStale, e.Index, want)
		}
	}
	// Multi-row inserts of up to 100 rows: one round trip per chunk.
	for start := 0; start < len(entries); start += 100 {
		chunk := entries[start:min(len(entries), start+100)]
		q := "INSERT INTO ledger_entries (idx, data, leaf_hash) VALUES "
		args := make([]any, 0, 3*len(chunk))
		for i, e := range chunk {
			if i > 0 {
				q += ", "
			}
			q += "(?, ?, ?)"
			args = append(args, int64(e.Index), e.Data, e.LeafHash)
		}
		if _, err := c.exec(ctx, q, args...); err != nil {
			if isUnique(err) {
				return fmt.Errorf("%w（日志条目已存在）", ErrLedgerStale)
			}
			return err
		}
	}
	return nil
}

// LedgerEntries returns the stored entries with from <= index < to, by index.
func (db *DB) LedgerEntries(ctx context.Context, from, to uint64) ([]LedgerEntry, error) {
	rows, err := db.read().query(ctx, "SELECT idx, data, leaf_hash FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx",
		int64(from), int64(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LedgerEntry
	for rows.Next() {
		var e LedgerEntry
		var idx int64
		if err := rows.Scan(&idx, &e.Data, &e.LeafHash); err != nil {
			return nil, err
		}
		e.Index = uint64(idx)
		out = append(out, e)
	}
	return out, rows.Err()
}

// LedgerLeafHashes returns the leaf hashes of entries from <= index < to.
func (db *DB) LedgerLeafHashes(ctx context.Context, from, to uint64) ([][]byte, error) {
	rows, err := db.read().query(ctx, "SELECT leaf_hash FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx",
		int64(from), int64(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([][]byte, 0, to-from)
	for rows.Next() {
		var h []byte
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// AddLedgerCheckpoint stores a signed checkpoint.
func (tx *Tx) AddLedgerCheckpoint(ctx context.Context, cp LedgerCheckpoint) error {
	var tsr []byte
	if len(cp.TSR) > 0 {
		tsr = cp.TSR
	}
	_, err := tx.c().exec(ctx, "INSERT INTO ledger_checkpoints (size, note, tsr, created_at) VALUES (?, ?, ?, ?)",
		int64(cp.Size), cp.Note, tsr, cp.CreatedAt.UTC().Truncate(time.Microsecond))
	return err
}

// LatestLedgerCheckpoint returns the most recently added checkpoint, or
// ErrNotFound.
func (db *DB) LatestLedgerCheckpoint(ctx context.Context) (LedgerCheckpoint, error) {
	row := db.read().queryRow(ctx, "SELECT size, note, tsr, created_at FROM ledger_checkpoints ORDER BY id DESC LIMIT 1")
	cp, err := scanCheckpoint(row)
	return cp, notFound(err)
}

// LedgerCheckpoints returns every checkpoint by size, then creation time.
func (db *DB) LedgerCheckpoints(ctx context.Context) ([]LedgerCheckpoint, error) {
	rows, err := db.read().query(ctx, "SELECT size, note, tsr, created_at FROM ledger_checkpoints ORDER BY size, created_at, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LedgerCheckpoint
	for rows.Next() {
		cp, err := scanCheckpoint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, cp)
	}
	return out, rows.Err()
}

func scanCheckpoint(row interface{ Scan(...any) error }) (LedgerCheckpoint, error) {
	var cp LedgerCheckpoint
	var size int64
	var tsr []byte
	var created sql.NullTime
	if err := row.Scan(&size, &cp.Note, &tsr, &created); err != nil {
		return LedgerCheckpoint{}, err
	}
	cp.Size, cp.TSR, cp.CreatedAt = uint64(size), tsr, created.Time.UTC()
	return cp, nil
}
