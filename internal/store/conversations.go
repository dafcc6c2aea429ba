package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// ConversationOrigin says where an import's conversations come from.
type ConversationOrigin struct {
	// Scope qualifies the export's own conversation key (see
	// archive.conversationScope): the same key under another scope is
	// another conversation.
	Scope    string
	ClientID int64
	MatterID int64
	ImportID int64
}

// ScopedConversationKey is the stored identity of a conversation.
func ScopedConversationKey(scope, key string) string { return scope + "|" + key }

// EnsureConversation finds the conversation with conv.Key under o.Scope or
// creates it with o's client and matter, sets conv.ID and records o's import
// as a source. It reports whether the conversation existed already. An
// existing conversation keeps its client and matter: an import never moves
// a conversation.
func (tx *Tx) EnsureConversation(ctx context.Context, conv *model.Conversation, o ConversationOrigin) (bool, error) {
	c := tx.c()
	key := ScopedConversationKey(o.Scope, conv.Key)
	existed := true
	err := c.queryRow(ctx, "SELECT id FROM conversations WHERE conv_key = ?", key).Scan(&conv.ID)
	if errors.Is(err, sql.ErrNoRows) {
		existed = false
		err = c.queryRow(ctx, `INSERT INTO conversations (conv_key, kind, title, client_id, matter_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, key, string(conv.Kind), conv.Title,
			optionalID(o.ClientID), optionalID(o.MatterID), tx.db.Now()).Scan(&conv.ID)
	}
	if err != nil {
		return false, err
	}
	_, err = c.exec(ctx, `INSERT INTO conversation_sources (conversation_id, import_id) VALUES (?, ?)
		ON CONFLICT DO NOTHING`, conv.ID, o.ImportID)
	return existed, err
}

// SaveConversation stores what an import learnt about a conversation: its
// kind and title (when not empty) and its participants (new ones added,
// known ones updated where the export says more).
func (tx *Tx) SaveConversation(ctx context.Context, conv *model.Conversation) error {
	c := tx.c()
	if _, err := c.exec(ctx, `UPDATE conversations SET kind = CASE WHEN ? = 'group' THEN 'group' ELSE kind END,
		title = CASE WHEN ? <> '' THEN ? ELSE title END WHERE id = ?`,
		string(conv.Kind), conv.Title, conv.Title, conv.ID); err != nil {
		return err
	}
	for _, p := range conv.Participants {
		if p.WxID == "" && p.Nickname == "" {
			continue
		}
		id := p.WxID
		if id == "" {
			id = "name:" + p.Nickname
		}
		if _, err := c.exec(ctx, `INSERT INTO conversation_participants (conversation_id, wxid, nickname, remark, avatar, is_self)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id, wxid) DO UPDATE SET
			nickname = CASE WHEN excluded.nickname <> '' THEN excluded.nickname ELSE conversation_participants.nickname END,
			remark = CASE WHEN excluded.remark <> '' THEN excluded.remark ELSE conversation_participants.remark END,
			avatar = CASE WHEN excluded.avatar <> '' THEN excluded.avatar ELSE conversation_participants.avatar END,
			is_self = excluded.is_self OR conversation_participants.is_self`,
			conv.ID, id, p.Nickname, p.Remark, p.Avatar, p.IsSelf); err != nil {
			return err
		}
	}
	return nil
}

// ConversationByID returns a conversation with its participants.
func (db *DB) ConversationByID(ctx context.Context, id int64) (*model.ConversationSummary, error) {
	list, err := db.conversations(ctx, "AND c.id = ?", nil, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	return list[0], nil
}

// Conversations lists every conversation, most recently active first.
func (db *DB) Conversations(ctx context.Context) ([]*model.ConversationSummary, error) {
	return db.conversations(ctx, "", nil)
}

// ConversationPage selects a page of the chat list, most recently active
// first: Limit rows (0: all) after the cursor of the previous page's last
// row (zero: from the top).
type ConversationPage struct {
	Limit       int
	AfterLastID int64 // the previous page's last row: its last message id
	AfterID     int64 // ... and its conversation id
	MatterID    int64 // only conversations linked to this matter (0: any)
}

// Next is the cursor of the page after list (a page of p).
func (p ConversationPage) Next(list []*model.ConversationSummary) ConversationPage {
	last := list[len(list)-1]
	return ConversationPage{Limit: p.Limit, AfterLastID: last.LastMessageID, AfterID: last.ID, MatterID: p.MatterID}
}

// conversations reads conversations with their counts (kept by the
// imports: no message is counted here) and participants, most recently
// active first.
func (db *DB) conversations(ctx context.Context, where string, page *ConversationPage, args ...any) ([]*model.ConversationSummary, error) {
	q := `SELECT c.id, c.conv_key, c.kind, c.title, c.display_name, c.client_id, c.matter_id, c.message_count, c.first_message_id,
		c.last_message_id FROM conversations c WHERE 1=1 ` + where
	if page != nil && page.MatterID != 0 {
		q += " AND c.matter_id = ?"
		args = append(args, page.MatterID)
	}
	if page != nil && page.AfterID != 0 {
		q += " AND (c.last_message_id < ? OR (c.last_message_id = ? AND c.id < ?))"
		args = append(args, page.AfterLastID, page.AfterLastID, page.AfterID)
	}
	q += " ORDER BY c.last_message_id DESC, c.id DESC"
	if page != nil && page.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(page.Limit)
	}
	out, err := queryAll(ctx, db.read(), func(row scanner) (*model.ConversationSummary, error) {
		var s model.ConversationSummary
		var kind string
		var client, matter sql.NullInt64
		var first int64
		var display string
		if err := row.Scan(&s.ID, &s.Key, &kind, &s.ExportTitle, &display, &client, &matter, &s.Messages, &first, &s.LastMessageID); err != nil {
			return nil, err
		}
		s.Title, s.Renamed = s.ExportTitle, display != ""
		if s.Renamed {
			s.Title = display
		}
		s.Kind = model.ConversationKind(kind)
		s.ClientID, s.MatterID = client.Int64, matter.Int64
		if s.Messages > 0 {
			s.FirstAt = time.Unix(first>>slotBits, 0).UTC()
			s.LastAt = time.Unix(s.LastMessageID>>slotBits, 0).UTC()
		}
		return &s, nil
	}, q, args...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*model.ConversationSummary, len(out))
	for _, s := range out {
		byID[s.ID] = s
	}
	if err := db.loadParticipants(ctx, byID); err != nil {
		return nil, err
	}
	return out, nil
}

// loadParticipants fills the participants of the conversations in byID,
// in one query per 500 conversations.
func (db *DB) loadParticipants(ctx context.Context, byID map[int64]*model.ConversationSummary) error {
	ids := make([]int64, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			marks[i], args[i] = "?", id
		}
		rows, err := db.read().query(ctx, `SELECT p.conversation_id, p.wxid, p.nickname, p.remark, p.avatar, p.is_self,
			COALESCE(ct.id, 0), COALESCE(ct.name, '')
			FROM conversation_participants p LEFT JOIN contacts ct ON ct.id = p.contact_id
			WHERE p.conversation_id IN (`+strings.Join(marks, ",")+`)
			ORDER BY p.conversation_id, p.is_self DESC, p.wxid`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var convID int64
			var p model.Participant
			if err := rows.Scan(&convID, &p.WxID, &p.Nickname, &p.Remark, &p.Avatar, &p.IsSelf, &p.ContactID, &p.ContactName); err != nil {
				rows.Close()
				return err
			}
			p.WxID = strings.TrimPrefix(p.WxID, "name:")
			byID[convID].Participants = append(byID[convID].Participants, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// DeleteConversation removes a conversation with its messages and index
// entries (retention; the caller audits it in the same transaction).
func (tx *Tx) DeleteConversation(ctx context.Context, id int64) (int, error) {
	c := tx.c()
	var n int
	if err := c.queryRow(ctx, "SELECT count(*) FROM messages WHERE conversation_id = ?", id).Scan(&n); err != nil {
		return 0, err
	}
	days, err := conversationDays(ctx, c, id)
	if err != nil {
		return 0, err
	}
	for day := range days {
		days[day] = -days[day]
	}
	if err := addMessageDays(ctx, c, days); err != nil {
		return 0, err
	}
	if tx.db.dialect == SQLite {
		if _, err := c.exec(ctx, `DELETE FROM message_fts WHERE rowid IN
			(SELECT id FROM messages WHERE conversation_id = ?)`, id); err != nil {
			return 0, err
		}
	}
	for _, q := range []string{"DELETE FROM messages WHERE conversation_id = ?",
		"DELETE FROM conversation_sources WHERE conversation_id = ?",
		"DELETE FROM conversation_participants WHERE conversation_id = ?"} {
		if _, err := c.exec(ctx, q, id); err != nil {
			return 0, err
		}
	}
	res, err := c.exec(ctx, "DELETE FROM conversations WHERE id = ?", id)
	if err != nil {
		return 0, err
	}
	return n, mustAffect(res)
}
