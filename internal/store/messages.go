package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// slotBits is how many low bits of a message id number the messages of one
// second: id = Unix second << slotBits | slot. Rowid order is then time
// order, which lets search walk the index newest first and stop early.
const slotBits = 20

// messageSlots is how many messages one second can hold: the last slot of
// every second is never a message's, so that SQLite's search index can
// hold a day mark there (see dayMarkID).
const messageSlots = 1<<slotBits - 1

// MessageIDFloor is the smallest message id a message sent at t can have.
func MessageIDFloor(t time.Time) int64 { return t.Unix() << slotBits }

// MessageIDCeil is the largest message id a message sent at t can have.
func MessageIDCeil(t time.Time) int64 { return t.Unix()<<slotBits | (1<<slotBits - 1) }

func optionalID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// Message keys are stored as bytes: a hash key ("h:" and 32 hex digits,
// see chatexport) as the message's second (4 bytes, big-endian, the low 32
// bits of the Unix second) followed by its 16 bytes; any other key
// ("wxsvr:…", "wecom:…", "chatlog:…") as its UTF-8 text. Bytes rather
// than hex make the unique index on (conversation_id, msg_key) a third
// smaller; the second in front (migration 00033) puts the keys of an
// import in time order, so that importing writes the index near its end
// instead of at a random page each time: 10M messages took 2.7× the
// sqlite3 baseline with random keys. A hash key is made from its second
// (chatexport), so the same key never comes with another second and the
// prefix changes no duplicate decision.
const hashKeyPrefix = "h:"

// hashKeyLen is the stored length of a hash key.
const hashKeyLen = 4 + 16

func appendKeyBytes(dst []byte, key string, sec int64) []byte {
	if len(key) == len(hashKeyPrefix)+32 && strings.HasPrefix(key, hashKeyPrefix) && isLowerHex(key[len(hashKeyPrefix):]) {
		dst = binary.BigEndian.AppendUint32(dst, uint32(sec))
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
	if len(b) != hashKeyLen {
		return string(b)
	}
	for _, p := range textKeyPrefixes {
		if bytes.HasPrefix(b, []byte(p)) {
			return string(b)
		}
	}
	return hashKeyPrefix + hex.EncodeToString(b[4:])
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
	return queryAll(ctx, db.read(), func(row scanner) (*model.Message, error) { return scanMessage(row) }, q, args...)
}
