package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/store"
)

// TestVersionCommand: the release version, commit and build date stamped
// with -ldflags, and the schema versions of the binary and the database.
func TestVersionCommand(t *testing.T) {
	oldVersion, oldCommit, oldDate := version, commit, buildDate
	version, commit, buildDate = "v1.2.3", "0123456789abcdef0123456789abcdef01234567", "2026-12-06T10:00:00Z"
	t.Cleanup(func() { version, commit, buildDate = oldVersion, oldCommit, oldDate })
	latest, err := store.LatestSchemaVersion(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "data")
	run := func(args ...string) string {
		t.Helper()
		root := newRoot()
		var out, errOut bytes.Buffer
		root.SetOut(&out)
		root.SetErr(&errOut)
		root.SetArgs(append([]string{"--data", dir}, args...))
		if err := root.Execute(); err != nil {
			t.Fatalf("%v: %v %s", args, err, errOut.String())
		}
		return out.String()
	}
	out := run("version")
	for _, want := range []string{"律信 lvxin v1.2.3\n", "提交：0123456789abcdef0123456789abcdef01234567\n",
		"构建时间：2026-12-06 10:00:00 UTC\n", fmt.Sprintf("数据库结构版本：本程序 %d\n", latest)} {
		if !strings.Contains(out, want) {
			t.Errorf("version output lacks %q:\n%s", want, out)
		}
	}
	run("migrate")
	out = run("version")
	if want := fmt.Sprintf("数据库结构版本：本程序 %d；数据库 %d（sqlite，由 v1.2.3 写入）\n", latest, latest); !strings.Contains(out, want) {
		t.Errorf("version after migrate lacks %q:\n%s", want, out)
	}
}
