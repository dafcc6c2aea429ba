package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestEvidenceUploadDuplicatesAndEmpty: an empty file is refused; a file the
// user can already see as evidence is held back with the earlier item named
// and a confirm button that preserves it without a second upload; a user who
// may not see the earlier item is told nothing about it.
func TestEvidenceUploadDuplicatesAndEmpty(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ts := newEvidenceServer(t, db)
		authSvc := auth.New(db, nil)
		ids := map[string]int64{}
		for name, role := range map[string]model.Role{"zhang": model.RoleLawyer, "zhao": model.RoleAssistant} {
			u, err := authSvc.CreateUser(ctx, nil, auth.NewUser{Username: name, DisplayName: name, Role: role, Password: password}, auth.Client{IP: "cli"})
			if err != nil {
				t.Fatal(err)
			}
			ids[name] = u.ID
		}
		m := &model.Matter{Title: "王某诉李某借贷纠纷", Type: model.MatterCivil, CaseNumber: "(2026)京0105民初9号", Status: model.MatterInProgress,
			LeadLawyerID: ids["zhang"]}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateMatter(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		zhang, zhao := newClient(t, ts.URL), newClient(t, ts.URL)
		zhang.login("zhang")
		zhao.login("zhao")
		token := zhang.csrf("/evidence")

		code, body := zhang.upload(token, map[string]string{}, map[string][]byte{"空白.txt": nil})
		if code != http.StatusBadRequest || !strings.Contains(body, "空白.txt") || !strings.Contains(body, "0 字节") {
			t.Fatalf("empty file: %d\n%s", code, body)
		}

		content := []byte("今借到人民币壹万元整")
		code, body = zhang.upload(token, map[string]string{"title": "借条原件", "matter_id": fmt.Sprint(m.ID)}, map[string][]byte{"借条.txt": content})
		if code != 200 || !strings.Contains(body, "本次已保全 1 个文件") {
			t.Fatalf("first upload: %d\n%s", code, body)
		}
		first := regexp.MustCompile(`href="/evidence/(\d+)"`).FindStringSubmatch(body)[1]

		code, body = zhang.upload(token, map[string]string{"title": "借条再传"}, map[string][]byte{"借条-副本.txt": content})
		text := html.UnescapeString(body)
		if code != 200 || strings.Contains(text, "本次已保全") || !strings.Contains(text, "该文件已于") ||
			!strings.Contains(text, "保全为证据 <a href=\"/evidence/"+first+"\">#"+first+"</a>（借条原件）") {
			t.Fatalf("duplicate upload: %d\n%s", code, body)
		}
		confirm := regexp.MustCompile(`name="confirm" value="([0-9a-f]+)"`).FindStringSubmatch(body)
		if confirm == nil {
			t.Fatalf("no confirm button:\n%s", body)
		}
		// Another user cannot use the confirmation.
		code, body, _ = zhao.post("/evidence", url.Values{"csrf_token": {zhao.csrf("/evidence")}, "confirm": {confirm[1]}})
		if code != http.StatusBadRequest || !strings.Contains(body, "该确认已失效") {
			t.Fatalf("someone else's confirmation: %d\n%s", code, body)
		}
		code, body, _ = zhang.post("/evidence", url.Values{"csrf_token": {token}, "confirm": {confirm[1]}})
		text = html.UnescapeString(body)
		if code != 200 || !strings.Contains(text, "本次已保全 1 个文件") || !strings.Contains(text, "借条再传") ||
			!strings.Contains(text, "保全为证据 #"+first) || !strings.Contains(text, "经确认的重复证据") {
			t.Fatalf("confirmed: %d\n%s", code, body)
		}
		if code, _, _ := zhang.post("/evidence", url.Values{"csrf_token": {token}, "confirm": {confirm[1]}}); code != http.StatusBadRequest {
			t.Fatalf("confirmation used twice: %d", code)
		}

		// The assistant may not see the matter: the same content is simply preserved.
		code, body = zhao.upload(zhao.csrf("/evidence"), map[string]string{"title": "助理上传"}, map[string][]byte{"x.txt": content})
		text = html.UnescapeString(body)
		if code != 200 || !strings.Contains(text, "本次已保全 1 个文件") || strings.Contains(text, "重复") ||
			strings.Contains(text, "该文件已于") || strings.Contains(text, "借条原件") || strings.Contains(text, "无权") {
			t.Fatalf("assistant's upload of the same content: %d\n%s", code, body)
		}
		if n, _ := db.LedgerSize(ctx); n != 3 {
			t.Fatalf("log size %d, want 3", n)
		}
	})
}
