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
)
