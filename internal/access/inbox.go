package access

import "github.com/lvxin/lvxin/internal/model"

// ViewInboxConversation: a message-centre conversation linked to a matter
// is visible to whoever may see that matter (matter is the linked matter,
// nil when missing: refused); one of no matter to admins and to its lawyer
// (the lawyer its kf account is mapped to). Whoever may see it may reply.
func ViewInboxConversation(u *model.User, c *model.InboxConversation, matter *model.Matter) error {
	return viewOwned(u, c.MatterID, c.LawyerID, matter)
}

// ViewCaseGroup: a case group linked to a matter follows the matter; one
// of no matter is visible to admins and to the lawyer who owns it in WeCom.
// Whoever may see it may review its members and post notices.
func ViewCaseGroup(u *model.User, g *model.CaseGroup, matter *model.Matter) error {
	return viewOwned(u, g.MatterID, g.LawyerID, matter)
}

// viewOwned is the rule of records that belong to a matter when linked
// and to one lawyer otherwise.
func viewOwned(u *model.User, matterID, lawyerID int64, matter *model.Matter) error {
	if u == nil {
		return nil
	}
	if !active(u) {
		return ErrHidden
	}
	if matterID != 0 {
		if matter == nil || matter.ID != matterID {
			return ErrHidden
		}
		return ViewMatter(u, matter)
	}
	if u.Role == model.RoleAdmin || (lawyerID != 0 && lawyerID == u.ID) {
		return nil
	}
	return ErrHidden
}

// MoveInboxConversation: whoever may see a conversation may link it to a
// matter they may see; taking a linked conversation out of its matter, or
// moving it to another, is not for assistants.
func MoveInboxConversation(u *model.User, c *model.InboxConversation, toMatterID int64) error {
	if u == nil {
		return nil
	}
	if !active(u) {
		return ErrForbidden
	}
	if c.MatterID != 0 && toMatterID != c.MatterID && u.Role == model.RoleAssistant {
		return ErrForbidden
	}
	return nil
}
