package web_test

import (
	"net/http"
	"testing"

	"github.com/lvxin/lvxin/internal/store/storetest"
)

// BenchmarkDashboard renders the signed-in dashboard through the whole
// middleware stack on SQLite.
func BenchmarkDashboard(b *testing.B) {
	db := storetest.Open(b, storetest.Engine{Name: "sqlite", DataDir: b.TempDir()}, nil)
	ts, _ := newServer(b, db)
	c := newClient(b, ts.URL)
	c.login("zhang")
	b.ResetTimer()
	for b.Loop() {
		if code, _, _ := c.get("/"); code != http.StatusOK {
			b.Fatal(code)
		}
	}
}
