package e2e

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/chatexport"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// signalMessages is the size of the generated export: large enough that
// its import is still writing when the test interrupts it (about 35 MB,
// several seconds on either engine).
const signalMessages = 300_000

// TestImportStopsCleanlyOnCtrlC interrupts `lvxin import` of a large export
// with SIGINT while its transaction is writing messages: the process exits
// promptly with code 130 and one Chinese line, and the database holds no
// message and no chat_imports row from it.
func TestImportStopsCleanlyOnCtrlC(t *testing.T) {
	export := filepath.Join(t.TempDir(), "聊天记录.csv")
	f, err := os.Create(export)
	if err != nil {
		t.Fatal(err)
	}
	if err := chatexport.GenerateWeChatMsgCSV(f, signalMessages, 13); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			data := filepath.Join(e.DataDir, "data")
			if out, errOut, code := runCLI(t, "", dataArgs(data, e.URL, "migrate")...); code != 0 {
				t.Fatalf("migrate: %d %s %s", code, out, errOut)
			}
			db := openEngineDB(t, e, data)

			cmd := exec.Command(lvxinBin, dataArgs(data, e.URL, "import", export)...)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			t.Cleanup(func() {
				cmd.Process.Kill()
				<-exited
			})
			started := time.Now()
			waitForImportWriting(t, e, db, exited, &stderr)
			t.Logf("writing after %v", time.Since(started))

			signalled := time.Now()
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			var waitErr error
			select {
			case waitErr = <-exited:
				exited <- waitErr // for the cleanup
			case <-time.After(15 * time.Second):
				t.Fatalf("lvxin import still running 15 s after SIGINT; stderr %q", stderr.String())
			}
			took := time.Since(signalled)
			var ee *exec.ExitError
			if !errors.As(waitErr, &ee) || ee.ExitCode() != 130 {
				t.Fatalf("exit after SIGINT: %v, want exit code 130; stdout %q stderr %q", waitErr, stdout.String(), stderr.String())
			}
			lines := strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "错误：导入已中断") || !strings.Contains(lines[0], "聊天记录.csv") ||
				!strings.Contains(lines[0], "一条也没有写入") {
				t.Fatalf("stderr after SIGINT should be one Chinese line naming the file, got %q", stderr.String())
			}
			if stdout.Len() != 0 {
				t.Fatalf("an interrupted import reported a result: %q", stdout.String())
			}
			t.Logf("%s: exited %v after SIGINT", e.Name, took.Round(time.Millisecond))

			for table, want := range map[string]int{"messages": 0, "chat_imports": 0, "conversations": 0, "chat_import_skips": 0} {
				if got := countRows(t, db, table); got != want {
					t.Errorf("%s holds %d rows after the interrupted import, want %d", table, got, want)
				}
			}
			if got := countRows(t, db, "audit_log WHERE action = 'chat.import'"); got != 0 {
				t.Errorf("the interrupted import was audited as done (%d rows)", got)
			}

		})
	}
}

// openEngineDB opens the test's database directly, beside lvxin.
func openEngineDB(t *testing.T, e storetest.Engine, data string) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", "file:"+filepath.Join(data, "lvxin.db")+"?_pragma=busy_timeout(0)&_txlock=immediate"
	if e.URL != "" {
		driver, dsn = "pgx", e.URL
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// waitForImportWriting returns once the import's transaction is writing:
// on PostgreSQL another session holds a row lock on messages (taken by the
// first inserted batch); on SQLite another connection holds the write lock
// (lvxin's transactions take it at BEGIN) through three probes 100 ms
// apart, longer than anything but the import holds it.
func waitForImportWriting(t *testing.T, e storetest.Engine, db *sql.DB, exited chan error, stderr *strings.Builder) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	held := 0
	for {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("import ended before it could be interrupted (%v): make signalMessages larger; stderr %q", err, stderr.String())
		case <-deadline:
			t.Fatal("the import did not start writing within 60 s")
		case <-time.After(100 * time.Millisecond):
		}
		if writing(t, e, db) {
			held++
		} else {
			held = 0
		}
		if (e.URL != "" && held >= 1) || held >= 3 {
			return
		}
	}
}

func writing(t *testing.T, e storetest.Engine, db *sql.DB) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if e.URL != "" {
		var n int
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_locks l
			JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relname = 'messages' AND n.nspname = current_schema()
			AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	tx, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE without waiting
	if err != nil {
		if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
			return true
		}
		t.Fatal(err)
	}
	tx.Rollback()
	return false
}

func countRows(t *testing.T, db *sql.DB, from string) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + from).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", from, err)
	}
	return n
}
