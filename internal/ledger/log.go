package ledger

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/transparency-dev/merkle/compact"
	"golang.org/x/mod/sumdb/note"
)

// Timestamper obtains an RFC 3161 timestamp response over data
// (tsa.Client implements it).
type Timestamper interface {
	Timestamp(ctx context.Context, data []byte) ([]byte, error)
}

// Log is the append-only evidence log. Safe for concurrent use; appends are
// serialised.
type Log struct {
	storage  Storage
	signer   note.Signer
	verifier note.Verifier
	origin   string
	ts       Timestamper // nil: checkpoints carry no timestamp
	now      func() time.Time

	appendMu sync.Mutex // serialises Append

	mu     sync.Mutex
	tree   treeHasher
	tail   *compact.Range // [0, size) of the stored log
	broken error          // set by a failed Verify; Append refuses while set
}

// Open loads the log's state from storage. signer may be nil for a read-only
// log (Checkpoint then fails); ts may be nil when no TSA is configured.
func Open(ctx context.Context, storage Storage, signer note.Signer, verifier note.Verifier, origin string, ts Timestamper, now func() time.Time) (*Log, error) {
	if storage == nil || verifier == nil || now == nil {
		return nil, fmt.Errorf("%w：存储、公钥和时钟不能为空", ErrBadInput)
	}
	if err := validateOrigin(origin); err != nil {
		return nil, err
	}
	if verifier.Name() != origin || (signer != nil && signer.Name() != origin) {
		return nil, fmt.Errorf("%w：密钥名称与日志名称 %q 不一致", ErrBadInput, origin)
	}
	l := &Log{storage: storage, signer: signer, verifier: verifier, origin: origin, ts: ts, now: now}
	l.tree.storage = storage
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.syncLocked(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

// Origin returns the log's name as written on its checkpoints.
func (l *Log) Origin() string { return l.origin }

// syncLocked brings the in-memory range up to the stored size (another
// process may have appended). A shrunk store is a broken log.
func (l *Log) syncLocked(ctx context.Context) error {
	size, err := l.storage.Size(ctx)
	if err != nil {
		return err
	}
	if l.tail == nil {
		l.tail, err = l.tree.compactRange(ctx, size)
		return err
	}
	if size < l.tail.End() {
		return fmt.Errorf("%w：日志只有 %d 条，少于此前读到的 %d 条（末尾的条目被删除），请运行 lvxin ledger verify", ErrStorage, size, l.tail.End())
	}
	if size == l.tail.End() {
		return nil
	}
	hashes, err := l.tree.leafHashes(ctx, l.tail.End(), size)
	if err != nil {
		return err
	}
	for _, h := range hashes {
		if err := l.tail.Append(h, nil); err != nil {
			return err
		}
	}
	return nil
}

// Size returns the number of entries in the log.
func (l *Log) Size(ctx context.Context) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.syncLocked(ctx); err != nil {
		return 0, err
	}
	return l.tail.End(), nil
}

// Append adds entries in one storage transaction and returns them with their
// indexes and leaf bytes: Stage, Write through the storage, Advance. When
// another process appended first (the storage answers ErrStale), the log
// reloads the new entries and tries again with the next indexes, so
// concurrent writers serialise through the storage. Appends through one Log
// are serialised.
func (l *Log) Append(ctx context.Context, inputs []EntryInput) ([]Entry, error) {
	if len(inputs) == 0 {
		return nil, nil
	}
	l.appendMu.Lock()
	defer l.appendMu.Unlock()
	var entries []Entry
	err := RetryStale(ctx, func() error {
		st, err := l.Stage(ctx, inputs)
		if err != nil {
			return err
		}
		if err := l.Write(ctx, l.storage, st); err != nil {
			return err
		}
		l.Advance(st)
		entries = st.Entries()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return entries, nil
}

// encodeLocked builds the entries for inputs at the current end of the log.
func (l *Log) encodeLocked(inputs []EntryInput) ([]Entry, []StoredEntry, error) {
	addedAt := l.now().UTC().Truncate(time.Second)
	entries := make([]Entry, len(inputs))
	stored := make([]StoredEntry, len(inputs))
	for i, in := range inputs {
		e := Entry{
			Index: l.tail.End() + uint64(i), SHA256: in.Digests.SHA256, SM3: in.Digests.SM3,
			Size: in.Digests.Size, Name: in.Name, Matter: in.Matter, AddedAt: addedAt,
		}
		data, err := encodeEntry(e)
		if err != nil {
			return nil, nil, err
		}
		e.Data, e.LeafHash = data, hasher.HashLeaf(data)
		entries[i] = e
		stored[i] = StoredEntry{Index: e.Index, Data: e.Data, LeafHash: e.LeafHash}
	}
	return entries, stored, nil
}

// Entry returns the stored entry at index, parsed.
func (l *Log) Entry(ctx context.Context, index uint64) (Entry, error) {
	rows, err := l.storage.Entries(ctx, index, index+1)
	if err != nil {
		return Entry{}, err
	}
	if len(rows) != 1 || rows[0].Index != index {
		return Entry{}, fmt.Errorf("%w：条目 %d 不存在", ErrOutOfRange, index)
	}
	e, err := ParseEntry(rows[0].Data)
	if err != nil {
		return Entry{}, err
	}
	if e.Index != index {
		return Entry{}, fmt.Errorf("%w：位置 %d 上的条目序号为 %d", ErrBadEntry, index, e.Index)
	}
	return e, nil
}

// Checkpoint signs the current tree head, timestamps it when a Timestamper
// is configured, stores it and returns it. A failing TSA fails the call, so
// that no checkpoint silently lacks its timestamp.
func (l *Log) Checkpoint(ctx context.Context) (Checkpoint, error) {
	if l.signer == nil {
		return Checkpoint{}, fmt.Errorf("%w：未配置签名私钥", ErrBadInput)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.broken != nil {
		return Checkpoint{}, l.broken
	}
	if err := l.syncLocked(ctx); err != nil {
		return Checkpoint{}, err
	}
	root, err := rootOf(l.tail)
	if err != nil {
		return Checkpoint{}, err
	}
	size := l.tail.End()
	signed, err := note.Sign(&note.Note{Text: checkpointText(l.origin, size, root)}, l.signer)
	if err != nil {
		return Checkpoint{}, err
	}
	cp := Checkpoint{Origin: l.origin, Size: size, Root: root, Note: signed, CreatedAt: l.now().UTC()}
	if l.ts != nil {
		if cp.TSR, err = l.ts.Timestamp(ctx, signed); err != nil {
			return Checkpoint{}, fmt.Errorf("获取可信时间戳失败：%w", err)
		}
	}
	err = l.storage.AddCheckpoint(ctx, StoredCheckpoint{Size: size, Note: signed, TSR: cp.TSR, CreatedAt: cp.CreatedAt})
	if err != nil {
		return Checkpoint{}, err
	}
	return cp, nil
}

// LatestCheckpoint returns the newest stored checkpoint, verified with the
// log key, or ErrNoCheckpoint.
func (l *Log) LatestCheckpoint(ctx context.Context) (Checkpoint, error) {
	stored, err := l.storage.LatestCheckpoint(ctx)
	if err != nil {
		return Checkpoint{}, err
	}
	return l.openStored(stored)
}

func (l *Log) openStored(stored StoredCheckpoint) (Checkpoint, error) {
	cp, err := OpenCheckpoint(stored.Note, l.verifier)
	if err != nil {
		return Checkpoint{}, err
	}
	if cp.Size != stored.Size {
		return Checkpoint{}, fmt.Errorf("%w：存储记录的大小 %d 与签名内容 %d 不一致", ErrBadCheckpoint, stored.Size, cp.Size)
	}
	cp.TSR, cp.CreatedAt = stored.TSR, stored.CreatedAt
	return cp, nil
}
