package access

import (
	"slices"

	"github.com/lvxin/lvxin/internal/model"
)

// The matter rule, on which the chat and evidence rules rest:
//
//   - admin: every matter;
//   - lawyer: matters they lead, and matters shared with them or on which
//     they are listed as assisting staff;
//   - assistant: only matters they are assigned to as assisting staff.
//
// Changing a matter (fields, parties, status, conflict decisions) is for
// admins and the lead lawyer; opening one is for lawyers and admins.

// ViewMatter returns nil when u may see m, ErrHidden otherwise.
func ViewMatter(u *model.User, m *model.Matter) error {
	if u == nil {
		return nil
	}
	if !active(u) || m == nil {
		return ErrHidden
	}
	switch u.Role {
	case model.RoleAdmin:
		return nil
	case model.RoleLawyer:
		if m.LeadLawyerID == u.ID || slices.Contains(m.SharedWithIDs, u.ID) || slices.Contains(m.AssistantIDs, u.ID) {
			return nil
		}
	case model.RoleAssistant:
		if slices.Contains(m.AssistantIDs, u.ID) {
			return nil
		}
	}
	return ErrHidden
}

// EditMatter returns nil when u may change m (which u may see; callers ask
// ViewMatter first so that a hidden matter stays hidden).
func EditMatter(u *model.User, m *model.Matter) error {
	if u == nil {
		return nil
	}
	if active(u) && (u.Role == model.RoleAdmin || (u.Role == model.RoleLawyer && m.LeadLawyerID == u.ID)) {
		return nil
	}
	return ErrForbidden
}

// CreateMatter returns nil when u may open matters.
func CreateMatter(u *model.User) error {
	if u == nil || (active(u) && (u.Role == model.RoleAdmin || u.Role == model.RoleLawyer)) {
		return nil
	}
	return ErrForbidden
}

// DecideConflict returns nil when u may record the decision on a conflict
// check: for a check tied to matter m, whoever may change m; for a check
// of no matter (nil), lawyers and admins.
func DecideConflict(u *model.User, m *model.Matter) error {
	if m != nil {
		return EditMatter(u, m)
	}
	return CreateMatter(u)
}
