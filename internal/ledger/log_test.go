package ledger

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/lvxin/lvxin/internal/tsa"
)

// referenceRoot is the RFC 6962 Merkle Tree Hash by its recursive definition,
// independent of the compact-range code under test.
func referenceRoot(leaves [][]byte) []byte {
	switch len(leaves) {
	case 0:
		return hasher.EmptyRoot()
	case 1:
		return hasher.HashLeaf(leaves[0])
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	return hasher.HashChildren(referenceRoot(leaves[:k]), referenceRoot(leaves[k:]))
}

// countingStorage counts Append calls.
type countingStorage struct {
	*MemStorage
	appends int
}

func (c *countingStorage) Append(ctx context.Context, entries []StoredEntry) error {
	c.appends++
	return c.MemStorage.Append(ctx, entries)
}

func TestAppendBatchesAndIndexes(t *testing.T) {
	ctx := context.Background()
	st := &countingStorage{MemStorage: NewMemStorage()}
	l := openTestLog(t, st, newKeys(t), nil)
	entries, err := l.Append(ctx, []EntryInput{inputFor(t, "a.txt", "a"), inputFor(t, "b.txt", "b"), inputFor(t, "c.txt", "c")})
	if err != nil {
		t.Fatal(err)
	}
	if st.appends != 1 {
		t.Errorf("storage appends = %d, want 1 per call", st.appends)
	}
	for i, e := range entries {
		parsed, err := ParseEntry(e.Data)
		if err != nil || parsed.Index != uint64(i) || !bytes.Equal(e.LeafHash, hasher.HashLeaf(e.Data)) {
			t.Errorf("entry %d: %+v, %v", i, parsed, err)
		}
	}
	if _, err := l.Append(ctx, []EntryInput{{Name: "", Digests: entries[0].digests()}}); !errors.Is(err, ErrBadInput) {
		t.Errorf("empty name: %v", err)
	}
	if size, _ := l.Size(ctx); size != 3 {
		t.Errorf("size = %d", size)
	}
	got, err := l.Entry(ctx, 1)
	if err != nil || got.Name != "b.txt" {
		t.Errorf("Entry(1) = %+v, %v", got, err)
	}
}

func TestProofsAgainstReference(t *testing.T) {
	ctx := context.Background()
	keys := newKeys(t)
	st := NewMemStorage()
	l := openTestLog(t, st, keys, nil)
	var leaves [][]byte
	for _, e := range appendN(t, l, 21) {
		leaves = append(leaves, e.Data)
	}
	for size := uint64(0); size <= uint64(len(leaves)); size++ {
		root, err := l.RootHash(ctx, size)
		if err != nil {
			t.Fatal(err)
		}
		if want := referenceRoot(leaves[:size]); !bytes.Equal(root, want) {
			t.Fatalf("root(%d) differs from reference", size)
		}
		for index := range size {
			p, err := l.InclusionProof(ctx, index, size)
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyInclusion(leaves[index], index, size, p, root); err != nil {
				t.Fatalf("inclusion %d/%d: %v", index, size, err)
			}
			if err := VerifyInclusion(leaves[(index+1)%size], index, size, p, root); size > 1 && err == nil {
				t.Fatalf("inclusion %d/%d verified for another leaf", index, size)
			}
		}
		for size1 := uint64(0); size1 <= size; size1++ {
			p, err := l.ConsistencyProof(ctx, size1, size)
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyConsistency(size1, size, p, referenceRoot(leaves[:size1]), root); err != nil {
				t.Fatalf("consistency %d->%d: %v", size1, size, err)
			}
		}
	}
	if _, err := l.InclusionProof(ctx, 0, 22); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("proof beyond size: %v", err)
	}
}

// TestLargeLogUsesChunkCache crosses several cached chunks and checks roots,
// proofs and reopening (which rebuilds state from leaf hashes only).
func TestLargeLogUsesChunkCache(t *testing.T) {
	ctx := context.Background()
	keys := newKeys(t)
	st := NewMemStorage()
	l := openTestLog(t, st, keys, nil)
	n := 3*chunkSize + 77
	var inputs []EntryInput
	in := inputFor(t, "x", "x")
	for range n {
		inputs = append(inputs, in)
	}
	entries, err := l.Append(ctx, inputs)
	if err != nil {
		t.Fatal(err)
	}
	leaves := make([][]byte, n)
	for i, e := range entries {
		leaves[i] = e.Data
	}
	for _, size := range []uint64{chunkSize, 2*chunkSize + 1, uint64(n)} {
		root, err := l.RootHash(ctx, size)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(root, referenceRoot(leaves[:size])) {
			t.Fatalf("root(%d) differs", size)
		}
		for _, index := range []uint64{0, chunkSize - 1, size / 2, size - 1} {
			p, err := l.InclusionProof(ctx, index, size)
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyInclusion(leaves[index], index, size, p, root); err != nil {
				t.Fatalf("inclusion %d/%d: %v", index, size, err)
			}
		}
	}
	cp, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reopened := openTestLog(t, st, keys, nil)
	if root, _ := reopened.RootHash(ctx, uint64(n)); !bytes.Equal(root, cp.Root) {
		t.Error("reopened log has a different root")
	}
}

func TestCheckpointSignedAndTimestamped(t *testing.T) {
	ctx := context.Background()
	authority, err := tsa.NewTestAuthority()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(authority)
	defer srv.Close()
	keys := newKeys(t)
	l := openTestLog(t, NewMemStorage(), keys, tsa.Client{URL: srv.URL})
	entries := appendN(t, l, 5)
	cp, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	opened, err := OpenCheckpoint(cp.Note, keys.verifier)
	if err != nil {
		t.Fatal(err)
	}
	if opened.Size != 5 || opened.Origin != testOrigin || !bytes.Equal(opened.Root, cp.Root) {
		t.Errorf("opened = %+v", opened)
	}
	if _, err := tsa.Verify(cp.TSR, cp.Note, authority.Roots()); err != nil {
		t.Errorf("timestamp: %v", err)
	}
	latest, err := l.LatestCheckpoint(ctx)
	if err != nil || !bytes.Equal(latest.Note, cp.Note) || !bytes.Equal(latest.TSR, cp.TSR) {
		t.Errorf("latest = %+v, %v", latest, err)
	}
	p, err := l.Prove(ctx, 3, cp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Verify(entries[3].Data, keys.verifier); err != nil {
		t.Errorf("proof: %v", err)
	}
	if _, err := p.Verify(entries[2].Data, keys.verifier); err == nil {
		t.Error("proof verified for the wrong entry")
	}
	if _, err := OpenCheckpoint(cp.Note, newKeys(t).verifier); !errors.Is(err, ErrBadCheckpoint) {
		t.Errorf("other key: %v", err)
	}
	// A failing TSA fails the checkpoint instead of storing one without a timestamp.
	down := openTestLog(t, NewMemStorage(), keys, tsa.Client{URL: srv.URL + "/nowhere/" + string(rune(0x7f))})
	if _, err := down.Checkpoint(ctx); err == nil {
		t.Error("checkpoint without its timestamp")
	}
}

func TestOpenRejectsMismatchedKeys(t *testing.T) {
	keys := newKeys(t)
	_, err := Open(context.Background(), NewMemStorage(), keys.signer, keys.verifier, "other.origin", nil, testClock())
	if !errors.Is(err, ErrBadInput) {
		t.Errorf("Open with foreign origin: %v", err)
	}
	if _, _, err := GenerateKey("has space"); !errors.Is(err, ErrBadInput) {
		t.Errorf("GenerateKey: %v", err)
	}
}
