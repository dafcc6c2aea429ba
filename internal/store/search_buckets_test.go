package store_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// checkTokenBuckets: on PostgreSQL every quarter holding a message has its
// bucket and its partial index, with the bounds Go computes, and these are
// the only token indexes (migration 00034 dropped the one over the whole
// table); on SQLite the bucket table stays empty.
func checkTokenBuckets(t *testing.T, db *store.DB, when string) []store.TokenBucketForTest {
	t.Helper()
	stored, want, indexes, err := store.TokenBucketsForTest(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if db.Dialect() == store.SQLite {
		if len(stored) > 0 {
			t.Errorf("%s: SQLite has token buckets %v", when, stored)
		}
		return nil
	}
	if !slices.Equal(stored, want) {
		t.Errorf("%s: buckets %v, want %v", when, stored, want)
	}
	if _, ok := indexes["messages_tokens"]; ok || len(indexes) != len(stored) {
		t.Errorf("%s: GIN indexes %v, buckets %v; want one per bucket and no other", when, indexes, stored)
	}
	for _, b := range stored {
		def := indexes[b.Name]
		if !strings.Contains(def, fmt.Sprintf("WHERE ((id >= '%d'::bigint) AND (id < '%d'::bigint))", b.Lo, b.Hi)) &&
			!strings.Contains(def, fmt.Sprintf("WHERE ((id >= %d) AND (id < %d))", b.Lo, b.Hi)) {
			t.Errorf("%s: bucket %v has index %q", when, b, def)
		}
	}
	return stored
}

// TestTokenBuckets: imports create the index of each new quarter in their
// transaction (one by one and through COPY), and the search finds the
// messages of a quarter that was added later.
func TestTokenBuckets(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		convs := seedBudgetArchive(t, db, 1500)
		if b := checkTokenBuckets(t, db, "after the import"); db.Dialect() == store.Postgres && len(b) < 4 {
			t.Errorf("the archive spans only %d quarters", len(b))
		}
		// A rolled-back import leaves no bucket behind.
		at := time.Date(2031, 5, 7, 10, 0, 0, 0, time.UTC)
		add := func(fail bool) error {
			return db.Update(ctx, func(tx *store.Tx) error {
				imp := &model.ChatImport{FileName: "c.csv", Format: "wechatmsg-csv", SHA256: "c0", Size: 1, ImportedBy: "test"}
				if err := tx.CreateChatImport(ctx, imp); err != nil {
					return err
				}
				w, err := tx.NewMessageWriter(ctx, imp.ID)
				if err != nil {
					return err
				}
				defer w.Close()
				for i, when := range []time.Time{at, at.AddDate(0, 3, 0)} {
					m := &model.Message{Key: fmt.Sprintf("c%d", i), ConversationID: convs[0], SentAt: when,
						SenderWxID: "wxid_a", Kind: model.MessageText, Text: "押金工资", SourceLine: i + 2}
					if i == 0 {
						err = w.Add(ctx, m)
					} else {
						_, err = w.Insert(ctx, m)
					}
					if err != nil {
						return err
					}
				}
				if err := w.Flush(ctx); err != nil {
					return err
				}
				if fail {
					return fmt.Errorf("rolled back")
				}
				return nil
			})
		}
		if err := add(true); err == nil {
			t.Fatal("no error")
		}
		checkTokenBuckets(t, db, "after a rolled-back import")
		if err := add(false); err != nil {
			t.Fatal(err)
		}
		checkTokenBuckets(t, db, "after an import into two new quarters")
		for _, budget := range []int{0, -1, 5} {
			res, err := db.SearchMessages(ctx, store.SearchQuery{Terms: []string{"押金", "工资"}, Budget: budget})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != 2 || res.Hits[0].Message.SentAt.Before(res.Hits[1].Message.SentAt) {
				t.Errorf("budget %d: %d hits, want the 2 new messages", budget, len(res.Hits))
			}
		}
	})
}

// TestCandidateStatementUsesBucketIndexes: the statement that lists a
// window's candidates reads each quarter's partial index, in custom plans
// and in the generic plan a prepared statement switches to (its bucket
// bounds are literals; with parameters the planner could not use them).
func TestCandidateStatementUsesBucketIndexes(t *testing.T) {
	ctx := context.Background()
	for _, e := range storetest.Engines(t) {
		if e.URL == "" {
			continue
		}
		db := storetest.Open(t, e, fixedClock())
		seedBudgetArchive(t, db, 1500)
		stored := checkTokenBuckets(t, db, "after the import")
		if len(stored) < 3 {
			t.Fatalf("buckets %v", stored)
		}
		// From the middle of the oldest bucket to the middle of the third.
		lo, hi := stored[0].Lo+(stored[0].Hi-stored[0].Lo)/2, stored[2].Lo+(stored[2].Hi-stored[2].Lo)/2
		query, args, err := store.CandidateQueryForTest(ctx, db, []string{"押金", "工资"}, lo, hi)
		if err != nil {
			t.Fatal(err)
		}
		// A range that reaches into every bucket reads each bucket's
		// index, newest first (there is no index over the whole table).
		if q, _, err := store.CandidateQueryForTest(ctx, db, []string{"押金"}, stored[0].Lo+1, 1<<62); err != nil ||
			strings.Count(q, "tokens @> $1 AND id >= ") != len(stored) {
			t.Errorf("the whole archive: %q (%v), want one branch per bucket", q, err)
		}
		if !strings.Contains(query, "UNION ALL") {
			t.Fatalf("three of several buckets in one statement: %q", query)
		}
		raw := rawConn(t, e)
		defer raw.Close()
		if _, err := raw.ExecContext(ctx, "ANALYZE messages"); err != nil {
			t.Fatal(err)
		}
		c, err := raw.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		// EXECUTE's arguments as literals (test data only).
		lits := []string{"ARRAY['押金','工资']"}
		for _, a := range args[1:] {
			lits = append(lits, strconv.FormatInt(a.(int64), 10))
		}
		plan := func(stmt string) string {
			t.Helper()
			rows, err := c.QueryContext(ctx, "EXPLAIN EXECUTE "+stmt+"("+strings.Join(lits, ", ")+")")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var sb strings.Builder
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					t.Fatal(err)
				}
				sb.WriteString(line + "\n")
			}
			return sb.String()
		}
		uses := func(p string) []string {
			return regexp.MustCompile(`Bitmap Index Scan on (messages_tokens_\w+)`).FindAllString(p, -1)
		}
		if _, err := c.ExecContext(ctx, "PREPARE cand AS "+query); err != nil {
			t.Fatal(err)
		}
		for _, mode := range []string{"auto", "force_generic_plan", "force_custom_plan"} {
			if _, err := c.ExecContext(ctx, "SET plan_cache_mode = "+mode); err != nil {
				t.Fatal(err)
			}
			for i := range 10 {
				p := plan("cand")
				if got := uses(p); len(got) != 3 || strings.Contains(p, "Seq Scan") {
					t.Fatalf("%s, execution %d: the plan reads %v, want the 3 buckets' indexes:\n%s", mode, i+1, got, p)
				}
			}
		}
		// The control: with the bounds as parameters a generic plan cannot
		// use the partial indexes (why they are literals).
		if _, err := c.ExecContext(ctx, `PREPARE param AS SELECT id FROM messages WHERE tokens @> $1
			AND id >= $2 AND id < $3 LIMIT 10`); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ExecContext(ctx, "SET plan_cache_mode = force_generic_plan"); err != nil {
			t.Fatal(err)
		}
		lits = []string{"ARRAY['押金','工资']", strconv.FormatInt(stored[1].Lo, 10), strconv.FormatInt(stored[1].Hi, 10)}
		if p := plan("param"); len(uses(p)) > 0 {
			t.Errorf("a generic plan with parameter bounds used a partial index:\n%s", p)
		}
	}
}

// TestMigrationBuildsTokenBuckets: migration 00032 builds the index of
// each quarter holding messages (bounds as Go computes them, quarters'
// edges included), 00034 drops the index over the whole table, and the
// search then finds every message.
func TestMigrationBuildsTokenBuckets(t *testing.T) {
	ctx := context.Background()
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			key, tokens, cols := "CAST('k%d' AS BLOB)", "", ""
			if e.URL != "" {
				key, tokens, cols = "'k%d'::bytea", ", ARRAY['押金']", ", tokens"
			}
			queries := []string{
				`INSERT INTO chat_imports (id, file_name, format, sha256, size, imported_at, imported_by)
					VALUES (1, 'a.csv', 'wechatmsg-csv', 'aa', 1, '2025-03-01 10:00:00', 'zhang')`,
				`INSERT INTO conversations (id, conv_key, kind, title, created_at)
					VALUES (1, 'u:zhang|wechatmsg:7', 'direct', '王五', '2025-03-01 10:00:00')`,
			}
			newYear := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
			secs := []int64{newYear - 1, newYear, newYear + 86400*89, newYear + 86400*90, newYear + 86400*400}
			for i, sec := range secs {
				id := sec<<20 | int64(i)
				queries = append(queries, fmt.Sprintf(`INSERT INTO messages (id, conversation_id, msg_key, sender_wxid, sender_name, kind, body, import_id, source_line`+cols+`)
					VALUES (%d, 1, `+key+`, 'wxid_w', '王五', 'text', '押金', 1, %d`+tokens+`)`, id, i, i+2))
				if e.URL == "" {
					queries = append(queries, fmt.Sprintf(`INSERT INTO message_fts (rowid, tokens) VALUES (%d, '押金')`, id))
				}
			}
			db := upgradeWith(t, e, 31, queries)
			if n := len(checkTokenBuckets(t, db, "after the migration")); e.URL != "" && n != 4 {
				t.Errorf("%d buckets, want 4 (2024q4, 2025q1, 2025q2, 2026q1)", n)
			}
			res, err := db.SearchMessages(ctx, store.SearchQuery{Terms: []string{"押金"}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != len(secs) {
				t.Errorf("%d hits, want %d", len(res.Hits), len(secs))
			}
		})
	}
}

// TestConcurrentImportsIntoNewQuarters: two imports at once, each adding
// messages in quarters that have no token index yet, both commit (on
// PostgreSQL each builds an index, whose lock waits for the other's rows:
// without the writers' lock one of them died in a deadlock).
func TestConcurrentImportsIntoNewQuarters(t *testing.T) {
	storetest.Each(t, fixedClock(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		convs := seedBudgetArchive(t, db, 50)
		importAt := func(n int, at time.Time, started chan<- struct{}, proceed <-chan struct{}) error {
			return db.Update(ctx, func(tx *store.Tx) error {
				imp := &model.ChatImport{FileName: fmt.Sprintf("q%d.csv", n), Format: "wechatmsg-csv", SHA256: fmt.Sprintf("q%d", n), Size: 1, ImportedBy: "test"}
				if err := tx.CreateChatImport(ctx, imp); err != nil {
					return err
				}
				w, err := tx.NewMessageWriter(ctx, imp.ID)
				if err != nil {
					return err
				}
				defer w.Close()
				for i := range 20 {
					m := &model.Message{Key: fmt.Sprintf("q%d-%d", n, i), ConversationID: convs[0], SentAt: at.Add(time.Duration(i) * time.Hour),
						SenderWxID: "wxid_a", Kind: model.MessageText, Text: "并发导入", SourceLine: i + 2}
					if _, err := w.Insert(ctx, m); err != nil {
						return err
					}
				}
				close(started)
				<-proceed // both hold their rows before either flushes
				return w.Flush(ctx)
			})
		}
		errs := make(chan error, 2)
		started := []chan struct{}{make(chan struct{}), make(chan struct{})}
		proceed := make(chan struct{})
		for n, at := range []time.Time{time.Date(2033, 2, 1, 9, 0, 0, 0, time.UTC), time.Date(2034, 8, 1, 9, 0, 0, 0, time.UTC)} {
			go func() { errs <- importAt(n, at, started[n], proceed) }()
		}
		// Let both hold their rows before either flushes, where they can:
		// a serialised second writer cannot start before the first
		// commits, so after a while the first goes on alone.
		wait := 30 * time.Second
		for n := 0; n < 2; n++ {
			select {
			case <-started[0]:
				started[0] = nil
			case <-started[1]:
				started[1] = nil
			case <-time.After(wait):
				if n == 0 {
					t.Fatal("no import started")
				}
			}
			wait = 2 * time.Second
		}
		close(proceed)
		for range 2 {
			select {
			case err := <-errs:
				if err != nil {
					t.Fatalf("concurrent import: %v", err)
				}
			case <-time.After(60 * time.Second):
				t.Fatal("the imports did not finish: a deadlock")
			}
		}
		checkTokenBuckets(t, db, "after two concurrent imports")
		res, err := db.SearchMessages(ctx, store.SearchQuery{Terms: []string{"并发导入"}, Budget: -1, Limit: 100})
		if err != nil || len(res.Hits) != 40 {
			t.Fatalf("after both imports: %d hits, %v", len(res.Hits), err)
		}
	})
}
