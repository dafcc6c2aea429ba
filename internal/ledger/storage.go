package ledger

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"sync"
	"time"
)

// StoredEntry is one row of the entries table.
type StoredEntry struct {
	Index    uint64 // position in the log, the primary key
	Data     []byte // exact leaf bytes (canonical JSON)
	LeafHash []byte // SHA-256(0x00 || Data), 32 bytes
}

// StoredCheckpoint is one row of the checkpoints table.
type StoredCheckpoint struct {
	Size      uint64    // tree size the checkpoint commits to
	Note      []byte    // signed note bytes (C2SP tlog-checkpoint)
	TSR       []byte    // RFC 3161 TimeStampResp over Note; empty without a TSA
	CreatedAt time.Time // UTC
}

// Storage persists the log. The SQL store implements it with two plain tables
// (entries: index, data, leaf_hash; checkpoints: size, note, tsr, created_at).
// Every method takes ctx first; ranges are half-open [from, to).
type Storage interface {
	// Size returns the number of stored entries.
	Size(ctx context.Context) (uint64, error)
	// Append durably stores entries, whose indexes are Size().. in order, in
	// one transaction; it returns only after commit. When the stored log
	// has grown meanwhile (another process appended), it stores nothing and
	// returns an error wrapping ErrStale.
	Append(ctx context.Context, entries []StoredEntry) error
	// Entries returns the stored entries with from <= index < to, ordered by
	// index. A missing row is simply absent (Verify reports the gap).
	Entries(ctx context.Context, from, to uint64) ([]StoredEntry, error)
	// LeafHashes returns the leaf hashes of entries from <= index < to, ordered
	// by index; proofs need only these, never the entry bytes.
	LeafHashes(ctx context.Context, from, to uint64) ([][]byte, error)
	// AddCheckpoint durably stores a checkpoint.
	AddCheckpoint(ctx context.Context, cp StoredCheckpoint) error
	// LatestCheckpoint returns the most recently added checkpoint, or
	// ErrNoCheckpoint.
	LatestCheckpoint(ctx context.Context) (StoredCheckpoint, error)
	// Checkpoints returns all checkpoints ordered by size, then creation time.
	Checkpoints(ctx context.Context) ([]StoredCheckpoint, error)
}

// MemStorage is an in-memory Storage for tests and benchmarks. Safe for
// concurrent use.
type MemStorage struct {
	mu          sync.Mutex
	entries     []StoredEntry
	checkpoints []StoredCheckpoint
}

// NewMemStorage returns an empty in-memory storage.
func NewMemStorage() *MemStorage { return &MemStorage{} }

// Size implements Storage.
func (m *MemStorage) Size(ctx context.Context) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return uint64(len(m.entries)), nil
}

// Append implements Storage.
func (m *MemStorage) Append(ctx context.Context, entries []StoredEntry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, e := range entries {
		if want := uint64(len(m.entries) + i); e.Index != want {
			return fmt.Errorf("%w: append index %d, want %d", ErrStale, e.Index, want)
		}
	}
	for _, e := range entries {
		m.entries = append(m.entries, StoredEntry{Index: e.Index, Data: bytes.Clone(e.Data), LeafHash: bytes.Clone(e.LeafHash)})
	}
	return nil
}

// Entries implements Storage. Rows are matched by their Index field, as SQL
// would, so tests can delete or reorder rows.
func (m *MemStorage) Entries(ctx context.Context, from, to uint64) ([]StoredEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []StoredEntry
	for _, e := range m.rowsLocked(from, to) {
		out = append(out, StoredEntry{Index: e.Index, Data: bytes.Clone(e.Data), LeafHash: bytes.Clone(e.LeafHash)})
	}
	return out, nil
}

// LeafHashes implements Storage.
func (m *MemStorage) LeafHashes(ctx context.Context, from, to uint64) ([][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out [][]byte
	for _, e := range m.rowsLocked(from, to) {
		out = append(out, bytes.Clone(e.LeafHash))
	}
	return out, nil
}

// rowsLocked returns the rows with from <= Index < to in index order. While
// rows sit at their own positions (the normal case) it slices directly.
func (m *MemStorage) rowsLocked(from, to uint64) []StoredEntry {
	n := uint64(len(m.entries))
	if to > n {
		to = n
	}
	if from >= to {
		return nil
	}
	if m.entries[from].Index == from && m.entries[to-1].Index == to-1 {
		return m.entries[from:to]
	}
	var rows []StoredEntry
	for _, e := range m.entries {
		if e.Index >= from && e.Index < to {
			rows = append(rows, e)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Index < rows[j].Index })
	return rows
}

// AddCheckpoint implements Storage.
func (m *MemStorage) AddCheckpoint(ctx context.Context, cp StoredCheckpoint) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.checkpoints = append(m.checkpoints, StoredCheckpoint{
		Size: cp.Size, Note: bytes.Clone(cp.Note), TSR: bytes.Clone(cp.TSR), CreatedAt: cp.CreatedAt,
	})
	return nil
}

// LatestCheckpoint implements Storage.
func (m *MemStorage) LatestCheckpoint(ctx context.Context) (StoredCheckpoint, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.checkpoints) == 0 {
		return StoredCheckpoint{}, ErrNoCheckpoint
	}
	return m.checkpoints[len(m.checkpoints)-1], nil
}

// Checkpoints implements Storage.
func (m *MemStorage) Checkpoints(ctx context.Context) ([]StoredCheckpoint, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := append([]StoredCheckpoint(nil), m.checkpoints...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Size < out[j].Size })
	return out, nil
}
