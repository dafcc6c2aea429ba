package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// ErrEmptyQuery: the query has no letter or digit to look up.
var ErrEmptyQuery = errors.New("查询词中没有可检索的文字或数字")

// SearchQuery selects messages by text and filters. Every term must occur
// in the message (AND); a term may contain spaces (a phrase) and is matched
// as an exact substring, case-insensitively for Latin letters.
type SearchQuery struct {
	Terms          []string
	ConversationID int64            // one conversation (group or one-to-one)
	ClientID       int64            // conversations assigned to a client
	MatterID       int64            // conversations assigned to a matter
	Contact        string           // conversations with this participant (微信号)
	Sender         string           // messages sent by this 微信号 or display name
	From           time.Time        // inclusive; zero: no bound
	To             time.Time        // exclusive; zero: no bound
	BeforeID       int64            // paging: only messages older than this id
	Visible        *ConversationSet // nil: every conversation
	Limit          int              // default 50
}

// SearchHit is one found message with its conversation's title.
type SearchHit struct {
	Message           *model.Message
	ConversationTitle string
	ConversationKind  model.ConversationKind
}

// SearchMessages returns the newest messages matching q, newest first.
func (db *DB) SearchMessages(ctx context.Context, q SearchQuery) ([]SearchHit, error) {
	var tokens, needles []string
	for _, term := range q.Terms {
		t := QueryTokens(term)
		if len(t) == 0 {
			continue
		}
		tokens = append(tokens, t...)
		if db.dialect == SQLite {
			needles = append(needles, asciiLower(term)) // what SQLite's lower() does
		} else {
			needles = append(needles, strings.ToLower(term))
		}
	}
	if len(tokens) == 0 {
		return nil, ErrEmptyQuery
	}
	tokens = uniqueTokens(tokens)
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	lo, hi := int64(-1<<62), int64(1<<62)
	if !q.From.IsZero() {
		lo = MessageIDFloor(q.From)
	}
	if !q.To.IsZero() {
		hi = MessageIDFloor(q.To) - 1
	}
	if q.BeforeID != 0 && q.BeforeID-1 < hi {
		hi = q.BeforeID - 1
	}
	var sb strings.Builder
	var args []any
	sb.WriteString("SELECT " + messageColumns + ", c.title, c.kind FROM ")
	if db.dialect == SQLite {
		// The FTS table drives the loop (CROSS JOIN fixes the order) in
		// rowid order, which is time order: the first page costs only as
		// many index entries as it takes to find it.
		sb.WriteString(`message_fts f CROSS JOIN messages m ON m.id = f.rowid
			JOIN conversations c ON c.id = m.conversation_id
			WHERE message_fts MATCH ? AND f.rowid >= ? AND f.rowid <= ?`)
		quoted := make([]string, len(tokens))
		for i, t := range tokens {
			quoted[i] = `"` + t + `"`
		}
		args = append(args, strings.Join(quoted, " AND "), lo, hi)
	} else {
		sb.WriteString(`messages m JOIN conversations c ON c.id = m.conversation_id
			WHERE m.tokens @> ? AND m.id >= ? AND m.id <= ?`)
		args = append(args, tokens, lo, hi)
	}
	for _, n := range needles {
		if db.dialect == SQLite {
			sb.WriteString(" AND instr(lower(m.body), ?) > 0")
		} else {
			sb.WriteString(" AND strpos(lower(m.body), ?) > 0")
		}
		args = append(args, n)
	}
	if q.ConversationID != 0 {
		sb.WriteString(" AND m.conversation_id = ?")
		args = append(args, q.ConversationID)
	}
	if cond, cargs := q.Visible.clause(db, "m.conversation_id"); cond != "" {
		sb.WriteString(cond)
		args = append(args, cargs...)
	}
	if q.ClientID != 0 {
		sb.WriteString(" AND c.client_id = ?")
		args = append(args, q.ClientID)
	}
	if q.MatterID != 0 {
		sb.WriteString(" AND c.matter_id = ?")
		args = append(args, q.MatterID)
	}
	if q.Contact != "" {
		sb.WriteString(` AND m.conversation_id IN (SELECT conversation_id FROM conversation_participants
			WHERE wxid = ? OR nickname = ? OR remark = ?)`)
		args = append(args, q.Contact, q.Contact, q.Contact)
	}
	if q.Sender != "" {
		sb.WriteString(" AND (m.sender_wxid = ? OR m.sender_name = ?)")
		args = append(args, q.Sender, q.Sender)
	}
	if db.dialect == SQLite {
		sb.WriteString(" ORDER BY f.rowid DESC LIMIT ?")
	} else {
		sb.WriteString(" ORDER BY m.id DESC LIMIT ?")
	}
	args = append(args, limit)
	rows, err := db.read().query(ctx, sb.String(), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SearchHit
	for rows.Next() {
		var h SearchHit
		var kind string
		if h.Message, err = scanMessage(rows, &h.ConversationTitle, &kind); err != nil {
			return nil, err
		}
		h.ConversationKind = model.ConversationKind(kind)
		out = append(out, h)
	}
	return out, rows.Err()
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
