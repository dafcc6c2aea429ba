package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/archive"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

// searchLimit bounds each group of the global search; a group read with
// one row more shows "更多" when a page can list the rest.
const searchLimit = 10

// searchView is the global search: one query over contacts, matters,
// conversations, evidence and deadlines, each group through the access
// rule of its records and bounded.
type searchView struct {
	Query     string
	Contacts  []*model.Contact
	MoreCont  bool
	Matters   []*model.Matter
	MoreMatt  bool
	Messages  []archive.Result
	MoreMsg   bool
	MsgBudget *searchBudget // the message search stopped at its budget
	MsgError  string        // why the conversations were not searched
	Evidence  []*model.EvidenceItem
	MoreEvid  bool
	Deadlines []*model.Deadline
	MoreDue   bool
	// ShowContacts is false for assistants, whose work is their matters.
	ShowContacts bool
}

// Total counts the hits shown.
func (v searchView) Total() int {
	return len(v.Contacts) + len(v.Matters) + len(v.Messages) + len(v.Evidence) + len(v.Deadlines)
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	view := searchView{Query: q, ShowContacts: p.User.Role != model.RoleAssistant}
	if q == "" {
		s.render(w, r, http.StatusOK, "search", page{Title: "搜索", Data: view})
		return
	}
	if utf8.RuneCountInString(q) > 100 || !utf8.ValidString(q) {
		s.render(w, r, http.StatusBadRequest, "search", page{Title: "搜索", Error: "检索词：不超过 100 字", Data: view})
		return
	}
	ctx, u := r.Context(), p.Actor()
	var err error
	if view.ShowContacts {
		if view.Contacts, err = s.cfg.DB.FindContacts(ctx, store.ContactFilter{Query: q, Limit: searchLimit + 1}); err != nil {
			s.fail(w, r, err)
			return
		}
		view.Contacts, view.MoreCont = boundedTo(view.Contacts, searchLimit)
	}

	if view.Matters, err = s.visiblePick(r, p, q, searchLimit+1); err != nil {
		s.fail(w, r, err)
		return
	}
	view.Matters, view.MoreMatt = boundedTo(view.Matters, searchLimit)

	visible, err := s.chats().Visible(ctx, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	msgs, err := s.chats().SearchPage(ctx, store.SearchQuery{Terms: archive.ParseQuery(q), Visible: visible, Limit: searchLimit + 1}, archive.SortNewest)
	switch {
	case errors.Is(err, store.ErrEmptyQuery) || errors.Is(err, model.ErrInvalidInput):
		view.MsgError = err.Error()
	case err != nil:
		s.fail(w, r, err)
		return
	}
	view.Messages, view.MoreMsg = boundedTo(msgs.Results, searchLimit)
	if msgs.More != 0 {
		next := url.Values{"q": {q}, "before": {strconv.FormatInt(msgs.More, 10)}}
		view.MsgBudget = newSearchBudget(msgs, false, "/chats?"+next.Encode())
	}

	scope := scopeOf(p)
	items, err := s.cfg.DB.SearchEvidence(ctx, scope, q, searchLimit+1)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.MatterID)
	}
	matters, err := s.cfg.DB.MattersByID(ctx, ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, it := range items {
		if access.ViewEvidence(u, it, matters[it.MatterID]) == nil {
			view.Evidence = append(view.Evidence, it)
		}
	}
	view.Evidence, view.MoreEvid = boundedTo(view.Evidence, searchLimit)

	owner := u.ID
	if access.IsAdmin(u) {
		owner = 0
	}
	dls, err := s.cfg.DB.SearchDeadlines(ctx, owner, q, searchLimit+1)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, d := range dls {
		if access.ViewDeadline(u, d) == nil {
			view.Deadlines = append(view.Deadlines, d)
		}
	}
	view.Deadlines, view.MoreDue = boundedTo(view.Deadlines, searchLimit)
	s.render(w, r, http.StatusOK, "search", page{Title: "搜索：" + q, Data: view})
}

// searchBudget is what a chat search that stopped at its budget (about
// store.DefaultSearchBudget messages per request) tells the user: how far
// back it searched and the link that searches the older messages with the
// same query and filters.
type searchBudget struct {
	Continued bool   // this request already went on from an earlier one
	Messages  string // how many were searched: "100 万"
	Until     string // the date the search reached, "2025年3月1日"
	Next      string // the link that goes on
}

func newSearchBudget(p archive.Page, continued bool, next string) *searchBudget {
	return &searchBudget{Continued: continued, Messages: p.SearchedCount(), Until: p.SearchedBack.In(shanghai).Format("2006年1月2日"), Next: next}
}
