package access

import "github.com/lvxin/lvxin/internal/model"

// ViewChat: a conversation linked to a matter is visible to whoever may see
// one of its imports' matters (since migration 00011 every import of a
// conversation names the conversation's own matter; conversations merged
// before keep the access they had); a conversation of no matter is visible
// to admins and to the users who imported it. matters holds the linked
// matters by id; a linked matter missing from it grants nothing.
func ViewChat(u *model.User, imports []*model.ChatImport, matters map[int64]*model.Matter) error {
	if u == nil {
		return nil
	}
	if !active(u) {
		return ErrHidden
	}
	linked := false
	for _, imp := range imports {
		if imp.MatterID == 0 {
			continue
		}
		linked = true
		if m := matters[imp.MatterID]; m != nil && m.ID == imp.MatterID && ViewMatter(u, m) == nil {
			return nil
		}
	}
	if linked {
		return ErrHidden
	}
	if u.Role == model.RoleAdmin {
		return nil
	}
	for _, imp := range imports {
		if imp.ImportedBy != "" && imp.ImportedBy == u.Username {
			return nil
		}
	}
	return ErrHidden
}

// ViewEvidence: an item linked to a matter is visible to whoever may see
// that matter (matter is the linked matter, nil when missing: refused); an
// item of no matter to admins and to the user who added it. Whoever may see
// an item may open, download and export it.
func ViewEvidence(u *model.User, item *model.EvidenceItem, matter *model.Matter) error {
	if u == nil {
		return nil
	}
	if !active(u) {
		return ErrHidden
	}
	if item.MatterID != 0 {
		if matter == nil || matter.ID != item.MatterID {
			return ErrHidden
		}
		return ViewMatter(u, matter)
	}
	if u.Role == model.RoleAdmin || (item.AddedByID != 0 && item.AddedByID == u.ID) {
		return nil
	}
	return ErrHidden
}

// MoveEvidence: whoever may see an item may link an unlinked item to a
// matter they may see; taking a linked item out of its matter, or moving
// it to another, is not for assistants (it would hide the item from the
// matter's lawyers).
func MoveEvidence(u *model.User, item *model.EvidenceItem, toMatterID int64) error {
	if u == nil {
		return nil
	}
	if !active(u) {
		return ErrForbidden
	}
	if item.MatterID != 0 && toMatterID != item.MatterID && u.Role == model.RoleAssistant {
		return ErrForbidden
	}
	return nil
}

// ViewDeadline: a saved deadline is its owner's; admins see every one.
func ViewDeadline(u *model.User, d *model.Deadline) error {
	if u == nil || IsAdmin(u) || (active(u) && d.OwnerID == u.ID) {
		return nil
	}
	return ErrHidden
}

// ViewConsultation: a consultation is its lawyer's; admins see every one.
func ViewConsultation(u *model.User, c *model.Consultation) error {
	if u == nil || IsAdmin(u) || (active(u) && c.LawyerID == u.ID) {
		return nil
	}
	return ErrHidden
}
