package ledger

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"
	"testing/iotest"
)

func TestDigestKnownVectors(t *testing.T) {
	tests := []struct {
		in        string
		sha, sm3x string
	}{
		// SM3 vectors from GB/T 32905-2016 appendix A.
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
			"66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"},
		{"abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd",
			"", "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"},
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			"1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"},
	}
	for _, tt := range tests {
		got, err := Digest(bytes.NewReader([]byte(tt.in)))
		if err != nil {
			t.Fatal(err)
		}
		wantSHA := tt.sha
		if wantSHA == "" {
			s := sha256.Sum256([]byte(tt.in))
			wantSHA = hex.EncodeToString(s[:])
		}
		if got.SHA256 != wantSHA || got.SM3 != tt.sm3x || got.Size != int64(len(tt.in)) {
			t.Errorf("Digest(%q) = %+v", tt.in, got)
		}
	}
}

// TestDigesterWriteSizes checks that the parallel path (large writes) and the
// sequential path (small writes) give the same digests.
func TestDigesterWriteSizes(t *testing.T) {
	data := make([]byte, 3*parallelMinBytes+123)
	for i := range data {
		data[i] = byte(i * 7)
	}
	whole, err := Digest(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for _, chunk := range []int{1, 100, parallelMinBytes - 1, parallelMinBytes, len(data)} {
		d := NewDigester()
		for off := 0; off < len(data); off += chunk {
			d.Write(data[off:min(off+chunk, len(data))])
		}
		if got := d.Sum(); got != whole {
			t.Errorf("chunk %d: %+v, want %+v", chunk, got, whole)
		}
	}
	s := sha256.Sum256(data)
	if whole.SHA256 != hex.EncodeToString(s[:]) {
		t.Errorf("sha256 mismatch")
	}
}

func TestDigestReadError(t *testing.T) {
	if _, err := Digest(iotest.ErrReader(io.ErrUnexpectedEOF)); err == nil {
		t.Error("read error swallowed")
	}
}

func BenchmarkDigest(b *testing.B) {
	data := make([]byte, 8<<20)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Digest(bytes.NewReader(data))
	}
}
