package store

import (
	"context"
	"database/sql"
)

// An AND search whose words are common but never meet finds nothing, and
// to prove it an inverted index reads the words' posting lists: one FTS5
// statement over the whole archive costs in proportion to the archive
// (about 6 ms of CPU at 1,000,000 messages, 60 ms at 10,000,000). So a
// search request covers at most about DefaultSearchBudget messages, newest
// first: message_days (how many messages each day holds) tells where the
// newest DefaultSearchBudget messages begin, the FTS5 statement is bounded
// there (and stopped there by the day mark, see message_days.go), and the
// result carries that bound (SearchResult.More); a search with BeforeID =
// More goes on from there. A range holding fewer messages than the budget
// is searched whole in one statement, as before.
//
// The steps (windows) always cover the whole range from its newest id
// down to the bound, one after the other; the counts only decide where
// each ends. Wrong counts make windows larger or smaller, never skip a
// message. One window per request is enough: FTS5 walks newest first and
// stops when the page is full, and every further statement costs its own
// start-up (seeking each token in each index segment); tests use tiny
// windows and budgets (SearchQuery.Window, Budget) to exercise many.

// DefaultSearchBudget is about how many messages one search request covers.
const DefaultSearchBudget = 1_000_000

// searchWindowSize is about how many messages one step covers.
const searchWindowSize = DefaultSearchBudget

// dayBlock is how many message_days rows windowBelow sums in SQL at a time.
const dayBlock = 32

// blockDiv is dayBlock in SQL text: PostgreSQL matches a GROUP BY
// expression with the select list's only when both are the same literal
// (day / $1 and day / $3 are different expressions to it).
const blockDiv = "32"

// searchWindows runs search over [lo, hi] newest first, window by window,
// until the page is full, the range is done or the budget is spent. search
// gets each window's bounds and the day whose mark lies right below it
// (0: none).
func (db *DB) searchWindows(ctx context.Context, q SearchQuery, lo, hi int64, limit int,
	search func(lo, hi, markDay int64, limit int) ([]SearchHit, error)) (SearchResult, error) {
	budget := int64(q.Budget)
	if budget == 0 {
		budget = DefaultSearchBudget
	}
	size := int64(q.Window)
	if size <= 0 {
		size = searchWindowSize
	}
	res := SearchResult{Hits: []SearchHit{}}
	for hi >= lo {
		bound, n, markDay := lo, int64(0), int64(0)
		var err error
		switch {
		case budget > 0:
			bound, n, markDay, err = db.window(ctx, lo, hi, min(size, budget-res.Searched))
		case lo > -1<<62 && db.dialect == SQLite: // one statement bounded below: stop it at the mark
			markDay, err = db.markBelow(ctx, lo)
		}
		if err != nil {
			return res, err
		}
		hits, err := search(bound, hi, markDay, limit-len(res.Hits))
		if err != nil {
			return res, err
		}
		res.Hits = append(res.Hits, hits...)
		res.Searched += n
		if len(res.Hits) >= limit || bound <= lo {
			return res, nil
		}
		if res.Searched >= budget {
			res.More = bound
			return res, nil
		}
		hi = bound - 1
	}
	return res, nil
}

// windowBelow chooses the oldest id (bound, lo <= bound <= hi) of the
// window that ends at hi: the start of the newest days whose counts in
// message_days add up to at least size messages, or lo when the days of
// [lo, hi] hold fewer or no counted day is older. It returns the messages
// the counts put in the window. A window is whole days (FTS5 stops at day
// marks; a day partly inside [lo, hi] counts whole), so a single day
// holding more than size messages is one window. The days are summed in
// SQL: first the newest 64, 256, 1024… days until they hold size messages
// or cover the range (which then fits: the common case), then that span
// in blocks of dayBlock days, and only the block where the window ends is
// read day by day. The rows summed are about those of the window (at most
// four times as many), however long the archive's history.
func (db *DB) windowBelow(ctx context.Context, lo, hi, size int64) (bound, n int64, err error) {
	loDay, hiDay := messageDay(lo), messageDay(hi)
	// The newest span of days that holds size messages: 64 days, then 4
	// times as many, until it does or covers [lo, hi] (which then fits).
	floorDay := loDay
	for span := int64(64); ; span *= 4 {
		from := max(loDay, hiDay-span+1)
		var sum sql.NullInt64
		if err := db.read().queryRow(ctx, "SELECT sum(messages) FROM message_days WHERE day <= ? AND day >= ?",
			hiDay, from).Scan(&sum); err != nil {
			return 0, 0, err
		}
		if sum.Int64 >= size {
			floorDay = from
			break
		}
		if from == loDay {
			return lo, sum.Int64, nil // the common case: the whole range fits
		}
	}
	blocks, err := queryAll(ctx, db.read(), func(r scanner) ([2]int64, error) {
		var b [2]int64
		return b, r.Scan(&b[0], &b[1])
	}, `SELECT day / `+blockDiv+`, sum(messages) FROM message_days WHERE day <= ? AND day >= ?
		GROUP BY day / `+blockDiv+` ORDER BY day / `+blockDiv+` DESC`, hiDay, floorDay)
	if err != nil {
		return 0, 0, err
	}
	for i, b := range blocks {
		if n+b[1] < size {
			n += b[1]
			continue
		}
		last := i == len(blocks)-1 // no older block in the span
		days, err := queryAll(ctx, db.read(), func(r scanner) ([2]int64, error) {
			var d [2]int64
			return d, r.Scan(&d[0], &d[1])
		}, `SELECT day, messages FROM message_days WHERE day <= ? AND day >= ? AND day / ? = ? ORDER BY day DESC`,
			min(hiDay, b[0]*dayBlock+dayBlock-1), max(floorDay, b[0]*dayBlock-dayBlock+1), dayBlock, b[0])
		if err != nil {
			return 0, 0, err
		}
		for j, d := range days {
			n += d[1]
			if n >= size {
				if j == len(days)-1 && last {
					older := floorDay > loDay
					if older { // is there a counted day before the span?
						var day sql.NullInt64
						if err := db.read().queryRow(ctx, "SELECT max(day) FROM message_days WHERE day < ? AND day >= ?",
							floorDay, loDay).Scan(&day); err != nil {
							return 0, 0, err
						}
						older = day.Valid
					}
					if !older {
						return lo, n, nil // no counted day older: the window reaches lo
					}
				}
				return max(lo, dayFirstID(d[0])), n, nil
			}
		}
		return lo, n, nil // the counts changed between the two reads
	}
	return lo, n, nil
}

// markBelow is the day whose mark is the nearest at or below bound - 1:
// the newest counted day that starts at or before bound (0: none).
func (db *DB) markBelow(ctx context.Context, bound int64) (int64, error) {
	var day sql.NullInt64
	err := db.read().queryRow(ctx, "SELECT max(day) FROM message_days WHERE day <= ?", messageDay(bound)).Scan(&day)
	if err != nil || !day.Valid || day.Int64 <= 0 {
		return 0, err
	}
	return day.Int64, nil
}
