package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/ledger"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

func newEvidenceServer(t *testing.T, db *store.DB) *httptest.Server {
	t.Helper()
	cfg := testConfig(t, db)
	svc := cfg.Auth
	ts := serveWeb(t, cfg)
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

// TestEvidenceFollowsMatterAccess: evidence linked to a matter is seen by the
// matter's staff only; an unassigned assistant gets 404 on the item, the
// download, the assign form and the export, does not see it in the list, and
// every refusal is audited.
func TestEvidenceFollowsMatterAccess(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := newEvidenceServer(t, db)
		authSvc := auth.New(db, nil)
		users := map[string]int64{}
		for name, role := range map[string]model.Role{"zhang": model.RoleLawyer, "li": model.RoleAssistant, "zhao": model.RoleAssistant} {
			u, err := authSvc.CreateUser(ctx, nil, auth.NewUser{Username: name, DisplayName: name, Role: role, Password: password}, auth.Client{IP: "cli"})
			if err != nil {
				t.Fatal(err)
			}
			users[name] = u.ID
		}
		m := &model.Matter{Title: "王某诉李某借贷纠纷", Type: model.MatterCivil, CaseNumber: "(2026)京0105民初9号", Status: model.MatterInProgress,
			LeadLawyerID: users["zhang"], AssistantIDs: []int64{users["li"]}}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateMatter(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		matterID := fmt.Sprint(m.ID)
		zhang, li, zhao := newClient(t, ts.URL), newClient(t, ts.URL), newClient(t, ts.URL)
		zhang.login("zhang")
		li.login("li")
		zhao.login("zhao")

		// The lawyer links new evidence to the matter from the upload form.
		_, page, _ := zhang.get("/evidence")
		if !strings.Contains(page, `<option value="`+matterID+`">#`+matterID+` （2026）京0105民初9号 王某诉李某借贷纠纷</option>`) {
			t.Fatalf("upload form lacks the lawyer's matter:\n%s", page)
		}
		if _, page, _ := zhao.get("/evidence"); strings.Contains(page, "王某诉李某借贷纠纷") {
			t.Fatal("the unassigned assistant is offered the matter")
		}
		code, body := zhang.upload(zhang.csrf("/evidence"), map[string]string{"title": "借条原件", "matter_id": matterID}, map[string][]byte{"借条.txt": []byte("今借到人民币壹万元整")})
		if code != 200 {
			t.Fatalf("upload: %d\n%s", code, body)
		}
		id := regexp.MustCompile(`href="/evidence/(\d+)"`).FindStringSubmatch(body)[1]
		item := "/evidence/" + id

		// The assigned assistant sees, downloads and exports it.
		if _, body, _ := li.get("/evidence"); !strings.Contains(body, "借条原件") {
			t.Fatal("assigned assistant does not see the item in the list")
		}
		if code, body, _ := li.get(item); code != 200 || !strings.Contains(body, `<option value="`+matterID+`" selected>`) {
			t.Fatalf("assigned assistant, item page: %d\n%s", code, body)
		}
		if code, _, _ := li.get(item + "/file"); code != 200 {
			t.Fatalf("assigned assistant, download: %d", code)
		}
		liToken := li.csrf("/evidence")
		code, zip, _ := li.post("/evidence/export", url.Values{"csrf_token": {liToken}, "scope": {"matter"}, "matter": {"#" + matterID}})
		if rep, err := ledger.VerifyBundle(strings.NewReader(zip), int64(len(zip)), ledger.VerifyOptions{}); code != 200 || err != nil || !rep.OK() {
			t.Fatalf("assigned assistant, matter export: %d %v", code, err)
		}

		// The unassigned assistant: 404 everywhere, absent from the list.
		token := zhao.csrf("/evidence")
		if _, body, _ := zhao.get("/evidence"); strings.Contains(body, "借条原件") {
			t.Fatal("unassigned assistant sees the item in the list")
		}
		if _, body, _ := zhao.get("/evidence?matter=%23" + matterID); strings.Contains(body, "借条原件") {
			t.Fatal("unassigned assistant sees the item through the matter filter")
		}
		for what, do := range map[string]func() int{
			"item":     func() int { code, _, _ := zhao.get(item); return code },
			"download": func() int { code, _, _ := zhao.get(item + "/file"); return code },
			"export": func() int {
				code, _, _ := zhao.post("/evidence/export", url.Values{"csrf_token": {token}, "item": {id}})
				return code
			},
			"matter export": func() int {
				code, _, _ := zhao.post("/evidence/export", url.Values{"csrf_token": {token}, "scope": {"matter"}, "matter": {"#" + matterID}})
				return code
			},
			"assign": func() int {
				code, _, _ := zhao.post(item+"/matter", url.Values{"csrf_token": {token}, "matter": {"我的"}})
				return code
			},
			"submission": func() int {
				code, _, _ := zhao.post(item+"/submissions", url.Values{"csrf_token": {token}, "platform": {"某公证处"}, "submitted_on": {"2026-03-02"}})
				return code
			},
			"upload to the matter": func() int {
				code, _ := zhao.upload(token, map[string]string{"matter_id": matterID}, map[string][]byte{"x.txt": []byte("x")})
				return code
			},
		} {
			// Missing and forbidden answer alike: 404 for the item, and a
			// matter one may not see is refused like a missing matter.
			want := http.StatusNotFound
			if what == "matter export" || what == "upload to the matter" {
				want = http.StatusBadRequest
			}
			if code := do(); code != want {
				t.Errorf("unassigned assistant, %s: %d, want %d", what, code, want)
			}
		}
		_, hiddenBody, _ := zhao.get(item)
		_, missingBody, _ := zhao.get("/evidence/99999")
		if msg := "页面或记录不存在"; !strings.Contains(hiddenBody, msg) || !strings.Contains(missingBody, msg) || strings.Contains(hiddenBody, "没有权限") {
			t.Errorf("a hidden item does not read like a missing one:\n%s", hiddenBody)
		}
		denied, err := db.FindAudit(ctx, store.AuditFilter{ActorID: users["zhao"], Action: "evidence.view.denied"})
		if err != nil || len(denied) != 6 {
			t.Fatalf("refusals audited: %d, %v", len(denied), err)
		}
		for _, ev := range denied {
			if ev.Target != "evidence/"+id || ev.Actor != "zhao" {
				t.Errorf("denied event: %+v", ev)
			}
		}

		// Evidence with no matter: the assistant who added it and admins.
		code, body = zhao.upload(token, map[string]string{"title": "咨询聊天记录", "matter": "王某咨询"}, map[string][]byte{"聊天.txt": []byte("你好")})
		if code != 200 {
			t.Fatalf("unlinked upload: %d", code)
		}
		own := "/evidence/" + regexp.MustCompile(`href="/evidence/(\d+)"`).FindStringSubmatch(body)[1]
		if code, _, _ := zhao.get(own); code != 200 {
			t.Fatalf("adder, own unlinked item: %d", code)
		}
		if code, _, _ := li.get(own); code != http.StatusNotFound {
			t.Fatalf("another assistant, unlinked item: %d", code)
		}
		if _, body, _ := li.get("/evidence"); strings.Contains(body, "咨询聊天记录") || strings.Contains(body, "王某咨询") {
			t.Fatal("another assistant sees the unlinked item or its matter text")
		}
		admin := newClient(t, ts.URL)
		admin.login("admin")
		if code, _, _ := admin.get(own); code != 200 {
			t.Fatalf("admin, unlinked item: %d", code)
		}
		// The lawyer links it to the matter on the item page? Not theirs to
		// see: 404. The admin links it; then the matter's staff see it.
		if code, _, _ := zhang.get(own); code != http.StatusNotFound {
			t.Fatalf("lawyer, someone else's unlinked item: %d", code)
		}
		if code, _, _ := admin.post(own+"/matter", url.Values{"csrf_token": {admin.csrf("/evidence")}, "matter_id": {matterID}, "matter": {"ignored"}}); code != http.StatusSeeOther {
			t.Fatalf("admin assigns the matter: %d", code)
		}
		if code, body, _ := li.get(own); code != 200 || !strings.Contains(body, `id="matter">#`+matterID+` （2026）京0105民初9号`) {
			t.Fatalf("assigned assistant after the link: %d", code)
		}
		if code, _, _ := zhao.get(own); code != http.StatusNotFound {
			t.Fatalf("adder after the item joined a matter they are not on: %d", code)
		}
	})
}
