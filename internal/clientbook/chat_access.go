package clientbook

import (
	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
)

// The chat access rule, beside the matter rule it rests on (access.go):
//
//   - a conversation linked to a matter (conversations.matter_id, set when
//     it was first imported and never moved by a later import) is visible
//     to whoever may see that matter (CanViewMatter decides; this file does
//     not repeat the rule); which matters later imports named grants
//     nothing, so one import can never open another matter's conversation;
//   - a conversation linked to no matter is visible to admins and to the
//     users who imported it;
//   - nil principal: the local CLI, trusted.
//
// Whoever may see a conversation may find it in the list and in search
// results, open it and print it; the chat workflow (internal/archive) asks
// this function and nothing else.

// CanViewChat returns nil when p may see the conversation linked to
// matterID (0: none) and fed by imports (their ImportedBy is read),
// auth.ErrForbidden otherwise. matters holds the linked matter by id; a
// linked matter missing from it grants nothing.
func CanViewChat(p *auth.Principal, matterID int64, imports []*model.ChatImport, matters map[int64]*model.Matter) error {
	if p == nil {
		return nil
	}
	if p.User == nil || p.User.Disabled {
		return auth.ErrHidden
	}
	if matterID != 0 {
		if m := matters[matterID]; m != nil && m.ID == matterID {
			return CanViewMatter(p, m)
		}
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
