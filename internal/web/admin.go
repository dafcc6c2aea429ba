package web

import (
	"net/http"
	"strconv"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

func init() {
	flashMessages["totp-reset"] = "已重置动态验证码：恢复码已作废，该用户所有设备已下线，下次登录后可重新设置。"
}

type usersView struct {
	Users            []*model.User
	Form             auth.NewUser
	RequireAdminTOTP bool
	Archive          archive.Settings
	PublicURL        string // the firm setting (or the refused value as typed)
	PublicURLFlag    string // serve --public-url, which wins over the setting
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderUsers(w, r, p, http.StatusOK, "", auth.NewUser{Role: model.RoleLawyer})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, p *auth.Principal, status int, msg string, form auth.NewUser) {
	if !access.IsAdmin(p.Actor()) {
		s.fail(w, r, auth.ErrForbidden)
		return
	}
	users, err := s.cfg.DB.FindUsers(r.Context(), store.UserFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, _ := s.cfg.DB.Setting(r.Context(), auth.SettingRequireAdminTOTP)
	arch, err := s.chats().LoadSettings(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	public, err := s.cfg.Schedule.PublicURL(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if status == http.StatusBadRequest && r.Method == http.MethodPost {
		public = r.PostFormValue("public_url") // the refused value, as typed
	}
	form.Password = ""
	s.render(w, r, status, "users", page{Title: "用户管理", Active: "/security", Error: msg,
		Data: usersView{Users: users, Form: form, RequireAdminTOTP: v == "true", Archive: arch,
			PublicURL: public, PublicURLFlag: s.cfg.PublicURL}})
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	form := auth.NewUser{Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name"),
		Role: model.Role(r.PostFormValue("role")), Password: r.PostFormValue("password")}
	if _, err := s.cfg.Auth.CreateUser(r.Context(), p, form, clientOf(r)); err != nil {
		status := statusOf(err)
		if status == http.StatusInternalServerError || status == http.StatusForbidden {
			s.fail(w, r, err)
			return
		}
		s.renderUsers(w, r, p, status, err.Error(), form)
		return
	}
	http.Redirect(w, r, "/admin/users?done=user-added", http.StatusSeeOther)
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if !access.IsAdmin(p.Actor()) {
		s.fail(w, r, auth.ErrForbidden)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	u, err := s.cfg.DB.UserByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sessions, err := s.cfg.Auth.Sessions(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	left, err := s.cfg.DB.UnusedRecoveryCodes(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "user", page{Title: "用户：" + u.DisplayName, Active: "/security",
		Data: sessionsView{Owner: u, Sessions: sessions, Current: p.Session.ID, IsSelf: u.ID == p.User.ID, RecoveryCodesLeft: left,
			Incidents: s.userIncidents(r, p, id)}})
}

func (s *Server) revokeAllOfUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	if _, err := s.cfg.Auth.RevokeAll(r.Context(), p, id, clientOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	if id == p.User.ID {
		s.setCookie(w, s.sessionCookieName(), "", -1)
		http.Redirect(w, r, "/login?done=revoked-all", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=revoked-all", http.StatusSeeOther)
}

// resetTOTPOfUser is the admin's answer to a lost phone without recovery
// codes: TOTP off, codes void, every device signed out (audited).
func (s *Server) resetTOTPOfUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	if _, err := s.cfg.Auth.ResetTOTP(r.Context(), p, id, clientOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	if id == p.User.ID {
		s.setCookie(w, s.sessionCookieName(), "", -1)
		http.Redirect(w, r, "/login?done=totp-reset", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=totp-reset", http.StatusSeeOther)
}

func (s *Server) saveSettings(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := s.cfg.Schedule.SetPublicURL(r.Context(), p, r.PostFormValue("public_url")); err != nil {
		if statusOf(err) == http.StatusBadRequest {
			s.renderUsers(w, r, p, http.StatusBadRequest, err.Error(), auth.NewUser{Role: model.RoleLawyer})
			return
		}
		s.fail(w, r, err)
		return
	}
	if err := s.chats().SaveSettings(r.Context(), p, r.PostFormValue("archive_recipients"), r.PostFormValue("retention_months")); err != nil {
		if statusOf(err) == http.StatusBadRequest {
			s.renderUsers(w, r, p, http.StatusBadRequest, err.Error(), auth.NewUser{Role: model.RoleLawyer})
			return
		}
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Auth.SetRequireAdminTOTP(r.Context(), p, r.PostFormValue("require_admin_totp") == "on", clientOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/users?done=saved", http.StatusSeeOther)
}
