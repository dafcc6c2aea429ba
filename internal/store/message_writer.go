package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// MessageWriter inserts the messages of one import with prepared
// statements. It is bound to its transaction; Close it before the
// transaction ends.
type MessageWriter struct {
	tx        *Tx
	importID  int64
	insert    *sql.Stmt
	fts       *sql.Stmt // SQLite only
	exists    *sql.Stmt
	second    int64           // Unix second of the previous message
	slot      int64           // next slot to try in that second
	ctx       context.Context // set when the page cache must be restored
	stats     map[int64]*conversationStats
	days      map[int64]int64   // messages added per message_days row
	pending   []*IndexedMessage // PostgreSQL: messages Add buffered for the next COPY
	copyTable bool              // the temporary table of COPY exists
	// New and Duplicate count the messages Insert and Add stored and
	// found stored already (Add's are counted once Flush has written them).
	New, Duplicate int
}

// conversationStats is what an import adds to one conversation's counts.
type conversationStats struct{ added, first, last int64 }

// messageWriterLock is the PostgreSQL advisory lock that serialises the
// transactions writing messages (NewMessageWriter).
const messageWriterLock = 7710031

// NewMessageWriter prepares the statements of an import.
func (tx *Tx) NewMessageWriter(ctx context.Context, importID int64) (*MessageWriter, error) {
	w := &MessageWriter{tx: tx, importID: importID, second: -1 << 62, stats: map[int64]*conversationStats{}, days: map[int64]int64{}}
	if tx.db.dialect == Postgres {
		// One message writer at a time, from before its first row: Flush
		// may create a quarter's token index (ensureTokenBuckets), whose
		// lock waits for every other transaction that wrote messages.
		// Two imports each holding their rows and each waiting to build
		// an index would deadlock, and two building the same quarter's
		// index would collide. SQLite serialises writers anyway.
		if _, err := tx.c().exec(ctx, "SELECT pg_advisory_xact_lock(?)", messageWriterLock); err != nil {
			return nil, err
		}
	}
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

// importCacheKiB is SQLite's page cache during an import. 256 MB helped
// while FTS5 merged its 1 MB segments over and over (re-reading them);
// with 32 MB segments (migration 00027) 32 MB does as well at 1,000,000
// messages and keeps the import's peak memory under 200 MiB.
const importCacheKiB = 32 << 10

// Flush writes the messages Add buffered and adds the messages inserted
// so far to their conversations' counts and first and last messages (what
// the chat list shows without counting messages) and to the per-day
// counts that size the search windows (message_days), and on PostgreSQL
// creates the token index of each new quarter the messages fall in
// (ensureTokenBuckets). Call it before the transaction commits.
func (w *MessageWriter) Flush(ctx context.Context) error {
	if err := w.copyPending(ctx); err != nil {
		return err
	}
	for id, st := range w.stats {
		if _, err := w.tx.c().exec(ctx, `UPDATE conversations SET message_count = message_count + ?,
			first_message_id = CASE WHEN first_message_id = 0 OR first_message_id > ? THEN ? ELSE first_message_id END,
			last_message_id = CASE WHEN last_message_id < ? THEN ? ELSE last_message_id END WHERE id = ?`,
			st.added, st.first, st.first, st.last, st.last, id); err != nil {
			return err
		}
	}
	clear(w.stats)
	if err := ensureTokenBuckets(ctx, w.tx.c(), w.days); err != nil {
		return err
	}
	if err := addMessageDays(ctx, w.tx.c(), w.days); err != nil {
		return err
	}
	clear(w.days)
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

// added counts a stored message of conversation conv.
func (w *MessageWriter) added(conv, id int64) {
	w.New++
	w.days[messageDay(id)]++
	st := w.stats[conv]
	if st == nil {
		st = &conversationStats{first: id, last: id}
		w.stats[conv] = st
	}
	st.added++
	st.first, st.last = min(st.first, id), max(st.last, id)
}

// IndexedMessage is a message with its stored key and search index tokens
// worked out (DB.IndexMessage), so that an import can do that work on
// another core than the one writing (MessageWriter.AddIndexed).
type IndexedMessage struct {
	Msg    model.Message // a copy; Msg.Attachment points into the IndexedMessage
	att    model.Attachment
	key    []byte
	doc    string   // SQLite: the FTS5 document
	tokens []string // PostgreSQL: each token once
	id     int64    // PostgreSQL batches: resolved id; -1 for a duplicate
}

// IndexMessage copies m and works out its key bytes and index tokens. It
// only reads m and needs no transaction; the error names m's source line
// when a text holds what the database cannot store.
func (db *DB) IndexMessage(m *model.Message) (*IndexedMessage, error) {
	im := &IndexedMessage{Msg: *m}
	if m.Attachment != nil {
		im.att = *m.Attachment
		im.Msg.Attachment = &im.att
	}
	if err := checkText([]any{m.SenderWxID, m.SenderName, m.Text, im.att.Name, im.att.Ref}); err != nil {
		return nil, fmt.Errorf("源文件第 %d 行的消息：%w", m.SourceLine, err)
	}
	im.key = appendKeyBytes(nil, m.Key, m.SentAt.Unix())
	tokens := indexTokens(nil, m.Text)
	if db.dialect == SQLite {
		im.doc = strings.Join(tokens, " ")
	} else {
		im.tokens = uniqueTokens(tokens)
		if im.tokens == nil {
			im.tokens = []string{} // NOT NULL
		}
	}
	return im, nil
}

// Insert adds m (its ConversationID set) unless a message with the same
// Key is stored in that conversation already; it reports whether m was new and sets m.ID.
// Messages of one second keep their order in the file.
func (w *MessageWriter) Insert(ctx context.Context, m *model.Message) (bool, error) {
	im, err := w.tx.db.IndexMessage(m)
	if err != nil {
		return false, err
	}
	isNew, err := w.insertIndexed(ctx, im)
	if isNew {
		m.ID, m.ImportID = im.Msg.ID, im.Msg.ImportID
	}
	return isNew, err
}

// insertIndexed is Insert after IndexMessage.
func (w *MessageWriter) insertIndexed(ctx context.Context, im *IndexedMessage) (bool, error) {
	// The statements below run without ctx's cancellation, which is
	// checked here once per message instead: given a context that can be
	// cancelled, the SQLite driver starts a goroutine for every statement
	// to interrupt it, which cost about a tenth of a 1M-message import's
	// CPU (the profile in docs/PERFORMANCE.md). A message's statements take
	// microseconds, so a cancelled import still stops at once.
	if err := ctx.Err(); err != nil {
		return false, err
	}
	ctx = context.WithoutCancel(ctx)
	m, att, key := &im.Msg, im.att, im.key
	sec := m.SentAt.Unix()
	if sec != w.second {
		w.second, w.slot = sec, 0
	}
	pos := m.Source
	for ; w.slot < messageSlots; w.slot++ {
		id := sec<<slotBits | w.slot
		args := []any{id, m.ConversationID, key, m.SenderWxID, m.SenderName, m.IsSelf,
			string(m.Kind), m.Text, att.Name, att.Ref, att.BlobID, att.Size, w.importID, m.SourceLine,
			pos.Seq, pos.Record, pos.GapPrevSeq, pos.GapMissing}
		if w.fts == nil {
			args = append(args, im.tokens)
		}
		res, err := w.insert.ExecContext(ctx, args...)
		if err != nil {
			return false, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			w.slot++
			m.ID, m.ImportID = id, w.importID
			w.added(m.ConversationID, id)
			if w.fts != nil {
				if _, err := w.fts.ExecContext(ctx, id, im.doc); err != nil {
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
			w.Duplicate++
			return false, nil
		}
	}
	return false, fmt.Errorf("同一秒内的消息超过 %d 条：%s", messageSlots, m.SentAt.Format(time.RFC3339))
}
