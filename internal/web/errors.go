package web

import (
	"errors"
	"net/http"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/blob"
	"github.com/lvxin/lvxin/internal/store"
)

// statusOf maps an error to an HTTP status: the one place where domain
// errors meet HTTP.
func statusOf(err error) int {
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, blob.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, auth.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, auth.ErrNoSession):
		return http.StatusUnauthorized
	case errors.Is(err, store.ErrInvalidText):
		return http.StatusBadRequest
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, auth.ErrInvalidInput), errors.Is(err, auth.ErrWeakPassword), errors.Is(err, auth.ErrBadTOTP),
		errors.Is(err, auth.ErrBadCredentials), errors.Is(err, auth.ErrBadSetupToken), errors.Is(err, auth.ErrSetupDone):
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
		return "没有权限访问此页面。"
	}
	return err.Error()
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		s.cfg.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	s.renderError(w, r, status, userMessage(err, status))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "页面不存在。")
}
