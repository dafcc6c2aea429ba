package store

import (
	"context"
	"strings"
)

// RenameConversation sets the name users see for a conversation; "" goes
// back to the export's title. The export's title and key stay as they are,
// so later imports still find the conversation and never undo the name.
func (tx *Tx) RenameConversation(ctx context.Context, id int64, name string) error {
	res, err := tx.c().exec(ctx, "UPDATE conversations SET display_name = ? WHERE id = ?", name, id)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// MapParticipant records which client-book contact a participant of a
// conversation is (contactID 0 removes the mapping). wxid is the id the
// participant list shows (participants known only by nickname are stored
// as "name:<nickname>"). ErrNotFound when the conversation has no such
// participant.
func (tx *Tx) MapParticipant(ctx context.Context, conversationID int64, wxid string, contactID int64) error {
	res, err := tx.c().exec(ctx, `UPDATE conversation_participants SET contact_id = ?
		WHERE conversation_id = ? AND (wxid = ? OR wxid = ?)`, contactID, conversationID, wxid, "name:"+wxid)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// ParticipantContactNames returns, per conversation of ids, the contact
// name of each mapped participant by the id messages carry as their
// sender (a nickname for participants known only by it).
func (db *DB) ParticipantContactNames(ctx context.Context, ids []int64) (map[int64]map[string]string, error) {
	out := map[int64]map[string]string{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			marks[i], args[i] = "?", id
		}
		type row struct {
			conv       int64
			wxid, name string
		}
		rows, err := queryAll(ctx, db.read(), func(r scanner) (row, error) {
			var x row
			return x, r.Scan(&x.conv, &x.wxid, &x.name)
		}, `SELECT p.conversation_id, p.wxid, ct.name FROM conversation_participants p
			JOIN contacts ct ON ct.id = p.contact_id
			WHERE p.contact_id <> 0 AND p.conversation_id IN (`+strings.Join(marks, ",")+`)`, args...)
		if err != nil {
			return nil, err
		}
		for _, x := range rows {
			if out[x.conv] == nil {
				out[x.conv] = map[string]string{}
			}
			out[x.conv][strings.TrimPrefix(x.wxid, "name:")] = x.name
		}
	}
	return out, nil
}
