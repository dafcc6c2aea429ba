package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestFooterVersionForAdminsOnly: the footer names the running release to
// admins; a lawyer and a signed-out visitor (nor /healthz) do not tell it.
func TestFooterVersionForAdminsOnly(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		const footer = `<span id="version">test</span>`
		anon := newClient(t, ts.URL)
		if code, body, _ := anon.get("/login"); code != http.StatusOK || strings.Contains(body, footer) || !strings.Contains(body, "<footer>") {
			t.Errorf("login page: %d, version shown=%v", code, strings.Contains(body, footer))
		}
		if _, body, _ := anon.get("/healthz"); strings.Contains(body, "test") {
			t.Errorf("healthz tells anyone the version: %s", body)
		}
		admin := newClient(t, ts.URL)
		admin.login("admin")
		if _, body, _ := admin.get("/"); !strings.Contains(body, footer) {
			t.Error("admin footer lacks the version")
		}
		lawyer := newClient(t, ts.URL)
		lawyer.login("zhang")
		if code, body, _ := lawyer.get("/"); code != http.StatusOK || strings.Contains(body, footer) || strings.Contains(body, "lvxin test") {
			t.Errorf("lawyer footer shows the version: %d", code)
		}
	})
}
