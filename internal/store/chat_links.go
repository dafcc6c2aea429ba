package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/model"
)

// ConversationSet limits a chat query to some conversations. All (or a nil
// *ConversationSet) does not limit; otherwise only IDs match, and an empty
// set matches nothing.
type ConversationSet struct {
	All bool
	IDs []int64
}

// clause returns the SQL condition keeping col in the set ("" when s is
// nil or All). The ids travel as one parameter (a PostgreSQL array, a JSON array
// for SQLite), however many there are.
func (s *ConversationSet) clause(db *DB, col string) (string, []any) {
	if s == nil || s.All {
		return "", nil
	}
	if db.dialect == Postgres {
		ids := s.IDs
		if ids == nil {
			ids = []int64{}
		}
		return " AND " + col + " = ANY(?)", []any{ids}
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range s.IDs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte(']')
	return " AND " + col + " IN (SELECT value FROM json_each(?))", []any{b.String()}
}

// ChatImportLinks returns the imports of every conversation, by
// conversation id, with ID, ClientID, MatterID and ImportedBy set: what the
// chat access rule reads.
func (db *DB) ChatImportLinks(ctx context.Context) (map[int64][]*model.ChatImport, error) {
	rows, err := db.read().query(ctx, `SELECT s.conversation_id, i.id, i.client_id, i.matter_id, i.imported_by
		FROM conversation_sources s JOIN chat_imports i ON i.id = s.import_id ORDER BY s.conversation_id, i.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]*model.ChatImport{}
	for rows.Next() {
		var convID int64
		var imp model.ChatImport
		var client, matter sql.NullInt64
		if err := rows.Scan(&convID, &imp.ID, &client, &matter, &imp.ImportedBy); err != nil {
			return nil, err
		}
		imp.ClientID, imp.MatterID = client.Int64, matter.Int64
		out[convID] = append(out[convID], &imp)
	}
	return out, rows.Err()
}

// ConversationMatters returns every conversation's id with the matter it
// is linked to (0: none), ordered by id.
func (db *DB) ConversationMatters(ctx context.Context) ([]ConversationMatter, error) {
	return queryAll(ctx, db.read(), func(row scanner) (ConversationMatter, error) {
		var cm ConversationMatter
		var matter sql.NullInt64
		err := row.Scan(&cm.ID, &matter)
		cm.MatterID = matter.Int64
		return cm, err
	}, "SELECT id, matter_id FROM conversations ORDER BY id")
}

// ConversationMatter is a conversation's id and linked matter.
type ConversationMatter struct {
	ID       int64
	MatterID int64
}

// MattersByID loads the matters with these ids (staff and parties
// included), by id; ids that name no matter are absent from the map.
func (db *DB) MattersByID(ctx context.Context, ids []int64) (map[int64]*model.Matter, error) {
	out := make(map[int64]*model.Matter, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			marks[i], args[i] = "?", id
		}
		list, err := queryAll(ctx, db.read(), scanMatter, "SELECT "+matterColumns+" FROM matters WHERE id IN ("+strings.Join(marks, ",")+")", args...)
		if err != nil {
			return nil, err
		}
		if err := db.loadMatterDetails(ctx, list); err != nil {
			return nil, err
		}
		for _, m := range list {
			out[m.ID] = m
		}
	}
	return out, nil
}

// VisibleConversations lists a page of the conversations in set (every one
// when set is nil or All), most recently active first.
func (db *DB) VisibleConversations(ctx context.Context, set *ConversationSet, page ConversationPage) ([]*model.ConversationSummary, error) {
	cond, args := set.clause(db, "c.id")
	return db.conversations(ctx, cond, &page, args...)
}
