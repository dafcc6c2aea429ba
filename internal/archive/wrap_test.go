package archive_test

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestImportMissingFileKeepsTheCause: a missing export file is reported in
// Chinese and still answers errors.Is(fs.ErrNotExist).
func TestImportMissingFileKeepsTheCause(t *testing.T) {
	storetest.Each(t, clock, func(t *testing.T, db *store.DB) {
		s := newService(t, db)
		_, err := s.ImportFile(context.Background(), filepath.Join(t.TempDir(), "缺失.csv"), archive.ImportOptions{}, cli)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("got %v, want an error wrapping fs.ErrNotExist", err)
		}
	})
}
