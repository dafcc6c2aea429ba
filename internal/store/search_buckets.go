package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// PostgreSQL's token index is time-partitioned (migration 00032): one
// partial GIN index on messages(tokens) per calendar quarter (UTC) of
// message ids, WHERE id >= lo AND id < hi, listed in message_token_buckets.
// A GIN index reads a word's whole posting list whatever the statement's id
// range, so with one index over the whole table a zero-hit AND of common
// words cost in proportion to the archive; a statement confined to one
// quarter reads only that quarter's postings, and a search window
// (searchWindows, the same windows and budget as on SQLite) reads only the
// postings of the quarters it touches. There is no token index over the
// whole table (migration 00034 dropped it): a window that reaches into
// every quarter reads each quarter's index in turn, newest first, which
// reads the same postings; keeping a second index of every token of every
// message doubled what an import writes (a 1M-message import on
// PostgreSQL spent most of its time adding rows to it, one at a time,
// while each quarter's index is built in bulk after the rows are in).
//
// Why quarters: a window of about DefaultSearchBudget messages reads at
// most one bucket beyond its budget at each end (a window ending inside a
// bucket reads that bucket's whole postings), so buckets should be small
// against the budget; but each bucket is an index that the planner looks at
// for every statement on messages and that costs a scan of the table to
// build (once, when its first message arrives). A firm's archive holds tens
// of thousands to a few hundred thousand messages a quarter, well under the
// budget, and ten years are 40 indexes; months would be 120, years would
// let one bucket hold several budgets.
//
// The planner uses a partial index only when it can prove, at plan time,
// that the statement's conditions imply the index's predicate: a generic
// plan with $n bounds proves nothing. So each statement states its bucket's
// bounds as integer literals (tokenBucket.cond), never as parameters.

// tokenBucket is the id range [lo, hi) of one partial token index.
type tokenBucket struct{ lo, hi int64 }

// bucketOfDay is the quarter holding message_days' day.
func bucketOfDay(day int64) tokenBucket {
	t := time.Unix(day*secondsPerDay, 0).UTC()
	start := time.Date(t.Year(), t.Month()-(t.Month()-1)%3, 1, 0, 0, 0, 0, time.UTC)
	return tokenBucket{start.Unix() << slotBits, start.AddDate(0, 3, 0).Unix() << slotBits}
}

// name is the bucket's index name, e.g. messages_tokens_2025q1.
func (b tokenBucket) name() string {
	t := time.Unix(b.lo>>slotBits, 0).UTC()
	return fmt.Sprintf("messages_tokens_%04dq%d", t.Year(), (int(t.Month())+2)/3)
}

// cond is the bucket's predicate with literal bounds, as in its index.
func (b tokenBucket) cond(col string) string {
	return col + " >= " + strconv.FormatInt(b.lo, 10) + " AND " + col + " < " + strconv.FormatInt(b.hi, 10)
}

// ensureTokenBuckets creates, in c's transaction, the token index of each
// bucket holding one of days (the days of messages just written) that has
// none yet (PostgreSQL only). Within the transaction that wrote the
// messages, the index is committed with them: no committed message lies in
// a bucket without an index. Building it after the rows are in is one bulk
// build rather than an index update per row.
func ensureTokenBuckets(ctx context.Context, c conn, days map[int64]int64) error {
	if c.db.dialect != Postgres || len(days) == 0 {
		return nil
	}
	want := map[int64]tokenBucket{}
	for day, n := range days {
		if n > 0 {
			b := bucketOfDay(day)
			want[b.lo] = b
		}
	}
	los := slices.Sorted(maps.Keys(want))
	have, err := queryAll(ctx, c, func(r scanner) (int64, error) {
		var lo int64
		return lo, r.Scan(&lo)
	}, "SELECT lo FROM message_token_buckets WHERE lo = ANY(?)", los)
	if err != nil {
		return err
	}
	for _, lo := range have {
		delete(want, lo)
	}
	for _, lo := range los {
		b, ok := want[lo]
		if !ok {
			continue
		}
		if _, err := c.exec(ctx, `CREATE INDEX IF NOT EXISTS "`+b.name()+`" ON messages USING gin (tokens)
			WITH (gin_pending_list_limit = 256) WHERE `+b.cond("id")); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `INSERT INTO message_token_buckets (lo, hi, index_name) VALUES (?, ?, ?)
			ON CONFLICT (lo) DO NOTHING`, b.lo, b.hi, b.name()); err != nil {
			return err
		}
	}
	return nil
}

// candidateQuery is the statement (PostgreSQL placeholders) and arguments
// that list the ids in [lo, hi] whose tokens hold every one of tokens, at
// most limit, given every bucket (newest first).
//
// It is one branch per bucket that overlaps [lo, hi], newest first, each
// stating its bucket's predicate as literals so that it reads that
// bucket's index alone (the planner proves the partial index applies even
// in a generic plan); its part of the range is a parameter on id + 0 (which
// keeps the primary key out of the plan). LIMIT stops at the first limit
// ids, so a common word is not read in every quarter. Parts of [lo, hi]
// that no bucket covers (no message should lie there, but see
// allTokenBuckets) are walked by primary key without a token index:
// results never depend on the bucket list being complete. The text depends
// only on which buckets and gaps the range has, so prepared statements are
// reused.
func candidateQuery(buckets []tokenBucket, lo, hi int64, tokens []string, limit int) (string, []any) {
	var parts []string
	args := []any{tokens}
	param := func(n int64) string {
		args = append(args, n)
		return "$" + strconv.Itoa(len(args))
	}
	gap := func(from, to int64) { // [from, to], no bucket
		if from <= to {
			parts = append(parts, "SELECT id FROM messages WHERE coalesce(tokens @> $1, FALSE) AND id >= "+
				param(from)+" AND id <= "+param(to))
		}
	}
	top := hi
	for _, b := range buckets {
		if b.hi <= lo || b.lo > hi {
			continue
		}
		gap(max(lo, b.hi), top)
		parts = append(parts, "SELECT id FROM messages WHERE tokens @> $1 AND "+b.cond("id")+
			" AND id + 0 >= "+param(max(lo, b.lo))+" AND id + 0 <= "+param(min(hi, b.hi-1)))
		top = b.lo - 1
	}
	gap(lo, top)
	for i, p := range parts {
		parts[i] = "(" + p + ")"
	}
	return strings.Join(parts, " UNION ALL ") + " LIMIT " + param(int64(limit)), args
}
