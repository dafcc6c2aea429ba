package store

import (
	"context"
	"database/sql"
	"errors"
)

// A word of three or more CJK characters is looked up by its bigrams, and
// the bigrams of one word mostly occur together: a message holding 师费
// almost always holds 律师 as well, because it says 律师费. Every bigram
// of the AND costs FTS5 its whole doclist in the window when the words
// never meet, and a common one (律师: one message in eight in the
// benchmark archive) costs as much as the rest of the query. Since every
// candidate is checked for the exact word afterwards (filters), a word
// needs only enough of its bigrams to keep the candidates few. So on
// SQLite each word's bigrams are probed (how far back the probeDepth-th
// newest message holding it lies) and the MATCH keeps the rarest bigram of
// the word and any other at most twice as common; the rest are left to
// the exact check. A query's results are the same with or without this;
// only the index entries read differ.

// probeDepth is how many of a bigram's newest messages a probe steps over
// to estimate how common it is.
const probeDepth = 256

// maxProbes bounds the probes of one request (a long phrase keeps the
// bigrams beyond it unprobed, all in the MATCH, as without sparseTokens).
const maxProbes = 12

// queryTokenGroups is QueryTokens by source: each group is either one
// token (a single CJK character, a word of other letters or digits) or
// the bigrams of one run of two or more CJK characters.
func queryTokenGroups(term string) [][]string {
	var out [][]string
	var run []string // characters of the current CJK run
	flush := func() {
		switch {
		case len(run) == 1:
			out = append(out, []string{run[0]})
		case len(run) > 1:
			g := make([]string, 0, len(run)-1)
			for i := 1; i < len(run); i++ {
				g = append(g, run[i-1]+run[i])
			}
			out = append(out, g)
		}
		run = run[:0]
	}
	word := -1
	for i, r := range term {
		cjk := isCJK(r)
		if word >= 0 && (cjk || !isWordRune(r)) {
			out = append(out, []string{lowerWord(term[word:i])})
			word = -1
		}
		switch {
		case cjk:
			run = append(run, string(r))
		case isWordRune(r):
			flush()
			if word < 0 {
				word = i
			}
		default:
			flush()
		}
	}
	flush()
	if word >= 0 {
		out = append(out, []string{lowerWord(term[word:])})
	}
	return out
}

// sparseTokens returns the tokens of groups that the FTS5 MATCH of a
// search at or below hi needs (see above): every single token, and of
// each run's bigrams the rarest and those at most twice as common.
func (db *DB) sparseTokens(ctx context.Context, groups [][]string, hi int64) ([]string, error) {
	var out []string
	probes := 0
	var top int64 // the newest message at or below hi, read once
	for _, g := range groups {
		if len(g) < 2 || probes+len(g) > maxProbes {
			out = append(out, g...)
			continue
		}
		probes += len(g)
		if top == 0 {
			var newest sql.NullInt64
			if err := db.read().queryRow(ctx, "SELECT max(id) FROM messages WHERE id <= ?", hi).Scan(&newest); err != nil {
				return nil, err
			}
			if !newest.Valid { // no message: nothing to find, nothing to probe
				for _, g := range groups {
					out = append(out, g...)
				}
				return uniqueTokens(out), nil
			}
			top = newest.Int64
		}
		// span[i]: how far back from top the probeDepth-th newest message
		// holding g[i] lies (larger: rarer); -1 when fewer messages hold it.
		span := make([]int64, len(g))
		rare := false
		for i, t := range g {
			var id int64
			err := db.read().queryRow(ctx, `SELECT rowid FROM message_fts WHERE message_fts MATCH ? AND rowid <= ?
				ORDER BY rowid DESC LIMIT 1 OFFSET ?`, `"`+t+`"`, top, probeDepth-1).Scan(&id)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				span[i], rare = -1, true
			case err != nil:
				return nil, err
			default:
				span[i] = top - id
			}
		}
		widest := int64(0)
		for _, s := range span {
			widest = max(widest, s)
		}
		for i, t := range g {
			if rare && span[i] < 0 || !rare && span[i] >= widest/2 {
				out = append(out, t)
			}
		}
	}
	return uniqueTokens(out), nil
}
