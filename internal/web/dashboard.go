package web

import (
	"net/http"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/inbox"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
)

type dashboardView struct {
	Overview *schedule.Overview
	Archives []*model.ChatArchive
	// DeadlineChanges are the user's deadlines moved by new holiday data.
	DeadlineChanges []*model.DeadlineChange
	// ImportYear, for admins from November on, is next year when its
	// holiday arrangement has not been imported; 0 otherwise.
	ImportYear int
	// OverdueGroups are case groups of closed matters past their
	// dissolution deadline.
	OverdueGroups []inbox.GroupRow
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	ov, err := s.cfg.Schedule.Upcoming(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	archives, err := s.cfg.DB.ChatArchives(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(archives) > 3 {
		archives = archives[:3]
	}
	view := dashboardView{Overview: ov, Archives: archives}
	if view.DeadlineChanges, err = s.cfg.Schedule.Changes(r.Context(), p.User.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if view.OverdueGroups, err = s.cfg.Inbox.OverdueGroups(r.Context(), p); err != nil {
		s.fail(w, r, err)
		return
	}
	if access.IsAdmin(p.Actor()) {
		if view.ImportYear, err = s.cfg.Schedule.MissingNextYear(r.Context()); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "dashboard", page{Title: "工作台", Active: "/", Data: view})
}
