package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// The matter picker: every form that chooses a matter has a plain <select
// data-matter-picker> of the newest matters the user may see (it works
// without JavaScript); static/matterpicker.js adds a search box above it
// that asks /matters/pick for matters by 案号, title or party.

const (
	// pickerOptions bounds the options of the plain select.
	pickerOptions = 300
	// pickerResults bounds one answer of /matters/pick.
	pickerResults = 20
)

// scopeOf is the rows a query reads for p: every matter for admins, the
// matters p leads or staffs otherwise (access.ViewMatter still decides).
func scopeOf(p *auth.Principal) store.StaffScope {
	return store.StaffScope{UserID: p.User.ID, All: access.IsAdmin(p.Actor())}
}

// visiblePick reads matters matching q that p may see, at most limit.
func (s *Server) visiblePick(r *http.Request, p *auth.Principal, q string, limit int) ([]*model.Matter, error) {
	list, err := s.cfg.DB.PickMatters(r.Context(), scopeOf(p), q, limit)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, m := range list {
		if access.ViewMatter(p.Actor(), m) == nil {
			out = append(out, m)
		}
	}
	return out, nil
}

// matterOptions lists the newest matters p may see as options of a matter
// select (bounded; the picker's search finds the others); selected is
// marked, and listed even when older than the bound.
func (s *Server) matterOptions(r *http.Request, p *auth.Principal, selected int64) ([]matterOption, error) {
	matters, err := s.visiblePick(r, p, "", pickerOptions)
	if err != nil {
		return nil, err
	}
	found := selected == 0
	out := make([]matterOption, 0, len(matters)+1)
	for _, m := range matters {
		found = found || m.ID == selected
		out = append(out, matterOption{Value: strconv.FormatInt(m.ID, 10), Label: matterLabel(m), Selected: m.ID == selected})
	}
	if !found {
		m, err := s.cfg.DB.MatterByID(r.Context(), selected)
		if err == nil && access.ViewMatter(p.Actor(), m) == nil {
			out = append([]matterOption{{Value: strconv.FormatInt(m.ID, 10), Label: matterLabel(m), Selected: true}}, out...)
		}
	}
	return out, nil
}

// matterLabel is how a matter reads in a picker: 案号 (full-width
// brackets) and title.
func matterLabel(m *model.Matter) string { return fullWidthBrackets(m.Ref()) }

// pickedMatter is one answer of /matters/pick.
type pickedMatter struct {
	ID      int64  `json:"id"`
	Label   string `json:"label"`
	Parties string `json:"parties"`
}

// pickMatters answers the picker's search: the matters p may see whose 案号,
// title or party contains q, newest first, at most pickerResults.
func (s *Server) pickMatters(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if utf8.RuneCountInString(q) > 100 || !utf8.ValidString(q) {
		http.Error(w, "检索词不超过 100 字", http.StatusBadRequest)
		return
	}
	matters, err := s.visiblePick(r, p, q, pickerResults)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]pickedMatter, 0, len(matters))
	for _, m := range matters {
		names := make([]string, 0, len(m.Parties))
		for _, pt := range m.Parties {
			names = append(names, pt.Name)
		}
		out = append(out, pickedMatter{ID: m.ID, Label: matterLabel(m), Parties: strings.Join(names, "、")})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(out)
}
