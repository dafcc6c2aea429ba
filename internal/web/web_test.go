package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/delivery"
	"github.com/lvxin/lvxin/internal/evidence"
	"github.com/lvxin/lvxin/internal/inbox"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/notify"
	"github.com/lvxin/lvxin/internal/safety"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/web"
)

const password = "测试用的足够长密码-01"

type client struct {
	t    testing.TB
	base string
	http *http.Client
}

// testConfig is a complete server configuration on db with a fresh data
// folder, its services built as cmd/lvxin builds them.
func testConfig(t testing.TB, db *store.DB) web.Config {
	t.Helper()
	dataDir := t.TempDir()
	blobs, err := blob.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	sched := schedule.New(db, nil)
	return web.Config{DB: db, Auth: auth.New(db, nil), Blobs: blobs, DataDir: dataDir, Version: "test",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Schedule: sched, ClientBook: clientbook.New(db, sched, nil),
		Archive: &archive.Service{DB: db, Blobs: blobs}, Evidence: evidence.New(evidence.Config{DB: db, Blobs: blobs, DataDir: dataDir}),
		Notify: notify.New(db, nil), Inbox: inbox.New(inbox.Config{DB: db, Schedule: sched}),
		Delivery: delivery.New(delivery.Config{DB: db, Blobs: blobs, DataDir: dataDir}), Safety: safety.New(db, nil)}
}

func newServer(t testing.TB, db *store.DB) (*httptest.Server, *auth.Service) {
	t.Helper()
	cfg := testConfig(t, db)
	svc := cfg.Auth
	ts := serveWeb(t, cfg)
	for _, u := range []auth.NewUser{
		{Username: "admin", DisplayName: "王主任", Role: model.RoleAdmin, Password: password},
		{Username: "zhang", DisplayName: "张律师", Role: model.RoleLawyer, Password: password},
	} {
		if _, err := svc.CreateUser(context.Background(), nil, u, auth.Client{IP: "cli"}); err != nil {
			t.Fatal(err)
		}
	}
	return ts, svc
}

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func createUser(t testing.TB, svc *auth.Service, username string, role model.Role) {
	t.Helper()
	if _, err := svc.CreateUser(context.Background(), nil, auth.NewUser{Username: username, DisplayName: username, Role: role, Password: password}, auth.Client{IP: "cli"}); err != nil {
		t.Fatal(err)
	}
}

func newClient(t testing.TB, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (c *client) get(path string) (int, string, http.Header) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func (c *client) post(path string, form url.Values, headers ...string) (int, string, http.Header) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

// csrf fetches a page and returns the form token on it.
func (c *client) csrf(path string) string {
	c.t.Helper()
	_, body, _ := c.get(path)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("no csrf token on %s", path)
	}
	return m[1]
}

func (c *client) login(user string) {
	c.t.Helper()
	tok := c.csrf("/login")
	code, body, h := c.post("/login", url.Values{"csrf_token": {tok}, "username": {user}, "password": {password}, "next": {"/"}})
	if code != http.StatusSeeOther || h.Get("Location") != "/" {
		c.t.Fatalf("login %s: %d %s", user, code, body)
	}
}

func TestPagesRenderForAdmin(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		c := newClient(t, ts.URL)
		c.login("admin")
		for path, want := range map[string]string{
			"/": "工作台", "/security": "全部下线", "/admin/users": "添加用户", "/admin/users/2": "张律师",
			"/audit": "login.ok", "/security/totp": "二维码", "/clients": "客户通讯录", "/evidence": "证据",
		} {
			code, body, h := c.get(path)
			if code != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("GET %s: %d, want 200 with %q", path, code, want)
			}
			if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") || h.Get("Cache-Control") != "no-store" {
				t.Errorf("GET %s: security headers missing: %v", path, h)
			}
		}
	})
}

func TestAccessRules(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		anon := newClient(t, ts.URL)
		if code, _, h := anon.get("/security"); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
			t.Fatalf("anonymous /security: %d %v", code, h.Get("Location"))
		}
		lawyer := newClient(t, ts.URL)
		lawyer.login("zhang")
		for _, path := range []string{"/admin/users", "/admin/users/1", "/audit"} {
			if code, _, _ := lawyer.get(path); code != http.StatusForbidden {
				t.Errorf("lawyer GET %s: %d, want 403", path, code)
			}
		}
		tok := lawyer.csrf("/security")
		if code, _, _ := lawyer.post("/admin/users/1/revoke-all", url.Values{"csrf_token": {tok}}); code != http.StatusForbidden {
			t.Errorf("lawyer revoking the admin: %d, want 403", code)
		}
		if code, _, _ := lawyer.post("/admin/users", url.Values{"csrf_token": {tok}, "username": {"x"}, "display_name": {"x"}, "role": {"admin"}, "password": {password}}); code != http.StatusForbidden {
			t.Errorf("lawyer creating an admin: %d, want 403", code)
		}
	})
}

func TestCSRFProtection(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		c := newClient(t, ts.URL)
		c.login("zhang")
		tok := c.csrf("/security")
		if code, body, _ := c.post("/security/revoke-all", url.Values{}); code != http.StatusForbidden || !strings.Contains(body, "CSRF") {
			t.Fatalf("POST without token: %d", code)
		}
		if code, _, _ := c.post("/security/revoke-all", url.Values{"csrf_token": {"forged-token-value-000"}}); code != http.StatusForbidden {
			t.Fatalf("POST with wrong token: %d", code)
		}
		// Cross-site requests are refused before the token is even looked at.
		if code, _, _ := c.post("/security/revoke-all", url.Values{"csrf_token": {tok}}, "Sec-Fetch-Site", "cross-site"); code != http.StatusForbidden {
			t.Fatalf("cross-site POST: %d", code)
		}
		// Login forms need the pre-session token too.
		anon := newClient(t, ts.URL)
		if code, _, _ := anon.post("/login", url.Values{"username": {"zhang"}, "password": {password}}); code != http.StatusForbidden {
			t.Fatalf("login without token: %d", code)
		}
		// Still signed in after all the refused attempts.
		if code, _, _ := c.get("/security"); code != http.StatusOK {
			t.Fatalf("session ended by a refused request: %d", code)
		}
	})
}

func TestOpenRedirectRefused(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		c := newClient(t, ts.URL)
		tok := c.csrf("/login")
		for _, next := range []string{"//evil.example/", "https://evil.example/", `/\evil.example`} {
			_, _, h := c.post("/login", url.Values{"csrf_token": {tok}, "username": {"zhang"}, "password": {password}, "next": {next}})
			if loc := h.Get("Location"); loc != "/" {
				t.Errorf("next=%q redirected to %q", next, loc)
			}
		}
	})
}

func TestHealthAndMetrics(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		c := newClient(t, ts.URL)
		code, body, _ := c.get("/healthz")
		if code != http.StatusOK || !strings.Contains(body, `"status":"ok"`) {
			t.Fatalf("healthz: %d %s", code, body)
		}
		c.get("/login")
		_, body, _ = c.get("/metrics")
		if !strings.Contains(body, `lvxin_http_requests_total{code="200",route="GET /login"}`) {
			t.Fatalf("metrics lack the login route:\n%s", body)
		}
		if code, _, _ := c.get("/no/such/page"); code != http.StatusNotFound {
			t.Fatalf("unknown page: %d", code)
		}
	})
}

func TestChatArchiveSettings(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		c := newClient(t, ts.URL)
		c.login("admin")
		tok := c.csrf("/admin/users")
		const key = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
		if code, body, _ := c.post("/admin/settings", url.Values{"csrf_token": {tok}, "archive_recipients": {"not-a-key"}}); code != http.StatusBadRequest || !strings.Contains(body, "公钥无效") {
			t.Fatalf("bad recipient: %d", code)
		}
		if code, _, _ := c.post("/admin/settings", url.Values{"csrf_token": {tok}, "archive_recipients": {key}, "retention_months": {"abc"}}); code != http.StatusBadRequest {
			t.Fatalf("bad retention: %d", code)
		}
		if code, _, _ := c.post("/admin/settings", url.Values{"csrf_token": {tok}, "archive_recipients": {key}, "retention_months": {"36"}}); code != http.StatusSeeOther {
			t.Fatalf("save: %d", code)
		}
		_, body, _ := c.get("/admin/users")
		if !strings.Contains(body, key) || !strings.Contains(body, `value="36"`) {
			t.Fatal("saved archive settings not shown")
		}
		if v, _ := db.Setting(context.Background(), "chat_retention_months"); v != "36" {
			t.Fatalf("stored retention %q", v)
		}
		// A lawyer cannot change firm settings.
		l := newClient(t, ts.URL)
		l.login("zhang")
		ltok := l.csrf("/security")
		if code, _, _ := l.post("/admin/settings", url.Values{"csrf_token": {ltok}, "archive_recipients": {key}}); code != http.StatusForbidden {
			t.Fatalf("lawyer changed settings: %d", code)
		}
	})
}

// serveWeb serves the web app built from cfg on a test server that closes
// when the test ends.
func serveWeb(t testing.TB, cfg web.Config) *httptest.Server {
	t.Helper()
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}
