package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
)

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a write transaction. Queries use '?' placeholders on every engine.
type Tx struct {
	db  *DB
	tx  *sql.Tx
	raw *sql.Conn // PostgreSQL: the connection of tx, for COPY (see copyRows)
}

// conn is a query target with rebinding: a Tx or the read pool.
type conn struct {
	db *DB
	q  querier
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := checkText(args); err != nil {
		return nil, err
	}
	res, err := c.q.ExecContext(ctx, c.db.rebind(query), args...)
	return res, invalidText(err)
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := checkText(args); err != nil {
		return nil, err
	}
	rows, err := c.q.QueryContext(ctx, c.db.rebind(query), args...)
	return rows, invalidText(err)
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) row {
	if err := checkText(args); err != nil {
		return row{err: err}
	}
	return row{row: c.q.QueryRowContext(ctx, c.db.rebind(query), args...)}
}

// scanner is what *sql.Row, *sql.Rows and row offer.
type scanner = interface{ Scan(...any) error }

// queryAll runs a query on c and scans every row with scan, in order (nil
// when there are none).
func queryAll[T any](ctx context.Context, c conn, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// row is a *sql.Row that may carry an argument error from checkText.
type row struct {
	row *sql.Row
	err error
}

// Scan is (*sql.Row).Scan, or the argument error.
func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return invalidText(r.row.Scan(dest...))
}

func (tx *Tx) c() conn { return conn{tx.db, tx.tx} }

// read returns a conn on the reader pool.
func (db *DB) read() conn { return conn{db, db.reader} }

// Update runs fn in one write transaction and commits it durably; any error
// (or panic) rolls everything back, so a multi-step write never lands half.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) (err error) {
	var raw *sql.Conn
	var sqlTx *sql.Tx
	if db.dialect == Postgres {
		// Pin the connection so that bulk writes can reach pgx's COPY on
		// it inside the transaction.
		if raw, err = db.writer.Conn(ctx); err != nil {
			return err
		}
		defer raw.Close()
		sqlTx, err = raw.BeginTx(ctx, nil)
	} else {
		sqlTx, err = db.writer.BeginTx(ctx, nil)
	}
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(&Tx{db: db, tx: sqlTx, raw: raw}); err != nil {
		return err
	}
	return sqlTx.Commit()
}

// rebind turns '?' placeholders into PostgreSQL's $n. Queries in this
// package never contain '?' inside string literals.
func (db *DB) rebind(query string) string {
	if db.dialect != Postgres {
		return query
	}
	if v, ok := db.rebinds.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	db.rebinds.Store(query, out)
	return out
}

// notFound maps sql.ErrNoRows to ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// isUnique reports a unique-constraint violation on either engine.
func isUnique(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}
