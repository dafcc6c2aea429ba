package store

import "errors"

// Sentinel errors returned by store methods. Handlers map them to HTTP
// status codes in one place (internal/web); callers compare with errors.Is.
var (
	ErrNotFound = errors.New("记录不存在")
	ErrConflict = errors.New("记录已存在")
	// ErrForeignDatabase means the database holds tables that are not
	// lvxin's, or a schema newer than this binary understands.
	ErrForeignDatabase = errors.New("不是 lvxin 的数据库")
	ErrSchemaTooNew    = errors.New("数据库版本比本程序新，请升级 lvxin")
	ErrCorrupt         = errors.New("数据库文件已损坏或不是 SQLite 数据库")
	// ErrSchemaOutdated means the database needs migrations and the caller
	// did not ask for them.
	ErrSchemaOutdated = errors.New("数据库结构需要升级")
	// ErrUpgradeFailed means a migration failed; the upgrade transaction
	// was rolled back and the database is as it was.
	ErrUpgradeFailed = errors.New("数据库升级失败")
)
