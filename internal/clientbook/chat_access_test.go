package clientbook

import (
	"errors"
	"testing"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
)

func TestChatAccessRule(t *testing.T) {
	const lead, assistant, otherAssistant, otherLawyer, admin, importer = 1, 2, 3, 4, 5, 6
	matters := map[int64]*model.Matter{
		10: {ID: 10, LeadLawyerID: lead, AssistantIDs: []int64{assistant}},
		11: {ID: 11, LeadLawyerID: otherLawyer},
	}
	named := func(id int64, role model.Role, name string) *auth.Principal {
		p := who(id, role)
		p.User.Username = name
		return p
	}
	disabled := named(importer, model.RoleAssistant, "imp")
	disabled.User.Disabled = true
	type conv struct {
		matter  int64
		imports []*model.ChatImport
	}
	linked := conv{10, []*model.ChatImport{{MatterID: 10, ImportedBy: "imp"}}}
	// A later import naming matter 11 does not open matter 10's
	// conversation to matter 11's staff (the cross-matter leak).
	otherImport := conv{10, []*model.ChatImport{{MatterID: 10}, {MatterID: 11, ImportedBy: "imp"}}}
	unlinked := conv{0, []*model.ChatImport{{ImportedBy: "x"}, {ClientID: 7, ImportedBy: "imp"}}}
	unlinkedByMatterImport := conv{0, []*model.ChatImport{{MatterID: 10, ImportedBy: "x"}}}
	missing := conv{99, []*model.ChatImport{{MatterID: 99, ImportedBy: "imp"}}}
	cases := []struct {
		name string
		p    *auth.Principal
		c    conv
		view bool
	}{
		{"lead lawyer, linked", named(lead, model.RoleLawyer, "lead"), linked, true},
		{"assigned assistant, linked", named(assistant, model.RoleAssistant, "a"), linked, true},
		{"unassigned assistant, linked", named(otherAssistant, model.RoleAssistant, "b"), linked, false},
		{"other lawyer, linked", named(otherLawyer, model.RoleLawyer, "c"), linked, false},
		{"admin, linked", named(admin, model.RoleAdmin, "adm"), linked, true},
		// The importer of a linked conversation sees it only through the matter.
		{"importer not on the matter, linked", named(importer, model.RoleAssistant, "imp"), linked, false},
		{"assistant of the conversation's matter", named(assistant, model.RoleAssistant, "a"), otherImport, true},
		{"lawyer of a later import's matter", named(otherLawyer, model.RoleLawyer, "c"), otherImport, false},
		{"importer into another matter", named(importer, model.RoleAssistant, "imp"), otherImport, false},
		{"importer, unlinked (client only)", named(importer, model.RoleAssistant, "imp"), unlinked, true},
		{"other importer, unlinked", named(otherAssistant, model.RoleAssistant, "x"), unlinked, true},
		{"lawyer, unlinked", named(lead, model.RoleLawyer, "lead"), unlinked, false},
		{"matter staff, unlinked conversation", named(assistant, model.RoleAssistant, "a"), unlinkedByMatterImport, false},
		{"admin, unlinked", named(admin, model.RoleAdmin, "adm"), unlinked, true},
		{"admin, no imports", named(admin, model.RoleAdmin, "adm"), conv{}, true},
		{"assistant, no imports", named(assistant, model.RoleAssistant, "a"), conv{}, false},
		{"matter missing", named(admin, model.RoleAdmin, "adm"), missing, false},
		{"disabled importer", disabled, unlinked, false},
		{"principal without user", &auth.Principal{}, unlinked, false},
		{"local CLI", nil, linked, true},
	}
	for _, c := range cases {
		err := CanViewChat(c.p, c.c.matter, c.c.imports, matters)
		if (err == nil) != c.view || (err != nil && !errors.Is(err, auth.ErrForbidden)) {
			t.Errorf("%s: %v, want view=%v", c.name, err, c.view)
		}
	}
}
