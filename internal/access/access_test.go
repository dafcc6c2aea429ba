package access

import (
	"errors"
	"fmt"
	"testing"

	"github.com/lvxin/lvxin/internal/model"
)

// TestAccessTable lists every (role, relation, action) cell of lvxin's
// access rules. A new workflow adds its rows here; a rule change shows up
// as a changed row in review.
func TestAccessTable(t *testing.T) {
	const me = 7
	users := map[string]*model.User{
		"admin":     {ID: me, Username: "me", Role: model.RoleAdmin},
		"lawyer":    {ID: me, Username: "me", Role: model.RoleLawyer},
		"assistant": {ID: me, Username: "me", Role: model.RoleAssistant},
		"disabled":  {ID: me, Username: "me", Role: model.RoleAdmin, Disabled: true},
		"cli":       nil,
	}
	// Matters by the actor's relation to them.
	matters := map[string]*model.Matter{
		"leads":    {ID: 1, LeadLawyerID: me},
		"shared":   {ID: 2, LeadLawyerID: 9, SharedWithIDs: []int64{me}},
		"assists":  {ID: 3, LeadLawyerID: 9, AssistantIDs: []int64{me}},
		"stranger": {ID: 4, LeadLawyerID: 9, AssistantIDs: []int64{8}},
	}
	all := map[int64]*model.Matter{}
	for _, m := range matters {
		all[m.ID] = m
	}
	type action func(u *model.User, rel string) error
	matterOf := func(rel string) *model.Matter { return matters[rel] }
	actions := map[string]action{
		"view matter":     func(u *model.User, rel string) error { return ViewMatter(u, matterOf(rel)) },
		"edit matter":     func(u *model.User, rel string) error { return EditMatter(u, matterOf(rel)) },
		"create matter":   func(u *model.User, _ string) error { return CreateMatter(u) },
		"decide conflict": func(u *model.User, rel string) error { return DecideConflict(u, matterOf(rel)) },
		"view chat": func(u *model.User, rel string) error {
			switch rel {
			case "unlinked, mine":
				return ViewChat(u, []*model.ChatImport{{ImportedBy: "someone"}, {ImportedBy: "me"}}, all)
			case "unlinked, other's":
				return ViewChat(u, []*model.ChatImport{{ImportedBy: "someone"}}, all)
			case "merged before 00011 (stranger + shared)":
				return ViewChat(u, []*model.ChatImport{{MatterID: 4}, {MatterID: 2}}, all)
			case "matter missing":
				return ViewChat(u, []*model.ChatImport{{MatterID: 99, ImportedBy: "me"}}, all)
			}
			m := matterOf(rel)
			// Importing it myself grants nothing once it is linked.
			return ViewChat(u, []*model.ChatImport{{MatterID: m.ID, ImportedBy: "me"}}, all)
		},
		"view evidence": func(u *model.User, rel string) error {
			switch rel {
			case "unlinked, mine":
				return ViewEvidence(u, &model.EvidenceItem{AddedByID: me}, nil)
			case "unlinked, other's":
				return ViewEvidence(u, &model.EvidenceItem{AddedByID: 9}, nil)
			case "matter missing":
				return ViewEvidence(u, &model.EvidenceItem{MatterID: 99, AddedByID: me}, nil)
			}
			m := matterOf(rel)
			return ViewEvidence(u, &model.EvidenceItem{MatterID: m.ID, AddedByID: me}, m)
		},
		"unlink evidence": func(u *model.User, rel string) error {
			return MoveEvidence(u, &model.EvidenceItem{MatterID: matterOf(rel).ID}, 0)
		},
		"link evidence": func(u *model.User, _ string) error {
			return MoveEvidence(u, &model.EvidenceItem{}, 3)
		},
		"view deadline": func(u *model.User, rel string) error {
			owner := int64(9)
			if rel == "mine" {
				owner = me
			}
			return ViewDeadline(u, &model.Deadline{OwnerID: owner})
		},
		"view consultation": func(u *model.User, rel string) error {
			lawyer := int64(9)
			if rel == "mine" {
				lawyer = me
			}
			return ViewConsultation(u, &model.Consultation{LawyerID: lawyer})
		},
		"view inbox conversation": func(u *model.User, rel string) error {
			switch rel {
			case "unlinked, mine":
				return ViewInboxConversation(u, &model.InboxConversation{LawyerID: me}, nil)
			case "unlinked, other's":
				return ViewInboxConversation(u, &model.InboxConversation{LawyerID: 9}, nil)
			case "unlinked, no lawyer":
				return ViewInboxConversation(u, &model.InboxConversation{}, nil)
			case "matter missing":
				return ViewInboxConversation(u, &model.InboxConversation{MatterID: 99, LawyerID: me}, nil)
			}
			m := matterOf(rel)
			// Being the kf account's lawyer grants nothing once it is linked.
			return ViewInboxConversation(u, &model.InboxConversation{MatterID: m.ID, LawyerID: me}, m)
		},
		"unlink inbox conversation": func(u *model.User, rel string) error {
			return MoveInboxConversation(u, &model.InboxConversation{MatterID: matterOf(rel).ID}, 0)
		},
		"link inbox conversation": func(u *model.User, _ string) error {
			return MoveInboxConversation(u, &model.InboxConversation{LawyerID: me}, 3)
		},
		"view case group": func(u *model.User, rel string) error {
			switch rel {
			case "unlinked, mine":
				return ViewCaseGroup(u, &model.CaseGroup{LawyerID: me}, nil)
			case "unlinked, other's":
				return ViewCaseGroup(u, &model.CaseGroup{LawyerID: 9}, nil)
			case "matter missing":
				return ViewCaseGroup(u, &model.CaseGroup{MatterID: 99}, matterOf("leads"))
			}
			m := matterOf(rel)
			return ViewCaseGroup(u, &model.CaseGroup{MatterID: m.ID, LawyerID: me}, m)
		},
		"send document": func(u *model.User, rel string) error { return SendDocument(u, matterOf(rel)) },
		"administer":    func(u *model.User, _ string) error { return Administer(u) },
		"manage user": func(u *model.User, rel string) error {
			id := int64(9)
			if rel == "mine" {
				id = me
			}
			return ManageUser(u, id)
		},
		"own account": func(u *model.User, _ string) error { return Self(u) },
	}
	// want: "ok", "hidden" (answers like a missing record) or "forbidden".
	type cell struct{ role, action, relation, want string }
	var cells []cell
	add := func(action, relation string, want map[string]string) {
		for role := range users {
			w, ok := want[role]
			if !ok {
				t.Fatalf("%s / %s: no expectation for %s", action, relation, role)
			}
			cells = append(cells, cell{role, action, relation, w})
		}
	}
	ok5 := map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "ok", "disabled": "hidden", "cli": "ok"}
	okAdmin := func(other string) map[string]string {
		return map[string]string{"admin": "ok", "lawyer": other, "assistant": other, "disabled": other, "cli": "ok"}
	}
	// Matters.
	add("view matter", "leads", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "hidden", "disabled": "hidden", "cli": "ok"})
	add("view matter", "shared", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "hidden", "disabled": "hidden", "cli": "ok"})
	add("view matter", "assists", ok5)
	add("view matter", "stranger", okAdmin("hidden"))
	add("edit matter", "leads", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "forbidden", "disabled": "forbidden", "cli": "ok"})
	add("edit matter", "shared", okAdmin("forbidden"))
	add("edit matter", "assists", okAdmin("forbidden"))
	add("create matter", "-", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "forbidden", "disabled": "forbidden", "cli": "ok"})
	add("decide conflict", "leads", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "forbidden", "disabled": "forbidden", "cli": "ok"})
	add("decide conflict", "assists", okAdmin("forbidden"))
	add("decide conflict", "no matter", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "forbidden", "disabled": "forbidden", "cli": "ok"})
	// Chats.
	add("view chat", "assists", ok5)
	add("view chat", "shared", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "hidden", "disabled": "hidden", "cli": "ok"})
	add("view chat", "stranger", okAdmin("hidden"))
	add("view chat", "merged before 00011 (stranger + shared)", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "hidden", "disabled": "hidden", "cli": "ok"})
	add("view chat", "unlinked, mine", ok5)
	add("view chat", "unlinked, other's", okAdmin("hidden"))
	add("view chat", "matter missing", map[string]string{"admin": "hidden", "lawyer": "hidden", "assistant": "hidden", "disabled": "hidden", "cli": "ok"})
	// Evidence.
	add("view evidence", "assists", ok5)
	add("view evidence", "leads", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "hidden", "disabled": "hidden", "cli": "ok"})
	add("view evidence", "stranger", okAdmin("hidden"))
	add("view evidence", "unlinked, mine", ok5)
	add("view evidence", "unlinked, other's", okAdmin("hidden"))
	add("view evidence", "matter missing", map[string]string{"admin": "hidden", "lawyer": "hidden", "assistant": "hidden", "disabled": "hidden", "cli": "ok"})
	add("unlink evidence", "assists", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "forbidden", "disabled": "forbidden", "cli": "ok"})
	add("link evidence", "-", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "ok", "disabled": "forbidden", "cli": "ok"})
	// Message centre conversations and case groups.
	add("view inbox conversation", "leads", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "hidden", "disabled": "hidden", "cli": "ok"})
	add("view inbox conversation", "assists", ok5)
	add("view inbox conversation", "stranger", okAdmin("hidden"))
	add("view inbox conversation", "unlinked, mine", ok5)
	add("view inbox conversation", "unlinked, other's", okAdmin("hidden"))
	add("view inbox conversation", "unlinked, no lawyer", okAdmin("hidden"))
	add("view inbox conversation", "matter missing", map[string]string{"admin": "hidden", "lawyer": "hidden", "assistant": "hidden", "disabled": "hidden", "cli": "ok"})
	add("unlink inbox conversation", "assists", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "forbidden", "disabled": "forbidden", "cli": "ok"})
	add("link inbox conversation", "-", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "ok", "disabled": "forbidden", "cli": "ok"})
	add("view case group", "shared", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "hidden", "disabled": "hidden", "cli": "ok"})
	add("view case group", "assists", ok5)
	add("view case group", "stranger", okAdmin("hidden"))
	add("view case group", "unlinked, mine", ok5)
	add("view case group", "unlinked, other's", okAdmin("hidden"))
	add("view case group", "matter missing", map[string]string{"admin": "hidden", "lawyer": "hidden", "assistant": "hidden", "disabled": "hidden", "cli": "ok"})
	// Deadlines, consultations.
	add("view deadline", "mine", ok5)
	add("view deadline", "other's", okAdmin("hidden"))
	add("view consultation", "mine", ok5)
	add("view consultation", "other's", okAdmin("hidden"))
	// Secure document delivery: the matter's rule, for upload, send, revoke alike.
	add("send document", "leads", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "hidden", "disabled": "hidden", "cli": "ok"})
	add("send document", "shared", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "hidden", "disabled": "hidden", "cli": "ok"})
	add("send document", "assists", ok5)
	add("send document", "stranger", okAdmin("hidden"))
	// Firm administration and one's own account.
	add("administer", "-", okAdmin("forbidden"))
	add("manage user", "mine", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "ok", "disabled": "forbidden", "cli": "ok"})
	add("manage user", "other's", okAdmin("forbidden"))
	add("own account", "-", map[string]string{"admin": "ok", "lawyer": "ok", "assistant": "ok", "disabled": "forbidden", "cli": "forbidden"})

	for _, c := range cells {
		t.Run(fmt.Sprintf("%s/%s/%s", c.action, c.relation, c.role), func(t *testing.T) {
			err := actions[c.action](users[c.role], c.relation)
			got := "ok"
			switch {
			case errors.Is(err, ErrHidden):
				got = "hidden"
			case errors.Is(err, ErrForbidden):
				got = "forbidden"
			case err != nil:
				t.Fatalf("unexpected error %v", err)
			}
			if got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
	if !errors.Is(ErrHidden, ErrForbidden) {
		t.Error("ErrHidden must be a refusal (errors.Is ErrForbidden)")
	}
}

// TestNDARequired: confidential documents and trade secrets need a signed
// NDA on record for the recipient; ordinary documents do not.
func TestNDARequired(t *testing.T) {
	for class, want := range map[model.DocumentClass]bool{model.ClassOrdinary: false, model.ClassConfidential: true, model.ClassTradeSecret: true} {
		if got := NDARequired(class); got != want {
			t.Errorf("%s (%s): NDA required %v, want %v", class, class.Label(), got, want)
		}
	}
}
