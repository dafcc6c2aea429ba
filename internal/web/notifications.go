package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/notify"
	"github.com/lvxin/lvxin/internal/store"
)

// bellCount is the bell's figure for p: "" when nothing is unread.
func (s *Server) bellCount(r *http.Request, p *auth.Principal) string {
	n, err := s.cfg.Notify.Unread(r.Context(), p.User.ID)
	switch {
	case err != nil:
		s.cfg.Logger.Warn("bell", "err", err)
		return ""
	case n == 0:
		return ""
	case n >= notify.BellLimit:
		return "99+"
	}
	return strconv.Itoa(n)
}

type notificationRow struct {
	model.Notification
	KindLabel string
}

type notificationsView struct {
	Items    []notificationRow
	Unread   bool
	NextPage int64 // the id to continue below (0: no more)
}

const notificationsPerPage = 50

func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	list, err := s.cfg.Notify.List(r.Context(), p.User, store.NotificationFilter{BeforeID: before, Limit: notificationsPerPage})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var v notificationsView
	for _, n := range list {
		v.Items = append(v.Items, notificationRow{Notification: n, KindLabel: model.NotifyKindLabel(n.Kind)})
		if n.ReadAt.IsZero() {
			v.Unread = true
		}
	}
	if len(list) == notificationsPerPage {
		v.NextPage = list[len(list)-1].ID
	}
	s.render(w, r, http.StatusOK, "notifications", page{Title: "通知", Data: v})
}

// openNotification marks one notification read and follows its link.
func (s *Server) openNotification(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	n, err := s.cfg.DB.NotificationByID(r.Context(), id)
	if err == nil && n.UserID != p.User.ID {
		err = access.ErrHidden // another user's notification: as if missing
	}
	if err == nil && n.MatterID != 0 {
		var m *model.Matter
		if m, err = s.cfg.DB.MatterByID(r.Context(), n.MatterID); err == nil {
			err = access.ViewMatter(p.Actor(), m)
		}
	}
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = access.ErrHidden
		}
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Notify.MarkRead(r.Context(), p.User.ID, n.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	next := "/notifications"
	if n.Link != "" {
		next = safeNext(n.Link)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// readNotifications marks one (id) or all of the user's notifications read.
func (s *Server) readNotifications(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	var id int64
	if v := r.PostFormValue("id"); v != "" {
		var err error
		if id, err = strconv.ParseInt(v, 10, 64); err != nil || id <= 0 {
			s.notFound(w, r)
			return
		}
	}
	if err := s.cfg.Notify.MarkRead(r.Context(), p.User.ID, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = access.ErrHidden
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/notifications?done=read", http.StatusSeeOther)
}
