package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/safety"
	"github.com/lvxin/lvxin/internal/store"
)

func init() {
	flashMessages["frozen-user"] = "已紧急冻结该用户：全部会话已下线，日历订阅已撤销，企业微信代发已暂停。"
	flashMessages["unfrozen"] = "已解除紧急冻结，该用户可以重新登录。"
	flashMessages["step"] = "已记录。"
}

// The emergency freeze (紧急冻结) ends the session of the browser that asks
// for it, so that browser gets a narrow cookie of its own: it opens the
// checklist of that freeze (and nothing else) for safety.ChecklistWindow.
func (s *Server) freezeCookieName() string {
	if s.cfg.SecureCookies {
		return "__Host-lvxin_freeze"
	}
	return "lvxin_freeze"
}

// checklistItem is one checklist step as a page shows it.
type checklistItem struct {
	safety.Step
	Done   bool
	DoneAt string
	DoneBy string
}

type checklistView struct {
	Incident *model.FreezeIncident
	Owner    *model.User
	Items    []checklistItem
	Done     int
	Action   string // where a tick is posted
	// ByToken: the frozen user's browser, signed out.
	ByToken bool
}

func newChecklistView(in *model.FreezeIncident, owner *model.User, action string) checklistView {
	v := checklistView{Incident: in, Owner: owner, Action: action}
	for _, st := range safety.Checklist {
		item := checklistItem{Step: st}
		if done, ok := in.Done(st.Key); ok {
			item.Done, item.DoneAt, item.DoneBy = true, done.DoneAt.In(shanghai).Format("2006-01-02 15:04"), done.DoneBy
			v.Done++
		}
		v.Items = append(v.Items, item)
	}
	return v
}

type freezeView struct {
	Owner     *model.User
	Incidents []*model.FreezeIncident
	LastDrill *model.FreezeIncident
	DrillDue  bool // no finished drill in the last year
}

func (s *Server) freezePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	list, err := s.cfg.Safety.Incidents(r.Context(), p, p.User.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := freezeView{Owner: p.User, Incidents: list, DrillDue: true}
	for _, in := range list {
		if in.Drill && !in.EndedAt.IsZero() {
			v.LastDrill = in
			v.DrillDue = s.cfg.Now().Sub(in.EndedAt) > 365*24*time.Hour
			break
		}
	}
	s.render(w, r, http.StatusOK, "freeze", page{Title: "紧急冻结（手机丢失应急）", Active: "/security", Data: v})
}

// freezeMine is 紧急冻结 by the user: every session ends (this one too) and
// this browser is taken to the checklist.
func (s *Server) freezeMine(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if r.PostFormValue("confirm") != "yes" {
		list, _ := s.cfg.Safety.Incidents(r.Context(), p, p.User.ID)
		s.render(w, r, http.StatusBadRequest, "freeze", page{Title: "紧急冻结（手机丢失应急）", Active: "/security",
			Error: "请先勾选“我确认要紧急冻结自己的账户”。", Data: freezeView{Owner: p.User, Incidents: list}})
		return
	}
	res, err := s.cfg.Safety.Freeze(r.Context(), p, p.User.ID, clientOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, s.sessionCookieName(), "", -1)
	http.SetCookie(w, &http.Cookie{Name: s.freezeCookieName(), Value: res.ChecklistToken, Path: "/",
		MaxAge: int(safety.ChecklistWindow.Seconds()), HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/freeze/checklist", http.StatusSeeOther)
}

// frozenChecklist shows the checklist of the freeze this browser asked for.
func (s *Server) frozenChecklist(w http.ResponseWriter, r *http.Request) {
	in, owner, ok := s.checklistOfCookie(w, r)
	if !ok {
		return
	}
	v := newChecklistView(in, owner, "/freeze/checklist")
	v.ByToken = true
	s.render(w, r, http.StatusOK, "freeze_checklist", page{Title: "紧急冻结：接下来要做的事", CSRF: s.preToken(w, r), Data: v})
}

func (s *Server) frozenChecklistTick(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(s.freezeCookieName())
	if err != nil {
		s.notFound(w, r)
		return
	}
	if _, err := s.cfg.Safety.TickStepByToken(r.Context(), c.Value, r.PostFormValue("step"), clientOf(r)); err != nil && !errors.Is(err, safety.ErrStepDone) {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/freeze/checklist", http.StatusSeeOther)
}

func (s *Server) checklistOfCookie(w http.ResponseWriter, r *http.Request) (*model.FreezeIncident, *model.User, bool) {
	c, err := r.Cookie(s.freezeCookieName())
	if err != nil {
		s.notFound(w, r)
		return nil, nil, false
	}
	in, err := s.cfg.Safety.ChecklistByToken(r.Context(), c.Value)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	owner, err := s.cfg.DB.UserByID(r.Context(), in.UserID)
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	return in, owner, true
}

// startDrill walks the user through the checklist without freezing anything.
func (s *Server) startDrill(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	in, err := s.cfg.Safety.StartDrill(r.Context(), p, p.User.ID, clientOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/security/freeze/incidents/%d", in.ID), http.StatusSeeOther)
}

// incidentPage shows one freeze or drill with its checklist: to its user,
// and to admins.
func (s *Server) incidentPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	in, err := s.cfg.Safety.Incident(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	owner, err := s.cfg.DB.UserByID(r.Context(), in.UserID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "紧急冻结记录"
	if in.Drill {
		title = "应急演练"
	}
	s.render(w, r, http.StatusOK, "freeze_checklist", page{Title: title, Active: "/security",
		Data: newChecklistView(in, owner, fmt.Sprintf("/security/freeze/incidents/%d/steps", in.ID))})
}

func (s *Server) tickStep(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	if _, err := s.cfg.Safety.TickStep(r.Context(), p, id, r.PostFormValue("step"), clientOf(r)); err != nil && !errors.Is(err, safety.ErrStepDone) {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/security/freeze/incidents/%d?done=step", id), http.StatusSeeOther)
}

func (s *Server) userIDParam(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return 0, false
	}
	if _, err := s.cfg.DB.UserByID(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return 0, false
	}
	return id, true
}

// freezeUser is 紧急冻结 by an admin.
func (s *Server) freezeUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.userIDParam(w, r)
	if !ok {
		return
	}
	if _, err := s.cfg.Safety.Freeze(r.Context(), p, id, clientOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	if id == p.User.ID {
		s.setCookie(w, s.sessionCookieName(), "", -1)
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/users/%d?done=frozen-user", id), http.StatusSeeOther)
}

func (s *Server) unfreezeUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.userIDParam(w, r)
	if !ok {
		return
	}
	if _, err := s.cfg.Safety.Unfreeze(r.Context(), p, id, clientOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/users/%d?done=unfrozen", id), http.StatusSeeOther)
}

// userIncidents lists a user's freezes and drills for the admin user page.
func (s *Server) userIncidents(r *http.Request, p *auth.Principal, userID int64) []*model.FreezeIncident {
	if s.cfg.Safety == nil {
		return nil
	}
	list, err := s.cfg.Safety.Incidents(r.Context(), p, userID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.cfg.Logger.Error("freeze incidents", "user", userID, "err", err)
	}
	return list
}
