package ledger

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestTlogProofRoundTrip(t *testing.T) {
	ctx := context.Background()
	keys := newKeys(t)
	l := openTestLog(t, NewMemStorage(), keys, nil)
	entries := appendN(t, l, 6)
	cp, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := l.Prove(ctx, 4, cp)
	if err != nil {
		t.Fatal(err)
	}
	text := p.Marshal()
	if !bytes.HasPrefix(text, []byte("c2sp.org/tlog-proof@v1\nindex 4\n")) || !bytes.HasSuffix(text, cp.Note) {
		t.Errorf("text:\n%s", text)
	}
	parsed, err := ParseTlogProof(text)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(parsed.Marshal(), text) {
		t.Error("round trip changed the text")
	}
	if _, err := parsed.Verify(entries[4].Data, keys.verifier); err != nil {
		t.Error(err)
	}
	withExtra := TlogProof{Extra: []byte("x"), Index: 4, Hashes: p.Hashes, Checkpoint: p.Checkpoint}
	if again, err := ParseTlogProof(withExtra.Marshal()); err != nil || string(again.Extra) != "x" {
		t.Errorf("extra: %+v, %v", again, err)
	}
}

func TestParseTlogProofRejects(t *testing.T) {
	hash := "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
	cp := "o\n1\n" + hash + "\n\n— o AAAA\n"
	tests := []struct{ name, text string }{
		{"wrong header", "c2sp.org/tlog-proof@v2\nindex 0\n\n" + cp},
		{"no index", "c2sp.org/tlog-proof@v1\n" + hash + "\n\n" + cp},
		{"leading zero", "c2sp.org/tlog-proof@v1\nindex 01\n\n" + cp},
		{"negative", "c2sp.org/tlog-proof@v1\nindex -1\n\n" + cp},
		{"short hash", "c2sp.org/tlog-proof@v1\nindex 0\nAAAA\n\n" + cp},
		{"non-canonical base64", "c2sp.org/tlog-proof@v1\nindex 0\n" + strings.TrimSuffix(hash, "=") + "\n\n" + cp},
		{"no blank line", "c2sp.org/tlog-proof@v1\nindex 0\n" + hash + "\n"},
		{"no checkpoint", "c2sp.org/tlog-proof@v1\nindex 0\n\n"},
		{"bad extra", "c2sp.org/tlog-proof@v1\nextra !!\nindex 0\n\n" + cp},
		{"crlf", "c2sp.org/tlog-proof@v1\r\nindex 0\r\n\r\n" + cp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseTlogProof([]byte(tt.text)); !errors.Is(err, ErrBadProof) {
				t.Errorf("error = %v, want ErrBadProof", err)
			}
		})
	}
	if p, err := ParseTlogProof([]byte("c2sp.org/tlog-proof@v1\nindex 0\n" + hash + "\n\n" + cp)); err != nil || len(p.Hashes) != 1 {
		t.Errorf("valid proof refused: %v", err)
	}
}

func FuzzParseTlogProof(f *testing.F) {
	hash := "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
	cp := "o\n1\n" + hash + "\n\n— o AAAA\n"
	f.Add([]byte("c2sp.org/tlog-proof@v1\nindex 0\n" + hash + "\n\n" + cp))
	f.Add([]byte("c2sp.org/tlog-proof@v1\nextra eA==\nindex 12\n" + hash + "\n" + hash + "\n\n" + cp))
	f.Add([]byte("c2sp.org/tlog-proof@v1\nindex 0\n\n"))
	keys := newKeys(f)
	f.Fuzz(func(t *testing.T, text []byte) {
		p, err := ParseTlogProof(text)
		if err != nil {
			return
		}
		if !bytes.Equal(p.Marshal(), text) {
			t.Fatalf("accepted text that does not re-marshal identically: %q", text)
		}
		p.Verify([]byte("leaf"), keys.verifier) // must not panic
	})
}
