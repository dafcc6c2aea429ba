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
	linked := []*model.ChatImport{{MatterID: 10, ImportedBy: "imp"}}
	twoMatters := []*model.ChatImport{{MatterID: 11, ImportedBy: "imp"}, {MatterID: 10}}
	linkedLater := []*model.ChatImport{{ImportedBy: "imp"}, {MatterID: 11, ImportedBy: "x"}}
	unlinked := []*model.ChatImport{{ImportedBy: "x"}, {ClientID: 7, ImportedBy: "imp"}}
	missing := []*model.ChatImport{{MatterID: 99, ImportedBy: "imp"}}
	cases := []struct {
		name    string
		p       *auth.Principal
		imports []*model.ChatImport
		view    bool
	}{
		{"lead lawyer, linked", named(lead, model.RoleLawyer, "lead"), linked, true},
		{"assigned assistant, linked", named(assistant, model.RoleAssistant, "a"), linked, true},
		{"unassigned assistant, linked", named(otherAssistant, model.RoleAssistant, "b"), linked, false},
		{"other lawyer, linked", named(otherLawyer, model.RoleLawyer, "c"), linked, false},
		{"admin, linked", named(admin, model.RoleAdmin, "adm"), linked, true},
		// The importer of a linked conversation sees it only through the matter.
		{"importer not on the matter, linked", named(importer, model.RoleAssistant, "imp"), linked, false},
		{"assistant of one of two matters", named(assistant, model.RoleAssistant, "a"), twoMatters, true},
		{"lawyer of the other matter", named(otherLawyer, model.RoleLawyer, "c"), twoMatters, true},
		{"importer, linked by a later import", named(importer, model.RoleAssistant, "imp"), linkedLater, false},
		{"importer, unlinked (client only)", named(importer, model.RoleAssistant, "imp"), unlinked, true},
		{"other importer, unlinked", named(otherAssistant, model.RoleAssistant, "x"), unlinked, true},
		{"lawyer, unlinked", named(lead, model.RoleLawyer, "lead"), unlinked, false},
		{"admin, unlinked", named(admin, model.RoleAdmin, "adm"), unlinked, true},
		{"admin, no imports", named(admin, model.RoleAdmin, "adm"), nil, true},
		{"assistant, no imports", named(assistant, model.RoleAssistant, "a"), nil, false},
		{"matter missing", named(admin, model.RoleAdmin, "adm"), missing, false},
		{"disabled importer", disabled, unlinked, false},
		{"principal without user", &auth.Principal{}, unlinked, false},
		{"local CLI", nil, linked, true},
	}
	for _, c := range cases {
		err := CanViewChat(c.p, c.imports, matters)
		if (err == nil) != c.view || (err != nil && !errors.Is(err, auth.ErrForbidden)) {
			t.Errorf("%s: %v, want view=%v", c.name, err, c.view)
		}
	}
}
