package store

import (
	"context"
	"io/fs"
	"testing/fstest"
)

// WithMigrationsForTest returns opts with the embedded migrations of the
// dialect plus extra files (name -> SQL), so a test can inject a migration
// that changes data or fails. An empty SQL text removes that file.
func WithMigrationsForTest(opts Options, dialect Dialect, extra map[string]string) (Options, error) {
	sub, err := fs.Sub(migrationsFS, "migrations/"+string(dialect))
	if err != nil {
		return opts, err
	}
	files := fstest.MapFS{}
	entries, err := fs.ReadDir(sub, ".")
	if err != nil {
		return opts, err
	}
	for _, e := range entries {
		data, err := fs.ReadFile(sub, e.Name())
		if err != nil {
			return opts, err
		}
		files[e.Name()] = &fstest.MapFile{Data: data}
	}
	for name, sql := range extra {
		if sql == "" {
			delete(files, name)
			continue
		}
		files[name] = &fstest.MapFile{Data: []byte(sql)}
	}
	opts.migrations = files
	return opts, nil
}

// SchemaForTest describes the schema (tables, columns, indexes, triggers)
// so two databases can be compared.
func SchemaForTest(ctx context.Context, db *DB) ([]string, error) {
	q := "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
	if db.dialect == Postgres {
		q = `SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
			FROM information_schema.columns WHERE table_schema = current_schema()
			UNION ALL SELECT 'index ' || indexname || ' ' || regexp_replace(indexdef, ' ON [a-z0-9_]+\.', ' ON ') FROM pg_indexes WHERE schemaname = current_schema()
			UNION ALL SELECT 'trigger ' || trigger_name || ' ' || event_manipulation || ' ' || event_object_table FROM information_schema.triggers WHERE trigger_schema = current_schema()
			ORDER BY 1`
	}
	rows, err := db.writer.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// QueryIntForTest reads one integer from the database.
func QueryIntForTest(ctx context.Context, db *DB, q string) (int64, error) {
	var n int64
	err := db.writer.QueryRowContext(ctx, q).Scan(&n)
	return n, err
}
