package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// book is the server's client book service; it caches the conflict index
// between requests.
func (s *Server) book() *clientbook.Service { return s.clientBook }

// pathID reads the {name} path value as an id; false after answering 404.
func (s *Server) pathID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return 0, false
	}
	return id, true
}

// userNames maps user ids to display names for the pages.
func (s *Server) userNames(r *http.Request) (map[int64]string, []*model.User, error) {
	users, err := s.cfg.DB.FindUsers(r.Context(), store.UserFilter{})
	if err != nil {
		return nil, nil, err
	}
	names := make(map[int64]string, len(users))
	for _, u := range users {
		names[u.ID] = u.DisplayName
	}
	return names, users, nil
}

type clientsView struct {
	Contacts []*model.Contact
	Tags     []store.Tag
	Query    string
	Tag      string
	Starred  bool
	Form     model.Contact
	FormTags string
	Due      int
	Kinds    []model.ContactKind
	Errs     fieldErrors // beside their fields after a refused form
}

// HasFormTag reports whether the new-contact form has tag ticked.
func (v clientsView) HasFormTag(tag string) bool { return slices.Contains(v.Form.Tags, tag) }

func (s *Server) clientsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderClients(w, r, http.StatusOK, "", clientsView{Form: model.Contact{Kind: model.ContactPerson}})
}

func (s *Server) renderClients(w http.ResponseWriter, r *http.Request, status int, msg string, view clientsView) {
	q := r.URL.Query()
	view.Query, view.Tag, view.Starred = q.Get("q"), q.Get("tag"), q.Get("starred") == "1"
	var err error
	if view.Contacts, err = s.book().Contacts(r.Context(), store.ContactFilter{Query: view.Query, Tag: view.Tag, Starred: view.Starred, Limit: 500}); err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Tags, err = s.cfg.DB.Tags(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	due, err := s.book().ReviewQueue(r.Context(), 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view.Due = len(due)
	view.Kinds = []model.ContactKind{model.ContactPerson, model.ContactOrg}
	s.render(w, r, status, "clients", page{Title: "客户", Active: "/clients", Error: msg, Data: view})
}

// contactForm reads the contact fields of a form.
func contactForm(r *http.Request) (model.Contact, string) {
	f := r.PostFormValue
	tags := append(r.PostForm["tag"], clientbook.SplitTags(f("new_tags"))...)
	c := model.Contact{Kind: model.ContactKind(f("kind")), Name: f("name"), WeChatID: f("wechat_id"),
		WeComExternalUserID: f("wecom_id"), Phone: f("phone"), Email: f("email"), Organization: f("organization"),
		USCC: f("uscc"), IDNumber: f("id_number"), Notes: f("notes"), Source: f("source"), Tags: tags,
		Starred: f("starred") == "on"}
	return c, f("new_tags")
}

func (s *Server) createContact(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	c, newTags := contactForm(r)
	typed := c // the form as typed: CreateContact normalises c in place
	if err := s.book().CreateContact(r.Context(), p, &c); err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			s.renderClients(w, r, http.StatusBadRequest, err.Error(), clientsView{Form: typed, FormTags: newTags, Errs: contactFieldErrors(typed)})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/clients/%d?done=saved", c.ID), http.StatusSeeOther)
}

type contactView struct {
	Contact       *model.Contact
	Matters       []*model.Matter
	Consultations []*model.Consultation
	Names         map[int64]string
	Channels      []string
	ReviewDue     bool
	Reviewer      string
	// The edit form: the stored contact, or what was submitted when it was
	// refused.
	Form     *model.Contact
	FormTags string
	Tags     []store.Tag
	Kinds    []model.ContactKind
	Editing  bool // open the edit form (after a refused change)
	Errs     fieldErrors
}

// HasTag reports whether the edit form's contact carries tag.
func (v contactView) HasTag(tag string) bool { return slices.Contains(v.Form.Tags, tag) }

func (s *Server) contactPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	s.renderContact(w, r, p, id, http.StatusOK, "", nil, "")
}

// renderContact shows a contact; form, when not nil, is a refused edit to
// show again with msg.
func (s *Server) renderContact(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64, status int, msg string, form *model.Contact, formTags string) {
	ctx := r.Context()
	c, err := s.book().Contact(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := contactView{Contact: c, Channels: clientbook.Channels, Form: c, FormTags: formTags, Editing: form != nil,
		Kinds: []model.ContactKind{model.ContactPerson, model.ContactOrg}}
	if form != nil {
		view.Form = form
		view.Errs = contactFieldErrors(*form)
	}
	if view.Matters, err = s.book().ContactMatters(ctx, p, id); err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Consultations, err = s.book().Consultations(ctx, p, store.ConsultationFilter{ContactID: id, Limit: 50}); err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Names, _, err = s.userNames(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Tags, err = s.cfg.DB.Tags(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	view.ReviewDue = c.LastReviewedAt.IsZero() || c.LastReviewedAt.Before(s.cfg.Now().Add(-clientbook.ReviewInterval))
	view.Reviewer = view.Names[c.ReviewedBy]
	s.render(w, r, status, "clients_contact", page{Title: c.Name, Active: "/clients", Error: msg, Data: view})
}

// updateContact saves the edit form of a contact: its fields, tags and star.
// What the form does not hold (avatar, review stamp) is kept.
func (s *Server) updateContact(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	old, err := s.book().Contact(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, newTags := contactForm(r)
	c.ID, c.Avatar = id, old.Avatar
	typed := c // the form as typed: UpdateContact normalises c in place
	if err := s.book().UpdateContact(r.Context(), p, &c); err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			s.renderContact(w, r, p, id, http.StatusBadRequest, err.Error(), &typed, newTags)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/clients/%d?done=saved", id), http.StatusSeeOther)
}

func (s *Server) starContact(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if err := s.book().SetStar(r.Context(), p, id, r.PostFormValue("starred") == "1"); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/clients/%d?done=saved", id), http.StatusSeeOther)
}

func (s *Server) reviewContact(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if err := s.book().MarkReviewed(r.Context(), p, id); err != nil {
		s.fail(w, r, err)
		return
	}
	back := fmt.Sprintf("/clients/%d?done=saved", id)
	if r.PostFormValue("back") == "review" {
		back = "/clients/review?done=saved"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

type reviewView struct {
	Contacts []*model.Contact
	Names    map[int64]string
	Days     int
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	list, err := s.book().ReviewQueue(r.Context(), 500)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names, _, err := s.userNames(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "clients_review", page{Title: "每季度整理通讯录", Active: "/clients",
		Data: reviewView{Contacts: list, Names: names, Days: int(clientbook.ReviewInterval / (24 * time.Hour))}})
}

func (s *Server) importContacts(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	file, hdr, err := r.FormFile("file")
	if err != nil {
		s.renderClients(w, r, http.StatusBadRequest, "请选择要导入的 CSV 或 XLSX 文件。", clientsView{Form: model.Contact{Kind: model.ContactPerson}})
		return
	}
	defer file.Close()
	n, err := s.book().ImportContacts(r.Context(), p, file, hdr.Filename)
	if err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			s.renderClients(w, r, http.StatusBadRequest, "导入失败："+err.Error(), clientsView{Form: model.Contact{Kind: model.ContactPerson}})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/clients?imported="+strconv.Itoa(n)+"&done=saved", http.StatusSeeOther)
}

var exportTypes = map[string]string{
	clientbook.FormatCSV:   "text/csv; charset=utf-8",
	clientbook.FormatXLSX:  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	clientbook.FormatVCard: "text/vcard; charset=utf-8",
}

func (s *Server) exportContacts(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	format := r.URL.Query().Get("format")
	ctype, ok := exportTypes[format]
	if !ok {
		s.fail(w, r, fmt.Errorf("%w：导出格式应为 csv、xlsx 或 vcf", model.ErrInvalidInput))
		return
	}
	var buf bytes.Buffer
	if _, err := s.book().ExportContacts(r.Context(), p, &buf, format); err != nil {
		s.fail(w, r, err)
		return
	}
	name := "通讯录-" + s.cfg.Now().In(shanghai).Format("20060102") + "." + format
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Write(buf.Bytes())
}
