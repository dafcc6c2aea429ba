package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/inbox"
	"github.com/lvxin/lvxin/internal/model"
)

// Case groups (案件群): the list with naming and dissolution checks, one
// group's member review and notices, the matter's name generator, and the
// public notice page where members confirm 确认已读.

func (s *Server) groupsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	rows, err := s.cfg.Inbox.Groups(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "groups", page{Title: "案件群", Active: "/inbox", Data: rows})
}

type groupView struct {
	Detail  *inbox.GroupDetail
	Matters []matterOption
	Names   map[int64]string
	Base    string // scheme and host of the notice links
	Created string // the token of a notice just created
}

func (s *Server) groupPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderGroup(w, r, p, http.StatusOK, "")
}

func (s *Server) renderGroup(w http.ResponseWriter, r *http.Request, p *auth.Principal, status int, msg string) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	d, err := s.cfg.Inbox.Group(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := groupView{Detail: d, Base: siteBase(r), Created: r.URL.Query().Get("notice")}
	if view.Matters, err = s.matterOptions(r, p, d.Group.MatterID); err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Names, _, err = s.userNames(r); err != nil {
		s.fail(w, r, err)
		return
	}
	title := d.Group.Name
	if title == "" {
		title = "（名称待同步）"
	}
	s.render(w, r, status, "group", page{Title: "案件群：" + title, Active: "/inbox", Error: msg, Data: view})
}

// siteBase is the scheme and host this request reached lvxin at (the
// notice link members open).
func siteBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) groupMatter(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	matterID, _ := strconv.ParseInt(r.PostFormValue("matter_id"), 10, 64)
	if err := s.cfg.Inbox.LinkGroupMatter(r.Context(), p, id, matterID); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/groups/%d?done=saved", id), http.StatusSeeOther)
}

func (s *Server) groupKeepMember(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if err := s.cfg.Inbox.KeepMember(r.Context(), p, id, r.PostFormValue("member_id")); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/groups/%d?done=saved#members", id), http.StatusSeeOther)
}

func (s *Server) groupNotice(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	n, err := s.cfg.Inbox.PostNotice(r.Context(), p, id, r.PostFormValue("title"), r.PostFormValue("body"))
	if errors.Is(err, model.ErrInvalidInput) {
		s.renderGroup(w, r, p, http.StatusBadRequest, err.Error())
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/groups/%d?done=notice&notice=%s#notices", id, n.Token), http.StatusSeeOther)
}

type matterGroupView struct {
	MatterID int64
	Name     string
	Groups   []inbox.GroupRow
}

func (s *Server) matterGroupPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	name, rows, err := s.cfg.Inbox.MatterGroups(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "matter_group", page{Title: "案件群名称", Active: "/matters",
		Data: matterGroupView{MatterID: id, Name: name, Groups: rows}})
}

type noticePageView struct {
	Notice *inbox.PublicNotice
	Token  string
	Name   string
}

// noticePage is the public page a group member opens from the link.
func (s *Server) noticePage(w http.ResponseWriter, r *http.Request) {
	s.renderNotice(w, r, http.StatusOK, "", "")
}

func (s *Server) renderNotice(w http.ResponseWriter, r *http.Request, status int, msg, name string) {
	tok := r.PathValue("token")
	n, err := s.cfg.Inbox.Notice(r.Context(), tok)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.render(w, r, status, "notice", page{Title: n.Title, CSRF: s.preToken(w, r), Error: msg,
		Data: noticePageView{Notice: n, Token: tok, Name: name}})
}

func (s *Server) noticeConfirm(w http.ResponseWriter, r *http.Request) {
	tok := r.PathValue("token")
	name := r.PostFormValue("name")
	err := s.cfg.Inbox.ConfirmNotice(r.Context(), tok, name, clientOf(r).IP)
	if errors.Is(err, model.ErrInvalidInput) {
		s.renderNotice(w, r, http.StatusBadRequest, err.Error(), name)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/notice/"+tok+"?done=confirmed", http.StatusSeeOther)
}
