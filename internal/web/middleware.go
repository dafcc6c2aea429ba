package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/auth"
)

type ctxKey int

const principalKey ctxKey = 1

// principal returns the signed-in user of a request behind signedIn.
func principal(r *http.Request) *auth.Principal {
	p, _ := r.Context().Value(principalKey).(*auth.Principal)
	return p
}

// clientOf describes the request's origin for sessions and the audit log.
// lvxin trusts no proxy headers: behind a reverse proxy the address is the
// proxy's.
func clientOf(r *http.Request) auth.Client {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return auth.Client{IP: host, UserAgent: r.UserAgent()}
}

func (s *Server) sessionCookieName() string {
	if s.cfg.SecureCookies {
		return "__Host-lvxin_session"
	}
	return "lvxin_session"
}

func (s *Server) preCookieName() string {
	if s.cfg.SecureCookies {
		return "__Host-lvxin_csrf"
	}
	return "lvxin_csrf"
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// signedIn resolves the session cookie; anonymous requests go to /login.
// An admin who must set up TOTP may only reach the TOTP page.
func (s *Server) signedIn(h func(http.ResponseWriter, *http.Request, *auth.Principal)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(s.sessionCookieName())
		var p *auth.Principal
		if err == nil {
			p, err = s.cfg.Auth.Authenticate(r.Context(), c.Value, clientOf(r))
		}
		if err != nil {
			if !errors.Is(err, auth.ErrNoSession) && !errors.Is(err, http.ErrNoCookie) {
				s.fail(w, r, err)
				return
			}
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, http.StatusUnauthorized, "登录已过期或已在其他设备被下线，请重新登录。")
			return
		}
		if s.cfg.Auth.AdminNeedsTOTP(r.Context(), p) && r.URL.Path != "/security/totp" && r.URL.Path != "/security/totp/qr.png" && r.URL.Path != "/logout" {
			http.Redirect(w, r, "/security/totp?required=1", http.StatusSeeOther)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		ctx := context.WithValue(r.Context(), principalKey, p)
		h(w, r.WithContext(ctx), p)
	})
}

// csrf requires the per-session token (or, before login, the per-browser
// token of the pre-session cookie) in every form POST. It complements
// http.CrossOriginProtection, which rejects cross-site requests by their
// Fetch metadata headers. The expected token is found before a byte of the
// body is read, so an anonymous request never gets its body parsed; only
// upload routes parse multipart bodies (see parseBody).
func (s *Server) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions || machineRoutes[r.URL.Path] {
			next.ServeHTTP(w, r)
			return
		}
		want := ""
		if preSessionForms[r.URL.Path] || strings.HasPrefix(r.URL.Path, "/notice/") || isDeliveryForm(r.URL.Path) {
			if c, err := r.Cookie(s.preCookieName()); err == nil {
				want = c.Value
			}
		} else if c, err := r.Cookie(s.sessionCookieName()); err == nil {
			if p, err := s.cfg.Auth.Authenticate(r.Context(), c.Value, clientOf(r)); err == nil {
				want = p.Session.CSRFToken
			}
		}
		if want == "" {
			s.refuseCSRF(w, r)
			return
		}
		if !s.parseBody(w, r) {
			return
		}
		sent := r.PostFormValue("csrf_token")
		if subtle.ConstantTimeCompare([]byte(sent), []byte(want)) != 1 {
			s.refuseCSRF(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) refuseCSRF(w http.ResponseWriter, r *http.Request) {
	s.cfg.Logger.Warn("csrf token missing or wrong", "path", r.URL.Path, "ip", clientOf(r).IP)
	s.renderError(w, r, http.StatusForbidden, "请求被拒绝：表单安全令牌缺失或已失效（CSRF 防护）。请刷新页面后重试。")
}

// preSessionForms are the forms posted before a session exists; they carry
// the per-browser token of the pre-session cookie instead.
var preSessionForms = map[string]bool{"/login": true, "/login/totp": true, "/setup": true, "/freeze/checklist": true}

// preToken returns the browser's pre-session CSRF token, setting one if
// needed; login and setup forms carry it.
func (s *Server) preToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(s.preCookieName()); err == nil && len(c.Value) >= 22 {
		return c.Value
	}
	tok := randomToken()
	s.setCookie(w, s.preCookieName(), tok, 0)
	return tok
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// safeNext keeps a post-login redirect on this site: it returns next only
// when it is a plain path on this origin, else "/". Browsers forgive a lot
// in a Location header (Chromium drops tabs and newlines, reads "\" as "/",
// and "//host" is another site), so anything unusual is refused rather than
// cleaned: control characters, any whitespace, backslashes, "//" anywhere
// in the path, invalid UTF-8, and whatever parses with a scheme or a host.
func safeNext(next string) string {
	if len(next) == 0 || len(next) > 2048 || next[0] != '/' || !utf8.ValidString(next) {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' || unicode.IsSpace(r) || unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) {
			return "/"
		}
	}
	path, _, _ := strings.Cut(next, "?")
	if strings.Contains(path, "//") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return next
}
