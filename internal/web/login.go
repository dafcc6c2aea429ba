package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/lvxin/lvxin/internal/auth"
)

type loginForm struct {
	Username string
	Next     string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if need, _ := s.cfg.Auth.NeedsSetup(r.Context()); need {
		s.render(w, r, http.StatusOK, "login", page{Title: "登录", CSRF: s.preToken(w, r),
			Error: "系统尚未初始化：请使用启动 lvxin serve 时终端中显示的初始化链接创建管理员。", Data: loginForm{}})
		return
	}
	s.render(w, r, http.StatusOK, "login", page{Title: "登录", CSRF: s.preToken(w, r),
		Data: loginForm{Next: safeNext(r.URL.Query().Get("next"))}})
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	form := loginForm{Username: r.PostFormValue("username"), Next: safeNext(r.PostFormValue("next"))}
	res, err := s.cfg.Auth.Login(r.Context(), form.Username, r.PostFormValue("password"), clientOf(r))
	if err != nil {
		status := statusOf(err)
		if status == http.StatusInternalServerError {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, status, "login", page{Title: "登录", CSRF: s.preToken(w, r), Error: err.Error(), Data: form})
		return
	}
	s.setCookie(w, s.sessionCookieName(), res.Token, 0)
	if res.NeedTOTP {
		http.Redirect(w, r, "/login/totp?next="+url.QueryEscape(form.Next), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, form.Next, http.StatusSeeOther)
}

func (s *Server) totpLoginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login_totp", page{Title: "动态验证码", CSRF: s.preToken(w, r),
		Data: loginForm{Next: safeNext(r.URL.Query().Get("next"))}})
}

func (s *Server) totpLoginSubmit(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.PostFormValue("next"))
	c, err := r.Cookie(s.sessionCookieName())
	if err != nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	// A recovery code (lost phone) is typed in a form of its own.
	var token string
	if code := r.PostFormValue("recovery_code"); code != "" {
		token, err = s.cfg.Auth.CompleteRecovery(r.Context(), c.Value, code, clientOf(r))
	} else {
		token, err = s.cfg.Auth.CompleteTOTP(r.Context(), c.Value, strings.TrimSpace(r.PostFormValue("code")), clientOf(r))
	}
	if errors.Is(err, auth.ErrNoSession) {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if err != nil {
		status := statusOf(err)
		if status == http.StatusInternalServerError {
			s.fail(w, r, err)
			return
		}
		form, title := "login_totp", "动态验证码"
		if errors.Is(err, auth.ErrLocked) {
			// The waiting session has ended: back to the password form.
			s.setCookie(w, s.sessionCookieName(), "", -1)
			form, title = "login", "登录"
		}
		s.render(w, r, status, form, page{Title: title, CSRF: s.preToken(w, r), Error: err.Error(), Data: loginForm{Next: next}})
		return
	}
	s.setCookie(w, s.sessionCookieName(), token, 0)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := s.cfg.Auth.Logout(r.Context(), p, clientOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, s.sessionCookieName(), "", -1)
	http.Redirect(w, r, "/login?done=logout", http.StatusSeeOther)
}

type setupForm struct {
	Token, Username, DisplayName string
}

func (s *Server) setupPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	if need, _ := s.cfg.Auth.NeedsSetup(r.Context()); !need {
		s.renderError(w, r, http.StatusGone, auth.ErrSetupDone.Error())
		return
	}
	if !s.cfg.Auth.SetupTokenValid(r.Context(), token) {
		s.renderError(w, r, http.StatusForbidden, auth.ErrBadSetupToken.Error()+"。请查看 lvxin serve 启动时终端中显示的链接，或运行 lvxin user add --role admin。")
		return
	}
	s.render(w, r, http.StatusOK, "setup", page{Title: "初始化", CSRF: s.preToken(w, r), Data: setupForm{Token: token}})
}

func (s *Server) setupSubmit(w http.ResponseWriter, r *http.Request) {
	form := setupForm{Token: r.PostFormValue("token"), Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name")}
	if r.PostFormValue("password") != r.PostFormValue("password2") {
		s.render(w, r, http.StatusBadRequest, "setup", page{Title: "初始化", CSRF: s.preToken(w, r), Error: "两次输入的密码不一致。", Data: form})
		return
	}
	_, err := s.cfg.Auth.CompleteSetup(r.Context(), form.Token, auth.NewUser{Username: form.Username,
		DisplayName: form.DisplayName, Password: r.PostFormValue("password")}, clientOf(r))
	if err != nil {
		status := statusOf(err)
		if status == http.StatusInternalServerError {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, status, "setup", page{Title: "初始化", CSRF: s.preToken(w, r), Error: err.Error(), Data: form})
		return
	}
	http.Redirect(w, r, "/login?done=setup", http.StatusSeeOther)
}
