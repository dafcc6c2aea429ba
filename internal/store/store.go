package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"
)

// Dialect names the SQL engine behind a DB.
type Dialect string

// Supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// SQLiteFileName is the database file inside the data folder.
const SQLiteFileName = "lvxin.db"

// Options configure Open.
type Options struct {
	// DataDir is the data folder; the SQLite file lives there unless URL
	// names another one.
	DataDir string
	// URL selects the database: empty for SQLite in DataDir,
	// "sqlite:PATH" or "file:PATH" for another SQLite file,
	// "postgres://..." or "postgresql://..." for PostgreSQL.
	URL string
	// Migrate applies pending migrations. Without it Open only checks that
	// the schema is current and fails otherwise.
	Migrate bool
	// MigrateTo, with Migrate, builds the schema only up to this version
	// with the per-migration path (upgrade tests make a database as an
	// earlier release left it).
	MigrateTo int64
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Release is the release version of this binary, recorded in the
	// settings when it creates or upgrades the schema.
	Release string
	// BeforeUpgrade, when set, is called with the plan before pending
	// migrations are applied (to print them and take a backup); an error
	// stops the upgrade and leaves the database untouched.
	BeforeUpgrade func(ctx context.Context, db *DB, plan UpgradePlan) error

	// migrations replaces the embedded migrations (tests only).
	migrations fs.FS
}

// DB is lvxin's database handle. For SQLite it keeps one writer connection
// (SQLite allows one writer at a time; queuing in Go is cheaper than busy
// retries) and a pool of readers; for PostgreSQL both are the same pool.
type DB struct {
	dialect Dialect
	writer  *sql.DB
	reader  *sql.DB
	path    string // SQLite file path, empty for PostgreSQL
	url     string // PostgreSQL URL
	now     func() time.Time
	rebinds sync.Map    // query -> rebound query (PostgreSQL)
	bounds  boundsCache // recent search windows (search_bounds.go)

	migrations fs.FS // Options.migrations
}

// Open opens (and with Options.Migrate, creates or upgrades) the database.
func Open(ctx context.Context, opts Options) (*DB, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	kind, target, err := ParseURL(opts.DataDir, opts.URL)
	if err != nil {
		return nil, err
	}
	var db *DB
	switch kind {
	case SQLite:
		db, err = openSQLite(ctx, target)
	case Postgres:
		db, err = openPostgres(ctx, target)
	}
	if err != nil {
		return nil, err
	}
	db.now = now
	db.migrations = opts.migrations
	if err := db.checkSchema(ctx, opts); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// ParseURL decides the dialect and the driver target of a database URL.
func ParseURL(dataDir, raw string) (Dialect, string, error) {
	switch {
	case raw == "":
		if dataDir == "" {
			return "", "", errors.New("未指定数据目录（--data）")
		}
		return SQLite, filepath.Join(dataDir, SQLiteFileName), nil
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return "", "", fmt.Errorf("数据库地址无效：%q，应为 postgres://用户@主机:端口/数据库名", redactURL(raw))
		}
		return Postgres, raw, nil
	case strings.HasPrefix(raw, "sqlite:"), strings.HasPrefix(raw, "file:"):
		p := strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "file:")
		p = strings.TrimPrefix(p, "//")
		if p == "" {
			return "", "", fmt.Errorf("数据库地址无效：%q，应为 sqlite:文件路径", raw)
		}
		return SQLite, p, nil
	default:
		return "", "", fmt.Errorf("不支持的数据库地址：%q（支持 postgres://… 或 sqlite:文件路径；留空则使用数据目录中的 SQLite）", redactURL(raw))
	}
}

// redactURL hides a password in a database URL before it is shown.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("数据目录不可用：%s（不存在或不是目录）", dir)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, fmt.Errorf("数据库文件 %s 是一个目录", path)
	}
	// synchronous=FULL: a committed transaction survives power loss, as the
	// design requires. _txlock=immediate takes the write lock at BEGIN so
	// two writers never deadlock on lock upgrade.
	params := "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(FULL)&_time_format=sqlite"
	dsn := "file:" + path + params
	writer, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("打开数据库 %s 失败：%w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxLifetime(0)
	if err := pingSQLite(ctx, writer, path); err != nil {
		writer.Close()
		return nil, err
	}
	reader, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("打开数据库 %s 失败：%w", path, err)
	}
	// Keep every reader connection open: database/sql keeps two idle by
	// default, so a third concurrent read (a search's two halves and a
	// page's other queries) closed its connection afterwards and the next
	// one paid for opening it again (the schema parsed anew, a cold page
	// cache).
	reader.SetMaxOpenConns(8)
	reader.SetMaxIdleConns(8)
	return &DB{dialect: SQLite, writer: writer, reader: reader, path: path}, nil
}

func pingSQLite(ctx context.Context, db *sql.DB, path string) error {
	var n int
	err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n)
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "not a database"), strings.Contains(msg, "malformed"),
		strings.Contains(msg, "SQLITE_NOTADB"), strings.Contains(msg, "(26)"), strings.Contains(msg, "(11)"):
		return fmt.Errorf("%w：%s", ErrCorrupt, path)
	case strings.Contains(msg, "unable to open"), strings.Contains(msg, "readonly"), strings.Contains(msg, "permission"):
		return fmt.Errorf("无法打开数据库文件 %s：请检查数据目录的权限", path)
	}
	return fmt.Errorf("无法打开数据库 %s：%w", path, err)
}

func openPostgres(ctx context.Context, raw string) (*DB, error) {
	pool, err := sql.Open("pgx", raw)
	if err != nil {
		return nil, fmt.Errorf("数据库地址无效：%s：%w", redactURL(raw), err)
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(10)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.PingContext(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("无法连接 PostgreSQL（%s）：%s", redactURL(raw), pgReason(err))
	}
	return &DB{dialect: Postgres, writer: pool, reader: pool, url: raw}, nil
}

// pgReason shortens a pgx connection error to its cause.
func pgReason(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "connection refused"):
		return "连接被拒绝，服务器未运行或端口错误"
	case strings.Contains(msg, "no such host"):
		return "主机名无法解析"
	case strings.Contains(msg, "does not exist"):
		return "数据库或用户不存在"
	case strings.Contains(msg, "password authentication failed"):
		return "用户名或密码错误"
	case strings.Contains(msg, "timeout"), strings.Contains(msg, "deadline"):
		return "连接超时"
	}
	return msg
}

// Dialect reports the engine.
func (db *DB) Dialect() Dialect { return db.dialect }

// Path is the SQLite file (empty for PostgreSQL).
func (db *DB) Path() string { return db.path }

// URL is the PostgreSQL URL (empty for SQLite).
func (db *DB) URL() string { return db.url }

// Now returns the store's clock reading, in UTC, truncated to microseconds
// (PostgreSQL's precision) so values round-trip exactly.
func (db *DB) Now() time.Time { return db.now().UTC().Truncate(time.Microsecond) }

// Ping checks the database answers (for /healthz).
func (db *DB) Ping(ctx context.Context) error { return db.reader.PingContext(ctx) }

// Close closes all connections.
func (db *DB) Close() error {
	err := db.writer.Close()
	if db.reader != db.writer {
		if err2 := db.reader.Close(); err == nil {
			err = err2
		}
	}
	return err
}
