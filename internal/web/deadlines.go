package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/deadline"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/profile"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
)

type deadlinesView struct {
	Rules    []deadline.Rule
	Form     schedule.SaveInput
	Result   *deadline.Result
	Overview *schedule.Overview
	Hours    schedule.WorkingStatus
	Errs     fieldErrors    // beside their fields after a refused form
	Matters  []matterOption // the matter picker's plain options
	Feed     feedView
}

// feedView is the calendar subscription card.
type feedView struct {
	Has     bool   // the user has a feed
	URL     string // its address ("" for a feed issued before tokens were kept)
	Confirm bool   // asking before a new address replaces the current one
	// LocalOnly: the address names this computer (no public address set),
	// so a phone cannot reach it.
	LocalOnly bool
	IsAdmin   bool
}

func (s *Server) deadlinesPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q := r.URL.Query()
	form := schedule.SaveInput{Title: q.Get("title"), MatterRef: q.Get("matter"), RuleID: q.Get("rule"), From: q.Get("from"), Foreign: q.Get("foreign") == "on"}
	form.MatterID, _ = strconv.ParseInt(q.Get("matter_id"), 10, 64) // the add action of a matter page
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
	confirm := view.Feed.Confirm
	if view.Feed, err = s.feedState(r, p); err != nil {
		s.fail(w, r, err)
		return
	}
	view.Feed.Confirm = confirm
	if view.Hours, err = s.cfg.Schedule.Status(r.Context(), p.User.ID, s.cfg.Now()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "deadlines", page{Title: "期限", Active: "/deadlines", Error: msg, Data: view})
}

func (s *Server) saveDeadline(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	in := schedule.SaveInput{Title: r.PostFormValue("title"), MatterRef: r.PostFormValue("matter"),
		RuleID: r.PostFormValue("rule"), From: r.PostFormValue("from"), Foreign: r.PostFormValue("foreign") == "on"}
	in.MatterID, _ = strconv.ParseInt(r.PostFormValue("matter_id"), 10, 64)
	// A matter chosen with the picker must be one the user may see (a
	// refusal reads like a missing matter beside the field, audited).
	err := s.deadlineMatter(r, p, in.MatterID)
	if err == nil && in.MatterID > 0 && strings.TrimSpace(in.MatterRef) == "" {
		if m, merr := s.cfg.DB.MatterByID(r.Context(), in.MatterID); merr == nil {
			in.MatterRef = fullWidthBrackets(m.Ref())
		}
	}
	var d *model.Deadline
	if err == nil {
		d, err = s.cfg.Schedule.Save(r.Context(), p, in)
	}
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

// deadlineMatter checks the matter a deadline is saved against (from a
// matter page's add action): one p may not see answers like a missing one,
// and the refusal is audited.
func (s *Server) deadlineMatter(r *http.Request, p *auth.Principal, id int64) error {
	if id == 0 {
		return nil
	}
	m, err := s.cfg.DB.MatterByID(r.Context(), id)
	if err == nil && access.ViewMatter(p.Actor(), m) != nil {
		if aerr := s.cfg.DB.Audit(r.Context(), &model.AuditEvent{ActorID: p.User.ID, Actor: p.User.Username, IP: clientOf(r).IP,
			Action: "matter.view.denied", Target: fmt.Sprintf("matter/%d", id), Detail: "期限关联无权查看的案件"}); aerr != nil {
			return aerr
		}
		err = store.ErrNotFound
	}
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w：案件 #%d 不存在", model.ErrInvalidInput, id)
	}
	return err
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

// feedState is p's calendar subscription as the card shows it.
func (s *Server) feedState(r *http.Request, p *auth.Principal) (feedView, error) {
	token, has, err := s.cfg.Schedule.FeedToken(r.Context(), p)
	if err != nil {
		return feedView{}, err
	}
	base, err := s.publicBase(r)
	if err != nil {
		return feedView{}, err
	}
	v := feedView{Has: has, IsAdmin: access.IsAdmin(p.Actor()), LocalOnly: localHost(base)}
	if token != "" {
		v.URL = base + "/calendar/" + token + ".ics"
	}
	return v, nil
}

// newFeed issues a calendar subscription address. Replacing a working one
// stops every phone subscribed to it, so that is asked first: without
// confirm=yes the page comes back with the question (no script needed).
func (s *Server) newFeed(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	_, has, err := s.cfg.Schedule.FeedToken(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if has && r.PostFormValue("confirm") != "yes" {
		s.renderDeadlines(w, r, p, http.StatusOK, "", deadlinesView{Feed: feedView{Confirm: true}})
		return
	}
	if _, err := s.cfg.Schedule.NewFeedToken(r.Context(), p); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/deadlines?done=saved#feed", http.StatusSeeOther)
}

// feedQR is the QR code of p's subscription address, for the phone's camera.
func (s *Server) feedQR(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := s.feedState(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if v.URL == "" {
		s.notFound(w, r)
		return
	}
	png, err := profile.QRCodePNG([]byte(v.URL))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(png)
}

// publicBase is the address links that leave the browser (calendar
// subscriptions) point to: serve --public-url, else the firm setting, else
// the address this browser used.
func (s *Server) publicBase(r *http.Request) (string, error) {
	if s.cfg.PublicURL != "" {
		return strings.TrimRight(s.cfg.PublicURL, "/"), nil
	}
	v, err := s.cfg.Schedule.PublicURL(r.Context())
	if err != nil || v != "" {
		return v, err
	}
	return baseURL(r), nil
}

// localHost reports whether base names this computer only (a phone cannot
// reach it).
func localHost(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func (s *Server) revokeFeed(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := s.cfg.Schedule.RevokeFeed(r.Context(), p); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/deadlines?done=saved#feed", http.StatusSeeOther)
}

// calendarFeed serves /calendar/<secret-token>.ics: the token in the URL is
// the credential, because calendar apps cannot log in.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || token == "" {
		s.notFound(w, r)
		return
	}
	base, err := s.publicBase(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data, err := s.cfg.Schedule.Feed(r.Context(), token, base)
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
