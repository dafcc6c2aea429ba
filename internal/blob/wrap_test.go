package blob

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"filippo.io/age"
)

// TestOpenKeepsTheCause: the operating system's error stays reachable
// behind the Chinese message.
func TestOpenKeepsTheCause(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, KeyFile), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir)
	if !errors.Is(err, syscall.EISDIR) {
		t.Fatalf("key file is a folder: got %v, want an error wrapping EISDIR", err)
	}

	// A blob written under another key: corrupt, and age says why.
	a, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ref, err := a.Put(context.Background(), strings.NewReader("合同"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(a.path(ref.SHA256))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(b.path(ref.SHA256)), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b.path(ref.SHA256), data, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = b.Open(ref.SHA256)
	var noMatch *age.NoIdentityMatchError
	if !errors.Is(err, ErrCorrupt) || !errors.As(err, &noMatch) {
		t.Fatalf("foreign key: got %v, want ErrCorrupt wrapping *age.NoIdentityMatchError", err)
	}
}
