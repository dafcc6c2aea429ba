package evidence

import (
	"context"
	"database/sql"
	"testing"

	"github.com/lvxin/lvxin/internal/store"
)

// rawExec runs a statement on the database outside lvxin, as an attacker
// with database access would. Placeholders are $1, $2 (both drivers accept them).
func rawExec(t *testing.T, db *store.DB, stmt string, args ...any) {
	t.Helper()
	driver, dsn := "sqlite", "file:"+db.Path()
	if db.Dialect() == store.Postgres {
		driver, dsn = "pgx", db.URL()
	}
	conn, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), stmt, args...); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// editEntry rewrites the leaf bytes of one stored entry (changing a digest
// character), keeping its stored leaf hash.
func editEntry(t *testing.T, db *store.DB, index uint64) {
	t.Helper()
	rows, err := db.LedgerEntries(context.Background(), index, index+1)
	if err != nil || len(rows) != 1 {
		t.Fatalf("read entry: %v", err)
	}
	data := append([]byte(nil), rows[0].Data...)
	for i := len(data) - 3; i > 0; i-- {
		if data[i] >= '0' && data[i] <= '8' {
			data[i]++
			break
		}
	}
	rawExec(t, db, "UPDATE ledger_entries SET data = $1 WHERE idx = $2", data, int64(index))
}
