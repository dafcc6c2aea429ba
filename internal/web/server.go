package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/evidence"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
)

//go:embed templates static
var assets embed.FS

// Config wires a Server.
type Config struct {
	DB    *store.DB
	Auth  *auth.Service
	Blobs *blob.Store
	// The workflows, built once by cmd/lvxin (web constructs no service).
	Schedule   *schedule.Service
	ClientBook *clientbook.Service
	Archive    *archive.Service
	Evidence   *evidence.Service
	// SecureCookies marks cookies Secure and uses the __Host- prefix; set it
	// whenever lvxin is reached over TLS.
	SecureCookies bool
	Logger        *slog.Logger
	Now           func() time.Time
	// Version is shown in the footer, to admins only.
	Version string
	// DataDir is the data folder (uploads are spooled beside it).
	DataDir string
	// MaxUpload caps the body of an upload route (evidence, chat import,
	// contact import); 0 means DefaultMaxUpload.
	MaxUpload int64
	// UploadMinRate cuts off an upload that sends fewer than Bytes within
	// any Window (a client trickling a byte every few seconds); zero
	// fields take DefaultUploadMinRate's.
	UploadMinRate MinRate
	// FormReadTimeout bounds reading a form's body; 0 means
	// DefaultFormReadTimeout.
	FormReadTimeout time.Duration
}

// DefaultMaxUpload is the default cap of an upload body (serve --max-upload).
const DefaultMaxUpload int64 = 4 << 30

// Body caps: every body is capped before a byte of it is read (see limits).
const (
	smallFormLimit   int64 = 8 << 10   // login, setup, TOTP, settings
	defaultBodyLimit int64 = 256 << 10 // other forms (urlencoded Chinese text triples in size)
)

// bodyLimits are the routes whose body rule differs from a form's under
// defaultBodyLimit. Upload routes are the only ones whose multipart bodies
// are parsed, and only after the session is checked; their limit is
// Config.MaxUpload, or less when given.
var bodyLimits = map[string]bodyRule{
	"POST /setup":          {limit: smallFormLimit},
	"POST /login":          {limit: smallFormLimit},
	"POST /login/totp":     {limit: smallFormLimit},
	"POST /logout":         {limit: smallFormLimit},
	"POST /security/totp":  {limit: smallFormLimit},
	"POST /admin/settings": {limit: smallFormLimit},
	"POST /postcheck":      {limit: 2 << 20}, // an article to check before publishing
	"POST /evidence":       {upload: true},
	"POST /chats/import":   {upload: true},
	"POST /clients/import": {upload: true, limit: 64 << 20}, // a CSV or XLSX read whole
}

// moduleRoutes are route groups that feature files register from init, so
// that each module's handlers, templates and routes live together.
var moduleRoutes []func(s *Server, mux *http.ServeMux)

// Server is the web workbench.
type Server struct {
	cfg     Config
	claimed map[string]bool // patterns registered through route
	// clientBook caches the conflict index between requests.
	clientBook *clientbook.Service
	pages      map[string]*template.Template
	handler    http.Handler
	mux        *http.ServeMux
	registry   *prometheus.Registry
	metrics    *metrics
}

// New builds the server and its routes on the services cfg carries.
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil || cfg.Auth == nil || cfg.Blobs == nil || cfg.Schedule == nil || cfg.ClientBook == nil ||
		cfg.Archive == nil || cfg.Evidence == nil {
		return nil, errors.New("web: Config lacks the database, the blob store or a service")
	}
	return newServer(cfg)
}

// newServer builds the server without checking that cfg is complete (tests
// of the routing machinery that never reach a handler).
func newServer(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	if cfg.UploadMinRate.Bytes <= 0 {
		cfg.UploadMinRate.Bytes = DefaultUploadMinRate.Bytes
	}
	if cfg.UploadMinRate.Window <= 0 {
		cfg.UploadMinRate.Window = DefaultUploadMinRate.Window
	}
	if cfg.FormReadTimeout <= 0 {
		cfg.FormReadTimeout = DefaultFormReadTimeout
	}
	s := &Server{cfg: cfg, clientBook: cfg.ClientBook}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.registry = prometheus.NewRegistry()
	s.metrics = newMetrics(s.registry)
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	s.mux = mux
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /metrics", s.metricsHandler())

	mux.HandleFunc("GET /setup", s.setupPage)
	mux.HandleFunc("POST /setup", s.setupSubmit)
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.loginSubmit)
	mux.HandleFunc("GET /login/totp", s.totpLoginPage)
	mux.HandleFunc("POST /login/totp", s.totpLoginSubmit)

	mux.Handle("POST /logout", s.signedIn(s.logout))
	mux.Handle("GET /{$}", s.signedIn(s.dashboard))
	mux.Handle("GET /security", s.signedIn(s.securityPage))
	mux.Handle("POST /security/sessions/{id}/revoke", s.signedIn(s.revokeSession))
	mux.Handle("POST /security/revoke-all", s.signedIn(s.revokeAllMine))
	mux.Handle("GET /security/totp", s.signedIn(s.totpSetupPage))
	mux.Handle("POST /security/totp", s.signedIn(s.totpSetupSubmit))
	mux.Handle("GET /admin/users", s.signedIn(s.usersPage))
	mux.Handle("POST /admin/users", s.signedIn(s.createUser))
	mux.Handle("GET /admin/users/{id}", s.signedIn(s.userPage))
	mux.Handle("POST /admin/users/{id}/revoke-all", s.signedIn(s.revokeAllOfUser))
	mux.Handle("POST /admin/settings", s.signedIn(s.saveSettings))
	mux.Handle("GET /audit", s.signedIn(s.auditPage))
	mux.Handle("GET /deadlines", s.signedIn(s.deadlinesPage))
	mux.Handle("POST /deadlines", s.signedIn(s.saveDeadline))
	mux.Handle("GET /deadlines/{id}", s.signedIn(s.deadlinePage))
	mux.Handle("POST /deadlines/{id}/done", s.signedIn(s.deadlineDone))
	mux.Handle("POST /deadlines/feed", s.signedIn(s.newFeed))
	mux.Handle("POST /deadlines/feed/revoke", s.signedIn(s.revokeFeed))
	mux.Handle("POST /deadlines/hours", s.signedIn(s.saveHours))
	mux.HandleFunc("GET /calendar/{file}", s.calendarFeed)
	for _, register := range moduleRoutes {
		register(s, mux)
	}
	for _, m := range upcomingModules {
		if !s.claimed["GET "+m.Path] {
			mux.Handle("GET "+m.Path, s.signedIn(s.upcoming))
		}
	}
	mux.HandleFunc("/", s.notFound)

	var h http.Handler = mux
	h = s.csrf(h)
	h = http.NewCrossOriginProtection().Handler(h)
	h = securityHeaders(h)
	h = s.instrument(h)
	h = s.limits(mux, h)
	return h
}

// route registers a module's handler and records the pattern, so that the
// placeholder of a module that has arrived is not registered as well.
func (s *Server) route(mux *http.ServeMux, pattern string, h http.Handler) {
	if s.claimed == nil {
		s.claimed = map[string]bool{}
	}
	s.claimed[pattern] = true
	mux.Handle(pattern, h)
}

// Timeouts of the HTTP server. There is no whole-request read timeout:
// limits gives each request body its own deadline, so a long upload that
// keeps arriving finishes.
type Timeouts struct {
	ReadHeader time.Duration // to read a request's headers
	Idle       time.Duration // a keep-alive connection waiting for its next request
}

// DefaultTimeouts are serve's.
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Idle: 2 * time.Minute}

// HTTPServer is the http.Server that runs s with t (zero fields take
// DefaultTimeouts').
func (s *Server) HTTPServer(t Timeouts) *http.Server {
	if t.ReadHeader <= 0 {
		t.ReadHeader = DefaultTimeouts.ReadHeader
	}
	if t.Idle <= 0 {
		t.Idle = DefaultTimeouts.Idle
	}
	return &http.Server{Handler: s, ReadHeaderTimeout: t.ReadHeader, IdleTimeout: t.Idle, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn)}
}

// Shutdown is a hook for graceful stop; nothing to flush today.
func (s *Server) Shutdown(ctx context.Context) error { return nil }
