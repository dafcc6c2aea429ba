package store

import (
	"context"
	"database/sql"
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
	// Budget bounds how many messages one request searches, newest first
	// (see searchWindows): 0 is DefaultSearchBudget, a negative
	// budget searches the whole range. Window is how many messages each
	// step covers (0: searchWindowSize); tests make both tiny.
	Budget, Window int
}

// SearchResult is a page of hits and, when the budget stopped the search
// before the page was full, where it stopped.
type SearchResult struct {
	Hits []SearchHit
	// More is set when messages older than the ones searched were left
	// out: the page is not full, and a search with BeforeID = More goes on
	// where this one stopped. Zero: the whole range was searched (or the
	// page is full).
	More int64
	// Searched is about how many messages the windows held (from the
	// per-day counts; 0 when the search ran in one step).
	Searched int64
}

// SearchedBack is the time of the oldest message a stopped search
// covered: messages before it were not searched.
func (r SearchResult) SearchedBack() time.Time {
	return time.Unix(r.More>>slotBits, 0).UTC()
}

// SearchHit is one found message with its conversation's title.
type SearchHit struct {
	Message           *model.Message
	ConversationTitle string
	ConversationKind  model.ConversationKind
}

// SearchMessages returns the newest messages matching q, newest first, at
// most q.Limit. It stops after about q.Budget messages (see searchWindows)
// and says so in the result.
func (db *DB) SearchMessages(ctx context.Context, q SearchQuery) (SearchResult, error) {
	var tokens, needles []string
	var groups [][]string
	for _, term := range q.Terms {
		g := queryTokenGroups(term)
		if len(g) == 0 {
			continue
		}
		groups = append(groups, g...)
		for _, t := range g {
			tokens = append(tokens, t...)
		}
		if db.dialect == SQLite {
			needles = append(needles, asciiLower(term)) // what SQLite's lower() does
		} else {
			needles = append(needles, strings.ToLower(term))
		}
	}
	if len(tokens) == 0 {
		return SearchResult{}, ErrEmptyQuery
	}
	tokens = uniqueTokens(tokens)
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	lo, hi := int64(-1<<62), int64(noUpperBound)
	if !q.From.IsZero() {
		lo = MessageIDFloor(q.From)
	}
	if !q.To.IsZero() {
		hi = MessageIDFloor(q.To) - 1
	}
	if q.BeforeID != 0 && q.BeforeID-1 < hi {
		hi = q.BeforeID - 1
	}
	if db.dialect == SQLite {
		match, err := db.sparseTokens(ctx, groups, hi)
		if err != nil {
			return SearchResult{}, err
		}
		return db.searchWindows(ctx, q, lo, hi, limit, func(lo, hi, markDay int64, limit int) ([]SearchHit, error) {
			return db.searchSQLite(ctx, q, match, needles, lo, hi, markDay, limit)
		})
	}
	return db.searchWindows(ctx, q, lo, hi, limit, func(lo, hi, _ int64, limit int) ([]SearchHit, error) {
		return db.searchPostgres(ctx, q, tokens, needles, lo, hi, limit)
	})
}

// noUpperBound is the upper end of a search with no date, cursor or
// window limiting it from above.
const noUpperBound = 1 << 62

// searchSQLite runs the search of one window in one statement: the FTS
// table drives the loop (CROSS JOIN fixes the order) in rowid order, which
// is time order, so the first page costs only as many index entries as it
// takes to find it. With more than one token each is ORed with the top
// mark when the window has an upper end, so that the AND starts right at
// it, and with the mark of markDay, so that it stops right below the
// window even when its words never meet (see message_days.go); marks join
// no message. The tokens are sparseTokens'.
func (db *DB) searchSQLite(ctx context.Context, q SearchQuery, tokens, needles []string, lo, hi, markDay int64, limit int) ([]SearchHit, error) {
	quoted := make([]string, len(tokens))
	for i, t := range tokens {
		quoted[i] = `"` + t + `"`
		var marks string
		if len(tokens) > 1 && hi < noUpperBound {
			marks += ` OR "` + topMarkToken + `"`
		}
		if len(tokens) > 1 && markDay > 0 {
			marks += ` OR "` + dayMarkToken(markDay) + `"`
		}
		if marks != "" {
			quoted[i] = "(" + quoted[i] + marks + ")"
		}
	}
	where, args := q.filters(db, needles)
	query := "SELECT " + messageColumns + `, CASE WHEN c.display_name <> '' THEN c.display_name ELSE c.title END, c.kind FROM message_fts f CROSS JOIN messages m ON m.id = f.rowid
		JOIN conversations c ON c.id = m.conversation_id
		WHERE message_fts MATCH ? AND f.rowid >= ? AND f.rowid <= ?` + where + " ORDER BY f.rowid DESC LIMIT ?"
	args = append([]any{strings.Join(quoted, " AND "), lo, hi}, append(args, limit)...)
	return db.searchRows(ctx, query, args...)
}

// recentWindows are how many messages (in the searched id range, newest
// first) PostgreSQL checks one by one before it asks the GIN index: the
// newest 1,000, then, when those held at least a quarter of a page (the
// words are common), the next 8,000. maxCandidates is how many older
// messages holding every token it then fetches through the index before it
// gives up on the index and walks the older messages newest first instead
// (the words are then common enough to fill the page soon).
var recentWindows = []int{1000, 8000}

const maxCandidates = 2000

// searchPostgres keeps every step's cost bounded by the page, not by the
// number of messages. Left to itself the planner walks the primary key
// backwards for a word it believes common and reads every message when the
// word is rare or the terms never meet (163 ms at 200,000 messages, growing
// with the data), and a prepared statement's generic plan ANDs the GIN
// bitmap with a bitmap of the whole id range (29 ms at 200,000). So:
//  1. the newest messages are checked one by one (recentWindows): common
//     words fill the page here;
//  2. otherwise the GIN indexes of the quarters the window touches list
//     the older messages holding every token (candidateQuery; id + 0
//     keeps the primary key out of that plan), at most maxCandidates+1 of
//     them: rare words and zero-hit combinations end here, at the cost of
//     their posting lists in those quarters (search_buckets.go);
//  3. only when there are more candidates than that are the older messages
//     walked newest first.
func (db *DB) searchPostgres(ctx context.Context, q SearchQuery, tokens, needles []string, lo, hi int64, limit int) ([]SearchHit, error) {
	where, fargs := q.filters(db, needles)
	cols := "SELECT " + messageColumns + ", CASE WHEN c.display_name <> '' THEN c.display_name ELSE c.title END, c.kind"
	// coalesce() hides the token test from the GIN index: this statement
	// always walks the primary key newest first and stops at the page.
	walk := cols + ` FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE coalesce(m.tokens @> ?, FALSE) AND m.id >= ? AND m.id <= ?` + where + " ORDER BY m.id DESC LIMIT ?"
	out := []SearchHit{}
	for i, window := range recentWindows {
		boundary := lo // the oldest id of this window
		err := db.read().queryRow(ctx, `SELECT id FROM messages WHERE id >= ? AND id <= ?
			ORDER BY id DESC OFFSET ? LIMIT 1`, lo, hi, window-1).Scan(&boundary)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		hits, err := db.searchRows(ctx, walk, append(append([]any{tokens, boundary, hi}, fargs...), limit-len(out))...)
		if err != nil {
			return nil, err
		}
		out = append(out, hits...)
		if len(out) == limit || boundary <= lo {
			return out, nil
		}
		hi = boundary - 1
		if i == 0 && len(out)*4 < limit {
			break // rare words: the index is cheaper than walking on
		}
	}
	buckets, err := db.allTokenBuckets(ctx)
	if err != nil {
		return nil, err
	}
	// Not through conn.query: the text is already PostgreSQL's, and
	// rebind would remember every variant.
	cq, cargs := candidateQuery(buckets, lo, hi, tokens, maxCandidates+1)
	if err := checkText(cargs); err != nil {
		return nil, err
	}
	cand, err := db.reader.QueryContext(ctx, cq, cargs...)
	if err != nil {
		return nil, invalidText(err)
	}
	var ids []int64
	for cand.Next() {
		var id int64
		if err := cand.Scan(&id); err != nil {
			cand.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	cand.Close()
	if err := cand.Err(); err != nil {
		return nil, err
	}
	var more []SearchHit
	switch {
	case len(ids) == 0:
	case len(ids) <= maxCandidates:
		more, err = db.searchRows(ctx, cols+` FROM messages m JOIN conversations c ON c.id = m.conversation_id
			WHERE m.id = ANY(?)`+where+" ORDER BY m.id DESC LIMIT ?", append(append([]any{ids}, fargs...), limit-len(out))...)
	default:
		more, err = db.searchRows(ctx, walk, append(append([]any{tokens, lo, hi}, fargs...), limit-len(out))...)
	}
	if err != nil {
		return nil, err
	}
	return append(out, more...), nil
}

// filters is the SQL (each part starting with " AND ") and arguments of
// q's conditions other than the index lookup and the id range.
func (q SearchQuery) filters(db *DB, needles []string) (string, []any) {
	var sb strings.Builder
	var args []any
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
	return sb.String(), args
}

func (db *DB) searchRows(ctx context.Context, query string, args ...any) ([]SearchHit, error) {
	rows, err := db.read().query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []SearchHit{}
	for rows.Next() {
		var h SearchHit
		var kind string
		var err error
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
