package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/inbox"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// dashboardLimit bounds every section of the dashboard; a section with
// more rows shows a "更多" link to its full page.
const dashboardLimit = 8

// dueItem is an open deadline on the dashboard.
type dueItem struct {
	*model.Deadline
	DaysOverdue int // > 0 for an overdue deadline
}

// dueGroup is one urgency band of the user's deadlines.
type dueGroup struct {
	ID, Title string
	Items     []dueItem
	More      bool
}

// postponeForm is a refused 顺延 form, shown again with what was typed.
type postponeForm struct {
	DeadlineID int64
	Due, Note  string
	Err        string
}

// conflictItem is an undecided conflict check.
type conflictItem struct {
	Check  *store.ConflictCheck
	Matter *model.Matter // nil for a check of no matter
}

// consultationItem is a running consultation with its contact's name.
type consultationItem struct {
	*model.Consultation
	ContactName string
}

type dashboardView struct {
	Today calendar.Date
	// Notices are the latest unread notifications (the bell has the rest).
	Notices   []model.Notification
	MoreNote  bool
	Due       []dueGroup
	Postpone  postponeForm
	Matters   []store.MatterNext
	MoreMatt  bool
	Conflicts []conflictItem
	MoreConf  bool
	// ShowConflicts is false for assistants, who decide no conflicts.
	ShowConflicts bool
	Consults      []consultationItem
	MoreCons      bool
	Review        []*model.Contact
	ReviewCount   int
	Dissolutions  []store.GroupDissolution
	MoreDiss      bool
	// OverdueGroups are WeCom case groups (synced by the message centre)
	// of closed matters still not dissolved after the deadline.
	OverdueGroups []inbox.GroupRow
	Evidence      []*model.EvidenceItem
	MoreEvid      bool
	Archives      []*model.ChatArchive
	// DeadlineChanges are the user's deadlines moved by new holiday data.
	DeadlineChanges []*model.DeadlineChange
	MoreChanges     bool
	// ImportYear, for admins from November on, is next year when its
	// holiday arrangement has not been imported; 0 otherwise.
	ImportYear int
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderDashboard(w, r, p, http.StatusOK, "", postponeForm{})
}

func (s *Server) renderDashboard(w http.ResponseWriter, r *http.Request, p *auth.Principal, status int, msg string, pf postponeForm) {
	view, err := s.dashboardData(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view.Postpone = pf
	s.render(w, r, status, "dashboard", page{Title: "工作台", Active: "/", Error: msg, Data: view})
}

// dashboardData reads every section, each bounded and each through the
// access rules of its records.
func (s *Server) dashboardData(ctx context.Context, p *auth.Principal) (*dashboardView, error) {
	u := p.Actor()
	today := s.cfg.Schedule.Today()
	view := &dashboardView{Today: today, ShowConflicts: u.Role != model.RoleAssistant}
	var err error
	if s.cfg.Notify != nil {
		notices, err := s.cfg.Notify.List(ctx, u, store.NotificationFilter{UnreadOnly: true, Limit: 6})
		if err != nil {
			return nil, err
		}
		view.Notices, view.MoreNote = boundedTo(notices, 5)
	}
	if view.Due, err = s.dueGroups(ctx, p, today); err != nil {
		return nil, err
	}

	scope := store.StaffScope{UserID: u.ID}
	matters, err := s.cfg.DB.OpenMattersNext(ctx, u.ID, dashboardLimit+1)
	if err != nil {
		return nil, err
	}
	for _, mn := range matters {
		if access.ViewMatter(u, mn.Matter) == nil {
			view.Matters = append(view.Matters, mn)
		}
	}
	view.Matters, view.MoreMatt = bounded(view.Matters)

	if view.ShowConflicts {
		checks, err := s.cfg.DB.PendingConflictChecks(ctx, store.StaffScope{UserID: u.ID, All: access.IsAdmin(u)}, dashboardLimit+1)
		if err != nil {
			return nil, err
		}
		ids := make([]int64, 0, len(checks))
		for _, c := range checks {
			ids = append(ids, c.MatterID)
		}
		byID, err := s.cfg.DB.MattersByID(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, c := range checks {
			m := byID[c.MatterID]
			if c.MatterID != 0 && (m == nil || access.ViewMatter(u, m) != nil) {
				continue
			}
			if access.DecideConflict(u, m) == nil {
				view.Conflicts = append(view.Conflicts, conflictItem{Check: c, Matter: m})
			}
		}
		view.Conflicts, view.MoreConf = bounded(view.Conflicts)
	}

	consults, err := s.cfg.DB.RunningConsultations(ctx, u.ID, dashboardLimit+1)
	if err != nil {
		return nil, err
	}
	for _, c := range consults {
		if access.ViewConsultation(u, c) != nil {
			continue
		}
		item := consultationItem{Consultation: c, ContactName: "未知"}
		if ct, err := s.cfg.DB.ContactByID(ctx, c.ContactID); err == nil {
			item.ContactName = ct.Name
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		view.Consults = append(view.Consults, item)
	}
	view.Consults, view.MoreCons = bounded(view.Consults)

	if u.Role != model.RoleAssistant {
		if view.Review, err = s.book().ReviewQueue(ctx, 5); err != nil {
			return nil, err
		}
		if len(view.Review) > 0 {
			if view.ReviewCount, err = s.cfg.DB.ReviewDueCount(ctx, s.cfg.Now().Add(-clientbook.ReviewInterval)); err != nil {
				return nil, err
			}
		}
	}

	diss, err := s.cfg.DB.PendingGroupDissolutions(ctx, scope, dashboardLimit+1)
	if err != nil {
		return nil, err
	}
	for _, g := range diss {
		if access.ViewMatter(u, g.Matter) == nil {
			view.Dissolutions = append(view.Dissolutions, g)
		}
	}
	view.Dissolutions, view.MoreDiss = bounded(view.Dissolutions)
	if view.OverdueGroups, err = s.cfg.Inbox.OverdueGroups(ctx, p); err != nil {
		return nil, err
	}

	items, err := s.cfg.DB.UntimestampedEvidence(ctx, scope, dashboardLimit+1)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.MatterID)
	}
	evMatters, err := s.cfg.DB.MattersByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if access.ViewEvidence(u, it, evMatters[it.MatterID]) == nil {
			view.Evidence = append(view.Evidence, it)
		}
	}
	view.Evidence, view.MoreEvid = bounded(view.Evidence)

	changes, err := s.cfg.Schedule.Changes(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	view.DeadlineChanges, view.MoreChanges = boundedTo(changes, dashboardLimit)

	if access.IsAdmin(u) {
		archives, err := s.cfg.DB.ChatArchives(ctx)
		if err != nil {
			return nil, err
		}
		view.Archives, _ = boundedTo(archives, 3)
		if view.ImportYear, err = s.cfg.Schedule.MissingNextYear(ctx); err != nil {
			return nil, err
		}
	}
	return view, nil
}

// dueGroups reads the user's open deadlines in four bands (overdue, today,
// the next 7 days, the next 30 days), each bounded.
func (s *Server) dueGroups(ctx context.Context, p *auth.Principal, today calendar.Date) ([]dueGroup, error) {
	bands := []struct {
		id, title string
		from, to  string
	}{
		{"overdue", "已逾期", "", today.AddDays(-1).String()},
		{"today", "今天到期", today.String(), today.String()},
		{"next7", "7 天内到期", today.AddDays(1).String(), today.AddDays(7).String()},
		{"next30", "30 天内到期", today.AddDays(8).String(), today.AddDays(30).String()},
	}
	out := make([]dueGroup, 0, len(bands))
	for _, b := range bands {
		list, err := s.cfg.DB.FindDeadlines(ctx, store.DeadlineFilter{OwnerID: p.User.ID, Status: model.DeadlineOpen,
			DueFrom: b.from, DueTo: b.to, Limit: dashboardLimit + 1})
		if err != nil {
			return nil, err
		}
		g := dueGroup{ID: b.id, Title: b.title}
		for _, d := range list {
			if access.ViewDeadline(p.Actor(), d) != nil {
				continue
			}
			item := dueItem{Deadline: d}
			if due, err := calendar.ParseDate(d.DueDate); err == nil && due.Before(today) {
				item.DaysOverdue = due.DaysUntil(today)
			}
			g.Items = append(g.Items, item)
		}
		g.Items, g.More = bounded(g.Items)
		out = append(out, g)
	}
	return out, nil
}

// bounded cuts a section read with dashboardLimit+1 rows to the limit and
// says whether there were more.
func bounded[T any](list []T) ([]T, bool) { return boundedTo(list, dashboardLimit) }

func boundedTo[T any](list []T, n int) ([]T, bool) {
	if len(list) > n {
		return list[:n], true
	}
	return list, false
}

// dashboardDone marks a deadline done from the dashboard (one click).
func (s *Server) dashboardDone(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	if err := s.cfg.Schedule.SetDone(r.Context(), p, id, true); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/?done=deadline-done", http.StatusSeeOther)
}

// dashboardPostpone moves a deadline to a later date with a note (顺延); a
// refused form comes back with what was typed and the error beside it.
func (s *Server) dashboardPostpone(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	due, note := r.PostFormValue("due"), r.PostFormValue("note")
	if _, err := s.cfg.Schedule.Postpone(r.Context(), p, id, due, note); err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			msg := userMessage(err, http.StatusBadRequest)
			s.renderDashboard(w, r, p, http.StatusBadRequest, msg, postponeForm{DeadlineID: id, Due: due, Note: note, Err: msg})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/?done=deadline-postponed", http.StatusSeeOther)
}
