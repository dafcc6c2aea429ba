package store_test

import (
	"context"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestMigrationFoldersMatch: the SQLite and PostgreSQL migration folders
// hold the same versions, and both build the same tables with the same
// columns (apart from each engine's search index: SQLite's FTS5 tables,
// PostgreSQL's tokens column).
func TestMigrationFoldersMatch(t *testing.T) {
	versions := map[store.Dialect][]string{}
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		fsys, err := store.MigrationsFS(d)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".sql") {
				versions[d] = append(versions[d], e.Name())
			}
		}
	}
	if !slices.Equal(versions[store.SQLite], versions[store.Postgres]) {
		t.Fatalf("migration files differ:\nsqlite   %v\npostgres %v", versions[store.SQLite], versions[store.Postgres])
	}

	engines := storetest.Engines(t)
	if len(engines) < 2 {
		t.Skip(storetest.PostgresNotRun)
	}
	schemas := map[string]map[string][]string{}
	for _, e := range engines {
		db := storetest.Open(t, e, nil)
		db.Close()
		raw := rawConn(t, e)
		defer raw.Close()
		q := `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'message_fts%'`
		if e.URL != "" {
			q = `SELECT table_name, column_name FROM information_schema.columns
				WHERE table_schema = current_schema() AND NOT (table_name = 'messages' AND column_name = 'tokens')`
		}
		rows, err := raw.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		cols := map[string][]string{}
		for rows.Next() {
			var table, col string
			if err := rows.Scan(&table, &col); err != nil {
				t.Fatal(err)
			}
			cols[table] = append(cols[table], col)
		}
		rows.Close()
		for _, c := range cols {
			sort.Strings(c)
		}
		schemas[e.Name] = cols
	}
	sq, pg := schemas["sqlite"], schemas["postgres"]
	for table, c := range sq {
		if !slices.Equal(c, pg[table]) {
			t.Errorf("table %s:\nsqlite   %v\npostgres %v", table, c, pg[table])
		}
	}
	for table := range pg {
		if _, ok := sq[table]; !ok {
			t.Errorf("table %s exists on PostgreSQL only", table)
		}
	}
}
