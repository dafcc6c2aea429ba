package tsa

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// fixedTime is within the test authority's validity (it starts an hour ago).
var fixedTime = time.Now().UTC().Truncate(time.Second).Add(-time.Minute)

func newServer(t *testing.T) (*Authority, *httptest.Server) {
	t.Helper()
	a, err := NewTestAuthority()
	if err != nil {
		t.Fatal(err)
	}
	a.Now = func() time.Time { return fixedTime }
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	return a, srv
}

func TestTimestampAndVerify(t *testing.T) {
	a, srv := newServer(t)
	data := []byte("lvxin/test\n3\nAAAA\n")
	tsr, err := Client{URL: srv.URL, HTTP: srv.Client()}.Timestamp(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	when, err := Verify(tsr, data, a.Roots())
	if err != nil {
		t.Fatal(err)
	}
	if !when.Equal(fixedTime) {
		t.Errorf("time = %v, want %v", when, fixedTime)
	}
	if got, err := VerifyImprint(tsr, data); err != nil || !got.Equal(when) {
		t.Errorf("VerifyImprint = %v, %v", got, err)
	}
	if who, err := Signer(tsr); err != nil || who != "lvxin test（lvxin test TSA）" {
		t.Errorf("Signer = %q, %v", who, err)
	}
	if _, err := Signer([]byte("not a response")); err == nil {
		t.Error("Signer of garbage succeeded")
	}

	other, err := NewTestAuthority()
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(tsr)
	flipped[len(flipped)-10] ^= 1
	tests := []struct {
		name  string
		tsr   []byte
		data  []byte
		roots *Authority
		want  error
	}{
		{"other data", tsr, []byte("other"), a, ErrMismatch},
		{"untrusted root", tsr, data, other, ErrUntrusted},
		{"flipped signature byte", flipped, data, a, ErrResponse},
		{"truncated", tsr[:len(tsr)/2], data, a, ErrResponse},
		{"empty", nil, data, a, ErrResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Verify(tt.tsr, tt.data, tt.roots.Roots()); !errors.Is(err, tt.want) {
				t.Errorf("Verify error = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := Verify(tsr, data, nil); !errors.Is(err, ErrUntrusted) {
		t.Errorf("nil roots: %v", err)
	}
}

func TestClientChecksResponse(t *testing.T) {
	a, err := NewTestAuthority()
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("checkpoint")
	// A response for a different query (replayed or substituted) must be refused.
	stale, err := Client{URL: httptest.NewServer(a).URL}.Timestamp(context.Background(), []byte("other"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    error
	}{
		{"server error", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) }, ErrResponse},
		{"garbage", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("not der")) }, ErrResponse},
		{"wrong imprint", func(w http.ResponseWriter, r *http.Request) { w.Write(stale) }, ErrMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			if _, err := (Client{URL: srv.URL}).Timestamp(context.Background(), data); !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestAuthorityRejectsBadRequests(t *testing.T) {
	_, srv := newServer(t)
	tests := []struct {
		name, method, contentType string
		body                      []byte
		want                      int
	}{
		{"get", http.MethodGet, ContentTypeQuery, nil, http.StatusMethodNotAllowed},
		{"wrong type", http.MethodPost, "text/plain", []byte("x"), http.StatusUnsupportedMediaType},
		{"garbage", http.MethodPost, ContentTypeQuery, []byte("x"), http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL, bytes.NewReader(tt.body))
			req.Header.Set("Content-Type", tt.contentType)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

// requireTool returns the path of a command-line tool, skipping the test when
// it is missing, except under CI=true where a missing tool fails the test.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI: %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return path
}

// TestOpenSSLVerifies proves the documented manual check works:
// openssl ts -verify -data checkpoint -in checkpoint.tsr -CAfile tsa-chain.pem
func TestOpenSSLVerifies(t *testing.T) {
	openssl := requireTool(t, "openssl")
	a, err := NewTestAuthority() // real clock: openssl checks validity at the stamped time
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a)
	defer srv.Close()
	data := []byte("lvxin.example/evidence\n7\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
	tsr, err := Client{URL: srv.URL}.Timestamp(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("checkpoint", data)
	write("checkpoint.tsr", tsr)
	write("tsa-chain.pem", a.ChainPEM())
	run := func(dataFile string) ([]byte, error) {
		cmd := exec.Command(openssl, "ts", "-verify", "-data", dataFile, "-in", "checkpoint.tsr", "-CAfile", "tsa-chain.pem")
		cmd.Dir = dir
		return cmd.CombinedOutput()
	}
	if out, err := run("checkpoint"); err != nil || !bytes.Contains(out, []byte("Verification: OK")) {
		t.Fatalf("openssl ts -verify failed: %v\n%s", err, out)
	}
	write("other", []byte("tampered"))
	if out, err := run("other"); err == nil {
		t.Fatalf("openssl accepted other data:\n%s", out)
	}
}

// FuzzVerify feeds arbitrary responses to Verify. The seed response is about
// 1 KB, so minimising each new input takes long: run it with
// -fuzzminimizetime=200x, or the default 60 s minimisation looks like a stall.
func FuzzVerify(f *testing.F) {
	a, err := NewTestAuthority()
	if err != nil {
		f.Fatal(err)
	}
	resp, err := a.Respond(mustQuery(f, []byte("seed")))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(resp, []byte("seed"))
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x00}, []byte(""))
	roots := a.Roots()
	f.Fuzz(func(t *testing.T, tsr, data []byte) {
		if _, err := Verify(tsr, data, roots); err == nil && !bytes.Equal(data, []byte("seed")) {
			t.Fatalf("verified a timestamp over %q", data)
		}
	})
}

func mustQuery(f *testing.F, data []byte) []byte {
	f.Helper()
	var q bytes.Buffer
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q.ReadFrom(r.Body)
		http.Error(w, "no", http.StatusInternalServerError)
	}))
	defer srv.Close()
	Client{URL: srv.URL}.Timestamp(context.Background(), data)
	return q.Bytes()
}
