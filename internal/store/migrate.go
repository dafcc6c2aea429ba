package store

import (
	"bufio"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/pressly/goose/v3"
)

//go:embed migrations
var migrationsFS embed.FS

// versionTable is goose's bookkeeping table.
const versionTable = "goose_db_version"

// ReleaseSetting is the settings key holding the release version of the
// binary that last created or upgraded the schema.
const ReleaseSetting = "schema_release"

// Migration is one schema change of this binary.
type Migration struct {
	Version int64
	Name    string // file name, e.g. 00011_conversation_identity.sql
	// Summary is the one-line Chinese description shown before the change
	// is applied.
	Summary string
}

// UpgradePlan says what opening the database is about to change.
type UpgradePlan struct {
	Dialect Dialect
	// From is the schema version of the database (0 for an empty one), To
	// the version this binary brings it to.
	From, To int64
	// Release is the release that last wrote the schema ("" when unknown).
	Release string
	Pending []Migration
}

// Fresh reports whether the plan creates a new database rather than
// changing an existing one.
func (p UpgradePlan) Fresh() bool { return p.From == 0 }

// summaries describe the migrations written before descriptions lived in
// the files. Every later migration carries a "-- 说明：…" line under
// "-- +goose Up" (TestUpgradeRunsEveryMigration checks).
var summaries = map[int64]string{
	1:  "基础结构：设置、用户、会话、审计日志",
	2:  "期限：节假日年表与保存的期限",
	3:  "工作时间",
	4:  "证据保全：证据日志、检查点、证据条目",
	5:  "聊天记录：导入、会话、消息与全文检索",
	6:  "客户通讯录：联系人、案件、当事人、利益冲突、咨询",
	7:  "证据所属案件的变更记录",
	8:  "专业形象与利益冲突决定的变更记录",
	9:  "聊天消息在原始导出文件中的位置（法庭打印的缺失标注）",
	10: "证据关联到通讯录中的案件（按案件权限可见）",
	// Landed without a "-- 说明：" line.
	12: "账户安全：一次性恢复码，不存在的用户名同样计入登录失败与锁定",
	14: "保存的期限记下所依据的节假日版本（新数据导入后自动重算并留痕），按触发事件生成期限链",
}

// summaryPrefix marks a migration's description line.
const summaryPrefix = "-- 说明："

func (db *DB) migrationSource() (fs.FS, error) {
	if db.migrations != nil {
		return db.migrations, nil
	}
	return fs.Sub(migrationsFS, "migrations/"+string(db.dialect))
}

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := db.migrationSource()
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	if db.dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	return goose.NewProvider(dialect, db.writer, sub)
}

// checkSchema refuses foreign databases and schemas newer than this binary,
// and applies pending migrations when opts.Migrate is set. An existing
// database is upgraded in one transaction: every pending migration lands,
// or none does. opts.BeforeUpgrade sees the plan first and may stop it.
func (db *DB) checkSchema(ctx context.Context, opts Options) error {
	if opts.Migrate && opts.MigrateTo > 0 {
		p, err := db.provider()
		if err != nil {
			return err
		}
		if _, err := p.UpTo(ctx, opts.MigrateTo); err != nil {
			return fmt.Errorf("升级数据库结构失败：%w", err)
		}
		return nil
	}
	plan, err := db.Plan(ctx)
	if err != nil {
		return err
	}
	if len(plan.Pending) == 0 {
		return nil
	}
	if !opts.Migrate {
		return fmt.Errorf("%w：数据库结构版本 %d 落后于本程序（%d），请先运行 lvxin migrate（会先自动备份）", ErrSchemaOutdated, plan.From, plan.To)
	}
	if opts.BeforeUpgrade != nil {
		if err := opts.BeforeUpgrade(ctx, db, plan); err != nil {
			return err
		}
	}
	if plan.Fresh() {
		p, err := db.provider()
		if err != nil {
			return err
		}
		if _, err := p.Up(ctx); err != nil {
			return fmt.Errorf("创建数据库结构失败：%w", err)
		}
		return db.recordRelease(ctx, opts.Release)
	}
	return db.upgrade(ctx, plan, opts.Release)
}

// Plan reads the schema version and lists the migrations this binary would
// apply. It refuses foreign databases and schemas newer than the binary.
func (db *DB) Plan(ctx context.Context) (UpgradePlan, error) {
	plan := UpgradePlan{Dialect: db.dialect}
	tables, err := db.tableNames(ctx)
	if err != nil {
		return plan, fmt.Errorf("读取数据库结构失败：%w", err)
	}
	hasVersion := false
	for _, t := range tables {
		if t == versionTable {
			hasVersion = true
		}
	}
	if !hasVersion && len(tables) > 0 {
		return plan, fmt.Errorf("%w：其中已有其他程序的数据表（%s 等），lvxin 不会改动它", ErrForeignDatabase, tables[0])
	}
	p, err := db.provider()
	if err != nil {
		return plan, err
	}
	if hasVersion {
		if plan.From, err = p.GetDBVersion(ctx); err != nil {
			return plan, fmt.Errorf("读取数据库版本失败：%w", err)
		}
		plan.Release, _ = db.Setting(ctx, ReleaseSetting)
	}
	sources := p.ListSources()
	plan.To = sources[len(sources)-1].Version
	if plan.From > plan.To {
		made := ""
		if plan.Release != "" {
			made = "，由律信 " + plan.Release + " 写入"
		}
		return plan, fmt.Errorf("%w（数据库结构版本 %d%s；本程序只支持到 %d）。请换用写入该数据库的版本或更新的律信；"+
			"如需退回旧版本，请用升级前自动生成的备份恢复（见 docs/UPGRADE.md）", ErrSchemaTooNew, plan.From, made, plan.To)
	}
	fsys, err := db.migrationSource()
	if err != nil {
		return plan, err
	}
	for _, s := range sources {
		if s.Version <= plan.From {
			continue
		}
		name := path.Base(s.Path)
		summary, err := migrationSummary(fsys, name, s.Version)
		if err != nil {
			return plan, err
		}
		plan.Pending = append(plan.Pending, Migration{Version: s.Version, Name: name, Summary: summary})
	}
	return plan, nil
}

// migrationSummary is the "-- 说明：" line of a migration, or the
// description kept in summaries for the early ones.
func migrationSummary(fsys fs.FS, name string, version int64) (string, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return "", fmt.Errorf("读取迁移 %s 失败：%w", name, err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		if s, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), summaryPrefix); ok {
			return strings.TrimSpace(s), nil
		}
	}
	if s, ok := summaries[version]; ok {
		return s, nil
	}
	return "结构变更（该迁移没有说明）", nil
}

// upSection returns the statements under "-- +goose Up" of a migration,
// without goose's annotations: one script that both engines execute in a
// single call (modernc's SQLite and pgx's simple protocol take several
// statements at once).
func upSection(fsys fs.FS, name string) (string, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return "", fmt.Errorf("读取迁移 %s 失败：%w", name, err)
	}
	var b strings.Builder
	inUp := false
	for _, line := range strings.Split(string(data), "\n") {
		annotation, ok := strings.CutPrefix(strings.TrimSpace(line), "-- +goose ")
		if !ok {
			if inUp {
				b.WriteString(line)
				b.WriteByte('\n')
			}
			continue
		}
		switch strings.TrimSpace(annotation) {
		case "Up":
			inUp = true
		case "Down":
			inUp = false
		case "StatementBegin", "StatementEnd":
		default:
			return "", fmt.Errorf("迁移 %s：不支持的注记 %q（升级在一个事务中进行）", name, strings.TrimSpace(line))
		}
	}
	return b.String(), nil
}

// upgrade applies the pending migrations of plan in one transaction, so a
// migration that fails leaves the database exactly as it was.
func (db *DB) upgrade(ctx context.Context, plan UpgradePlan, release string) (err error) {
	fsys, err := db.migrationSource()
	if err != nil {
		return err
	}
	conn, err := db.writer.Conn(ctx)
	if err != nil {
		return fmt.Errorf("升级数据库结构失败：%w", err)
	}
	defer conn.Close()
	if db.dialect == SQLite {
		// SQLite's way to change a table's definition is to rebuild it;
		// with foreign keys on, dropping the old table would cascade to
		// (delete) the rows that refer to it. Foreign keys are off for the
		// upgrade (a pragma that only works outside a transaction) and
		// checked as a whole before the commit instead.
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return fmt.Errorf("升级数据库结构失败：%w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("升级数据库结构失败：%w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if db.dialect == Postgres {
		// Two processes starting at once: the second waits, then sees the
		// new version and stops.
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7710017)"); err != nil {
			return fmt.Errorf("升级数据库结构失败：%w", err)
		}
	}
	var current sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT max(version_id) FROM "+versionTable).Scan(&current); err != nil {
		return fmt.Errorf("读取数据库版本失败：%w", err)
	}
	if current.Int64 != plan.From {
		return fmt.Errorf("%w：数据库结构版本已由 %d 变为 %d（另一个律信进程同时在升级？），请重新启动", ErrUpgradeFailed, plan.From, current.Int64)
	}
	for _, m := range plan.Pending {
		script, err := upSection(fsys, m.Name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, script); err != nil {
			return fmt.Errorf("%w：迁移 %s（%s）出错，数据库保持升级前的版本 %d 不变：%w", ErrUpgradeFailed, m.Name, m.Summary, plan.From, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (version_id, is_applied) VALUES (%d, TRUE)", versionTable, m.Version)); err != nil {
			return fmt.Errorf("%w：记录迁移 %s：%w", ErrUpgradeFailed, m.Name, err)
		}
	}
	if db.dialect == SQLite {
		if err := foreignKeyCheck(ctx, tx); err != nil {
			return fmt.Errorf("%w：%w，数据库保持升级前的版本 %d 不变", ErrUpgradeFailed, err, plan.From)
		}
	}
	if release != "" {
		if _, err := tx.ExecContext(ctx, db.rebind(`INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`), ReleaseSetting, release); err != nil {
			return fmt.Errorf("%w：记录版本：%w", ErrUpgradeFailed, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%w：提交失败，数据库保持升级前的版本 %d：%w", ErrUpgradeFailed, plan.From, err)
	}
	return nil
}

// foreignKeyCheck fails when a row refers to a missing row after the
// upgrade's steps (SQLite, where they ran with foreign keys off).
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int64
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		return fmt.Errorf("升级后表 %s 的第 %d 行引用了 %s 中不存在的记录", table, rowid.Int64, parent)
	}
	return rows.Err()
}

// recordRelease notes which release wrote the schema.
func (db *DB) recordRelease(ctx context.Context, release string) error {
	if release == "" {
		return nil
	}
	_, err := db.writer.ExecContext(ctx, db.rebind(`INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`), ReleaseSetting, release)
	if err != nil {
		return fmt.Errorf("记录版本失败：%w", err)
	}
	return nil
}

// SchemaVersion returns the applied migration version.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// LatestSchemaVersion is the schema version this binary brings a database
// to.
func LatestSchemaVersion(dialect Dialect) (int64, error) {
	sub, err := fs.Sub(migrationsFS, "migrations/"+string(dialect))
	if err != nil {
		return 0, err
	}
	entries, err := fs.ReadDir(sub, ".")
	if err != nil {
		return 0, err
	}
	var latest int64
	for _, e := range entries {
		var v int64
		if _, err := fmt.Sscanf(e.Name(), "%d_", &v); err == nil && v > latest {
			latest = v
		}
	}
	if latest == 0 {
		return 0, errors.New("no migrations embedded")
	}
	return latest, nil
}

func (db *DB) tableNames(ctx context.Context) ([]string, error) {
	q := "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if db.dialect == Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"
	}
	return queryAll(ctx, conn{db, db.writer}, func(row scanner) (string, error) {
		var n string
		err := row.Scan(&n)
		return n, err
	}, q)
}

// Inspect reports the schema state of the database opts names without
// changing anything (and without creating a missing SQLite file).
func Inspect(ctx context.Context, opts Options) (UpgradePlan, error) {
	kind, target, err := ParseURL(opts.DataDir, opts.URL)
	if err != nil {
		return UpgradePlan{}, err
	}
	if kind == SQLite {
		if _, err := os.Stat(target); errors.Is(err, os.ErrNotExist) {
			latest, err := LatestSchemaVersion(SQLite)
			return UpgradePlan{Dialect: SQLite, To: latest}, err
		}
	}
	var db *DB
	switch kind {
	case SQLite:
		db, err = openSQLite(ctx, target)
	case Postgres:
		db, err = openPostgres(ctx, target)
	}
	if err != nil {
		return UpgradePlan{}, err
	}
	defer db.Close()
	return db.Plan(ctx)
}

// MigrationsFS is the embedded migrations of a dialect (for tools and tests
// that step a database to an earlier version).
func MigrationsFS(dialect Dialect) (fs.FS, error) {
	return fs.Sub(migrationsFS, "migrations/"+string(dialect))
}
