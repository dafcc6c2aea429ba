package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/access"
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/delivery"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
)

var partyRoles = []model.PartyRole{model.PartyClient, model.PartyOpposing, model.PartyThird, model.PartyOther}

type mattersView struct {
	Matters   []*model.Matter
	Names     map[int64]string
	Users     []*model.User
	Types     []model.MatterType
	Statuses  []model.MatterStatus
	Roles     []model.PartyRole
	Kinds     []model.ContactKind
	Form      model.Matter
	PartyRows []model.Party
	Status    model.MatterStatus
	CanCreate bool
	Errs      fieldErrors // beside their fields after a refused form
}

// Assists reports whether the new-matter form has user id as an assistant.
func (v mattersView) Assists(id int64) bool { return slices.Contains(v.Form.AssistantIDs, id) }

// SharesWith reports whether the new-matter form shares with user id.
func (v mattersView) SharesWith(id int64) bool { return slices.Contains(v.Form.SharedWithIDs, id) }

func (s *Server) mattersPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderMatters(w, r, p, http.StatusOK, "", mattersView{Form: model.Matter{Type: model.MatterCivil}})
}

func (s *Server) renderMatters(w http.ResponseWriter, r *http.Request, p *auth.Principal, status int, msg string, view mattersView) {
	view.Status = model.MatterStatus(r.URL.Query().Get("status"))
	if !view.Status.Valid() {
		view.Status = ""
	}
	var err error
	if view.Matters, err = s.book().Matters(r.Context(), p, view.Status); err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Names, view.Users, err = s.userNames(r); err != nil {
		s.fail(w, r, err)
		return
	}
	view.Types, view.Statuses, view.Roles = model.MatterTypes, model.MatterStatuses, partyRoles
	view.Kinds = []model.ContactKind{model.ContactPerson, model.ContactOrg}
	view.CanCreate = access.CreateMatter(p.Actor()) == nil
	for len(view.PartyRows) < 4 {
		role := model.PartyClient
		if len(view.PartyRows) > 0 {
			role = model.PartyOpposing
		}
		view.PartyRows = append(view.PartyRows, model.Party{Role: role, Kind: model.ContactPerson})
	}
	s.render(w, r, status, "matters", page{Title: "案件", Active: "/matters", Error: msg, Data: view})
}

func formIDs(r *http.Request, name string) []int64 {
	var out []int64
	for _, v := range r.PostForm[name] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

// formDate reads a YYYY-MM-DD field; zero when empty or malformed.
func formDate(v string) time.Time {
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}
	}
	return t
}

func (s *Server) createMatter(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	f := r.PostFormValue
	lead, _ := strconv.ParseInt(f("lead_lawyer_id"), 10, 64)
	m := model.Matter{Title: f("title"), Type: model.MatterType(f("type")), CaseNumber: f("case_number"), Court: f("court"),
		Status: model.MatterStatus(f("status")), EngagedOn: formDate(f("engaged_on")), LeadLawyerID: lead,
		AssistantIDs: formIDs(r, "assistant"), SharedWithIDs: formIDs(r, "shared")}
	names := r.PostForm["party_name"]
	var rows []model.Party
	for i := range names {
		at := func(field string) string {
			if vs := r.PostForm[field]; i < len(vs) {
				return vs[i]
			}
			return ""
		}
		pt := model.Party{Name: names[i], Kind: model.ContactKind(at("party_kind")), Role: model.PartyRole(at("party_role")),
			USCC: at("party_uscc"), IDNumber: at("party_idnum"), Phone: at("party_phone")}
		rows = append(rows, pt)
		if pt.Name != "" {
			m.Parties = append(m.Parties, pt)
		}
	}
	typed := m // the form as typed: CreateMatter normalises m in place
	rep, err := s.book().CreateMatter(r.Context(), p, &m)
	if err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			s.renderMatters(w, r, p, http.StatusBadRequest, err.Error(), mattersView{Form: typed, PartyRows: rows, Errs: matterFieldErrors(typed, rows)})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/matters/%d?done=saved&hits=%d#checks", m.ID, rep.HitCount()), http.StatusSeeOther)
}

type matterView struct {
	Matter    *model.Matter
	Names     map[int64]string
	Checks    []clientbook.CheckRecord
	CanEdit   bool
	Roles     []model.PartyRole
	Kinds     []model.ContactKind
	Statuses  []model.MatterStatus
	Decisions []model.ConflictDecision
	Deadline  string
	// The edit form of the matter's fields and staff.
	Users   []*model.User
	Types   []model.MatterType
	Form    *model.Matter // the matter, or the refused edit
	Editing bool
	// A refused new party, shown again in the add-party form.
	Party     model.Party
	AddingTo  bool
	PartyErrs fieldErrors
	Errs      fieldErrors // beside the edit form's fields
	// What belongs to the matter, as the user may see it.
	Evidence      []*model.EvidenceItem
	Conversations []*model.ConversationSummary
	Delivery      *delivery.MatterView // documents, NDAs and links (文件安全传输)
	Classes       []model.DocumentClass
	Deadlines     []*model.Deadline
	Consultations []*model.Consultation
	Contacts      map[int64]string // names of the consultations' contacts
	// ConsultWith are the linked parties a consultation can be started with.
	ConsultWith []model.Party
	Channels    []string
	// Closing asks to confirm moving the matter to 结案 or 归档.
	Closing     *closingForm
	CanReopen   bool // an admin sees 重新打开 on a closed matter
	IsClosed    bool
	DeadlineNew string // the deadline form, prefilled with the matter
}

// closingForm is a status change that closes the matter, waiting for
// confirmation.
type closingForm struct {
	Status model.MatterStatus
	Date   string
}

// Assists and SharedWith tell the edit form which boxes to tick.
func (v matterView) Assists(id int64) bool    { return slices.Contains(v.Form.AssistantIDs, id) }
func (v matterView) SharedWith(id int64) bool { return slices.Contains(v.Form.SharedWithIDs, id) }

func (s *Server) matterPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	s.renderMatter(w, r, p, id, http.StatusOK, "")
}

func (s *Server) renderMatter(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64, status int, msg string) {
	s.renderMatterForm(w, r, p, id, status, msg, refusedForm{})
}

// refusedForm is what a refused form on the matter page sent: an edit of
// the matter's fields and staff, or a new party.
type refusedForm struct {
	matter  *model.Matter
	party   *model.Party
	closing *closingForm // not refused: waiting for confirmation
}

// renderMatterForm shows a matter; form, when not nil, is a refused edit of
// its fields and staff to show again.
func (s *Server) renderMatterForm(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64, status int, msg string, refused refusedForm) {
	form := refused.matter
	m, err := s.book().Matter(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := matterView{Matter: m, CanEdit: access.EditMatter(p.Actor(), m) == nil, Roles: partyRoles,
		Kinds: []model.ContactKind{model.ContactPerson, model.ContactOrg}, Statuses: model.MatterStatuses,
		Decisions: []model.ConflictDecision{model.ConflictNone, model.ConflictWaived, model.ConflictDeclined},
		Deadline:  r.URL.Query().Get("deadline"), Types: model.MatterTypes, Form: m, Editing: form != nil}
	if form != nil {
		view.Form = form
		view.Errs = matterFieldErrors(*form, nil)
	}
	if pt := refused.party; pt != nil {
		view.Party, view.AddingTo = *pt, true
		view.PartyErrs = matterFieldErrors(model.Matter{Title: m.Title}, []model.Party{*pt})
	}
	if view.Checks, err = s.book().Checks(r.Context(), p, m); err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Names, view.Users, err = s.userNames(r); err != nil {
		s.fail(w, r, err)
		return
	}
	// The matter is the hub: its evidence and conversations, each through
	// its own access rule (the evidence and chat rules, not the matter's).
	if view.Evidence, err = s.cfg.Evidence.List(r.Context(), p, store.EvidenceFilter{MatterID: m.ID, Limit: 200}); err != nil {
		s.fail(w, r, err)
		return
	}
	visible, err := s.chats().Visible(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Conversations, err = s.cfg.DB.VisibleConversations(r.Context(), visible, store.ConversationPage{MatterID: m.ID, Limit: 50}); err != nil {
		s.fail(w, r, err)
		return
	}
	if view.Delivery, err = s.cfg.Delivery.ForMatter(r.Context(), p, clientOf(r), m.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	view.Classes = model.DocumentClasses
	if err := s.matterHub(r, p, m, &view); err != nil {
		s.fail(w, r, err)
		return
	}
	view.Closing = refused.closing
	s.render(w, r, status, "matters_matter", page{Title: m.Title, Active: "/matters", Error: msg, Data: view})
}

// matterFormError re-renders the matter page with a 400 for refused input.
func (s *Server) matterFormError(w http.ResponseWriter, r *http.Request, p *auth.Principal, id int64, err error) {
	if errors.Is(err, model.ErrInvalidInput) {
		s.renderMatter(w, r, p, id, http.StatusBadRequest, err.Error())
		return
	}
	s.fail(w, r, err)
}

// updateMatter saves the edit form of a matter: title, type, case number,
// court, lead lawyer and staff (status and parties have their own forms).
func (s *Server) updateMatter(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	f := r.PostFormValue
	lead, _ := strconv.ParseInt(f("lead_lawyer_id"), 10, 64)
	m := model.Matter{ID: id, Title: f("title"), Type: model.MatterType(f("type")), CaseNumber: f("case_number"),
		Court: f("court"), LeadLawyerID: lead, AssistantIDs: formIDs(r, "assistant"), SharedWithIDs: formIDs(r, "shared")}
	typed := m // the form as typed: UpdateMatter normalises m in place
	if err := s.book().UpdateMatter(r.Context(), p, &m); err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			s.renderMatterForm(w, r, p, id, http.StatusBadRequest, err.Error(), refusedForm{matter: &typed})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/matters/%d?done=saved", id), http.StatusSeeOther)
}

func (s *Server) addParty(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	f := r.PostFormValue
	pt := model.Party{Name: f("name"), Kind: model.ContactKind(f("kind")), Role: model.PartyRole(f("role")),
		USCC: f("uscc"), IDNumber: f("id_number"), Phone: f("phone")}
	typed := pt // the form as typed: AddParty normalises pt in place
	if _, err := s.book().AddParty(r.Context(), p, id, &pt); err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			s.renderMatterForm(w, r, p, id, http.StatusBadRequest, err.Error(), refusedForm{party: &typed})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/matters/%d?done=saved#checks", id), http.StatusSeeOther)
}

func (s *Server) changePartyRole(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	pid, ok := s.pathID(w, r, "pid")
	if !ok {
		return
	}
	if _, err := s.book().ChangePartyRole(r.Context(), p, id, pid, model.PartyRole(r.PostFormValue("role"))); err != nil {
		s.matterFormError(w, r, p, id, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/matters/%d?done=saved#checks", id), http.StatusSeeOther)
}

func (s *Server) matterStatus(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	status := model.MatterStatus(r.PostFormValue("status"))
	if status.Rank() >= model.MatterClosed.Rank() && r.PostFormValue("confirm") != "yes" {
		// Closing hands over the group-dissolution deadline and only an
		// administrator can undo it: ask first (a page, no script needed).
		m, err := s.book().Matter(r.Context(), p, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if m.Status.Rank() < model.MatterClosed.Rank() {
			s.renderMatterForm(w, r, p, id, http.StatusOK, "", refusedForm{closing: &closingForm{Status: status, Date: r.PostFormValue("date")}})
			return
		}
	}
	change, err := s.book().SetStatus(r.Context(), p, id, status, formDate(r.PostFormValue("date")))
	if err != nil {
		s.matterFormError(w, r, p, id, err)
		return
	}
	next := fmt.Sprintf("/matters/%d?done=saved", id)
	if change.Deadline != nil {
		next += "&deadline=" + change.Deadline.DueDate
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// reopenMatter takes a closed matter back to 办理中 (administrators only).
func (s *Server) reopenMatter(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if _, err := s.book().ReopenMatter(r.Context(), p, id); err != nil {
		s.matterFormError(w, r, p, id, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/matters/%d?done=saved", id), http.StatusSeeOther)
}

type conflictsView struct {
	Names  string
	Report *clientbook.Report
}

func (s *Server) conflictsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.render(w, r, http.StatusOK, "matters_conflicts", page{Title: "利益冲突检索", Active: "/matters", Data: conflictsView{}})
}

func (s *Server) conflictsCheck(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	names := r.PostFormValue("names")
	rep, err := s.book().CheckNames(r.Context(), p, splitLines(names))
	if err != nil {
		if errors.Is(err, model.ErrInvalidInput) {
			s.render(w, r, http.StatusBadRequest, "matters_conflicts", page{Title: "利益冲突检索", Active: "/matters",
				Error: err.Error(), Data: conflictsView{Names: names}})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "matters_conflicts", page{Title: "利益冲突检索", Active: "/matters",
		Data: conflictsView{Names: names, Report: &rep}})
}

// splitLines splits a textarea into its non-empty lines.
func splitLines(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

func (s *Server) conflictDecide(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	matterID, _ := strconv.ParseInt(r.PostFormValue("matter_id"), 10, 64)
	err := s.book().Decide(r.Context(), p, id, model.ConflictDecision(r.PostFormValue("decision")), r.PostFormValue("reason"))
	if err != nil {
		if matterID > 0 {
			s.matterFormError(w, r, p, matterID, err)
			return
		}
		s.fail(w, r, err)
		return
	}
	if matterID > 0 {
		http.Redirect(w, r, fmt.Sprintf("/matters/%d?done=saved#checks", matterID), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/conflicts?done=saved", http.StatusSeeOther)
}
