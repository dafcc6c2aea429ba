package blob

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSweepKeepsReferencedAndRecentBlobs(t *testing.T) {
	ctx := context.Background()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	put := func(text string) string {
		ref, err := s.Put(ctx, strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		return ref.SHA256
	}
	referenced, orphan, again := put("被引用"), put("孤儿"), put("再次保存")
	old := time.Now().Add(-48 * time.Hour)
	for _, sha := range []string{referenced, orphan, again} {
		if err := os.Chtimes(s.path(sha), old, old); err != nil {
			t.Fatal(err)
		}
	}
	// Storing the same content again (an import in flight) renews it.
	if put("再次保存") != again {
		t.Fatal("digest changed")
	}
	refs := func(ctx context.Context, fn func(string)) error { fn(referenced); return nil }
	removed, err := s.Sweep(ctx, time.Now().Add(-24*time.Hour), refs)
	if err != nil || !slices.Equal(removed, []string{orphan}) {
		t.Fatalf("removed %v, %v; want only the orphan", removed, err)
	}
	if s.Has(orphan) || !s.Has(referenced) || !s.Has(again) {
		t.Fatal("wrong blobs left")
	}
	// A failing reference query removes nothing.
	broken := errors.New("数据库不可用")
	if removed, err := s.Sweep(ctx, time.Now().Add(time.Hour), func(context.Context, func(string)) error { return broken }); !errors.Is(err, broken) || len(removed) != 0 {
		t.Fatalf("sweep without references: %v %v", removed, err)
	}
	if !s.Has(again) {
		t.Fatal("blob removed although the references were unknown")
	}
}
