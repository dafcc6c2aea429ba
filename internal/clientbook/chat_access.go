package clientbook

import (
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
)

// The chat access rule, beside the matter rule it rests on (access.go):
//
//   - a conversation some import of which is linked to a matter is visible
//     to whoever may see one of those matters (CanViewMatter decides; this
//     file does not repeat the rule);
//   - a conversation no import of which is linked to a matter is visible to
//     admins and to the users who imported it;
//   - nil principal: the local CLI, trusted.
//
// Since migration 00011 every import into a conversation names the same
// matter as the conversation (the matter is part of its identity), so "the
// imports' matters" is the conversation's matter; only conversations merged
// before that release can have several, and they keep the access they had.
//
// Whoever may see a conversation may find it in the list and in search
// results, open it and print it; the chat workflow (internal/archive) asks
// this function and nothing else.

// CanViewChat returns nil when p may see the conversation fed by imports
// (their MatterID and ImportedBy are read), auth.ErrForbidden otherwise.
// matters holds the linked matters by id; a linked matter missing from it
// grants nothing.
func CanViewChat(p *auth.Principal, imports []*model.ChatImport, matters map[int64]*model.Matter) error {
	if p == nil {
		return nil
	}
	if p.User == nil || p.User.Disabled {
		return auth.ErrHidden
	}
	linked := false
	for _, imp := range imports {
		if imp.MatterID == 0 {
			continue
		}
		linked = true
		if m := matters[imp.MatterID]; m != nil && m.ID == imp.MatterID && CanViewMatter(p, m) == nil {
			return nil
		}
	}
	if linked {
		return auth.ErrHidden
	}
	if p.User.Role == model.RoleAdmin {
		return nil
	}
	for _, imp := range imports {
		if imp.ImportedBy != "" && imp.ImportedBy == p.User.Username {
			return nil
		}
	}
	return auth.ErrHidden
}
