package clientbook

import (
	"errors"
	"testing"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
)

func who(id int64, role model.Role) *auth.Principal {
	return &auth.Principal{User: &model.User{ID: id, Role: role, Username: string(role)}}
}

func TestMatterAccessRule(t *testing.T) {
	const lead, shared, assistant, otherLawyer, otherAssistant, admin, assistingLawyer = 1, 2, 3, 4, 5, 6, 7
	m := &model.Matter{ID: 10, LeadLawyerID: lead, SharedWithIDs: []int64{shared}, AssistantIDs: []int64{assistant, assistingLawyer}}
	disabledAdmin := who(admin, model.RoleAdmin)
	disabledAdmin.User.Disabled = true
	cases := []struct {
		name       string
		p          *auth.Principal
		view, edit bool
	}{
		{"admin sees and edits all", who(admin, model.RoleAdmin), true, true},
		{"lead lawyer", who(lead, model.RoleLawyer), true, true},
		{"lawyer shared with", who(shared, model.RoleLawyer), true, false},
		{"lawyer listed as assisting staff", who(assistingLawyer, model.RoleLawyer), true, false},
		{"other lawyer", who(otherLawyer, model.RoleLawyer), false, false},
		{"assigned assistant", who(assistant, model.RoleAssistant), true, false},
		{"unassigned assistant", who(otherAssistant, model.RoleAssistant), false, false},
		// An assistant whose id happens to be in the shared list is still
		// only an assistant: sharing is for lawyers.
		{"assistant in shared list", who(shared, model.RoleAssistant), false, false},
		// A lead id held by an assistant does not make them lead.
		{"assistant with lead id", who(lead, model.RoleAssistant), false, false},
		{"disabled admin", disabledAdmin, false, false},
		{"unknown role", who(admin, model.Role("guest")), false, false},
		{"principal without user", &auth.Principal{}, false, false},
		{"local CLI", nil, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := CanViewMatter(c.p, m); (err == nil) != c.view || (err != nil && !errors.Is(err, auth.ErrForbidden)) {
				t.Errorf("view: %v, want allowed=%v", err, c.view)
			}
			if err := CanEditMatter(c.p, m); (err == nil) != c.edit || (err != nil && !errors.Is(err, auth.ErrForbidden)) {
				t.Errorf("edit: %v, want allowed=%v", err, c.edit)
			}
		})
	}
	for role, want := range map[model.Role]bool{model.RoleAdmin: true, model.RoleLawyer: true, model.RoleAssistant: false} {
		if err := CanCreateMatter(who(1, role)); (err == nil) != want {
			t.Errorf("create as %s: %v", role, err)
		}
	}
}
