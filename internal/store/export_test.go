package store

import (
	"context"
	"database/sql"
)

// ExecRaw runs a statement on the writer as lvxin would; tests use it to
// show that the database itself refuses some changes.
func ExecRaw(ctx context.Context, db *DB, stmt string) error {
	_, err := db.writer.ExecContext(ctx, stmt)
	return err
}

// TamperAuditForTest changes the audit log the way an attacker with direct
// database access would: with the append-only triggers out of the way.
func TamperAuditForTest(ctx context.Context, db *DB, stmt string) error {
	return db.Update(ctx, func(tx *Tx) error {
		c := tx.c()
		if db.dialect == Postgres {
			if _, err := c.exec(ctx, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"); err != nil {
				return err
			}
			if _, err := c.exec(ctx, stmt); err != nil {
				return err
			}
			_, err := c.exec(ctx, "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change")
			return err
		}
		for _, s := range []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete", stmt,
			"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
			"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"} {
			if _, err := c.exec(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
}

// CreateForeignSQLiteForTest writes a SQLite database that belongs to some
// other program.
func CreateForeignSQLiteForTest(path string) error {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec("CREATE TABLE wx_contacts (id INTEGER PRIMARY KEY, name TEXT)")
	return err
}

// ExecRawArgs runs a statement with '?' arguments, rebound per dialect.
func ExecRawArgs(ctx context.Context, db *DB, stmt string, args ...any) error {
	_, err := db.writer.ExecContext(ctx, db.rebind(stmt), args...)
	return err
}

// QueryAllForTest runs queryAll on the reader pool.
func QueryAllForTest[T any](ctx context.Context, db *DB, scan func(interface{ Scan(...any) error }) (T, error), query string, args ...any) ([]T, error) {
	return queryAll(ctx, db.read(), scan, query, args...)
}

// MessageDaysForTest checks message_days against the messages: it returns
// the stored counts, the counts recomputed from messages, and (SQLite) the
// days whose mark is missing from the search index or present twice.
func MessageDaysForTest(ctx context.Context, db *DB) (stored, counted map[int64]int64, badMarks []int64, err error) {
	stored, counted = map[int64]int64{}, map[int64]int64{}
	for q, m := range map[string]map[int64]int64{
		"SELECT day, messages FROM message_days":                             stored,
		"SELECT " + dayOfID + ", count(*) FROM messages GROUP BY " + dayOfID: counted,
	} {
		rows, err := db.read().query(ctx, q)
		if err != nil {
			return nil, nil, nil, err
		}
		for rows.Next() {
			var day, n int64
			if err := rows.Scan(&day, &n); err != nil {
				rows.Close()
				return nil, nil, nil, err
			}
			m[day] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, nil, err
		}
	}
	if db.dialect == SQLite {
		for day := range stored {
			var n int
			var id sql.NullInt64
			if err := db.read().queryRow(ctx, `SELECT count(*), max(rowid) FROM message_fts WHERE message_fts MATCH ?`,
				`"`+dayMarkToken(day)+`"`).Scan(&n, &id); err != nil {
				return nil, nil, nil, err
			}
			if n != 1 || id.Int64 != dayMarkID(day) {
				badMarks = append(badMarks, day)
			}
		}
	}
	return stored, counted, badMarks, nil
}

// TokenBucketForTest is one row of message_token_buckets.
type TokenBucketForTest struct {
	Lo, Hi int64
	Name   string
}

// TokenBucketsForTest returns the buckets stored, the buckets the
// messages fall in (by Go's reckoning, bucketOfDay) and the token
// indexes on messages with their definitions (PostgreSQL).
func TokenBucketsForTest(ctx context.Context, db *DB) (stored, want []TokenBucketForTest, indexes map[string]string, err error) {
	stored, err = queryAll(ctx, db.read(), func(r scanner) (TokenBucketForTest, error) {
		var b TokenBucketForTest
		return b, r.Scan(&b.Lo, &b.Hi, &b.Name)
	}, "SELECT lo, hi, index_name FROM message_token_buckets ORDER BY lo")
	if err != nil {
		return nil, nil, nil, err
	}
	days, err := queryAll(ctx, db.read(), func(r scanner) (int64, error) {
		var d int64
		return d, r.Scan(&d)
	}, "SELECT DISTINCT "+dayOfID+" FROM messages ORDER BY 1")
	if err != nil {
		return nil, nil, nil, err
	}
	for _, d := range days {
		b := bucketOfDay(d)
		if len(want) == 0 || want[len(want)-1].Lo != b.lo {
			want = append(want, TokenBucketForTest{b.lo, b.hi, b.name()})
		}
	}
	indexes = map[string]string{}
	if db.dialect == Postgres {
		rows, err := queryAll(ctx, db.read(), func(r scanner) ([2]string, error) {
			var x [2]string
			return x, r.Scan(&x[0], &x[1])
		}, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'messages' AND indexdef LIKE '%gin%'")
		if err != nil {
			return nil, nil, nil, err
		}
		for _, x := range rows {
			indexes[x[0]] = x[1]
		}
	}
	return stored, want, indexes, nil
}

// CandidateQueryForTest is the candidate statement searchPostgres runs for
// tokens over [lo, hi], and its arguments.
func CandidateQueryForTest(ctx context.Context, db *DB, tokens []string, lo, hi int64) (string, []any, error) {
	buckets, err := db.allTokenBuckets(ctx)
	if err != nil {
		return "", nil, err
	}
	q, args := candidateQuery(buckets, lo, hi, tokens, maxCandidates+1)
	return q, args, nil
}

// SetBeforeCopyForTest runs fn between resolving a COPY batch and writing
// it, until the test ends.
func SetBeforeCopyForTest(t interface{ Cleanup(func()) }, fn func()) {
	beforeCopy = fn
	t.Cleanup(func() { beforeCopy = nil })
}

// SparseTokensForTest is the MATCH tokens a SQLite search of terms at the
// newest messages would use (sparseTokens).
func SparseTokensForTest(ctx context.Context, db *DB, terms ...string) ([]string, error) {
	var groups [][]string
	for _, t := range terms {
		groups = append(groups, queryTokenGroups(t)...)
	}
	return db.sparseTokens(ctx, groups, noUpperBound)
}

// TopMarkForTest is how many documents of SQLite's search index hold the
// top mark's token, and whether the newest of them is at topMarkID.
func TopMarkForTest(ctx context.Context, db *DB) (n int, atTop bool, err error) {
	var id sql.NullInt64
	err = db.read().queryRow(ctx, `SELECT count(*), max(rowid) FROM message_fts WHERE message_fts MATCH ?`,
		`"`+topMarkToken+`"`).Scan(&n, &id)
	return n, id.Int64 == topMarkID, err
}
