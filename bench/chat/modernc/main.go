// Command modernc runs the chat import benchmark's sqlite3 baseline (the
// same schema, pragmas and rows: a table of message texts with an FTS5
// trigram index, one transaction) through modernc.org/sqlite, the pure-Go
// SQLite that lvxin uses. It separates what the import costs because of
// the SQLite build (transpiled C, no cgo) from what lvxin's own work costs.
// Usage: modernc -db PATH -texts texts.csv
package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	_ "modernc.org/sqlite"
)

func main() {
	dbPath := flag.String("db", "", "database file to create")
	texts := flag.String("texts", "", "one-column CSV of message texts (chatbench gen -texts-csv)")
	flag.Parse()
	if *dbPath == "" || *texts == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*dbPath, *texts); err != nil {
		fmt.Fprintln(os.Stderr, "modernc:", err)
		os.Exit(1)
	}
}

func run(path, texts string) error {
	ctx := context.Background()
	start := time.Now()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		"CREATE TABLE messages(body TEXT)",
		"CREATE VIRTUAL TABLE messages_fts USING fts5(body, content='messages', tokenize='trigram')",
		"CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN INSERT INTO messages_fts(rowid, body) VALUES (new.rowid, new.body); END",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	f, err := os.Open(texts)
	if err != nil {
		return err
	}
	defer f.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, "INSERT INTO messages(body) VALUES (?)")
	if err != nil {
		return err
	}
	r := csv.NewReader(bufio.NewReaderSize(f, 256<<10))
	r.ReuseRecord = true
	n := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", texts, err)
		}
		if _, err := ins.ExecContext(ctx, rec[0]); err != nil {
			return err
		}
		n++
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	fmt.Printf("rows: %d\nseconds: %.3f\n", n, time.Since(start).Seconds())
	return nil
}
