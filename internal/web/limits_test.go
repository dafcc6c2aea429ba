package web_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/web"
)

// newLimitedServer is an evidence-capable server with cfg's limits.
func newLimitedServer(t *testing.T, db *store.DB, cfg web.Config) *httptest.Server {
	t.Helper()
	full := testConfig(t, db)
	full.MaxUpload, full.UploadMinRate, full.FormReadTimeout = cfg.MaxUpload, cfg.UploadMinRate, cfg.FormReadTimeout
	svc := full.Auth
	ts := serveWeb(t, full)
	if _, err := svc.CreateUser(context.Background(), nil, auth.NewUser{Username: "admin", DisplayName: "王主任",
		Role: model.RoleAdmin, Password: password}, auth.Client{IP: "cli"}); err != nil && !errors.Is(err, store.ErrConflict) {
		t.Fatal(err)
	}
	return ts
}

// countingReader counts what the client managed to send.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// zeros yields n zero bytes without holding them.
type zeros struct{ left int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), z.left)
	clear(p[:n])
	z.left -= n
	return int(n), nil
}

// multipartStream streams a multipart body with the token, a file of size
// bytes written in chunks of chunk bytes with pause between them.
func multipartStream(token string, size int64, chunk int, pause time.Duration) (io.Reader, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		mw.WriteField("csrf_token", token)
		fw, _ := mw.CreateFormFile("file", "录音.bin")
		buf := make([]byte, chunk)
		for i := range buf {
			buf[i] = byte(i)
		}
		for sent := int64(0); sent < size; sent += int64(chunk) {
			if _, err := fw.Write(buf[:min(int64(chunk), size-sent)]); err != nil {
				pw.CloseWithError(err)
				return
			}
			time.Sleep(pause)
		}
		pw.CloseWithError(mw.Close())
	}()
	return pr, mw.FormDataContentType()
}

// send posts body (chunked when length < 0) and returns the status (0 when
// the server closed the connection without an answer), the page and how
// many body bytes left the client.
func (c *client) send(path, ctype string, body io.Reader, length int64) (int, string, int64) {
	c.t.Helper()
	var sent atomic.Int64
	req, _ := http.NewRequest("POST", c.base+path, countingReader{body, &sent})
	req.ContentLength = length
	req.Header.Set("Content-Type", ctype)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err.Error(), sent.Load()
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page), sent.Load()
}

func TestBodyCapsBeforeReading(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts := newLimitedServer(t, db, web.Config{MaxUpload: 1 << 20})
		anon := newClient(t, ts.URL)
		tok := anon.csrf("/login")
		const big = 64 << 20
		// A large declared body to /login is refused from its headers.
		code, page, sent := anon.send("/login", "application/x-www-form-urlencoded", &zeros{big}, big)
		if code != http.StatusRequestEntityTooLarge || !strings.Contains(page, "最多接受 8 KB") || sent > 8<<20 {
			t.Fatalf("declared 64 MB login: %d, %d bytes sent\n%s", code, sent, page)
		}
		// Undeclared (chunked) multipart to /login is not parsed (no token is
		// read from it), let alone spooled to disk: the old parser read all of
		// it before refusing.
		body, ctype := multipartStream(tok, big, 64<<10, 0)
		code, page, sent = anon.send("/login", ctype, body, -1)
		if (code != http.StatusForbidden && code != 0) || sent > 8<<20 {
			t.Fatalf("chunked 64 MB multipart login: %d, %d bytes sent\n%s", code, sent, page)
		}
		// Undeclared urlencoded: read up to the cap only.
		code, page, sent = anon.send("/login", "application/x-www-form-urlencoded", &zeros{big}, -1)
		if code != http.StatusRequestEntityTooLarge || !strings.Contains(page, "最多接受 8 KB") || sent > 8<<20 {
			t.Fatalf("chunked 64 MB login: %d, %d bytes sent\n%s", code, sent, page)
		}
		// An anonymous upload is refused before its body is read.
		body, ctype = multipartStream("x", 32<<20, 64<<10, 0)
		if code, _, sent = anon.send("/evidence", ctype, body, -1); (code != http.StatusForbidden && code != 0) || sent > 8<<20 {
			t.Fatalf("anonymous upload: %d, %d bytes sent", code, sent)
		}

		c := newClient(t, ts.URL)
		c.login("admin")
		token := c.csrf("/evidence")
		// Multipart is parsed on upload routes only: a multipart form to a
		// plain route carries no readable token.
		body, ctype = multipartStream(token, 10, 10, 0)
		if code, _, _ = c.send("/deadlines/feed", ctype, body, -1); code != http.StatusForbidden {
			t.Fatalf("multipart to a form route: %d, want 403", code)
		}
		// Uploads: under the cap they go through; over it (declared or not)
		// they get the Chinese 413 page.
		body, ctype = multipartStream(token, 512<<10, 64<<10, 0)
		if code, page, _ = c.send("/evidence", ctype, body, -1); code != http.StatusOK || !strings.Contains(page, "本次已保全 1 个文件") {
			t.Fatalf("upload under the cap: %d\n%s", code, page)
		}
		body, ctype = multipartStream(token, 32<<20, 64<<10, 0)
		if code, page, sent = c.send("/evidence", ctype, body, -1); code != http.StatusRequestEntityTooLarge ||
			!strings.Contains(page, "上传的文件过大：每次上传最多 1 MB") || sent > 8<<20 {
			t.Fatalf("chunked upload over the cap: %d, %d bytes\n%s", code, sent, page)
		}
		if code, page, _ = c.send("/evidence", ctype, &zeros{8 << 20}, 8<<20); code != http.StatusRequestEntityTooLarge || !strings.Contains(page, "每次上传最多 1 MB") {
			t.Fatalf("declared upload over the cap: %d\n%s", code, page)
		}
		// A contact import is read whole: its cap stays small whatever the
		// upload limit.
		wide := newClient(t, newLimitedServer(t, db, web.Config{}).URL)
		wide.login("admin")
		if code, page, _ = wide.send("/clients/import", ctype, &zeros{100 << 20}, 100<<20); code != http.StatusRequestEntityTooLarge || !strings.Contains(page, "每次上传最多 64 MB") {
			t.Fatalf("declared 100 MB contact import: %d\n%s", code, page)
		}
		// A signed-in form over the default cap.
		form := "csrf_token=" + token + "&title=" + strings.Repeat("长", 100<<10)
		if code, _, _ = c.send("/deadlines", "application/x-www-form-urlencoded", strings.NewReader(form), -1); code != http.StatusRequestEntityTooLarge {
			t.Fatalf("form over 256 KB: %d", code)
		}
	})
}

func TestSlowUploadCutOff(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts := newLimitedServer(t, db, web.Config{UploadMinRate: web.MinRate{Bytes: 16 << 10, Window: 400 * time.Millisecond}})
		c := newClient(t, ts.URL)
		c.login("admin")
		token := c.csrf("/evidence")
		// A real upload at ~100 KB/s, far longer than one window, finishes.
		body, ctype := multipartStream(token, 200<<10, 5<<10, 50*time.Millisecond)
		if code, page, _ := c.send("/evidence", ctype, body, -1); code != http.StatusOK || !strings.Contains(page, "本次已保全 1 个文件") {
			t.Fatalf("slow real upload: %d\n%s", code, page)
		}
		// A trickle of 10 bytes every 100 ms (20 s for the whole body) is cut
		// off within a window or two.
		start := time.Now()
		body, ctype = multipartStream(token, 2000, 10, 100*time.Millisecond)
		code, page, sent := c.send("/evidence", ctype, body, -1)
		if took := time.Since(start); took > 3*time.Second || code == http.StatusOK {
			t.Fatalf("trickle: %d after %v (%d bytes)\n%s", code, took, sent, page)
		}
		// The server answers 408 with the Chinese page, unless the client
		// is still writing when the connection closes.
		if (code != http.StatusRequestTimeout || !strings.Contains(page, "上传速度过慢")) && code != 0 {
			t.Fatalf("trickle answered %d\n%s", code, page)
		}
		t.Logf("trickle cut off after %v: %d", time.Since(start), code)
	})
}

func TestUploadTempFilesRemoved(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts := newLimitedServer(t, db, web.Config{})
		c := newClient(t, ts.URL)
		c.login("admin")
		token := c.csrf("/evidence")
		// 3 MB: beyond what is kept in memory, so it is spooled to TMPDIR.
		body, ctype := multipartStream(token, 3<<20, 64<<10, 0)
		if code, page, _ := c.send("/evidence", ctype, body, -1); code != http.StatusOK {
			t.Fatalf("upload: %d\n%s", code, page)
		}
		ts.CloseClientConnections()
		entries, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		var left []string
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "multipart-") {
				left = append(left, e.Name())
			}
		}
		if len(left) > 0 {
			t.Fatalf("temporary upload files left behind: %v", left)
		}
	})
}

func TestServerTimeouts(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		srv, err := web.New(testConfig(t, db))
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewUnstartedServer(nil)
		ts.Config = srv.HTTPServer(web.Timeouts{ReadHeader: 300 * time.Millisecond, Idle: 500 * time.Millisecond})
		ts.Start()
		t.Cleanup(ts.Close)
		// closedWithin reports whether the server closes conn within d.
		closedWithin := func(conn net.Conn, d time.Duration) bool {
			conn.SetReadDeadline(time.Now().Add(d))
			_, err := io.Copy(io.Discard, conn)
			var ne net.Error
			return err == nil || !(errors.As(err, &ne) && ne.Timeout())
		}
		// Headers sent a byte at a time are cut off at ReadHeader.
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		start := time.Now()
		go func() {
			for _, b := range []byte("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaa") {
				if _, err := conn.Write([]byte{b}); err != nil {
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		}()
		if !closedWithin(conn, 2*time.Second) {
			t.Fatalf("slow headers still open after %v", time.Since(start))
		}
		// An idle keep-alive connection is closed after Idle.
		conn2, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn2.Close()
		fmt.Fprint(conn2, "GET /static/app.css HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(conn2), nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("first request: %v %v", resp, err)
		}
		if !closedWithin(conn2, 2*time.Second) {
			t.Fatal("idle connection still open after 2 s")
		}
	})
}
