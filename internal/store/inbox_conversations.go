package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// The message centre's conversations and messages (internal/inbox).

const inboxConversationColumns = `id, channel, open_kfid, external_user_id, contact_id, matter_id, lawyer_id,
	last_message_at, last_text, waiting_since, auto_reply_period, unread, created_at`

func scanInboxConversation(row scanner) (*model.InboxConversation, error) {
	var c model.InboxConversation
	var contact, matter, lawyer sql.NullInt64
	var waiting, period sql.NullTime
	if err := row.Scan(&c.ID, &c.Channel, &c.OpenKFID, &c.ExternalUserID, &contact, &matter, &lawyer,
		&c.LastMessageAt, &c.LastText, &waiting, &period, &c.Unread, &c.CreatedAt); err != nil {
		return nil, notFound(err)
	}
	c.ContactID, c.MatterID, c.LawyerID = contact.Int64, matter.Int64, lawyer.Int64
	c.LastMessageAt, c.CreatedAt = c.LastMessageAt.UTC(), c.CreatedAt.UTC()
	if waiting.Valid {
		c.WaitingSince = waiting.Time.UTC()
	}
	if period.Valid {
		c.AutoReplyPeriod = period.Time.UTC()
	}
	return &c, nil
}

func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// EnsureInboxConversation returns the conversation of (channel, kf account,
// external user), creating it with the given contact and lawyer when it is
// new. An existing conversation keeps its lawyer unless it had none.
func (tx *Tx) EnsureInboxConversation(ctx context.Context, c *model.InboxConversation) (*model.InboxConversation, error) {
	existing, err := scanInboxConversation(tx.c().queryRow(ctx, "SELECT "+inboxConversationColumns+
		" FROM inbox_conversations WHERE channel = ? AND open_kfid = ? AND external_user_id = ?",
		c.Channel, c.OpenKFID, c.ExternalUserID))
	if err == nil {
		if existing.LawyerID == 0 && c.LawyerID != 0 {
			if _, err := tx.c().exec(ctx, "UPDATE inbox_conversations SET lawyer_id = ? WHERE id = ?", c.LawyerID, existing.ID); err != nil {
				return nil, err
			}
			existing.LawyerID = c.LawyerID
		}
		if existing.ContactID == 0 && c.ContactID != 0 {
			if _, err := tx.c().exec(ctx, "UPDATE inbox_conversations SET contact_id = ? WHERE id = ?", c.ContactID, existing.ID); err != nil {
				return nil, err
			}
			existing.ContactID = c.ContactID
		}
		return existing, nil
	}
	if err != ErrNotFound {
		return nil, err
	}
	now := tx.db.Now()
	out := *c
	out.CreatedAt = now
	if out.LastMessageAt.IsZero() {
		out.LastMessageAt = now
	}
	out.LastMessageAt = utc(out.LastMessageAt)
	err = tx.c().queryRow(ctx, `INSERT INTO inbox_conversations (channel, open_kfid, external_user_id, contact_id, matter_id,
		lawyer_id, last_message_at, last_text, unread, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, '', 0, ?) RETURNING id`,
		out.Channel, out.OpenKFID, out.ExternalUserID, nullID(out.ContactID), nullID(out.MatterID), nullID(out.LawyerID),
		out.LastMessageAt, now).Scan(&out.ID)
	return &out, err
}

// InboxConversationByID returns one conversation.
func (db *DB) InboxConversationByID(ctx context.Context, id int64) (*model.InboxConversation, error) {
	return scanInboxConversation(db.read().queryRow(ctx, "SELECT "+inboxConversationColumns+" FROM inbox_conversations WHERE id = ?", id))
}

// InboxConversationByID reads one conversation inside the transaction.
func (tx *Tx) InboxConversationByID(ctx context.Context, id int64) (*model.InboxConversation, error) {
	return scanInboxConversation(tx.c().queryRow(ctx, "SELECT "+inboxConversationColumns+" FROM inbox_conversations WHERE id = ?", id))
}

// InboxFilter selects conversations; zero fields do not filter.
type InboxFilter struct {
	// LawyerOrMatters narrows the rows read to conversations of this
	// lawyer or linked to one of MatterIDs (access still decides).
	LawyerID  int64
	MatterIDs []int64
	Narrow    bool // apply LawyerID/MatterIDs
	MatterID  int64
	Limit     int
}

// FindInboxConversations lists conversations, most recently active first.
func (db *DB) FindInboxConversations(ctx context.Context, f InboxFilter) ([]*model.InboxConversation, error) {
	q := "SELECT " + inboxConversationColumns + " FROM inbox_conversations WHERE 1=1"
	var args []any
	if f.Narrow {
		q += " AND (lawyer_id = ?"
		args = append(args, f.LawyerID)
		for _, id := range f.MatterIDs {
			q += " OR matter_id = ?"
			args = append(args, id)
		}
		q += ")"
	}
	if f.MatterID != 0 {
		q += " AND matter_id = ?"
		args = append(args, f.MatterID)
	}
	q += " ORDER BY last_message_at DESC, id DESC"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	return queryAll(ctx, db.read(), scanInboxConversation, q, args...)
}

// AddInboxMessage stores a message and updates its conversation (last
// message, unread count of incoming messages). A repeated incoming MsgID in
// the same conversation returns ErrConflict and changes nothing.
func (tx *Tx) AddInboxMessage(ctx context.Context, m *model.InboxMessage) error {
	m.SentAt = utc(m.SentAt)
	err := tx.c().queryRow(ctx, `INSERT INTO inbox_messages (conversation_id, direction, msg_id, kind, text, sent_at, sender_id,
		auto, status, error, urgent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (conversation_id, msg_id) WHERE msg_id <> '' DO NOTHING RETURNING id`,
		m.ConversationID, m.Direction, m.MsgID, m.Kind, m.Text, m.SentAt, nullID(m.SenderID), m.Auto, m.Status, m.Error,
		m.Urgent).Scan(&m.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrConflict // a retried delivery of a message already stored
	}
	if err != nil {
		return err
	}
	unread := 0
	if m.Direction == model.DirectionIn {
		unread = 1
	}
	_, err = tx.c().exec(ctx, `UPDATE inbox_conversations SET last_message_at = CASE WHEN last_message_at > ? THEN last_message_at ELSE ? END,
		last_text = ?, unread = unread + ? WHERE id = ?`, m.SentAt, m.SentAt, m.Text, unread, m.ConversationID)
	return err
}

// InboxMessages lists a conversation's messages, oldest first.
func (db *DB) InboxMessages(ctx context.Context, conversationID int64) ([]*model.InboxMessage, error) {
	return queryAll(ctx, db.read(), func(row scanner) (*model.InboxMessage, error) {
		var m model.InboxMessage
		var sender sql.NullInt64
		if err := row.Scan(&m.ID, &m.ConversationID, &m.Direction, &m.MsgID, &m.Kind, &m.Text, &m.SentAt, &sender, &m.Auto,
			&m.Status, &m.Error, &m.Urgent); err != nil {
			return nil, err
		}
		m.SenderID, m.SentAt = sender.Int64, m.SentAt.UTC()
		return &m, nil
	}, `SELECT id, conversation_id, direction, msg_id, kind, text, sent_at, sender_id, auto, status, error, urgent
		FROM inbox_messages WHERE conversation_id = ? ORDER BY sent_at, id`, conversationID)
}

// SetInboxWaiting records when the oldest unanswered client message of a
// conversation arrived, if none is pending yet.
func (tx *Tx) SetInboxWaiting(ctx context.Context, id int64, since time.Time) error {
	_, err := tx.c().exec(ctx, "UPDATE inbox_conversations SET waiting_since = ? WHERE id = ? AND waiting_since IS NULL", utc(since), id)
	return err
}

// ClaimAutoReply records that the off-hours period starting at period has
// had its auto-reply; false when it already had one (so concurrent
// messages of one period answer once).
func (tx *Tx) ClaimAutoReply(ctx context.Context, id int64, period time.Time) (bool, error) {
	res, err := tx.c().exec(ctx, `UPDATE inbox_conversations SET auto_reply_period = ?
		WHERE id = ? AND (auto_reply_period IS NULL OR auto_reply_period <> ?)`, utc(period), id, utc(period))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// AnswerInbox closes a conversation's pending wait with a response record
// (nothing when none is pending) and returns the record, or nil.
func (tx *Tx) AnswerInbox(ctx context.Context, r *model.InboxResponse) error {
	r.AskedAt, r.AnsweredAt = utc(r.AskedAt), utc(r.AnsweredAt)
	if _, err := tx.c().exec(ctx, `INSERT INTO inbox_responses (conversation_id, lawyer_id, asked_at, answered_at, working_minutes)
		VALUES (?, ?, ?, ?, ?)`, r.ConversationID, r.LawyerID, r.AskedAt, r.AnsweredAt, r.WorkingMinutes); err != nil {
		return err
	}
	_, err := tx.c().exec(ctx, "UPDATE inbox_conversations SET waiting_since = NULL WHERE id = ?", r.ConversationID)
	return err
}

// MarkInboxRead clears a conversation's unread count.
func (tx *Tx) MarkInboxRead(ctx context.Context, id int64) error {
	_, err := tx.c().exec(ctx, "UPDATE inbox_conversations SET unread = 0 WHERE id = ? AND unread <> 0", id)
	return err
}

// LinkInboxMatter links a conversation to a matter (0 unlinks).
func (tx *Tx) LinkInboxMatter(ctx context.Context, id, matterID int64) error {
	res, err := tx.c().exec(ctx, "UPDATE inbox_conversations SET matter_id = ? WHERE id = ?", nullID(matterID), id)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// InboxResponses lists the answered waits with AnsweredAt in [from, to),
// by lawyer (0: all).
func (db *DB) InboxResponses(ctx context.Context, lawyerID int64, from, to time.Time) ([]*model.InboxResponse, error) {
	q := `SELECT conversation_id, lawyer_id, asked_at, answered_at, working_minutes FROM inbox_responses
		WHERE answered_at >= ? AND answered_at < ?`
	args := []any{utc(from), utc(to)}
	if lawyerID != 0 {
		q += " AND lawyer_id = ?"
		args = append(args, lawyerID)
	}
	q += " ORDER BY answered_at, id"
	return queryAll(ctx, db.read(), func(row scanner) (*model.InboxResponse, error) {
		var r model.InboxResponse
		if err := row.Scan(&r.ConversationID, &r.LawyerID, &r.AskedAt, &r.AnsweredAt, &r.WorkingMinutes); err != nil {
			return nil, err
		}
		r.AskedAt, r.AnsweredAt = r.AskedAt.UTC(), r.AnsweredAt.UTC()
		return &r, nil
	}, q, args...)
}

// ContactByExternalUserID returns the contact carrying a WeCom
// external_userid; ErrNotFound when none does.
func (db *DB) ContactByExternalUserID(ctx context.Context, externalUserID string) (*model.Contact, error) {
	if externalUserID == "" {
		return nil, ErrNotFound
	}
	var id int64
	err := db.read().queryRow(ctx, "SELECT id FROM contacts WHERE wecom_external_id = ? ORDER BY id LIMIT 1", externalUserID).Scan(&id)
	if err != nil {
		return nil, notFound(err)
	}
	return db.ContactByID(ctx, id)
}
