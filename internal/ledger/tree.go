package ledger

import (
	"context"
	"crypto"
	"fmt"
	"sync"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/rfc6962"
)

var (
	hasher       = rfc6962.New(crypto.SHA256)
	rangeFactory = &compact.RangeFactory{Hash: hasher.HashChildren}
)

// chunkLevel is the level of the cached subtree hashes: one 32-byte hash per
// 1024 leaves, so a proof in a log of millions of entries reads at most a few
// thousand leaf hashes plus the cache, and never the entry bytes.
const (
	chunkLevel = 10
	chunkSize  = 1 << chunkLevel
	// leafBatch is how many leaf hashes are read from storage at once.
	leafBatch = 64 * chunkSize
)

// treeHasher computes node hashes of the tree from stored leaf hashes. Complete
// chunks never change in an append-only log, so their hashes are cached.
type treeHasher struct {
	storage Storage
	mu      sync.Mutex
	chunks  [][]byte // chunks[k] = hash of the perfect subtree over leaves [k*chunkSize, (k+1)*chunkSize)
}

// reset drops the cache (Verify does, since storage may have been edited).
func (t *treeHasher) reset() {
	t.mu.Lock()
	t.chunks = nil
	t.mu.Unlock()
}

// perfectRoot folds hashes of a perfect subtree's children (a power of two
// of them) into its root with a compact range.
func perfectRoot(hashes [][]byte) ([]byte, error) {
	r := rangeFactory.NewEmptyRange(0)
	for _, h := range hashes {
		if err := r.Append(h, nil); err != nil {
			return nil, err
		}
	}
	return r.GetRootHash(nil)
}

// leafHashes reads leaf hashes [from, to) and insists on getting all of them.
func (t *treeHasher) leafHashes(ctx context.Context, from, to uint64) ([][]byte, error) {
	hashes, err := t.storage.LeafHashes(ctx, from, to)
	if err != nil {
		return nil, err
	}
	if uint64(len(hashes)) != to-from {
		return nil, fmt.Errorf("%w: %d leaf hashes for [%d, %d)", ErrStorage, len(hashes), from, to)
	}
	for _, h := range hashes {
		if len(h) != hasher.Size() {
			return nil, fmt.Errorf("%w: leaf hash of %d bytes", ErrStorage, len(h))
		}
	}
	return hashes, nil
}

// ensureChunks fills the cache up to n complete chunks.
func (t *treeHasher) ensureChunksLocked(ctx context.Context, n uint64) error {
	for uint64(len(t.chunks)) < n {
		first := uint64(len(t.chunks))
		last := min(n, first+leafBatch/chunkSize)
		hashes, err := t.leafHashes(ctx, first*chunkSize, last*chunkSize)
		if err != nil {
			return err
		}
		for k := range last - first {
			h, err := perfectRoot(hashes[k*chunkSize : (k+1)*chunkSize])
			if err != nil {
				return err
			}
			t.chunks = append(t.chunks, h)
		}
	}
	return nil
}

// nodeHash returns the hash of a perfect subtree whose leaves are all stored.
func (t *treeHasher) nodeHash(ctx context.Context, id compact.NodeID) ([]byte, error) {
	begin, end := id.Coverage()
	if id.Level < chunkLevel {
		hashes, err := t.leafHashes(ctx, begin, end)
		if err != nil {
			return nil, err
		}
		return perfectRoot(hashes)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.ensureChunksLocked(ctx, end/chunkSize); err != nil {
		return nil, err
	}
	return perfectRoot(t.chunks[begin/chunkSize : end/chunkSize])
}

// compactRange returns the compact range [0, size) built from stored leaf hashes.
func (t *treeHasher) compactRange(ctx context.Context, size uint64) (*compact.Range, error) {
	ids := compact.RangeNodes(0, size, nil)
	hashes := make([][]byte, len(ids))
	for i, id := range ids {
		h, err := t.nodeHash(ctx, id)
		if err != nil {
			return nil, err
		}
		hashes[i] = h
	}
	return rangeFactory.NewRange(0, size, hashes)
}

// rootOf returns the root hash of a compact range [0, n), the RFC 6962 empty
// root for n = 0.
func rootOf(r *compact.Range) ([]byte, error) {
	if r.End() == 0 {
		return hasher.EmptyRoot(), nil
	}
	return r.GetRootHash(nil)
}
