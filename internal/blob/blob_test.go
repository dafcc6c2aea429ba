package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPutOpenRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("证据内容 evidence "), 100000)
	ref, err := s.Put(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if ref.SHA256 != hex.EncodeToString(sum[:]) || ref.Size != int64(len(data)) {
		t.Fatalf("ref %+v", ref)
	}
	// Encrypted at rest: the plaintext is not in the file.
	raw, _ := os.ReadFile(s.path(ref.SHA256))
	if bytes.Contains(raw, []byte("evidence")) {
		t.Fatal("blob stored in plaintext")
	}
	rc, err := s.Open(ref.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back: %v", err)
	}
	// The key survives a reopen; the key file is private.
	s2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Verify(ref.SHA256); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(filepath.Join(dir, KeyFile))
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v", st.Mode().Perm())
	}
}

func TestPutDeduplicatesAndLeavesNoTemp(t *testing.T) {
	s, _ := Open(t.TempDir())
	for i := 0; i < 2; i++ {
		if _, err := s.Put(context.Background(), bytes.NewReader([]byte("same"))); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	s.Walk(func(string) error { n++; return nil })
	if n != 1 {
		t.Fatalf("%d blobs, want 1", n)
	}
	tmp, _ := os.ReadDir(filepath.Join(s.Root(), "tmp"))
	if len(tmp) != 0 {
		t.Fatalf("temp files left: %v", tmp)
	}
}

func TestReplacedBlobIsDetected(t *testing.T) {
	s, _ := Open(t.TempDir())
	a, _ := s.Put(context.Background(), bytes.NewReader([]byte("original")))
	b, _ := s.Put(context.Background(), bytes.NewReader([]byte("forgery")))
	// Swap the files: each decrypts fine but no longer matches its name.
	pa, pb := s.path(a.SHA256), s.path(b.SHA256)
	da, _ := os.ReadFile(pa)
	db, _ := os.ReadFile(pb)
	os.WriteFile(pa, db, 0o600)
	os.WriteFile(pb, da, 0o600)
	if err := s.Verify(a.SHA256); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("swapped blob: got %v", err)
	}
	// A flipped byte breaks authentication.
	db[len(db)-5] ^= 1
	os.WriteFile(pb, db, 0o600)
	if err := s.Verify(b.SHA256); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("damaged blob: got %v", err)
	}
}

func TestOpenRejectsBadDigests(t *testing.T) {
	s, _ := Open(t.TempDir())
	for _, bad := range []string{"", "../../etc/passwd", "ABCDEF", string(bytes.Repeat([]byte("g"), 64))} {
		if _, err := s.Open(bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("%q: got %v", bad, err)
		}
	}
}

func TestCancelledPutStoresNothing(t *testing.T) {
	s, _ := Open(t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Put(ctx, bytes.NewReader([]byte("x"))); err == nil {
		t.Fatal("want error")
	}
	n := 0
	s.Walk(func(string) error { n++; return nil })
	if n != 0 {
		t.Fatal("blob stored despite cancel")
	}
}

func TestBadKeyFile(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "keys"), 0o700)
	os.WriteFile(filepath.Join(dir, KeyFile), []byte("garbage"), 0o600)
	if _, err := Open(dir); err == nil {
		t.Fatal("garbage key accepted")
	}
}

func BenchmarkPut(b *testing.B) {
	s, _ := Open(b.TempDir())
	data := make([]byte, 8<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	b.SetBytes(int64(len(data)))
	for i := 0; b.Loop(); i++ {
		data[0] = byte(i)
		data[1] = byte(i >> 8)
		if _, err := s.Put(context.Background(), bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestOpenSweepsStaleTempFiles(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	stale := filepath.Join(s.Root(), "tmp", "put-stale")
	fresh := filepath.Join(s.Root(), "tmp", "put-fresh")
	os.WriteFile(stale, []byte("half a write"), 0o600)
	os.WriteFile(fresh, []byte("a write in progress"), 0o600)
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(stale, old, old)
	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatal("stale temp file kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Fatal("fresh temp file removed")
	}
}
