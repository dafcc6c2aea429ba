package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/lvxin/lvxin/internal/model"
)

// PostgreSQL imports write their messages in batches with COPY instead of
// one INSERT (and one round trip) per message. A batch is resolved in Go
// exactly as Insert would resolve its messages one after another: the keys
// already stored and the ids already taken in the batch's seconds are read
// with two queries, so duplicates are dropped and each new message gets the
// next free slot of its second in file order. The rows are then copied into
// a temporary table and moved into messages with ON CONFLICT DO NOTHING; a
// row that still conflicts (another import wrote the same second or key
// since the batch was resolved) goes through Insert's one-by-one path.

// copyBatch is how many messages one COPY carries.
const copyBatch = 5000

// beforeCopy, when set (tests only), runs between resolving a batch and
// writing it: a test writes a conflicting row there, as a writer that did
// not take the writers' lock could.
var beforeCopy func()

// copyColumns are the columns of messages a COPY fills, in order.
var copyColumns = []string{"id", "conversation_id", "msg_key", "sender_wxid", "sender_name", "is_self", "kind", "body",
	"att_name", "att_ref", "att_blob", "att_size", "import_id", "source_line", "source_seq", "source_record",
	"gap_prev_seq", "gap_missing", "tokens"}

// Add stores m like Insert, counting it in New or Duplicate. On SQLite it
// is Insert; on PostgreSQL it buffers a copy of m (the caller may reuse m)
// and writes it with the next batch, so m.ID is not set and the counts are
// complete only after Flush.
func (w *MessageWriter) Add(ctx context.Context, m *model.Message) error {
	im, err := w.tx.db.IndexMessage(m)
	if err != nil {
		return err
	}
	return w.AddIndexed(ctx, im)
}

// AddIndexed is Add of a message IndexMessage prepared. The writer keeps
// im until Flush.
func (w *MessageWriter) AddIndexed(ctx context.Context, im *IndexedMessage) error {
	if w.fts != nil || w.tx.raw == nil {
		_, err := w.insertIndexed(ctx, im)
		return err
	}
	w.pending = append(w.pending, im)
	if len(w.pending) >= copyBatch {
		return w.copyPending(ctx)
	}
	return nil
}

type convKey struct {
	conv int64
	key  string
}

// copyPending resolves and writes the buffered messages.
func (w *MessageWriter) copyPending(ctx context.Context) error {
	if len(w.pending) == 0 {
		return nil
	}
	batch := w.pending
	w.pending = nil
	if err := w.resolve(ctx, batch); err != nil {
		return err
	}
	rows := make([][]any, 0, len(batch))
	for _, p := range batch {
		if p.id < 0 {
			w.Duplicate++
			continue
		}
		m, pos := &p.Msg, p.Msg.Source
		rows = append(rows, []any{p.id, m.ConversationID, p.key, m.SenderWxID, m.SenderName, m.IsSelf, string(m.Kind),
			m.Text, p.att.Name, p.att.Ref, p.att.BlobID, p.att.Size, w.importID, int64(m.SourceLine), pos.Seq,
			int64(pos.Record), pos.GapPrevSeq, pos.GapMissing, p.tokens})
	}
	if len(rows) == 0 {
		return nil
	}
	if beforeCopy != nil {
		beforeCopy()
	}
	stored, err := w.copyRows(ctx, rows)
	if err != nil {
		return err
	}
	done := make(map[int64]bool, len(stored))
	for _, id := range stored {
		done[id] = true
	}

	for _, p := range batch {
		switch {
		case p.id < 0:
		case stored == nil || done[p.id]: // nil: every row was stored
			w.added(p.Msg.ConversationID, p.id)
		default:
			// Taken since the batch was resolved: one by one, as Insert.
			w.second = p.Msg.SentAt.Unix()
			w.slot = p.id & (1<<slotBits - 1)
			if _, err := w.insertIndexed(ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// resolve sets each buffered message's id, or -1 when its key is stored
// already (or earlier in the batch), as Insert would one after another.
func (w *MessageWriter) resolve(ctx context.Context, batch []*IndexedMessage) error {
	convs := make([]int64, len(batch))
	keys := make([][]byte, len(batch))
	lo, hi := int64(1<<62), int64(-1<<62)
	for i, p := range batch {
		convs[i], keys[i] = p.Msg.ConversationID, p.key
		sec := p.Msg.SentAt.Unix()
		lo, hi = min(lo, sec), max(hi, sec)
	}
	known := map[convKey]bool{}
	rows, err := w.tx.c().query(ctx, `SELECT m.conversation_id, m.msg_key FROM messages m
		JOIN unnest(?::bigint[], ?::bytea[]) AS k(conversation_id, msg_key)
		ON m.conversation_id = k.conversation_id AND m.msg_key = k.msg_key`, convs, keys)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k convKey
		var b []byte
		if err := rows.Scan(&k.conv, &b); err != nil {
			rows.Close()
			return err
		}
		k.key = string(b)
		known[k] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	taken := map[int64]bool{}
	ids, err := queryAll(ctx, w.tx.c(), func(r scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, "SELECT id FROM messages WHERE id >= ? AND id <= ?", lo<<slotBits, hi<<slotBits|(1<<slotBits-1))
	if err != nil {
		return err
	}
	for _, id := range ids {
		taken[id] = true
	}
	for _, p := range batch {
		k := convKey{p.Msg.ConversationID, string(p.key)}
		if known[k] {
			p.id = -1
			continue
		}
		sec := p.Msg.SentAt.Unix()
		if sec != w.second {
			w.second, w.slot = sec, 0
		}
		for ; w.slot < messageSlots && taken[sec<<slotBits|w.slot]; w.slot++ {
		}
		if w.slot == messageSlots {
			return fmt.Errorf("同一秒内的消息超过 %d 条：%s", messageSlots, p.Msg.SentAt.Format(time.RFC3339))
		}
		p.id = sec<<slotBits | w.slot
		w.slot++
		taken[p.id] = true
		known[k] = true
	}
	return nil
}

// copyRows writes a resolved batch and returns the ids it stored, or nil
// when it stored every row. The batch was resolved under the writers' lock
// (NewMessageWriter), so its rows normally go straight into messages with
// one COPY: nothing else writes messages meanwhile. Should a row conflict
// all the same, the COPY is rolled back to its savepoint and the batch
// goes through a temporary table and INSERT … ON CONFLICT DO NOTHING,
// which stores what does not conflict and names what it stored.
func (w *MessageWriter) copyRows(ctx context.Context, rows [][]any) ([]int64, error) {
	copyInto := func(table string) error {
		return w.tx.raw.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return errors.New("store: COPY needs a pgx connection")
			}
			_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, copyColumns, pgx.CopyFromRows(rows))
			return err
		})
	}
	if _, err := w.tx.c().exec(ctx, "SAVEPOINT message_copy"); err != nil {
		return nil, err
	}
	err := copyInto("messages")
	if err == nil {
		_, err = w.tx.c().exec(ctx, "RELEASE SAVEPOINT message_copy")
		return nil, err
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" /* unique_violation */ {
		return nil, invalidText(err)
	}
	if _, err := w.tx.c().exec(ctx, "ROLLBACK TO SAVEPOINT message_copy"); err != nil {
		return nil, err
	}
	if !w.copyTable {
		if _, err := w.tx.c().exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS message_copy
			(LIKE messages INCLUDING DEFAULTS) ON COMMIT DROP`); err != nil {
			return nil, err
		}
		w.copyTable = true
	}
	if err := copyInto("message_copy"); err != nil {
		return nil, invalidText(err)
	}
	cols := strings.Join(copyColumns, ", ")
	stored, err := queryAll(ctx, w.tx.c(), func(r scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, "INSERT INTO messages ("+cols+") SELECT "+cols+" FROM message_copy ON CONFLICT DO NOTHING RETURNING id")
	if err != nil {
		return nil, err
	}
	if _, err := w.tx.c().exec(ctx, "TRUNCATE message_copy"); err != nil {
		return nil, err
	}
	if stored == nil {
		stored = []int64{}
	}
	return stored, nil
}
