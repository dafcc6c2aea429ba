package web

import (
	"errors"
	"net/http"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// statusOf maps an error to an HTTP status: the one place where domain
// errors meet HTTP.
func statusOf(err error) int {
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, blob.ErrNotFound), errors.Is(err, auth.ErrHidden):
		return http.StatusNotFound
	case errors.Is(err, auth.ErrForbidden), errors.Is(err, auth.ErrFrozen):
		return http.StatusForbidden
	case errors.Is(err, auth.ErrNoSession):
		return http.StatusUnauthorized
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, model.ErrInvalidInput), errors.Is(err, auth.ErrWeakPassword), errors.Is(err, auth.ErrBadTOTP),
		errors.Is(err, auth.ErrBadCredentials), errors.Is(err, auth.ErrBadSetupToken), errors.Is(err, auth.ErrSetupDone),
		errors.Is(err, auth.ErrBadRecoveryCode):
		return http.StatusBadRequest
	case errors.Is(err, auth.ErrLocked), errors.Is(err, auth.ErrThrottled):
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// userMessage is what the user reads: the error itself for known errors
// (their texts are Chinese), a generic line for internal ones, which are
// logged instead of shown.
func userMessage(err error, status int) string {
	switch status {
	case http.StatusInternalServerError:
		return "服务器内部错误，请稍后重试；如持续出现请联系管理员。"
	case http.StatusNotFound:
		return "页面或记录不存在。"
	case http.StatusForbidden:
		if errors.Is(err, auth.ErrForbidden) {
			return err.Error() // Chinese, and says what was refused
		}
		return "没有权限访问此页面。"
	}
	return err.Error()
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		s.cfg.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if errors.Is(err, auth.ErrForbidden) && !auth.IsAudited(err) {
		s.auditRefusal(r, err)
	}
	s.renderError(w, r, status, userMessage(err, status))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "页面不存在。")
}

// auditRefusal records a refused request that its workflow did not audit
// itself (role checks, refused edits): every refusal leaves a row.
func (s *Server) auditRefusal(r *http.Request, err error) {
	ev := &model.AuditEvent{Action: "access.denied", Target: r.Method + " " + r.URL.Path,
		Detail: "已拒绝：" + err.Error(), IP: clientOf(r).IP}
	if p := principal(r); p != nil && p.User != nil {
		ev.ActorID, ev.Actor = p.User.ID, p.User.Username
	}
	if aerr := s.cfg.DB.Audit(r.Context(), ev); aerr != nil {
		s.cfg.Logger.Error("audit of a refusal failed", "path", r.URL.Path, "err", aerr)
	}
}
