package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// slotBits is how many low bits of a message id number the messages of one
// second: id = Unix second << slotBits | slot. Rowid order is then time
// order, which lets search walk the index newest first and stop early.
const slotBits = 20

// MessageIDFloor is the smallest message id a message sent at t can have.
func MessageIDFloor(t time.Time) int64 { return t.Unix() << slotBits }

// MessageIDCeil is the largest message id a message sent at t can have.
func MessageIDCeil(t time.Time) int64 { return t.Unix()<<slotBits | (1<<slotBits - 1) }

func optionalID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// CreateChatImport records an import (counts are filled in later by
// FinishChatImport) and sets its ID.
func (tx *Tx) CreateChatImport(ctx context.Context, imp *model.ChatImport) error {
	imp.ImportedAt = tx.db.Now()
	return tx.c().queryRow(ctx, `INSERT INTO chat_imports (file_name, format, sha256, size, client_id, matter_id,
		imported_at, imported_by, self_wxid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		imp.FileName, imp.Format, imp.SHA256, imp.Size, optionalID(imp.ClientID), optionalID(imp.MatterID),
		imp.ImportedAt, imp.ImportedBy, imp.SelfWxID).Scan(&imp.ID)
}

// AddChatImportSkips records the records an import skipped and why.
func (tx *Tx) AddChatImportSkips(ctx context.Context, importID int64, skips []model.SkippedRecord) error {
	for _, sk := range skips {
		if _, err := tx.c().exec(ctx, `INSERT INTO chat_import_skips (import_id, record, line, reason) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, importID, sk.Record, sk.Line, sk.Reason); err != nil {
			return err
		}
	}
	return nil
}

// ChatImportSkips lists the recorded skips of an import in file order.
func (db *DB) ChatImportSkips(ctx context.Context, importID int64) ([]model.SkippedRecord, error) {
	rows, err := db.read().query(ctx, `SELECT record, line, reason FROM chat_import_skips WHERE import_id = ? ORDER BY record`, importID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.SkippedRecord
	for rows.Next() {
		var sk model.SkippedRecord
		if err := rows.Scan(&sk.Record, &sk.Line, &sk.Reason); err != nil {
			return nil, err
		}
		out = append(out, sk)
	}
	return out, rows.Err()
}

// FinishChatImport stores an import's counts.
func (tx *Tx) FinishChatImport(ctx context.Context, imp *model.ChatImport) error {
	_, err := tx.c().exec(ctx, `UPDATE chat_imports SET new_count = ?, duplicate_count = ?, skipped_count = ?
		WHERE id = ?`, imp.New, imp.Duplicate, imp.Skipped, imp.ID)
	return err
}

// ChatImports lists the imports that fed a conversation, oldest first.
func (db *DB) ChatImports(ctx context.Context, conversationID int64) ([]*model.ChatImport, error) {
	rows, err := db.read().query(ctx, `SELECT i.id, i.file_name, i.format, i.sha256, i.size, i.client_id, i.matter_id,
		i.new_count, i.duplicate_count, i.skipped_count, i.imported_at, i.imported_by, i.self_wxid
		FROM chat_imports i JOIN conversation_sources s ON s.import_id = i.id
		WHERE s.conversation_id = ? ORDER BY i.id`, conversationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*model.ChatImport
	for rows.Next() {
		var imp model.ChatImport
		var client, matter sql.NullInt64
		if err := rows.Scan(&imp.ID, &imp.FileName, &imp.Format, &imp.SHA256, &imp.Size, &client, &matter,
			&imp.New, &imp.Duplicate, &imp.Skipped, &imp.ImportedAt, &imp.ImportedBy, &imp.SelfWxID); err != nil {
			return nil, err
		}
		imp.ClientID, imp.MatterID = client.Int64, matter.Int64
		imp.ImportedAt = imp.ImportedAt.UTC()
		out = append(out, &imp)
	}
	return out, rows.Err()
}

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

// MessageWriter inserts the messages of one import with prepared
// statements. It is bound to its transaction; Close it before the
// transaction ends.
type MessageWriter struct {
	tx       *Tx
	importID int64
	insert   *sql.Stmt
	fts      *sql.Stmt // SQLite only
	exists   *sql.Stmt
	second   int64 // Unix second of the previous message
	slot     int64 // next slot to try in that second
	tokens   []string
	key      []byte          // reused key buffer
	ctx      context.Context // set when the page cache must be restored
	stats    map[int64]*conversationStats
}

// conversationStats is what an import adds to one conversation's counts.
type conversationStats struct{ added, first, last int64 }

// Message keys are stored as bytes: a hash key ("h:" and 32 hex digits,
// see chatexport) as its 16 bytes, any other key ("wxsvr:…", "wecom:…",
// "chatlog:…") as its UTF-8 text. The unique index is then a third
// smaller, which counts once it no longer fits the page cache.
const hashKeyPrefix = "h:"

func appendKeyBytes(dst []byte, key string) []byte {
	if len(key) == len(hashKeyPrefix)+32 && strings.HasPrefix(key, hashKeyPrefix) && isLowerHex(key[len(hashKeyPrefix):]) {
		b, _ := hex.AppendDecode(dst, []byte(key[len(hashKeyPrefix):]))
		return b
	}
	return append(dst, key...)
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// textKeyPrefixes are the prefixes of the keys stored as text.
var textKeyPrefixes = []string{"wxsvr:", "wecom:", "chatlog:"}

func keyString(b []byte) string {
	if len(b) != 16 {
		return string(b)
	}
	for _, p := range textKeyPrefixes {
		if bytes.HasPrefix(b, []byte(p)) {
			return string(b)
		}
	}
	return hashKeyPrefix + hex.EncodeToString(b)
}

// NewMessageWriter prepares the statements of an import.
func (tx *Tx) NewMessageWriter(ctx context.Context, importID int64) (*MessageWriter, error) {
	w := &MessageWriter{tx: tx, importID: importID, second: -1 << 62, stats: map[int64]*conversationStats{}}
	const cols = `id, conversation_id, msg_key, sender_wxid, sender_name, is_self, kind, body,
		att_name, att_ref, att_blob, att_size, import_id, source_line, source_seq, source_record, gap_prev_seq, gap_missing`
	q := "INSERT INTO messages (" + cols + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
	if tx.db.dialect == Postgres {
		q = "INSERT INTO messages (" + cols + ", tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
	}
	var err error
	if w.insert, err = tx.tx.PrepareContext(ctx, tx.db.rebind(q)); err != nil {
		return nil, err
	}
	if w.exists, err = tx.tx.PrepareContext(ctx, tx.db.rebind("SELECT count(*) FROM messages WHERE conversation_id = ? AND msg_key = ?")); err != nil {
		w.Close()
		return nil, err
	}
	if tx.db.dialect == SQLite {
		// A large import touches index pages all over the file; SQLite's
		// default 2 MB page cache would re-read them from the WAL again
		// and again. Close restores the default.
		if _, err := tx.tx.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", importCacheKiB)); err != nil {
			w.Close()
			return nil, err
		}
		w.ctx = ctx
		if w.fts, err = tx.tx.PrepareContext(ctx, "INSERT INTO message_fts (rowid, tokens) VALUES (?, ?)"); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w, nil
}

// importCacheKiB is SQLite's page cache during an import.
const importCacheKiB = 256 << 10

// Flush adds the messages inserted so far to their conversations' counts
// and first and last messages (what the chat list shows without counting
// messages). Call it before the transaction commits.
func (w *MessageWriter) Flush(ctx context.Context) error {
	for id, st := range w.stats {
		if _, err := w.tx.c().exec(ctx, `UPDATE conversations SET message_count = message_count + ?,
			first_message_id = CASE WHEN first_message_id = 0 OR first_message_id > ? THEN ? ELSE first_message_id END,
			last_message_id = CASE WHEN last_message_id < ? THEN ? ELSE last_message_id END WHERE id = ?`,
			st.added, st.first, st.first, st.last, st.last, id); err != nil {
			return err
		}
	}
	clear(w.stats)
	return nil
}

// Close releases the statements.
func (w *MessageWriter) Close() {
	if w.ctx != nil {
		_, _ = w.tx.tx.ExecContext(w.ctx, "PRAGMA cache_size = -2000")
	}
	for _, st := range []*sql.Stmt{w.insert, w.fts, w.exists} {
		if st != nil {
			st.Close()
		}
	}
}

// Insert adds m (its ConversationID set) unless a message with the same
// Key is stored in that conversation already; it reports whether m was new and sets m.ID.
// Messages of one second keep their order in the file.
func (w *MessageWriter) Insert(ctx context.Context, m *model.Message) (bool, error) {
	sec := m.SentAt.Unix()
	if sec != w.second {
		w.second, w.slot = sec, 0
	}
	var att model.Attachment
	if m.Attachment != nil {
		att = *m.Attachment
	}
	if err := checkText([]any{m.SenderWxID, m.SenderName, m.Text, att.Name, att.Ref}); err != nil {
		return false, fmt.Errorf("源文件第 %d 行的消息：%w", m.SourceLine, err)
	}
	doc, tokens := ftsDocument(w.tokens, m.Text)
	w.tokens = tokens
	key := w.key[:0]
	key = appendKeyBytes(key, m.Key)
	w.key = key
	pos := m.Source
	for ; w.slot < 1<<slotBits; w.slot++ {
		id := sec<<slotBits | w.slot
		args := []any{id, m.ConversationID, key, m.SenderWxID, m.SenderName, m.IsSelf,
			string(m.Kind), m.Text, att.Name, att.Ref, att.BlobID, att.Size, w.importID, m.SourceLine,
			pos.Seq, pos.Record, pos.GapPrevSeq, pos.GapMissing}
		if w.fts == nil {
			args = append(args, uniqueTokens(tokens))
		}
		res, err := w.insert.ExecContext(ctx, args...)
		if err != nil {
			return false, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			w.slot++
			m.ID, m.ImportID = id, w.importID
			st := w.stats[m.ConversationID]
			if st == nil {
				st = &conversationStats{first: id, last: id}
				w.stats[m.ConversationID] = st
			}
			st.added++
			st.first, st.last = min(st.first, id), max(st.last, id)
			if w.fts != nil {
				if _, err := w.fts.ExecContext(ctx, id, doc); err != nil {
					return false, err
				}
			}
			return true, nil
		}
		// Either the key is known (a duplicate) or another import took
		// this slot of the second: try the next one.
		var n int
		if err := w.exists.QueryRowContext(ctx, m.ConversationID, key).Scan(&n); err != nil {
			return false, err
		}
		if n > 0 {
			return false, nil
		}
	}
	return false, fmt.Errorf("同一秒内的消息超过 %d 条：%s", 1<<slotBits, m.SentAt.Format(time.RFC3339))
}

const messageColumns = `m.id, m.conversation_id, m.msg_key, m.sender_wxid, m.sender_name, m.is_self,
	m.kind, m.body, m.att_name, m.att_ref, m.att_blob, m.att_size, m.source_line, m.import_id,
	m.source_seq, m.source_record, m.gap_prev_seq, m.gap_missing`

func scanMessage(row interface{ Scan(...any) error }, extra ...any) (*model.Message, error) {
	var m model.Message
	var kind string
	var att model.Attachment
	var key []byte
	pos := &m.Source
	dest := append([]any{&m.ID, &m.ConversationID, &key, &m.SenderWxID, &m.SenderName, &m.IsSelf,
		&kind, &m.Text, &att.Name, &att.Ref, &att.BlobID, &att.Size, &m.SourceLine, &m.ImportID,
		&pos.Seq, &pos.Record, &pos.GapPrevSeq, &pos.GapMissing}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, notFound(err)
	}
	m.Key = keyString(key)
	m.Kind = model.MessageKind(kind)
	m.SentAt = time.Unix(m.ID>>slotBits, 0).UTC()
	if att != (model.Attachment{}) {
		m.Attachment = &att
	}
	return &m, nil
}

// MessageFilter selects the messages of a conversation or a time range.
type MessageFilter struct {
	ConversationID int64     // 0: all conversations
	From           time.Time // inclusive; zero: no lower bound
	To             time.Time // exclusive; zero: no upper bound
	AfterID        int64     // paging: messages with a larger id
	Limit          int       // 0: no limit
}

// Messages lists messages in time order (and file order within a second).
func (db *DB) Messages(ctx context.Context, f MessageFilter) ([]*model.Message, error) {
	q := "SELECT " + messageColumns + " FROM messages m WHERE 1=1"
	var args []any
	if f.ConversationID != 0 {
		q += " AND m.conversation_id = ?"
		args = append(args, f.ConversationID)
	}
	if !f.From.IsZero() {
		q += " AND m.id >= ?"
		args = append(args, MessageIDFloor(f.From))
	}
	if !f.To.IsZero() {
		q += " AND m.id < ?"
		args = append(args, MessageIDFloor(f.To))
	}
	if f.AfterID != 0 {
		q += " AND m.id > ?"
		args = append(args, f.AfterID)
	}
	q += " ORDER BY m.id"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := db.read().query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*model.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
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
}

// Next is the cursor of the page after list (a page of p).
func (p ConversationPage) Next(list []*model.ConversationSummary) ConversationPage {
	last := list[len(list)-1]
	return ConversationPage{Limit: p.Limit, AfterLastID: last.LastMessageID, AfterID: last.ID}
}

// conversations reads conversations with their counts (kept by the
// imports: no message is counted here) and participants, most recently
// active first.
func (db *DB) conversations(ctx context.Context, where string, page *ConversationPage, args ...any) ([]*model.ConversationSummary, error) {
	q := `SELECT c.id, c.conv_key, c.kind, c.title, c.client_id, c.matter_id, c.message_count, c.first_message_id,
		c.last_message_id FROM conversations c WHERE 1=1 ` + where
	if page != nil && page.AfterID != 0 {
		q += " AND (c.last_message_id < ? OR (c.last_message_id = ? AND c.id < ?))"
		args = append(args, page.AfterLastID, page.AfterLastID, page.AfterID)
	}
	q += " ORDER BY c.last_message_id DESC, c.id DESC"
	if page != nil && page.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(page.Limit)
	}
	rows, err := db.read().query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var out []*model.ConversationSummary
	byID := map[int64]*model.ConversationSummary{}
	for rows.Next() {
		var s model.ConversationSummary
		var kind string
		var client, matter sql.NullInt64
		var first int64
		if err := rows.Scan(&s.ID, &s.Key, &kind, &s.Title, &client, &matter, &s.Messages, &first, &s.LastMessageID); err != nil {
			rows.Close()
			return nil, err
		}
		s.Kind = model.ConversationKind(kind)
		s.ClientID, s.MatterID = client.Int64, matter.Int64
		if s.Messages > 0 {
			s.FirstAt = time.Unix(first>>slotBits, 0).UTC()
			s.LastAt = time.Unix(s.LastMessageID>>slotBits, 0).UTC()
		}
		out = append(out, &s)
		byID[s.ID] = &s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
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
		rows, err := db.read().query(ctx, `SELECT conversation_id, wxid, nickname, remark, avatar, is_self
			FROM conversation_participants WHERE conversation_id IN (`+strings.Join(marks, ",")+`)
			ORDER BY conversation_id, is_self DESC, wxid`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var convID int64
			var p model.Participant
			if err := rows.Scan(&convID, &p.WxID, &p.Nickname, &p.Remark, &p.Avatar, &p.IsSelf); err != nil {
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

// AddChatArchive records a produced monthly archive and sets its ID.
func (tx *Tx) AddChatArchive(ctx context.Context, a *model.ChatArchive) error {
	a.CreatedAt = tx.db.Now()
	return tx.c().queryRow(ctx, `INSERT INTO chat_archives (month, recipients, blob_sha256, size, messages, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.Month, strings.Join(a.Recipients, "\n"), a.BlobSHA256, a.Size,
		a.Messages, a.CreatedAt, a.CreatedBy).Scan(&a.ID)
}

// ChatArchives lists the recorded archives, newest first.
func (db *DB) ChatArchives(ctx context.Context) ([]*model.ChatArchive, error) {
	rows, err := db.read().query(ctx, `SELECT id, month, recipients, blob_sha256, size, messages, created_at, created_by
		FROM chat_archives ORDER BY month DESC, id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*model.ChatArchive
	for rows.Next() {
		var a model.ChatArchive
		var recipients string
		if err := rows.Scan(&a.ID, &a.Month, &recipients, &a.BlobSHA256, &a.Size, &a.Messages, &a.CreatedAt, &a.CreatedBy); err != nil {
			return nil, err
		}
		a.Recipients = strings.Split(recipients, "\n")
		a.CreatedAt = a.CreatedAt.UTC()
		out = append(out, &a)
	}
	return out, rows.Err()
}
