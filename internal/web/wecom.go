package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/wecom"
)

// WeCom: the public callback endpoint (signature, timestamp window, nonce
// replay, DOCTYPE refusal, durable queue before the 200) and the admin's
// settings page (/admin/wecom).

// callbackLimit caps a WeCom callback body (a few KiB in practice).
const callbackLimit int64 = 64 << 10

// machineRoutes are posted by machines with their own authentication
// (WeCom's signature), not by a browser session: no CSRF token.
var machineRoutes = map[string]bool{"/wecom/callback": true}

func init() {
	flashMessages["wecom-saved"] = "已保存企业微信设置。Secret、Token 与 EncodingAESKey 已加密保存，不会再次显示。"
	flashMessages["wecom-test-ok"] = "连接成功：已从企业微信接口取得 access_token。"
	flashMessages["wecom-member"] = "已更新成员的企业微信账号。"
}

func callbackQuery(r *http.Request) wecom.Query {
	q := r.URL.Query()
	return wecom.Query{MsgSignature: q.Get("msg_signature"), Timestamp: q.Get("timestamp"), Nonce: q.Get("nonce")}
}

// refuseCallback logs a refused callback and answers without detail.
func (s *Server) refuseCallback(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusForbidden
	switch {
	case errors.Is(err, wecom.ErrNotConfigured):
		status = http.StatusServiceUnavailable
	case errors.Is(err, wecom.ErrBadBody), errors.Is(err, wecom.ErrDoctype), errors.Is(err, wecom.ErrBadTimestamp):
		status = http.StatusBadRequest
	case !isCallbackRefusal(err):
		status = http.StatusInternalServerError
	}
	s.cfg.Logger.Warn("wecom callback refused", "method", r.Method, "ip", clientOf(r).IP, "status", status, "reason", err.Error())
	http.Error(w, http.StatusText(status), status)
}

func isCallbackRefusal(err error) bool {
	for _, e := range []error{wecom.ErrBadSignature, wecom.ErrStaleTimestamp, wecom.ErrReplay, wecom.ErrBadCiphertext,
		wecom.ErrBadPadding, wecom.ErrBadLength, wecom.ErrReceiveID} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// wecomVerify answers WeCom's URL verification with the decrypted echostr,
// byte for byte (no quotes, BOM or newline).
func (s *Server) wecomVerify(w http.ResponseWriter, r *http.Request) {
	if s.cfg.WeCom == nil {
		s.notFound(w, r)
		return
	}
	plain, err := s.cfg.WeCom.VerifyURL(r.Context(), callbackQuery(r), r.URL.Query().Get("echostr"))
	if err != nil {
		s.refuseCallback(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(plain)))
	_, _ = w.Write(plain)
}

// wecomCallback queues a callback durably and then answers 200 "success";
// the processor handles it afterwards.
func (s *Server) wecomCallback(w http.ResponseWriter, r *http.Request) {
	if s.cfg.WeCom == nil {
		s.notFound(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, http.StatusText(http.StatusBadRequest), http.StatusBadRequest)
		return
	}
	rec, err := s.cfg.WeCom.Receive(r.Context(), callbackQuery(r), body)
	if err != nil {
		s.refuseCallback(w, r, err)
		return
	}
	if rec.Duplicate {
		s.cfg.Logger.Info("wecom callback retried", "key", rec.Key, "kind", rec.Kind)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "success")
}

type wecomView struct {
	Settings    wecom.SettingsView
	Form        wecom.SettingsInput
	Errs        fieldErrors
	CallbackURL string
	Members     []store.WeComMember
	Sync        *wecom.SyncReport
	Transfer    *wecom.TransferReport
	Status      *wecom.TransferStatusReport
	Handover    handoverForm // what the handover form holds after a submit
	Pending     int
}

// handoverForm is the handover form (转移客户 and 查询接替状态 share it).
type handoverForm struct {
	From, To int64
	Resigned bool
	Message  string
}

// parseHandover reads the handover form; ok is false when either member
// is missing.
func parseHandover(r *http.Request) (f handoverForm, ok bool) {
	from, err1 := strconv.ParseInt(r.PostFormValue("from"), 10, 64)
	to, err2 := strconv.ParseInt(r.PostFormValue("to"), 10, 64)
	f = handoverForm{From: from, To: to, Resigned: r.PostFormValue("resigned") == "on",
		Message: strings.TrimSpace(r.PostFormValue("message"))}
	return f, err1 == nil && err2 == nil
}

func (s *Server) wecomPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderWeCom(w, r, p, http.StatusOK, "", wecomView{})
}

func (s *Server) renderWeCom(w http.ResponseWriter, r *http.Request, p *auth.Principal, status int, msg string, v wecomView) {
	if s.cfg.WeCom == nil {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	view, err := s.cfg.WeCom.View(ctx)
	if err != nil {
		// Settings sealed with another key: show the form empty with the reason.
		msg = strings.TrimSpace(msg + " " + err.Error())
	}
	v.Settings = view
	if v.Form.CorpID == "" && v.Errs == nil {
		v.Form = wecom.SettingsInput{CorpID: view.CorpID, BaseURL: view.BaseURL}
		if view.AgentID != 0 {
			v.Form.AgentID = strconv.FormatInt(view.AgentID, 10)
		}
	}
	// Secrets are never sent back, not even after a refused save.
	v.Form.Secret, v.Form.Token, v.Form.EncodingAESKey = "", "", ""
	scheme := "https"
	if r.TLS == nil && !s.cfg.SecureCookies {
		scheme = "http"
	}
	v.CallbackURL = scheme + "://" + r.Host + "/wecom/callback"
	if v.Members, err = s.cfg.WeCom.Members(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	pending, err := s.cfg.DB.FindWeComEvents(ctx, store.WeComEventFilter{Pending: true, Limit: 1000})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Pending = len(pending)
	s.render(w, r, status, "wecom", page{Title: "企业微信", Active: "/admin/wecom", Error: msg, Data: v})
}

func (s *Server) wecomSave(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if s.cfg.WeCom == nil {
		s.notFound(w, r)
		return
	}
	form := wecom.SettingsInput{CorpID: r.PostFormValue("corp_id"), AgentID: r.PostFormValue("agent_id"),
		Secret: r.PostFormValue("secret"), Token: r.PostFormValue("token"), EncodingAESKey: r.PostFormValue("aes_key"),
		BaseURL: r.PostFormValue("base_url")}
	if _, err := s.cfg.WeCom.SaveSettings(r.Context(), p.Actor(), form, clientOf(r).IP); err != nil {
		var fe *wecom.FieldError
		if errors.As(err, &fe) {
			s.renderWeCom(w, r, p, http.StatusUnprocessableEntity, "设置未保存："+fe.Msg, wecomView{Form: form, Errs: fieldErrors{fe.Field: fe.Msg}})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/wecom?done=wecom-saved", http.StatusSeeOther)
}

func (s *Server) wecomTest(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if s.cfg.WeCom == nil {
		s.notFound(w, r)
		return
	}
	if err := s.cfg.WeCom.TestConnection(r.Context(), p.Actor(), clientOf(r).IP); err != nil {
		if auth.IsAudited(err) {
			s.fail(w, r, err)
			return
		}
		s.renderWeCom(w, r, p, http.StatusOK, "连接失败："+err.Error(), wecomView{})
		return
	}
	http.Redirect(w, r, "/admin/wecom?done=wecom-test-ok", http.StatusSeeOther)
}

func (s *Server) wecomMember(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if s.cfg.WeCom == nil {
		s.notFound(w, r)
		return
	}
	id, err := strconv.ParseInt(r.PostFormValue("user_id"), 10, 64)
	if err != nil {
		s.renderWeCom(w, r, p, http.StatusUnprocessableEntity, "请选择成员", wecomView{})
		return
	}
	if err := s.cfg.WeCom.SetMemberWeComID(r.Context(), p.Actor(), id, r.PostFormValue("wecom_userid"), clientOf(r).IP); err != nil {
		var fe *wecom.FieldError
		if errors.As(err, &fe) {
			s.renderWeCom(w, r, p, http.StatusUnprocessableEntity, fe.Msg, wecomView{})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/wecom?done=wecom-member", http.StatusSeeOther)
}

func (s *Server) wecomSync(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if s.cfg.WeCom == nil {
		s.notFound(w, r)
		return
	}
	rep, err := s.cfg.WeCom.SyncAll(r.Context(), p.Actor(), clientOf(r).IP)
	if err != nil {
		if auth.IsAudited(err) {
			s.fail(w, r, err)
			return
		}
		s.renderWeCom(w, r, p, http.StatusOK, "同步未完成："+err.Error(), wecomView{Sync: &rep})
		return
	}
	s.renderWeCom(w, r, p, http.StatusOK, "", wecomView{Sync: &rep})
}

func (s *Server) wecomTransfer(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if s.cfg.WeCom == nil {
		s.notFound(w, r)
		return
	}
	f, ok := parseHandover(r)
	if !ok {
		s.renderWeCom(w, r, p, http.StatusUnprocessableEntity, "请选择交接人与接替人", wecomView{Handover: f})
		return
	}
	req := wecom.TransferRequest{FromUserID: f.From, ToUserID: f.To, Resigned: f.Resigned, Message: f.Message}
	rep, err := s.cfg.WeCom.Transfer(r.Context(), p.Actor(), req, clientOf(r).IP)
	if err != nil {
		if auth.IsAudited(err) {
			s.fail(w, r, err)
			return
		}
		v := wecomView{Handover: f}
		if len(rep.Customers)+len(rep.Failed)+len(rep.Matters) > 0 {
			v.Transfer = &rep // what was done before the error
		}
		s.renderWeCom(w, r, p, http.StatusUnprocessableEntity, fmt.Sprintf("客户继承未完成：%v", err), v)
		return
	}
	s.renderWeCom(w, r, p, http.StatusOK, "", wecomView{Transfer: &rep, Handover: f})
}

// wecomTransferStatus asks WeCom where the customers of a handover stand
// (a transfer's acceptance only starts it; the customer may refuse).
func (s *Server) wecomTransferStatus(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if s.cfg.WeCom == nil {
		s.notFound(w, r)
		return
	}
	f, ok := parseHandover(r)
	if !ok {
		s.renderWeCom(w, r, p, http.StatusUnprocessableEntity, "请选择交接人与接替人", wecomView{Handover: f})
		return
	}
	req := wecom.TransferStatusRequest{FromUserID: f.From, ToUserID: f.To, Resigned: f.Resigned}
	rep, err := s.cfg.WeCom.TransferStatus(r.Context(), p.Actor(), req, clientOf(r).IP)
	if err != nil {
		if auth.IsAudited(err) {
			s.fail(w, r, err)
			return
		}
		s.renderWeCom(w, r, p, http.StatusUnprocessableEntity, fmt.Sprintf("查询接替状态失败：%v", err), wecomView{Handover: f})
		return
	}
	s.renderWeCom(w, r, p, http.StatusOK, "", wecomView{Status: &rep, Handover: f})
}
