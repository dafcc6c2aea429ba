// Package storetest opens real test databases: SQLite in a temporary folder
// always, and PostgreSQL when LVXIN_TEST_POSTGRES_URL is set (each test gets
// its own schema). Under CI=true an unset PostgreSQL URL fails the test
// instead of skipping it, so a green CI run always covers both engines.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/store"
)

// EnvPostgresURL names the environment variable with the PostgreSQL server
// used by tests.
const EnvPostgresURL = "LVXIN_TEST_POSTGRES_URL"

// Engine is one database engine a test runs against.
type Engine struct {
	Name string
	// URL for store.Options.URL; empty for SQLite in the data folder.
	URL     string
	DataDir string
}

// Engines returns SQLite plus, when configured, PostgreSQL with a fresh
// schema that is dropped when the test ends.
func Engines(t testing.TB) []Engine {
	t.Helper()
	engines := []Engine{{Name: "sqlite", DataDir: t.TempDir()}}
	if pg := PostgresURL(t); pg != "" {
		engines = append(engines, Engine{Name: "postgres", URL: pg, DataDir: t.TempDir()})
	}
	return engines
}

// PostgresURL creates a fresh schema on the test server and returns a URL
// whose search_path points at it; "" when no server is configured (a test
// failure under CI=true).
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := serverURL(t)
	if base == "" {
		return ""
	}
	schema := randomName("t_")
	exec(t, base, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { execQuietly(base, "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgresURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens a migrated database on the engine.
func Open(t testing.TB, e Engine, now func() time.Time) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), store.Options{DataDir: e.DataDir, URL: e.URL, Migrate: true, Now: now})
	if err != nil {
		t.Fatalf("open %s: %v", e.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Each runs fn as a subtest on every engine with a fresh database.
func Each(t *testing.T, now func() time.Time, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	engines := Engines(t)
	for _, e := range engines {
		t.Run(e.Name, func(t *testing.T) {
			fn(t, Open(t, e, now))
		})
	}
	if len(engines) == 1 {
		// Reported as a skip (go test -v shows it), not a silent pass.
		t.Run("postgres", func(t *testing.T) { t.Skip(PostgresNotRun) })
	}
}

// PostgresNotRun says why the PostgreSQL half of a suite did not run and how
// to run it.
const PostgresNotRun = "PostgreSQL 部分未运行：设置 " + EnvPostgresURL +
	"=postgres://用户@127.0.0.1:5432/库名?sslmode=disable 后重新运行（CI=true 时缺少它是失败）"

// PostgresDatabase creates a fresh, empty database on the test server (for
// tools such as pg_dump that do not understand a search_path parameter) and
// returns its URL; "" when no server is configured (a failure under CI).
func PostgresDatabase(t testing.TB) string {
	t.Helper()
	base := serverURL(t)
	if base == "" {
		return ""
	}
	name := randomName("lvxin_t_")
	exec(t, base, "CREATE DATABASE "+name)
	t.Cleanup(func() { execQuietly(base, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgresURL, err)
	}
	u.Path = "/" + name
	return u.String()
}

// serverURL is the configured test server, or "" (a failure under CI=true).
func serverURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgresURL)
	if base == "" && os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set under CI=true: the PostgreSQL suite must run", EnvPostgresURL)
	}
	return base
}

func randomName(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// exec runs one administrative statement on the test server.
func exec(t testing.TB, url, stmt string) {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// execQuietly is exec for clean-ups, where a failure only leaves litter.
func execQuietly(url, stmt string) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return
	}
	defer db.Close()
	_, _ = db.Exec(stmt)
}
