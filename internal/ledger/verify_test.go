package ledger

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// buildVerifiedLog returns a log of 10 entries with checkpoints at 4 and 10.
func buildVerifiedLog(t *testing.T) (*Log, *MemStorage, testKeys) {
	t.Helper()
	ctx := context.Background()
	keys := newKeys(t)
	st := NewMemStorage()
	l := openTestLog(t, st, keys, nil)
	appendN(t, l, 4)
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	appendN(t, l, 6)
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	return l, st, keys
}

// failedIndexes returns the entry indexes of failed CheckEntry findings.
func failedIndexes(rep Report) []int64 {
	var out []int64
	for _, f := range rep.Failures() {
		if f.Check == CheckEntry {
			out = append(out, f.Index)
		}
	}
	return out
}

func hasFailure(rep Report, check Check) bool {
	for _, f := range rep.Failures() {
		if f.Check == check {
			return true
		}
	}
	return false
}

func TestVerifyCleanLog(t *testing.T) {
	l, _, _ := buildVerifiedLog(t)
	rep, err := l.Verify(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.VerifiedSize != 10 {
		t.Fatalf("clean log failed:\n%s", rep)
	}
	if !strings.Contains(rep.String(), "全部校验通过") {
		t.Errorf("report text: %s", rep)
	}
	// Incremental verification from a known-good size.
	appendN(t, l, 3)
	rep, err = l.Verify(context.Background(), 10)
	if err != nil || !rep.OK() || rep.VerifiedSize != 13 {
		t.Fatalf("incremental: %v\n%s", err, rep)
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	tests := []struct {
		name        string
		tamper      func(st *MemStorage)
		wantIndexes []int64 // failed entry indexes
		wantCheck   Check   // another check that must fail, or ""
	}{
		{
			name: "edited entry",
			tamper: func(st *MemStorage) {
				st.entries[6].Data = bytes.Replace(st.entries[6].Data, []byte("证据"), []byte("伪造"), 1)
			},
			wantIndexes: []int64{6}, wantCheck: CheckTree,
		},
		{
			name: "edited entry with recomputed leaf hash",
			tamper: func(st *MemStorage) {
				st.entries[2].Data = bytes.Replace(st.entries[2].Data, []byte("证据"), []byte("伪造"), 1)
				st.entries[2].LeafHash = hasher.HashLeaf(st.entries[2].Data)
			},
			wantCheck: CheckTree,
		},
		{
			name:        "deleted entry",
			tamper:      func(st *MemStorage) { st.entries = append(st.entries[:5], st.entries[6:]...) },
			wantIndexes: []int64{5}, wantCheck: CheckTree,
		},
		{
			name:      "deleted tail",
			tamper:    func(st *MemStorage) { st.entries = st.entries[:8] },
			wantCheck: CheckTree,
		},
		{
			name: "reordered entries (rows swapped, positions kept)",
			tamper: func(st *MemStorage) {
				a, b := st.entries[3], st.entries[7]
				st.entries[3].Data, st.entries[3].LeafHash = b.Data, b.LeafHash
				st.entries[7].Data, st.entries[7].LeafHash = a.Data, a.LeafHash
			},
			wantIndexes: []int64{3, 7}, wantCheck: CheckTree,
		},
		{
			name: "forged checkpoint",
			tamper: func(st *MemStorage) {
				st.checkpoints[0].Note = bytes.Replace(st.checkpoints[0].Note, []byte("\n4\n"), []byte("\n3\n"), 1)
			},
			wantCheck: CheckSignature,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, st, _ := buildVerifiedLog(t)
			tt.tamper(st)
			rep, err := l.Verify(context.Background(), 0)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() {
				t.Fatalf("tampering not detected:\n%s", rep)
			}
			if got := failedIndexes(rep); !equalInts(got, tt.wantIndexes) {
				t.Errorf("failed indexes = %v, want %v\n%s", got, tt.wantIndexes, rep)
			}
			if tt.wantCheck != "" && !hasFailure(rep, tt.wantCheck) {
				t.Errorf("no %s failure:\n%s", tt.wantCheck, rep)
			}
			if _, err := l.Append(context.Background(), []EntryInput{inputFor(t, "n", "n")}); !errors.Is(err, ErrLogBroken) {
				t.Errorf("Append on a broken log: %v", err)
			}
		})
	}
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestVerifyFromBeyondSize(t *testing.T) {
	l, _, _ := buildVerifiedLog(t)
	rep, err := l.Verify(context.Background(), 11)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() {
		t.Fatal("known-good size beyond the log passed")
	}
}
