package store

import (
	"context"

	"github.com/lvxin/lvxin/internal/model"
)

// The chat access rule (access.ViewChat) answered in SQL for one user, so
// that a page's visible set costs what the user's own matters and imports
// cost, not what the whole firm's conversations cost. It must give exactly
// what ViewChat gives row by row; archive's tests compare the two on
// random firms on both engines.

// VisibleConversationIDs returns, in id order, the conversations a user
// who is not an administrator may see under access.ViewChat:
//   - a conversation with at least one import linked to a matter (matter_id
//     set and not 0) is visible when one of those matters exists and the
//     user may see it (access.ViewMatter: a lawyer leads it or is its
//     assisting or shared staff; an assistant is its assisting staff);
//   - a conversation with no linked import is visible when the user
//     imported one of its imports.
//
// A disabled user sees nothing. Administrators are not handled here (see
// OrphanChatLinks).
func (db *DB) VisibleConversationIDs(ctx context.Context, u *model.User) ([]int64, error) {
	if u == nil || u.Disabled {
		return []int64{}, nil
	}
	var matters string
	var args []any
	switch u.Role {
	case model.RoleLawyer:
		matters = "SELECT id FROM matters WHERE lead_lawyer_id = ? UNION SELECT matter_id FROM matter_staff WHERE user_id = ?"
		args = []any{u.ID, u.ID}
	case model.RoleAssistant:
		matters = "SELECT matter_id FROM matter_staff WHERE user_id = ? AND role = 'assistant'"
		args = []any{u.ID}
	default:
		matters = "SELECT id FROM matters WHERE 1 = 0"
	}
	// Linked conversations through the user's matters; unlinked ones the
	// user imported (NOT EXISTS: no import of the conversation names a
	// matter).
	q := `SELECT s.conversation_id FROM chat_imports i JOIN conversation_sources s ON s.import_id = i.id
		WHERE i.matter_id IN (` + matters + `)
		UNION
		SELECT s.conversation_id FROM chat_imports i JOIN conversation_sources s ON s.import_id = i.id
		WHERE i.imported_by = ? AND i.imported_by <> ''
		AND NOT EXISTS (SELECT 1 FROM conversation_sources s2 JOIN chat_imports i2 ON i2.id = s2.import_id
			WHERE s2.conversation_id = s.conversation_id AND i2.matter_id IS NOT NULL AND i2.matter_id <> 0)
		ORDER BY 1`
	args = append(args, u.Username)
	ids, err := queryAll(ctx, db.read(), func(row scanner) (int64, error) {
		var id int64
		err := row.Scan(&id)
		return id, err
	}, q, args...)
	if ids == nil {
		ids = []int64{}
	}
	return ids, err
}

// OrphanChatLinks reports whether some chat import names a matter that does
// not exist. Without one, an administrator sees every conversation
// (access.ViewChat); with one, the conversations linked only to missing
// matters are hidden and the caller must decide row by row.
func (db *DB) OrphanChatLinks(ctx context.Context) (bool, error) {
	var n int
	err := db.read().queryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM chat_imports i
		WHERE i.matter_id IS NOT NULL AND i.matter_id <> 0 AND NOT EXISTS (SELECT 1 FROM matters m WHERE m.id = i.matter_id) LIMIT 1) x`).Scan(&n)
	return n > 0, err
}
