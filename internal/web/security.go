package web

import (
	"bytes"
	"image/png"
	"net/http"
	"strconv"
	"strings"

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
	// RecoveryCodesLeft counts the owner's unused recovery codes.
	RecoveryCodesLeft int
	// Incidents are the owner's emergency freezes and drills (admin user page).
	Incidents []*model.FreezeIncident
}

func (s *Server) securityPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	sessions, err := s.cfg.Auth.Sessions(r.Context(), p, p.User.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	left, err := s.cfg.DB.UnusedRecoveryCodes(r.Context(), p.User.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "security", page{Title: "安全与设备", Active: "/security",
		Data: sessionsView{Owner: p.User, Sessions: sessions, Current: p.Session.ID, IsSelf: true, RecoveryCodesLeft: left}})
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

// The QR image of the pending TOTP secret is a route of its own (the CSP and
// html/template both refuse data: URLs in img src): it only shows the
// pending secret and never creates one, so the page and its image always
// agree.
type totpView struct {
	Enabled       bool
	Required      bool
	Secret        string
	QRCode        string // path of the QR image of the pending secret
	RecoveryCodes []string
}

// pendingTOTPView describes the pending secret: the same on every visit
// until it is confirmed.
func (s *Server) pendingTOTPView(r *http.Request, p *auth.Principal, otpURL string) (totpView, error) {
	key, err := otp.NewKeyFromURL(otpURL)
	if err != nil {
		return totpView{}, err
	}
	return totpView{Required: s.cfg.Auth.AdminNeedsTOTP(r.Context(), p), Secret: key.Secret(), QRCode: "/security/totp/qr.png"}, nil
}

func (s *Server) totpSetupPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if p.User.TOTPEnabled {
		s.render(w, r, http.StatusOK, "totp_setup", page{Title: "动态验证码", Active: "/security", Data: totpView{Enabled: true}})
		return
	}
	otpURL, err := s.cfg.Auth.BeginTOTP(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view, err := s.pendingTOTPView(r, p, otpURL)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "totp_setup", page{Title: "动态验证码", Active: "/security", Data: view})
}

// totpQR serves the QR code of the pending secret as a PNG; 404 when no
// enrolment is under way.
func (s *Server) totpQR(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	otpURL, err := s.cfg.Auth.PendingTOTP(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	qr, err := qrcode.New(otpURL, qrcode.Medium)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Whole pixels per module: an image scaled to a fixed size gives modules
	// of unequal width, which some scanners (and decoders) misread.
	var buf bytes.Buffer
	if err := png.Encode(&buf, qr.Image(-6)); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(buf.Bytes())
}

func (s *Server) totpSetupSubmit(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	codes, err := s.cfg.Auth.EnableTOTP(r.Context(), p, strings.TrimSpace(r.PostFormValue("code")), clientOf(r))
	if err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			s.fail(w, r, err)
			return
		}
		// The same secret and QR code again: the user only retypes the code.
		otpURL, perr := s.cfg.Auth.PendingTOTP(r.Context(), p)
		if perr != nil {
			s.fail(w, r, err)
			return
		}
		view, perr := s.pendingTOTPView(r, p, otpURL)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		s.render(w, r, http.StatusBadRequest, "totp_setup", page{Title: "动态验证码", Active: "/security",
			Error: err.Error() + "。二维码和密钥没有变化：请核对手机时间，输入 App 中当前显示的 6 位数字。", Data: view})
		return
	}
	// The recovery codes are shown this once; only their hashes are kept.
	s.render(w, r, http.StatusOK, "totp_setup", page{Title: "动态验证码", Active: "/security", Flash: "动态验证码已启用。",
		Data: totpView{Enabled: true, RecoveryCodes: codes}})
}

// regenerateRecoveryCodes replaces the recovery codes (a current TOTP code
// required) and shows the new ones once.
func (s *Server) regenerateRecoveryCodes(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	codes, err := s.cfg.Auth.RegenerateRecoveryCodes(r.Context(), p, strings.TrimSpace(r.PostFormValue("code")), clientOf(r))
	if err != nil {
		if statusOf(err) != http.StatusBadRequest {
			s.fail(w, r, err)
			return
		}
		sessions, serr := s.cfg.Auth.Sessions(r.Context(), p, p.User.ID)
		if serr != nil {
			s.fail(w, r, serr)
			return
		}
		left, serr := s.cfg.DB.UnusedRecoveryCodes(r.Context(), p.User.ID)
		if serr != nil {
			s.fail(w, r, serr)
			return
		}
		s.render(w, r, http.StatusBadRequest, "security", page{Title: "安全与设备", Active: "/security", Error: err.Error() + "。恢复码没有更换。",
			Data: sessionsView{Owner: p.User, Sessions: sessions, Current: p.Session.ID, IsSelf: true, RecoveryCodesLeft: left}})
		return
	}
	s.render(w, r, http.StatusOK, "totp_setup", page{Title: "动态验证码", Active: "/security", Flash: "已重新生成恢复码，旧恢复码已作废。",
		Data: totpView{Enabled: true, RecoveryCodes: codes}})
}
