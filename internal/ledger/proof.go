package ledger

import (
	"context"
	"fmt"

	"github.com/transparency-dev/merkle/proof"
)

// InclusionProof returns the RFC 6962 inclusion proof of the leaf at index in
// the tree of treeSize leaves, computed from stored leaf hashes.
func (l *Log) InclusionProof(ctx context.Context, index, treeSize uint64) ([][]byte, error) {
	if err := l.checkTreeSize(ctx, treeSize); err != nil {
		return nil, err
	}
	nodes, err := proof.Inclusion(index, treeSize)
	if err != nil {
		return nil, fmt.Errorf("%w：%w", ErrOutOfRange, err)
	}
	return l.rehash(ctx, nodes)
}

// ConsistencyProof returns the RFC 6962 consistency proof between tree sizes
// size1 <= size2.
func (l *Log) ConsistencyProof(ctx context.Context, size1, size2 uint64) ([][]byte, error) {
	if err := l.checkTreeSize(ctx, size2); err != nil {
		return nil, err
	}
	nodes, err := proof.Consistency(size1, size2)
	if err != nil {
		return nil, fmt.Errorf("%w：%w", ErrOutOfRange, err)
	}
	return l.rehash(ctx, nodes)
}

// RootHash returns the root hash of the tree of the first treeSize entries.
func (l *Log) RootHash(ctx context.Context, treeSize uint64) ([]byte, error) {
	if err := l.checkTreeSize(ctx, treeSize); err != nil {
		return nil, err
	}
	r, err := l.tree.compactRange(ctx, treeSize)
	if err != nil {
		return nil, err
	}
	return rootOf(r)
}

// Prove returns the tlog-proof of the entry at index under checkpoint cp.
func (l *Log) Prove(ctx context.Context, index uint64, cp Checkpoint) (TlogProof, error) {
	hashes, err := l.InclusionProof(ctx, index, cp.Size)
	if err != nil {
		return TlogProof{}, err
	}
	return TlogProof{Index: index, Hashes: hashes, Checkpoint: cp.Note}, nil
}

func (l *Log) checkTreeSize(ctx context.Context, treeSize uint64) error {
	size, err := l.Size(ctx)
	if err != nil {
		return err
	}
	if treeSize > size {
		return fmt.Errorf("%w：日志只有 %d 条，无法对大小 %d 出具证明", ErrOutOfRange, size, treeSize)
	}
	return nil
}

func (l *Log) rehash(ctx context.Context, nodes proof.Nodes) ([][]byte, error) {
	hashes := make([][]byte, len(nodes.IDs))
	for i, id := range nodes.IDs {
		h, err := l.tree.nodeHash(ctx, id)
		if err != nil {
			return nil, err
		}
		hashes[i] = h
	}
	return nodes.Rehash(hashes, hasher.HashChildren)
}

// VerifyInclusion checks that leaf bytes are included at index in the tree
// of size treeSize with the given root.
func VerifyInclusion(leaf []byte, index, treeSize uint64, hashes [][]byte, root []byte) error {
	return proof.VerifyInclusion(hasher, index, treeSize, hasher.HashLeaf(leaf), hashes, root)
}

// VerifyConsistency checks that the tree of size2 with root2 extends the tree
// of size1 with root1.
func VerifyConsistency(size1, size2 uint64, hashes [][]byte, root1, root2 []byte) error {
	return proof.VerifyConsistency(hasher, size1, size2, hashes, root1, root2)
}
