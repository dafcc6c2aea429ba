// Package web is lvxin's HTTP interface: server-rendered pages in
// Simplified Chinese (html/template, embedded), one file per page group,
// the session and CSRF middleware, /healthz and /metrics. Handlers are thin:
// they parse the request, call the package that owns the workflow, and
// render. Errors map to HTTP status codes in one place (errors.go).
package web
