package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed migrations
var migrationsFS embed.FS

// versionTable is goose's bookkeeping table.
const versionTable = "goose_db_version"

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrationsFS, "migrations/"+string(db.dialect))
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
// and applies pending migrations when migrate is set (each migration runs
// in its own transaction).
func (db *DB) checkSchema(ctx context.Context, migrate bool, target int64) error {
	tables, err := db.tableNames(ctx)
	if err != nil {
		return fmt.Errorf("读取数据库结构失败：%v", err)
	}
	hasVersion := false
	for _, t := range tables {
		if t == versionTable {
			hasVersion = true
		}
	}
	if !hasVersion && len(tables) > 0 {
		return fmt.Errorf("%w：其中已有其他程序的数据表（%s 等），lvxin 不会改动它", ErrForeignDatabase, tables[0])
	}
	p, err := db.provider()
	if err != nil {
		return err
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil && hasVersion {
		return fmt.Errorf("读取数据库版本失败：%v", err)
	}
	sources := p.ListSources()
	latest := sources[len(sources)-1].Version
	if current > latest {
		return fmt.Errorf("%w（数据库版本 %d，本程序支持到 %d）", ErrSchemaTooNew, current, latest)
	}
	if target > 0 && target < latest {
		if !migrate || current > target {
			return fmt.Errorf("无法迁移到结构版本 %d（当前 %d）", target, current)
		}
		if _, err := p.UpTo(ctx, target); err != nil {
			return fmt.Errorf("升级数据库结构失败：%w", err)
		}
		return nil
	}
	if current == latest {
		return nil
	}
	if !migrate {
		return fmt.Errorf("数据库结构版本 %d 落后于本程序（%d），请先运行 lvxin serve 或 lvxin migrate", current, latest)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("升级数据库结构失败：%w", err)
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

func (db *DB) tableNames(ctx context.Context) ([]string, error) {
	q := "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if db.dialect == Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"
	}
	rows, err := db.writer.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}
