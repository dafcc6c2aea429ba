package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/deadline"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
)

type deadlinesView struct {
	Rules    []deadline.Rule
	Form     schedule.SaveInput
	Result   *deadline.Result
	Overview *schedule.Overview
	HasFeed  bool
	FeedURL  string // shown once, right after it is issued
	Hours    schedule.WorkingStatus
	Errs     fieldErrors    // beside their fields after a refused form
	Matters  []matterOption // the matter picker's plain options
}

func (s *Server) deadlinesPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q := r.URL.Query()
	form := schedule.SaveInput{Title: q.Get("title"), MatterRef: q.Get("matter"), RuleID: q.Get("rule"), From: q.Get("from"), Foreign: q.Get("foreign") == "on"}
	form.MatterID, _ = strconv.ParseInt(q.Get("matter_id"), 10, 64)
	view := deadlinesView{Rules: deadline.Rules(), Form: form}
	status, msg := http.StatusOK, ""
	if form.RuleID != "" || form.From != "" {
		res, err := s.cfg.Schedule.Compute(r.Context(), form.RuleID, form.From, form.Foreign)
		if err != nil {
			if !errors.Is(err, deadline.ErrUnknownRule) && !errors.Is(err, deadline.ErrInvalidStart) {
				s.fail(w, r, err)
				return
			}
			status, msg = http.StatusBadRequest, err.Error()
			view.Errs = deadlineFieldErrors(err)
		} else {
			view.Result = &res
		}
	}
	s.renderDeadlines(w, r, p, status, msg, view)
}

func (s *Server) renderDeadlines(w http.ResponseWriter, r *http.Request, p *auth.Principal, status int, msg string, view deadlinesView) {
	ov, err := s.cfg.Schedule.Upcoming(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view.Overview = ov
	if view.Rules == nil {
		view.Rules = deadline.Rules()
	}
	if view.Matters, err = s.matterOptions(r, p, view.Form.MatterID); err != nil {
		s.fail(w, r, err)
		return
	}
	view.HasFeed, _ = s.cfg.DB.HasCalendarFeed(r.Context(), p.User.ID)
	if view.Hours, err = s.cfg.Schedule.Status(r.Context(), p.User.ID, s.cfg.Now()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "deadlines", page{Title: "期限", Active: "/deadlines", Error: msg, Data: view})
}

func (s *Server) saveDeadline(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	in := schedule.SaveInput{Title: r.PostFormValue("title"), MatterRef: r.PostFormValue("matter"),
		RuleID: r.PostFormValue("rule"), From: r.PostFormValue("from"), Foreign: r.PostFormValue("foreign") == "on"}
	// A matter chosen with the picker must be one the user may see (a
	// refusal answers like a missing matter, audited).
	if id, _ := strconv.ParseInt(r.PostFormValue("matter_id"), 10, 64); id > 0 {
		m, err := s.book().Matter(r.Context(), p, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		in.MatterID = m.ID
		if strings.TrimSpace(in.MatterRef) == "" {
			in.MatterRef = fullWidthBrackets(m.Ref())
		}
	}
	d, err := s.cfg.Schedule.Save(r.Context(), p, in)
	if err != nil {
		if errors.Is(err, deadline.ErrUnknownRule) || errors.Is(err, deadline.ErrInvalidStart) || errors.Is(err, model.ErrInvalidInput) {
			s.renderDeadlines(w, r, p, http.StatusBadRequest, err.Error(), deadlinesView{Form: in, Errs: deadlineFieldErrors(err)})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/deadlines/"+strconv.FormatInt(d.ID, 10)+"?done=saved", http.StatusSeeOther)
}

type deadlineView struct {
	Deadline *model.Deadline
	Result   deadline.Result
	History  []*model.DeadlineChange
}

func (s *Server) deadlinePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	d, ok := s.ownDeadline(w, r, p)
	if !ok {
		return
	}
	var res deadline.Result
	if err := json.Unmarshal([]byte(d.Result), &res); err != nil {
		s.fail(w, r, err)
		return
	}
	history, err := s.cfg.Schedule.History(r.Context(), d.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "deadline", page{Title: d.Title, Active: "/deadlines", Data: deadlineView{Deadline: d, Result: res, History: history}})
}

func (s *Server) ownDeadline(w http.ResponseWriter, r *http.Request, p *auth.Principal) (*model.Deadline, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return nil, false
	}
	d, err := s.cfg.DB.DeadlineByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if err := access.ViewDeadline(p.Actor(), d); err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return d, true
}

func (s *Server) deadlineDone(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	if err := s.cfg.Schedule.SetDone(r.Context(), p, id, r.PostFormValue("reopen") == ""); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/deadlines?done=saved", http.StatusSeeOther)
}

func (s *Server) newFeed(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	token, err := s.cfg.Schedule.NewFeedToken(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := deadlinesView{FeedURL: baseURL(r) + "/calendar/" + token + ".ics"}
	s.renderDeadlines(w, r, p, http.StatusOK, "", view)
}

func (s *Server) revokeFeed(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := s.cfg.Schedule.RevokeFeed(r.Context(), p); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/deadlines?done=saved", http.StatusSeeOther)
}

// calendarFeed serves /calendar/<secret-token>.ics: the token in the URL is
// the credential, because calendar apps cannot log in.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || token == "" {
		s.notFound(w, r)
		return
	}
	data, err := s.cfg.Schedule.Feed(r.Context(), token, baseURL(r))
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, "订阅链接无效或已被撤销", http.StatusNotFound)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Write(data)
}

// baseURL is this server's address as the browser sees it.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) saveHours(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if _, err := s.cfg.Schedule.SetPolicy(r.Context(), p, p.User.ID, r.PostFormValue("start"), r.PostFormValue("end")); err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			s.renderDeadlines(w, r, p, http.StatusBadRequest, err.Error(), deadlinesView{})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/deadlines?done=saved#hours", http.StatusSeeOther)
}
