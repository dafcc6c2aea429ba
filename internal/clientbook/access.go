package clientbook

import (
	"slices"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
)

// The matter access rule lives in this file and nowhere else: handlers, CLI
// commands and the store ask these functions and never decide themselves.
//
//   - admin: every matter;
//   - lawyer: matters they lead, and matters shared with them or on which
//     they are listed as assisting staff;
//   - assistant: only matters they are assigned to as assisting staff;
//   - nil principal: the local CLI, which has the machine's full trust.
//
// Changing a matter (fields, parties, status) is for admins and the lead
// lawyer; creating one is for lawyers and admins.

// CanViewMatter returns nil when p may see m, auth.ErrHidden (a refusal that
// answers like a missing matter) otherwise.
func CanViewMatter(p *auth.Principal, m *model.Matter) error {
	if p == nil {
		return nil
	}
	if p.User == nil || p.User.Disabled {
		return auth.ErrHidden
	}
	id := p.User.ID
	switch p.User.Role {
	case model.RoleAdmin:
		return nil
	case model.RoleLawyer:
		if m.LeadLawyerID == id || slices.Contains(m.SharedWithIDs, id) || slices.Contains(m.AssistantIDs, id) {
			return nil
		}
	case model.RoleAssistant:
		if slices.Contains(m.AssistantIDs, id) {
			return nil
		}
	}
	return auth.ErrHidden
}

// CanEditMatter returns nil when p may change m.
func CanEditMatter(p *auth.Principal, m *model.Matter) error {
	if p == nil {
		return nil
	}
	if p.User == nil || p.User.Disabled {
		return auth.ErrForbidden
	}
	if p.User.Role == model.RoleAdmin || (p.User.Role == model.RoleLawyer && m.LeadLawyerID == p.User.ID) {
		return nil
	}
	return auth.ErrForbidden
}

// CanCreateMatter returns nil when p may open matters.
func CanCreateMatter(p *auth.Principal) error {
	if p == nil {
		return nil
	}
	if p.User != nil && !p.User.Disabled && (p.User.Role == model.RoleAdmin || p.User.Role == model.RoleLawyer) {
		return nil
	}
	return auth.ErrForbidden
}
