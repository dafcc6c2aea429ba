package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/delivery"
	"github.com/lvxin/lvxin/internal/model"
)

// The recipient's side: a public page addressed by the signed token (no
// login), small form bodies, every open and download logged by the
// workflow. Its forms carry the per-browser token of the pre-session
// cookie (see csrf); the access code, once right, is remembered in a
// cookie scoped to the link's path.

// deliveryPathPrefix starts every public link path.
const deliveryPathPrefix = "/d/"

// isDeliveryForm reports whether a POST path is one of the public link's
// forms (they carry the pre-session CSRF token).
func isDeliveryForm(path string) bool {
	rest, ok := strings.CutPrefix(path, deliveryPathPrefix)
	if !ok {
		return false
	}
	token, action, _ := strings.Cut(rest, "/")
	return len(token) == delivery.TokenChars && (action == "code" || action == "confirm")
}

func (s *Server) unlockCookieName() string { return "lvxin_link" }

func (s *Server) unlockCookie(r *http.Request) string {
	if c, err := r.Cookie(s.unlockCookieName()); err == nil {
		return c.Value
	}
	return ""
}

type linkView struct {
	Link  *delivery.Link
	Token string
	Name  string // the name typed into the confirmation form
	Done  string // "confirmed" right after confirming
}

// linkFail answers a refused link: 404 for an unknown or altered token,
// 410 for an expired or revoked link, 429 while codes are refused.
func (s *Server) linkFail(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case errors.Is(err, delivery.ErrBadToken):
		s.renderError(w, r, http.StatusNotFound, "链接无效：请核对链接是否完整，或联系发送文件的律师。")
	case errors.Is(err, delivery.ErrExpired), errors.Is(err, delivery.ErrRevoked):
		s.renderError(w, r, http.StatusGone, err.Error())
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) renderLink(w http.ResponseWriter, r *http.Request, status int, msg string, view linkView) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.render(w, r, status, "delivery_public", page{Title: "文件下载", Error: msg, CSRF: s.preToken(w, r), Data: view})
}

func (s *Server) linkPage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	link, err := s.cfg.Delivery.Open(r.Context(), token, clientOf(r), s.unlockCookie(r))
	if err != nil {
		s.linkFail(w, r, err)
		return
	}
	s.renderLink(w, r, http.StatusOK, "", linkView{Link: link, Token: token, Done: r.URL.Query().Get("done")})
}

func (s *Server) linkCode(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	unlock, err := s.cfg.Delivery.CheckCode(r.Context(), token, r.PostFormValue("code"), clientOf(r))
	if errors.Is(err, delivery.ErrBadCode) || errors.Is(err, delivery.ErrCodeLocked) {
		status := http.StatusBadRequest
		if errors.Is(err, delivery.ErrCodeLocked) {
			status = http.StatusTooManyRequests
		}
		link, lerr := s.cfg.Delivery.Open(r.Context(), token, clientOf(r), "")
		if lerr != nil {
			s.linkFail(w, r, lerr)
			return
		}
		s.renderLink(w, r, status, err.Error(), linkView{Link: link, Token: token})
		return
	}
	if err != nil {
		s.linkFail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: s.unlockCookieName(), Value: unlock, Path: deliveryPathPrefix + token,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, deliveryPathPrefix+token, http.StatusSeeOther)
}

func (s *Server) linkFile(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	link, rc, err := s.cfg.Delivery.Download(r.Context(), token, clientOf(r), s.unlockCookie(r))
	if errors.Is(err, delivery.ErrCodeNeeded) {
		http.Redirect(w, r, deliveryPathPrefix+token, http.StatusSeeOther)
		return
	}
	if err != nil {
		s.linkFail(w, r, err)
		return
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", attachment(link.Document.FileName))
	h.Set("Content-Length", strconv.FormatInt(link.Delivery.FileSize, 10))
	if _, err := io.Copy(w, rc); err != nil {
		s.cfg.Logger.Error("delivery download", "delivery", link.Delivery.ID, "err", err)
	}
}

func (s *Server) linkConfirm(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	name := r.PostFormValue("name")
	_, err := s.cfg.Delivery.Confirm(r.Context(), token, name, clientOf(r), s.unlockCookie(r))
	switch {
	case errors.Is(err, delivery.ErrCodeNeeded):
		http.Redirect(w, r, deliveryPathPrefix+token, http.StatusSeeOther)
	case errors.Is(err, model.ErrInvalidInput):
		link, lerr := s.cfg.Delivery.Open(r.Context(), token, clientOf(r), s.unlockCookie(r))
		if lerr != nil {
			s.linkFail(w, r, lerr)
			return
		}
		s.renderLink(w, r, http.StatusBadRequest, err.Error(), linkView{Link: link, Token: token, Name: name})
	case err != nil:
		s.linkFail(w, r, err)
	default:
		http.Redirect(w, r, deliveryPathPrefix+token+"?done=confirmed", http.StatusSeeOther)
	}
}
