package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestRouteTableRefusesAnonymous walks the route table: every route but the
// public ones refuses a visitor without a session before its handler runs
// (a GET is sent to the login page, anything else is refused), and the
// public routes are exactly the ones listed here.
func TestRouteTableRefusesAnonymous(t *testing.T) {
	s, err := newServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var publicRoutes []string
	for _, rt := range s.routeTable() {
		if rt.guard == public {
			publicRoutes = append(publicRoutes, rt.pattern)
			continue
		}
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = strings.NewReplacer("{$}", "", "{id}", "1", "{pid}", "2", "{tid}", "3", "{file}", "x.ics").Replace(path)
		req := httptest.NewRequest(method, path, strings.NewReader("a=b"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		// A handler reached without a session would dereference the
		// missing services of this bare server and panic.
		s.ServeHTTP(rec, req)
		switch {
		case method == http.MethodGet && rec.Code == http.StatusSeeOther && strings.HasPrefix(rec.Header().Get("Location"), "/login?next="):
		case method != http.MethodGet && (rec.Code == http.StatusUnauthorized || rec.Code == http.StatusForbidden):
		default:
			t.Errorf("%s: anonymous visitor got %d (Location %q)", rt.pattern, rec.Code, rec.Header().Get("Location"))
		}
	}
	want := []string{"GET /healthz", "GET /metrics", "GET /setup", "POST /setup", "GET /login", "POST /login",
		"GET /login/totp", "POST /login/totp", "GET /calendar/{file}", "GET /ledger/checkpoint", "GET /ledger/consistency",
		"GET /notice/{token}", "POST /notice/{token}", "GET /wecom/callback", "POST /wecom/callback",
		// The checklist after 紧急冻结: opened by its own cookie only (freeze.go).
		"GET /freeze/checklist", "POST /freeze/checklist",
		"GET /d/{token}", "POST /d/{token}/code", "GET /d/{token}/file", "POST /d/{token}/confirm"}
	if !slices.Equal(publicRoutes, want) {
		t.Errorf("public routes changed:\n got  %v\n want %v", publicRoutes, want)
	}
}

// TestNavigationFromTheTable: the navigation is the table's routes with a
// label, each a page (GET) of the workbench; administrators alone see the
// administration entries.
func TestNavigationFromTheTable(t *testing.T) {
	s, err := newServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, n := range s.nav {
		labels = append(labels, n.Label)
		if _, pattern := s.mux.Handler(httptest.NewRequest("GET", n.Path, nil)); pattern != "GET "+n.Path && pattern != "GET /{$}" {
			t.Errorf("navigation entry %s (%s) is routed to %q", n.Label, n.Path, pattern)
		}
	}
	if want := []string{"工作台", "消息", "客户", "案件", "期限", "聊天记录", "证据", "发布检查", "安全", "用户管理", "企业微信", "审计日志"}; !slices.Equal(labels, want) {
		t.Errorf("navigation %v, want %v", labels, want)
	}
	if n := len(s.navFor(nil)); n != len(s.nav)-3 {
		t.Errorf("a non-administrator sees %d entries, want %d", n, len(s.nav)-3)
	}
}
