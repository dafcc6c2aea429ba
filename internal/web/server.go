package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/evidence"
	"github.com/lvxin/lvxin/internal/notify"
	"github.com/lvxin/lvxin/internal/safety"
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
	Notify     *notify.Service
	Safety     *safety.Service
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

// Server is the web workbench.
type Server struct {
	cfg Config
	// bodyRules and nav are derived from the route table (routes.go).
	bodyRules map[string]bodyRule
	nav       []navItem
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
		cfg.Archive == nil || cfg.Evidence == nil || cfg.Notify == nil {
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
	s.register(mux)

	var h http.Handler = mux
	h = s.csrf(h)
	h = http.NewCrossOriginProtection().Handler(h)
	h = securityHeaders(h)
	h = s.instrument(h)
	h = s.limits(mux, h)
	return h
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
