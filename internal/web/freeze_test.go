package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestFreezeRoutes: 紧急冻结 needs its confirmation; afterwards the freezing
// browser is signed out and only its checklist opens (by its own cookie);
// another browser, with no or a forged cookie, gets 404; only an admin
// unfreezes.
func TestFreezeRoutes(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		c := newClient(t, ts.URL)
		c.login("zhang")
		if code, body, _ := c.get("/security/freeze"); code != http.StatusOK || !strings.Contains(body, "紧急冻结") || !strings.Contains(body, "开始演练") {
			t.Fatalf("freeze page: %d", code)
		}
		tok := c.csrf("/security/freeze")
		if code, body, _ := c.post("/security/freeze", url.Values{"csrf_token": {tok}}); code != http.StatusBadRequest || !strings.Contains(body, "请先勾选") {
			t.Fatalf("freeze without confirmation: %d", code)
		}
		if code, _, _ := c.get("/"); code != http.StatusOK {
			t.Fatalf("still signed in after the refused freeze: %d", code)
		}
		// A lawyer cannot unfreeze (or freeze) through the admin routes.
		if code, _, _ := c.post("/admin/users/2/unfreeze", url.Values{"csrf_token": {tok}}); code != http.StatusForbidden {
			t.Fatalf("lawyer unfreeze: %d", code)
		}
		code, _, h := c.post("/security/freeze", url.Values{"csrf_token": {tok}, "confirm": {"yes"}})
		if code != http.StatusSeeOther || h.Get("Location") != "/freeze/checklist" {
			t.Fatalf("freeze: %d %v", code, h)
		}
		if code, _, h := c.get("/"); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
			t.Fatalf("signed in after the freeze: %d %v", code, h)
		}
		code, body, _ := c.get("/freeze/checklist")
		if code != http.StatusOK || !strings.Contains(body, "weixin110.qq.com") || !strings.Contains(body, "已完成 0 / 5") {
			t.Fatalf("checklist: %d", code)
		}
		pre := csrfRE.FindStringSubmatch(body)[1]
		if code, _, _ := c.post("/freeze/checklist", url.Values{"csrf_token": {pre}, "step": {"devices"}}); code != http.StatusSeeOther {
			t.Fatalf("tick: %d", code)
		}
		if code, body, _ := c.post("/freeze/checklist", url.Values{"csrf_token": {pre}, "step": {"bogus"}}); code != http.StatusBadRequest || !strings.Contains(body, "清单中没有这一步") {
			t.Fatalf("unknown step: %d", code)
		}
		if _, body, _ := c.get("/freeze/checklist"); !strings.Contains(body, "已完成 1 / 5") {
			t.Fatal("tick not recorded")
		}
		// Another browser: no cookie, a forged cookie, a forged POST.
		other := newClient(t, ts.URL)
		if code, _, _ := other.get("/freeze/checklist"); code != http.StatusNotFound {
			t.Fatalf("checklist without cookie: %d", code)
		}
		u, _ := url.Parse(ts.URL)
		other.http.Jar.SetCookies(u, []*http.Cookie{{Name: "lvxin_freeze", Value: "AAAAAAAAAAAAAAAAAAAAAA"}})
		if code, _, _ := other.get("/freeze/checklist"); code != http.StatusNotFound {
			t.Fatalf("checklist with a forged cookie: %d", code)
		}
		otherPre := other.csrf("/login")
		if code, _, _ := other.post("/freeze/checklist", url.Values{"csrf_token": {otherPre}, "step": {"report"}}); code != http.StatusNotFound {
			t.Fatalf("tick with a forged cookie: %d", code)
		}
		// The admin sees the freeze and lifts it.
		admin := newClient(t, ts.URL)
		admin.login("admin")
		if _, body, _ := admin.get("/admin/users"); !strings.Contains(body, "已紧急冻结") {
			t.Fatal("user list does not mark the frozen user")
		}
		atok := admin.csrf("/admin/users/2")
		if code, _, h := admin.post("/admin/users/2/unfreeze", url.Values{"csrf_token": {atok}}); code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "done=unfrozen") {
			t.Fatalf("unfreeze: %d %v", code, h)
		}
		c.login("zhang")
	})
}
