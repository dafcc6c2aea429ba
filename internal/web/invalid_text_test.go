package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestNULTextAnsweredAlike: a NUL character in a contact's name or an
// evidence title gets 400 and one Chinese message on both engines, never the
// driver's text.
func TestNULTextAnsweredAlike(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts := newEvidenceServer(t, db)
		c := newClient(t, ts.URL)
		c.login("admin")
		token := c.csrf("/clients")
		code, body, _ := c.post("/clients", url.Values{"csrf_token": {token}, "kind": {"person"}, "name": {"张\x00三"}})
		text := html.UnescapeString(body)
		if code != http.StatusBadRequest || !strings.Contains(text, "空字符 NUL") || strings.Contains(text, "SQLSTATE") {
			t.Fatalf("contact with NUL: %d\n%s", code, body)
		}
		code, body = c.upload(c.csrf("/evidence"), map[string]string{"title": "借条\x00"}, map[string][]byte{"a.txt": []byte("x")})
		text = html.UnescapeString(body)
		if code != http.StatusBadRequest || !strings.Contains(text, "“证据名称”含有不允许的字符") || strings.Contains(text, "SQLSTATE") {
			t.Fatalf("evidence title with NUL: %d\n%s", code, body)
		}
		if n, _ := db.LedgerSize(t.Context()); n != 0 {
			t.Fatalf("logged: %d", n)
		}
	})
}
