package store

import (
	"context"
	"maps"
	"slices"
	"strconv"
)

// message_days (migration 00030) counts the messages of each UTC day, so
// that chat search can size its id windows without reading messages (see
// searchWindows). Every path that inserts or deletes messages keeps it in
// step in the same transaction: MessageWriter.Flush (one-by-one inserts and
// PostgreSQL's COPY batches alike count through MessageWriter.added) and
// Tx.DeleteConversation.
//
// On SQLite each counted day also has a day mark in message_fts: a document
// at dayMarkID(day), just below the day's first message id, holding only
// dayMarkToken(day). FTS5 checks a statement's rowid bound only when its AND
// has found a match, so an AND of words that never meet reads their whole
// doclists whatever the window; ORing every word with the mark of the day
// where the window ends gives the AND a match right below the window, and
// the statement stops there (searchSQLite). A mark is never a message: the
// last slot of every second is left free (messageSlots), and a mark's
// token is three CJK characters and digits, which neither indexTokens nor
// QueryTokens ever produce.

//
// FTS5 also finds an AND's first match from the newest end of the doclists
// before it seeks to a statement's upper rowid bound, so a window below
// the newest messages would first read the doclists of every newer
// message. The top mark (migration 00035) is a document above every
// message id holding only topMarkToken; ORed with every word as well, it
// is the AND's first match at once, and FTS5 then seeks each word to the
// window's upper end: a statement reads the doclists of its window and no
// more, wherever the window lies.

// topMarkToken is the only token of the top mark, at rowid topMarkID.
const topMarkToken = "窗界标顶"

// topMarkID is the top mark's rowid: the last slot of the last second,
// which no message takes.
const topMarkID = 1<<63 - 1

// secondsPerDay is the width of one message_days row.
const secondsPerDay = 86400

// messageDay is the message_days row of message id: the UTC day of its
// second, rounded down (dayOfID is the same in SQL).
func messageDay(id int64) int64 {
	sec := id >> slotBits
	if sec < 0 {
		return (sec - secondsPerDay + 1) / secondsPerDay
	}
	return sec / secondsPerDay
}

// dayOfID is messageDay in SQL, for both engines (slotBits is 20).
const dayOfID = "(((id >> 20) - CASE WHEN id < 0 THEN 86399 ELSE 0 END) / 86400)"

// dayFirstID is the smallest id a message of day can have.
func dayFirstID(day int64) int64 { return day * secondsPerDay << slotBits }

// dayMarkID is the rowid of day's mark in message_fts: the last slot of the
// last second before the day, which no message takes.
func dayMarkID(day int64) int64 { return dayFirstID(day) - 1 }

// dayMarkToken is the only token of day's mark (days after 1970-01-01
// only: a minus sign would split the token).
func dayMarkToken(day int64) string { return "窗界标" + strconv.FormatInt(day, 10) }

// addMessageDays adds delta[day] to each day's count, in day order (two
// imports touching the same days lock them in the same order), drops the
// days left with no message, and on SQLite adds and removes their marks.
func addMessageDays(ctx context.Context, c conn, delta map[int64]int64) error {
	if len(delta) > 0 {
		c.db.bounds.changed()
	}
	for _, day := range slices.Sorted(maps.Keys(delta)) {
		n := delta[day]
		if n == 0 {
			continue
		}
		var now int64
		if err := c.queryRow(ctx, `INSERT INTO message_days (day, messages) VALUES (?, ?)
			ON CONFLICT (day) DO UPDATE SET messages = message_days.messages + excluded.messages
			RETURNING messages`, day, n).Scan(&now); err != nil {
			return err
		}
		mark := c.db.dialect == SQLite && day > 0
		switch {
		case now <= 0:
			if _, err := c.exec(ctx, "DELETE FROM message_days WHERE day = ?", day); err != nil {
				return err
			}
			if mark {
				if _, err := c.exec(ctx, `DELETE FROM message_fts WHERE rowid = ?
					AND NOT EXISTS (SELECT 1 FROM messages WHERE id = ?)`, dayMarkID(day), dayMarkID(day)); err != nil {
					return err
				}
			}
		case now == n && n > 0 && mark: // a new day
			if _, err := c.exec(ctx, `INSERT INTO message_fts (rowid, tokens) SELECT ?, ?
				WHERE NOT EXISTS (SELECT 1 FROM messages WHERE id = ?)`, dayMarkID(day), dayMarkToken(day), dayMarkID(day)); err != nil {
				return err
			}
		}
	}
	return nil
}

// conversationDays is how many messages conversation id holds on each day.
func conversationDays(ctx context.Context, c conn, id int64) (map[int64]int64, error) {
	rows, err := c.query(ctx, "SELECT "+dayOfID+", count(*) FROM messages WHERE conversation_id = ? GROUP BY "+dayOfID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	days := map[int64]int64{}
	for rows.Next() {
		var day, n int64
		if err := rows.Scan(&day, &n); err != nil {
			return nil, err
		}
		days[day] = n
	}
	return days, rows.Err()
}
