package store

import (
	"context"
	"fmt"
	"strings"
)

// blobColumnsSQL finds, per engine, every text column whose name says it
// may hold a blob's digest (…sha256…, …blob…, …digest…). Found by name
// rather than listed, so that a table added later is protected from the
// orphan sweep without anyone remembering to list it here.
var blobColumnsSQL = map[Dialect]string{
	SQLite: `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
		AND (lower(p.name) LIKE '%sha256%' OR lower(p.name) LIKE '%blob%' OR lower(p.name) LIKE '%digest%')
		AND (upper(p.type) LIKE '%TEXT%' OR upper(p.type) LIKE '%CHAR%')
		ORDER BY m.name, p.name`,
	Postgres: `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema()
		AND (lower(column_name) LIKE '%sha256%' OR lower(column_name) LIKE '%blob%' OR lower(column_name) LIKE '%digest%')
		AND data_type IN ('text', 'character varying', 'character')
		ORDER BY table_name, column_name`,
}

// BlobReferenceColumns lists the columns (table.column) that may hold a
// blob's digest, found by name (see blobColumnsSQL).
func (db *DB) BlobReferenceColumns(ctx context.Context) ([]string, error) {
	columns, err := queryAll(ctx, db.read(), func(row scanner) (string, error) {
		var table, column string
		err := row.Scan(&table, &column)
		return table + "." + column, err
	}, blobColumnsSQL[db.dialect])
	if err != nil {
		return nil, fmt.Errorf("blob reference columns: %w", err)
	}
	if len(columns) == 0 {
		return nil, fmt.Errorf("blob reference columns: none found in the schema")
	}
	return columns, nil
}

// BlobReferences calls fn with every value of every column that may hold
// a blob's digest (BlobReferenceColumns): what the blob store's orphan
// sweep must keep. Values repeat when several rows hold them.
func (db *DB) BlobReferences(ctx context.Context, fn func(sha string)) error {
	columns, err := db.BlobReferenceColumns(ctx)
	if err != nil {
		return err
	}
	for _, tc := range columns {
		table, column, _ := strings.Cut(tc, ".")
		q := fmt.Sprintf("SELECT DISTINCT %s FROM %s WHERE %[1]s IS NOT NULL AND %[1]s <> ''", quoteIdent(column), quoteIdent(table))
		if err := db.eachString(ctx, q, fn); err != nil {
			return fmt.Errorf("blob references in %s: %w", tc, err)
		}
	}
	return nil
}

func (db *DB) eachString(ctx context.Context, q string, fn func(string)) error {
	rows, err := db.read().query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		fn(v)
	}
	return rows.Err()
}

// quoteIdent quotes a name found in the schema as an SQL identifier.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
