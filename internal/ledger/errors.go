package ledger

import "errors"

// Sentinel errors. Messages are Chinese because they reach the user.
var (
	// ErrLogBroken is returned by Stage, Write and Append after Verify found
	// the log tampered with.
	ErrLogBroken = errors.New("证据日志校验失败，已停止追加新条目")
	// ErrBadInput reports an invalid entry input.
	ErrBadInput = errors.New("证据条目输入无效")
	// ErrBadEntry reports entry bytes that are not a canonical entry.
	ErrBadEntry = errors.New("证据条目格式无效")
	// ErrBadCheckpoint reports a checkpoint that cannot be parsed or verified.
	ErrBadCheckpoint = errors.New("检查点无效")
	// ErrBadProof reports a tlog-proof that cannot be parsed.
	ErrBadProof = errors.New("包含证明格式无效")
	// ErrOutOfRange reports an index or tree size beyond the log.
	ErrOutOfRange = errors.New("序号或日志大小超出范围")
	// ErrNoCheckpoint is returned by Storage.LatestCheckpoint when none exists.
	ErrNoCheckpoint = errors.New("尚无检查点")
	// ErrStorage reports storage that broke its contract (wrong count, gaps).
	ErrStorage = errors.New("证据日志存储返回了不一致的数据")
	// ErrStale is returned by a Writer (Storage.Append or the caller's
	// transaction) when the entries' indexes do not continue the stored log
	// because another process appended first; the append then starts again
	// from Stage, which reloads the log (RetryStale).
	ErrStale = errors.New("证据日志已由其他进程追加")
	// ErrBadBundle reports a ZIP that cannot be read as an evidence bundle.
	ErrBadBundle = errors.New("证据包无法读取")
	// ErrFileChanged reports a file whose bytes no longer match its entry at export.
	ErrFileChanged = errors.New("文件内容与证据条目不一致")
)
