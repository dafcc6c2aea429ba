package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/deadline"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
)

type matterDeadlinesView struct {
	Matter    *model.Matter
	Procedure deadline.Procedure
	Triggers  []deadline.Trigger
	Chains    []schedule.Chain
	CanEdit   bool
	Form      schedule.TriggerInput
	// Links explains, per trigger kind, what each created deadline is.
	Links map[string][]deadline.ChainLink
}

// chainMatter loads the matter of the path for p: one p may see, and with
// edit set one p may change. Anything else answers 404 like a missing
// matter, so that a chain never tells who may not see it that it exists.
func (s *Server) chainMatter(w http.ResponseWriter, r *http.Request, p *auth.Principal, edit bool) (*model.Matter, bool) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return nil, false
	}
	m, err := s.book().Matter(r.Context(), p, id)
	if err == nil && edit {
		err = access.EditMatter(p.Actor(), m)
	}
	if errors.Is(err, auth.ErrForbidden) || errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return nil, false
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return m, true
}

func (s *Server) matterDeadlinesPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	m, ok := s.chainMatter(w, r, p, false)
	if !ok {
		return
	}
	s.renderMatterDeadlines(w, r, p, m, http.StatusOK, "", schedule.TriggerInput{})
}

func (s *Server) renderMatterDeadlines(w http.ResponseWriter, r *http.Request, p *auth.Principal, m *model.Matter, status int, msg string, form schedule.TriggerInput) {
	chains, err := s.cfg.Schedule.MatterChains(r.Context(), m)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	proc := schedule.ProcedureOf(m.Type)
	view := matterDeadlinesView{Matter: m, Procedure: proc, Chains: chains, CanEdit: access.EditMatter(p.Actor(), m) == nil,
		Form: form, Links: map[string][]deadline.ChainLink{}}
	for _, t := range deadline.Triggers() {
		if _, links, err := deadline.Links(t.ID, proc); err == nil {
			view.Triggers = append(view.Triggers, t)
			view.Links[t.ID] = links
		}
	}
	s.render(w, r, status, "matter_deadlines", page{Title: "期限链：" + m.Title, Active: "/matters", Error: msg, Data: view})
}

func (s *Server) createTrigger(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	m, ok := s.chainMatter(w, r, p, true)
	if !ok {
		return
	}
	in := schedule.TriggerInput{Kind: r.PostFormValue("kind"), EventDate: r.PostFormValue("date"), Foreign: r.PostFormValue("foreign") == "on"}
	if _, _, err := s.cfg.Schedule.CreateTrigger(r.Context(), p, m, in); err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			s.renderMatterDeadlines(w, r, p, m, http.StatusBadRequest, err.Error(), in)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/matters/%d/deadlines?done=saved", m.ID), http.StatusSeeOther)
}

func (s *Server) updateTrigger(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	m, ok := s.chainMatter(w, r, p, true)
	if !ok {
		return
	}
	tid, ok := s.pathID(w, r, "tid")
	if !ok {
		return
	}
	in := schedule.TriggerInput{EventDate: r.PostFormValue("date"), Foreign: r.PostFormValue("foreign") == "on"}
	if _, err := s.cfg.Schedule.UpdateTrigger(r.Context(), p, m, tid, in); err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			s.renderMatterDeadlines(w, r, p, m, http.StatusBadRequest, err.Error(), schedule.TriggerInput{})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/matters/%d/deadlines?done=saved", m.ID), http.StatusSeeOther)
}

func (s *Server) cancelTrigger(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	m, ok := s.chainMatter(w, r, p, true)
	if !ok {
		return
	}
	tid, ok := s.pathID(w, r, "tid")
	if !ok {
		return
	}
	if err := s.cfg.Schedule.CancelTrigger(r.Context(), p, m, tid); err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			s.renderMatterDeadlines(w, r, p, m, http.StatusBadRequest, err.Error(), schedule.TriggerInput{})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/matters/%d/deadlines?done=saved", m.ID), http.StatusSeeOther)
}
