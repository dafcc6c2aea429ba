package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/store/storetest"
)

// TestBadInputGivesOneChineseLine: a corrupted or foreign database file, an
// unusable data folder and a wrong database URL each end with one clear
// Chinese error line and a non-zero exit, never a panic.
func TestBadInputGivesOneChineseLine(t *testing.T) {
	corrupt := t.TempDir()
	os.WriteFile(filepath.Join(corrupt, "lvxin.db"), []byte(strings.Repeat("\x00garbage\xff", 600)), 0o600)

	foreign := t.TempDir()
	if out, errOut, code := runCLI(t, "", "--data", foreign, "--database-url", "sqlite:"+filepath.Join(foreign, "lvxin.db"), "migrate"); code != 0 {
		t.Fatalf("preparing: %s %s", out, errOut)
	}
	// Replace it with somebody else's SQLite database.
	os.Remove(filepath.Join(foreign, "lvxin.db"))
	os.Remove(filepath.Join(foreign, "lvxin.db-wal"))
	os.Remove(filepath.Join(foreign, "lvxin.db-shm"))
	writeForeignSQLite(t, filepath.Join(foreign, "lvxin.db"))

	aFile := filepath.Join(t.TempDir(), "not-a-folder")
	os.WriteFile(aFile, []byte("x"), 0o600)

	cases := []struct {
		name string
		args []string
		want string
	}{
		{"corrupted database", []string{"--data", corrupt, "serve", "--addr", "127.0.0.1:0"}, "数据库文件已损坏"},
		{"foreign database", []string{"--data", foreign, "user", "list"}, "不是 lvxin 的数据库"},
		{"data folder is a file", []string{"--data", aFile, "serve", "--addr", "127.0.0.1:0"}, "数据目录不可用"},
		{"data folder cannot be created", []string{"--data", filepath.Join(aFile, "data"), "audit", "verify"}, "上级路径中有文件"},
		{"unreachable postgres", []string{"--data", t.TempDir(), "--database-url", "postgres://lvxin@127.0.0.1:1/lvxin?connect_timeout=3", "migrate"}, "无法连接 PostgreSQL"},
		{"unsupported url", []string{"--data", t.TempDir(), "--database-url", "mysql://root@localhost/lvxin", "migrate"}, "不支持的数据库地址"},
		{"malformed url", []string{"--data", t.TempDir(), "--database-url", "postgres://", "migrate"}, "数据库地址无效"},
		{"unknown command", []string{"frobnicate"}, "未知命令"},
		{"unknown flag", []string{"serve", "--port", "80"}, "未知选项"},
	}
	if pg := storetest.PostgresDatabase(t); pg != "" {
		// A PostgreSQL database that holds another application's tables.
		execPostgres(t, pg, "CREATE TABLE crm_contacts (id int)")
		cases = append(cases, struct {
			name string
			args []string
			want string
		}{"foreign postgres database", []string{"--data", t.TempDir(), "--database-url", pg, "migrate"}, "不是 lvxin 的数据库"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", c.args...)
			if code == 0 {
				t.Fatalf("exit 0; stdout %q", out)
			}
			if strings.Contains(errOut, "panic") || strings.Contains(errOut, "goroutine ") {
				t.Fatalf("panicked: %s", errOut)
			}
			lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "错误：") || !strings.Contains(lines[0], c.want) {
				t.Fatalf("stderr should be one line starting 错误： and containing %q, got:\n%s", c.want, errOut)
			}
		})
	}
}

// TestUserAndAuditCLI exercises user management and audit verification
// directly on the data folder, without a server.
func TestUserAndAuditCLI(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			args := func(a ...string) []string {
				pre := []string{"--data", e.DataDir}
				if e.URL != "" {
					pre = append(pre, "--database-url", e.URL)
				}
				return append(pre, a...)
			}
			out, errOut, code := runCLI(t, "一个足够长的登录密码-2026\n", args("user", "add", "--role", "admin", "--name", "王主任", "--password-stdin", "wang")...)
			if code != 0 || !strings.Contains(out, "已添加用户 wang") {
				t.Fatalf("user add: %d %s %s", code, out, errOut)
			}
			_, errOut, code = runCLI(t, "short\n", args("user", "add", "--password-stdin", "li")...)
			if code == 0 || !strings.Contains(errOut, "密码太弱") {
				t.Fatalf("weak password accepted: %d %s", code, errOut)
			}
			_, errOut, code = runCLI(t, "一个足够长的登录密码-2026\n", args("user", "add", "--role", "boss", "--password-stdin", "li")...)
			if code == 0 || !strings.Contains(errOut, "角色") {
				t.Fatalf("bad role accepted: %d %s", code, errOut)
			}
			out, _, code = runCLI(t, "", args("user", "list")...)
			if code != 0 || !strings.Contains(out, "王主任") || !strings.Contains(out, "管理员") {
				t.Fatalf("user list: %s", out)
			}
			out, _, code = runCLI(t, "", args("audit", "verify")...)
			if code != 0 || !strings.Contains(out, "审计日志完好") {
				t.Fatalf("audit verify: %s", out)
			}
		})
	}
}

// TestMissingDataFolderIsCreated: every command that works on the data
// folder creates a missing one and says so in one line on stderr (the same
// rule for import, clients import, search, audit verify, …); the commands
// that only read the firm's data when there is some leave it alone.
func TestMissingDataFolderIsCreated(t *testing.T) {
	contacts := filepath.Join(t.TempDir(), "联系人.csv")
	os.WriteFile(contacts, []byte("名称,类型,微信号,手机,邮箱,单位,统一社会信用代码,标签\n王五,个人,wxid_wangwu,,,,,现有客户\n"), 0o600)
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			commands := [][]string{
				{"import", chatFixture("wechatmsg.csv")},
				{"clients", "import", contacts},
				{"search", "押金"},
				{"audit", "verify"},
				{"evidence", "list"},
				{"ledger", "verify"},
				{"user", "list"},
				{"conflicts", "check", "王五"},
			}
			for i, c := range commands {
				data := filepath.Join(e.DataDir, fmt.Sprintf("data-%d", i), "lvxin")
				out, errOut, code := runCLI(t, "", dataArgs(data, e.URL, c...)...)
				if code != 0 {
					t.Fatalf("%v on a missing data folder: %d %q %q", c, code, out, errOut)
				}
				if first, _, _ := strings.Cut(errOut, "\n"); first != "已创建数据目录 "+data {
					t.Errorf("%v: stderr should begin with the one-line notice, got %q", c, errOut)
				}
				if st, err := os.Stat(data); err != nil || !st.IsDir() {
					t.Errorf("%v did not create %s: %v", c, data, err)
				}
				// The second time there is nothing to say.
				_, errOut, _ = runCLI(t, "", dataArgs(data, e.URL, c...)...)
				if strings.Contains(errOut, "已创建数据目录") {
					t.Errorf("%v announced an existing folder: %q", c, errOut)
				}
			}
		})
	}
	// Commands that need no data folder work without one and create none.
	for _, c := range [][]string{
		{"deadline", "compute", "--rule", "appeal-judgment", "--from", "2025-09-25"},
		{"calendar", "day", "2025-10-01"},
		{"redact"},
		{"version"},
	} {
		data := filepath.Join(t.TempDir(), "none")
		out, errOut, code := runCLI(t, "电话 13800138000", append([]string{"--data", data}, c...)...)
		if code != 0 || errOut != "" {
			t.Fatalf("%v without a data folder: %d %q %q", c, code, out, errOut)
		}
		if _, err := os.Stat(data); !os.IsNotExist(err) {
			t.Errorf("%v created the data folder (%v)", c, err)
		}
	}
}
