package web

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"net/http"
	"strconv"

	"github.com/pquerna/otp"
	"github.com/skip2/go-qrcode"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
)

type sessionsView struct {
	Owner    *model.User
	Sessions []*model.Session
	Current  int64
	IsSelf   bool
}

func (s *Server) securityPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	sessions, err := s.cfg.Auth.Sessions(r.Context(), p, p.User.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "security", page{Title: "安全与设备", Active: "/security",
		Data: sessionsView{Owner: p.User, Sessions: sessions, Current: p.Session.ID, IsSelf: true}})
}

func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	if err := s.cfg.Auth.RevokeSession(r.Context(), p, id, clientOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	back := r.PostFormValue("back")
	if back == "" {
		back = "/security"
	}
	http.Redirect(w, r, safeNext(back)+"?done=revoked", http.StatusSeeOther)
}

// revokeAllMine is 全部下线: every session of mine ends, this one included.
func (s *Server) revokeAllMine(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if _, err := s.cfg.Auth.RevokeAll(r.Context(), p, p.User.ID, clientOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, s.sessionCookieName(), "", -1)
	http.Redirect(w, r, "/login?done=revoked-all", http.StatusSeeOther)
}

type totpView struct {
	Enabled  bool
	Required bool
	Secret   string
	QRCode   string // data: URL of a PNG
}

func (s *Server) totpSetupPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	view := totpView{Enabled: p.User.TOTPEnabled, Required: r.URL.Query().Get("required") == "1"}
	if !view.Enabled {
		url, err := s.cfg.Auth.BeginTOTP(r.Context(), p)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		key, err := otp.NewKeyFromURL(url)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		view.Secret = key.Secret()
		qr, err := qrcode.New(url, qrcode.Medium)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, qr.Image(220)); err != nil {
			s.fail(w, r, err)
			return
		}
		view.QRCode = "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
	}
	s.render(w, r, http.StatusOK, "totp_setup", page{Title: "动态验证码", Active: "/security", Data: view})
}

func (s *Server) totpSetupSubmit(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := s.cfg.Auth.EnableTOTP(r.Context(), p, r.PostFormValue("code"), clientOf(r)); err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusBadRequest, "totp_setup", page{Title: "动态验证码", Active: "/security",
			Error: err.Error() + "。请重新扫描下方二维码后再输入。", Data: totpView{}})
		return
	}
	http.Redirect(w, r, "/security?done=totp-on", http.StatusSeeOther)
}
