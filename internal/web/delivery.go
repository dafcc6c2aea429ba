package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/delivery"
	"github.com/lvxin/lvxin/internal/evidence"
	"github.com/lvxin/lvxin/internal/model"
)

// The lawyer's side of secure document delivery: documents and NDAs are
// uploaded from the matter page, sent from a form with the matter filled
// in, and each link has a record page (events, revoke, proof of service).

// uploadDocument stores a document for the matter.
func (s *Server) uploadDocument(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		s.renderMatter(w, r, p, id, http.StatusBadRequest, "请选择要上传的文件。")
		return
	}
	fh := r.MultipartForm.File["file"][0]
	f, err := fh.Open()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer f.Close()
	_, err = s.cfg.Delivery.Upload(r.Context(), p, clientOf(r), delivery.DocumentInput{MatterID: id, Title: r.FormValue("title"),
		FileName: fh.Filename, Classification: model.DocumentClass(r.FormValue("classification"))}, f)
	if err != nil {
		s.matterFormError(w, r, p, id, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/matters/%d?done=saved#matter-documents", id), http.StatusSeeOther)
}

// recordNDA records a signed NDA for the matter.
func (s *Server) recordNDA(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	in := delivery.NDAInput{MatterID: id, Recipient: r.FormValue("recipient"), SignedOn: r.FormValue("signed_on")}
	var body io.Reader = bytes.NewReader(nil)
	if r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0 {
		fh := r.MultipartForm.File["file"][0]
		f, err := fh.Open()
		if err != nil {
			s.fail(w, r, err)
			return
		}
		defer f.Close()
		in.FileName, body = fh.Filename, f
	}
	if _, err := s.cfg.Delivery.RecordNDA(r.Context(), p, clientOf(r), in, body); err != nil {
		s.matterFormError(w, r, p, id, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/matters/%d?done=saved#matter-documents", id), http.StatusSeeOther)
}

type sendView struct {
	Matter    *model.Matter
	Documents []*model.Document
	NDAs      []*model.NDA
	Clients   []string // the matter's client parties, offered as recipients
	Form      sendForm
	Errs      fieldErrors
}

// sendForm is the send form as typed.
type sendForm struct {
	DocumentID int64
	Recipient  string
	ValidDays  int
	AccessCode bool
	Watermark  bool
}

func (s *Server) sendPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	doc, _ := strconv.ParseInt(r.URL.Query().Get("document"), 10, 64)
	s.renderSend(w, r, p, id, http.StatusOK, "", sendForm{DocumentID: doc, ValidDays: delivery.DefaultValidDays, AccessCode: true})
}

func (s *Server) renderSend(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64, status int, msg string, form sendForm) {
	m, err := s.book().Matter(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mv, err := s.cfg.Delivery.ForMatter(r.Context(), p, clientOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := sendView{Matter: m, Documents: mv.Documents, NDAs: mv.NDAs, Form: form, Errs: fieldErrors{}}
	for _, pt := range m.Parties {
		if pt.Role == model.PartyClient {
			view.Clients = append(view.Clients, pt.Name)
		}
	}
	if msg != "" {
		field := "recipient"
		if form.DocumentID == 0 {
			field = "document"
		}
		view.Errs[field] = strings.TrimPrefix(msg, model.ErrInvalidInput.Error()+"：")
	}
	s.render(w, r, status, "delivery_send", page{Title: "发送文件", Active: "/matters", Error: msg, Data: view})
}

func (s *Server) sendSubmit(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	f := r.PostFormValue
	form := sendForm{Recipient: f("recipient"), AccessCode: f("access_code") == "1", Watermark: f("watermark") == "1"}
	form.DocumentID, _ = strconv.ParseInt(f("document_id"), 10, 64)
	days, err := strconv.Atoi(f("valid_days"))
	if err != nil {
		days = -1 // refused with the field named
	}
	form.ValidDays = days
	sent, err := s.cfg.Delivery.Send(r.Context(), p, clientOf(r), delivery.SendInput{MatterID: id, DocumentID: form.DocumentID,
		Recipient: form.Recipient, ValidDays: days, AccessCode: form.AccessCode, Watermark: form.Watermark})
	if err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			s.renderSend(w, r, p, id, http.StatusBadRequest, err.Error(), form)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.renderDelivery(w, r, p, sent.Delivery.ID, http.StatusOK, sent)
}

type deliveryView struct {
	Delivery *model.Delivery
	Document *model.Document
	Events   []*model.DeliveryEvent
	// URL and Code are shown once, right after sending.
	URL, Code string
	Live      bool
}

func (s *Server) deliveryPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	s.renderDelivery(w, r, p, id, http.StatusOK, nil)
}

func (s *Server) renderDelivery(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64, status int, sent *delivery.Sent) {
	d, events, err := s.cfg.Delivery.Delivery(r.Context(), p, clientOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	doc, err := s.cfg.Delivery.Document(r.Context(), p, clientOf(r), d.DocumentID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := deliveryView{Delivery: d, Document: doc, Events: events, Live: d.Live(s.cfg.Now())}
	flash := ""
	if sent != nil {
		scheme := "http"
		if s.cfg.SecureCookies || r.TLS != nil {
			scheme = "https"
		}
		view.URL, view.Code = scheme+"://"+r.Host+"/d/"+sent.Token, sent.Code
		flash = "已生成下载链接。链接和访问码只显示这一次，请分别发给收件人。"
	}
	s.render(w, r, status, "delivery_item", page{Title: "文件传输记录", Active: "/matters", Flash: flash, Data: view})
}

func (s *Server) revokeDelivery(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if err := s.cfg.Delivery.Revoke(r.Context(), p, clientOf(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/deliveries/%d?done=saved", id), http.StatusSeeOther)
}

// preserveDelivery preserves the link's proof of service (送达凭证) into
// the evidence log, linked to the matter, in one click.
func (s *Server) preserveDelivery(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	rec, err := s.cfg.Delivery.Receipt(r.Context(), p, clientOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	item, err := s.cfg.Evidence.Add(r.Context(), p, clientOf(r), evidence.AddInput{FileName: rec.FileName, Title: rec.Title,
		MatterID: rec.MatterID, SourceMethod: "律信文件安全传输记录", Purpose: "证明文件已送达收件人及其打开、下载、确认收悉的时间",
		AllowDuplicate: true}, bytes.NewReader(rec.Content))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.cfg.Evidence.Checkpoint(r.Context()); err != nil {
		s.cfg.Logger.Error("evidence checkpoint after proof of service", "err", err)
	}
	if err := s.cfg.Delivery.MarkPreserved(r.Context(), p, clientOf(r), id, item.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/evidence/%d?done=saved", item.ID), http.StatusSeeOther)
}

// documentFile streams a matter document to a user who may see the matter.
func (s *Server) documentFile(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	doc, rc, err := s.cfg.Delivery.OpenDocument(r.Context(), p, clientOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", attachment(doc.FileName))
	w.Header().Set("Content-Length", strconv.FormatInt(doc.Size, 10))
	if _, err := io.Copy(w, rc); err != nil {
		s.cfg.Logger.Error("document download", "id", id, "err", err)
	}
}
