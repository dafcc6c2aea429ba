package web

import (
	"bytes"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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
	s, err := newServer(Config{Blobs: blobs, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for pattern := range s.bodyRules {
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

// A handler that works longer than a body's read deadline keeps its
// context: after an upload, after a form, and (where a deadline would
// reach the server's background read at once) without a body.
func TestLongHandlersKeepTheirContext(t *testing.T) {
	const wait = 300 * time.Millisecond
	s, err := newServer(Config{UploadMinRate: MinRate{Bytes: 1 << 10, Window: wait}, FormReadTimeout: wait,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	slow := func(read func(w http.ResponseWriter, r *http.Request) bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if !read(w, r) {
				return
			}
			time.Sleep(4 * wait)
			if err := r.Context().Err(); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			io.WriteString(w, "ok")
		}
	}
	mux := http.NewServeMux()
	mux.Handle("POST /chats/import", slow(s.parseBody)) // an upload route: multipart
	mux.Handle("POST /slow-form", slow(s.parseBody))
	mux.Handle("GET /slow-page", slow(func(http.ResponseWriter, *http.Request) bool { return true }))
	ts := httptest.NewServer(s.limits(mux, mux))
	defer ts.Close()

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "a.bin")
	fw.Write(bytes.Repeat([]byte("x"), 8<<10))
	mw.Close()
	for name, req := range map[string]*http.Request{
		"upload": func() *http.Request {
			req, _ := http.NewRequest("POST", ts.URL+"/chats/import", bytes.NewReader(body.Bytes()))
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return req
		}(),
		"form": func() *http.Request {
			req, _ := http.NewRequest("POST", ts.URL+"/slow-form", strings.NewReader("a=1&b=2"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return req
		}(),
		"page": httptest.NewRequest("GET", ts.URL+"/slow-page", nil),
	} {
		req.RequestURI = ""
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(got) != "ok" {
			t.Errorf("%s: %d %s", name, resp.StatusCode, got)
		}
	}
}
