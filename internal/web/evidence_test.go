package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/web"
)

func newEvidenceServer(t *testing.T, db *store.DB) *httptest.Server {
	t.Helper()
	dataDir := t.TempDir()
	blobs, err := blob.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	svc := auth.New(db, nil)
	srv, err := web.New(web.Config{DB: db, Auth: svc, Blobs: blobs, DataDir: dataDir, Version: "test",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	if _, err := svc.CreateUser(context.Background(), nil, auth.NewUser{Username: "admin", DisplayName: "王主任",
		Role: model.RoleAdmin, Password: password}, auth.Client{IP: "cli"}); err != nil {
		t.Fatal(err)
	}
	return ts
}

func (c *client) upload(token string, fields map[string]string, files map[string][]byte) (int, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", token)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for name, data := range files {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/evidence", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestEvidencePages(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts := newEvidenceServer(t, db)
		anon := newClient(t, ts.URL)
		if code, _, _ := anon.get("/ledger/checkpoint"); code != http.StatusNotFound {
			t.Fatalf("checkpoint before any: %d", code)
		}
		c := newClient(t, ts.URL)
		c.login("admin")
		code, body, _ := c.get("/evidence")
		if code != 200 || !strings.Contains(body, "不是区块链存证") || !strings.Contains(body, `id="no-tsa"`) || !strings.Contains(body, "启动校验通过") {
			t.Fatalf("evidence page: %d\n%s", code, body)
		}
		token := c.csrf("/evidence")
		if code, _ := c.upload("wrong", map[string]string{}, map[string][]byte{"a.txt": []byte("x")}); code != http.StatusForbidden {
			t.Fatalf("upload without CSRF token: %d", code)
		}
		code, body = c.upload(token, map[string]string{"title": "微信转账截图", "matter": "（2026）京01民终1号", "purpose": "证明已付款"},
			map[string][]byte{"Screenshot_1.png": pngBytes()})
		if code != 200 || !strings.Contains(body, "本次已保全 1 个文件") || !strings.Contains(body, "录屏") {
			t.Fatalf("upload: %d\n%s", code, body)
		}
		id := regexp.MustCompile(`href="/evidence/(\d+)"`).FindStringSubmatch(body)[1]
		code, body, _ = c.get("/evidence/" + id)
		if code != 200 || !strings.Contains(body, "证明已付款") || !strings.Contains(body, `id="sm3"`) {
			t.Fatalf("item page: %d", code)
		}
		code, file, h := c.get("/evidence/" + id + "/file")
		if code != 200 || file != string(pngBytes()) || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download: %d %v", code, h)
		}
		code, note, h := anon.get("/ledger/checkpoint")
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") || !strings.Contains(note, "/evidence\n1\n") {
			t.Fatalf("checkpoint: %d %q", code, note)
		}
		code, zip, h := c.post("/evidence/export", url.Values{"csrf_token": {token}, "scope": {"matter"}, "matter": {"（2026）京01民终1号"}})
		if code != 200 || h.Get("Content-Type") != "application/zip" {
			t.Fatalf("export: %d %s", code, zip)
		}
		rep, err := ledger.VerifyBundle(strings.NewReader(zip), int64(len(zip)), ledger.VerifyOptions{})
		if err != nil || !rep.OK() {
			t.Fatalf("exported bundle: %v\n%s", err, rep)
		}
		if code, _, _ := c.post("/evidence/export", url.Values{"csrf_token": {token}, "scope": {"items"}}); code != http.StatusBadRequest {
			t.Fatalf("empty selection: %d", code)
		}
		if code, _, _ := c.post("/evidence/"+id+"/submissions", url.Values{"csrf_token": {token}, "platform": {"某公证处"}, "submitted_on": {"2026-03-02"}, "reference": {"GZ-7"}}); code != http.StatusSeeOther {
			t.Fatalf("submission: %d", code)
		}
		if _, body, _ := c.get("/evidence/" + id); !strings.Contains(body, "GZ-7") {
			t.Fatal("submission not shown")
		}
		// Chain of custody: view, download and export are audited.
		events, _ := db.FindAudit(context.Background(), store.AuditFilter{Action: "evidence."})
		seen := map[string]bool{}
		for _, ev := range events {
			seen[ev.Action] = true
		}
		for _, a := range []string{"evidence.add", "evidence.view", "evidence.download", "evidence.export", "evidence.submission"} {
			if !seen[a] {
				t.Errorf("no %s audit event (have %v)", a, seen)
			}
		}
		if code, _, _ := c.get("/evidence/999"); code != http.StatusNotFound {
			t.Fatalf("missing item: %d", code)
		}
		// A matter assigned later: the item page says the log entry keeps
		// the old one, the change is listed and audited, and the export by
		// the new matter includes the item.
		code, body = c.upload(token, map[string]string{"title": "借条"}, map[string][]byte{"借条.txt": []byte("今借到人民币壹万元整")})
		if code != 200 {
			t.Fatalf("upload without matter: %d", code)
		}
		id2 := regexp.MustCompile(`href="/evidence/(\d+)"`).FindStringSubmatch(body)[1]
		if _, body, _ := c.get("/evidence/" + id2); !strings.Contains(body, `id="logged-matter">未指定`) || !strings.Contains(body, "不可更改") {
			t.Fatalf("item page before assign:\n%s", body)
		}
		if code, _, _ := c.post("/evidence/"+id2+"/matter", url.Values{"csrf_token": {token}, "matter": {"（2026）京01民终1号"}}); code != http.StatusSeeOther {
			t.Fatalf("assign: %d", code)
		}
		_, body, _ = c.get("/evidence/" + id2)
		if !strings.Contains(body, `id="matter">（2026）京01民终1号`) || !strings.Contains(body, `id="logged-matter">未指定`) ||
			!strings.Contains(body, "由“未指定”改为“（2026）京01民终1号”") {
			t.Fatalf("item page after assign:\n%s", body)
		}
		if code, _, _ := c.post("/evidence/"+id2+"/matter", url.Values{"csrf_token": {token}, "matter": {"a\nb"}}); code != http.StatusBadRequest {
			t.Fatalf("assign with a line break: %d", code)
		}
		code, zip, _ = c.post("/evidence/export", url.Values{"csrf_token": {token}, "scope": {"matter"}, "matter": {"（2026）京01民终1号"}})
		if rep, err := ledger.VerifyBundle(strings.NewReader(zip), int64(len(zip)), ledger.VerifyOptions{}); code != 200 || err != nil || !rep.OK() ||
			strings.Count(rep.String(), "tlog-proof") != 2 {
			t.Fatalf("export after assign: %d %v\n%s", code, err, rep)
		}
		if events, _ := db.FindAudit(context.Background(), store.AuditFilter{Action: "evidence.assign"}); len(events) != 1 || events[0].Actor != "admin" {
			t.Fatalf("assign audit: %+v", events)
		}
	})
}

func pngBytes() []byte {
	return []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU\x00\x00\x00\nIDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND\xaeB`\x82")
}

// TestLedgerConsistency verifies a served consistency proof with
// ledger.VerifyConsistency against two stored checkpoints, opened with the
// log key shown on the page, and checks the 400 answers.
func TestLedgerConsistency(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := newEvidenceServer(t, db)
		anon := newClient(t, ts.URL)
		c := newClient(t, ts.URL)
		c.login("admin")
		token := c.csrf("/evidence")
		for i, files := range []map[string][]byte{{"a.txt": []byte("a")}, {"b.txt": []byte("b"), "c.txt": []byte("c")}, {"d.txt": []byte("d")}} {
			if code, _ := c.upload(token, nil, files); code != 200 {
				t.Fatalf("upload %d: %d", i, code)
			}
		}
		_, page, _ := c.get("/evidence")
		vkey := html.UnescapeString(regexp.MustCompile(`<code id="ledger-vkey">([^<]+)</code>`).FindStringSubmatch(page)[1])
		verifier, err := note.NewVerifier(vkey)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := db.LedgerCheckpoints(ctx)
		if err != nil || len(stored) != 3 {
			t.Fatalf("stored checkpoints: %d, %v", len(stored), err)
		}
		var cps []ledger.Checkpoint
		for _, st := range stored {
			cp, err := ledger.OpenCheckpoint(st.Note, verifier)
			if err != nil {
				t.Fatal(err)
			}
			cps = append(cps, cp)
		}
		for _, pair := range [][2]int{{0, 1}, {0, 2}, {1, 2}} {
			a, b := cps[pair[0]], cps[pair[1]]
			code, body, h := anon.get(fmt.Sprintf("/ledger/consistency?from=%d&to=%d", a.Size, b.Size))
			if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
				t.Fatalf("%d..%d: %d %s", a.Size, b.Size, code, body)
			}
			var hashes [][]byte
			for _, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
				hash, err := base64.StdEncoding.DecodeString(line)
				if err != nil || len(hash) != 32 {
					t.Fatalf("%d..%d: line %q", a.Size, b.Size, line)
				}
				hashes = append(hashes, hash)
			}
			if err := ledger.VerifyConsistency(a.Size, b.Size, hashes, a.Root, b.Root); err != nil {
				t.Fatalf("%d..%d: served proof does not verify: %v", a.Size, b.Size, err)
			}
		}
		if code, body, _ := anon.get("/ledger/consistency?from=4&to=4"); code != 200 || body != "" {
			t.Fatalf("same size: %d %q", code, body)
		}
		for query, want := range map[string]string{
			"":                "?from=N&to=M",
			"from=1":          "?from=N&to=M",
			"from=x&to=2":     "?from=N&to=M",
			"from=-1&to=2":    "?from=N&to=M",
			"from=0&to=2":     "from 必须在 1 与",
			"from=3&to=1":     "from 必须在 1 与",
			"from=1&to=5":     "没有覆盖该大小的检查点（to=5，最新检查点为 4 条）",
			"from=1&to=99999": "最新检查点为 4 条",
		} {
			code, body, _ := anon.get("/ledger/consistency?" + query)
			if code != http.StatusBadRequest || !strings.Contains(body, want) {
				t.Errorf("?%s: %d %q, want 400 with %q", query, code, body, want)
			}
		}
	})
}
