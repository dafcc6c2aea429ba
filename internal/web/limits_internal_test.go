package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/blob"
)

// Every pattern with a body cap of its own is a registered route: a renamed
// route would otherwise fall back to the default cap unnoticed.
func TestBodyLimitsNameRegisteredRoutes(t *testing.T) {
	dir := t.TempDir()
	blobs, err := blob.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Blobs: blobs, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for pattern := range bodyLimits {
		method, path, _ := strings.Cut(pattern, " ")
		if _, got := s.mux.Handler(httptest.NewRequest(method, path, nil)); got != pattern {
			t.Errorf("body limit for %q, but %s %s is routed to %q", pattern, method, path, got)
		}
	}
}

func TestSizeText(t *testing.T) {
	for n, want := range map[int64]string{8 << 10: "8 KB", 256 << 10: "256 KB", 4 << 30: "4 GB", 1536 << 20: "1.5 GB", 100: "100 B"} {
		if got := sizeText(n); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
	}
}
