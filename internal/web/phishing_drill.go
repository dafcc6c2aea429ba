package web

import (
	"math/rand/v2"
	"net/http"
	"strconv"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/phishing"
	"github.com/lvxin/lvxin/internal/store"
)

// drillItem is one message of the phishing drill as the page shows it.
type drillItem struct {
	Index  int
	Field  string
	Q      phishing.DrillQuestion
	Answer string // after grading: what the user said
	Wrong  bool
}

type phishingDrillView struct {
	Seed    string
	Items   []drillItem
	Graded  bool
	Grade   phishing.DrillGrade
	History []*model.PhishingDrillResult
	// Everyone is every user's results, for admins.
	Everyone []*model.PhishingDrillResult
	Names    map[int64]string
}

func (s *Server) phishingDrillView(r *http.Request, p *auth.Principal, seed uint64) (phishingDrillView, error) {
	v := phishingDrillView{Seed: strconv.FormatUint(seed, 10)}
	for i, q := range phishing.NewDrill(seed) {
		v.Items = append(v.Items, drillItem{Index: i + 1, Field: phishing.DrillField(i), Q: q})
	}
	var err error
	if v.History, err = s.cfg.Safety.PhishingDrills(r.Context(), p, p.User.ID); err != nil {
		return v, err
	}
	if access.IsAdmin(p.Actor()) {
		if v.Everyone, err = s.cfg.Safety.PhishingDrills(r.Context(), p, 0); err != nil {
			return v, err
		}
		users, err := s.cfg.DB.FindUsers(r.Context(), store.UserFilter{})
		if err != nil {
			return v, err
		}
		v.Names = map[int64]string{}
		for _, u := range users {
			v.Names[u.ID] = u.DisplayName
		}
	}
	return v, nil
}

func (s *Server) phishingDrillPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := s.phishingDrillView(r, p, rand.Uint64()>>1)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "phishing_drill", page{Title: "钓鱼演练", Active: "/security", Data: v})
}

func (s *Server) phishingDrillSubmit(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	seed, err := strconv.ParseUint(r.PostFormValue("seed"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, "演练表单无效（缺少题目编号），请重新开始演练。")
		return
	}
	answers := map[int]string{}
	for i := 0; i < phishing.DrillSize; i++ {
		if a := r.PostFormValue(phishing.DrillField(i)); a == "lure" || a == "genuine" {
			answers[i] = a
		}
	}
	grade, _, err := s.cfg.Safety.RecordPhishingDrill(r.Context(), p, seed, answers, clientOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.phishingDrillView(r, p, seed)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Graded, v.Grade = true, grade
	for i := range v.Items {
		v.Items[i].Answer = answers[i]
		v.Items[i].Wrong = grade.Wrong[i]
	}
	s.render(w, r, http.StatusOK, "phishing_drill", page{Title: "钓鱼演练：结果", Active: "/security", Data: v})
}
