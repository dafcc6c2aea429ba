package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestInterruptedCommand: a command whose context is cancelled (Ctrl-C or
// SIGTERM in main) stops, exits 130 and says so in one Chinese line,
// whatever error the layer that noticed the cancellation returned.
func TestInterruptedCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := filepath.Join(t.TempDir(), "data")
	var out, errOut bytes.Buffer
	code := run(ctx, []string{"--data", dir, "audit", "verify"}, &out, &errOut)
	if code != exitInterrupted {
		t.Fatalf("exit code %d, want %d; stdout %q stderr %q", code, exitInterrupted, out.String(), errOut.String())
	}
	if want := "错误：" + interruptedMsg + "\n"; !strings.HasSuffix(errOut.String(), want) {
		t.Fatalf("stderr %q should end with %q", errOut.String(), want)
	}
	if out.Len() != 0 {
		t.Fatalf("an interrupted command printed a result: %q", out.String())
	}
}

// TestRunExitCodes: success is 0, a usage error 2, and without a signal a
// command's own exit code stands.
func TestRunExitCodes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--data", dir, "audit", "verify"}, &out, &errOut); code != 0 {
		t.Fatalf("audit verify: %d %q", code, errOut.String())
	}
	if want := "已创建数据目录 " + dir + "\n"; errOut.String() != want {
		t.Fatalf("stderr %q, want the one-line notice %q", errOut.String(), want)
	}
	if _, err := os.Stat(filepath.Join(dir, "lvxin.db")); err != nil {
		t.Fatalf("no database in the created folder: %v", err)
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"--data", dir, "frobnicate"}, &out, &errOut); code != 2 ||
		!strings.HasPrefix(errOut.String(), "错误：未知命令") {
		t.Fatalf("unknown command: %d %q", code, errOut.String())
	}
}

// TestHelpIsChinese: no command's help shows pflag's English "(default …)"
// (an int flag used to show "(default )" after its Chinese default).
func TestHelpIsChinese(t *testing.T) {
	var walk func(path []string, c interface{ Commands() []*cobra.Command })
	n := 0
	walk = func(path []string, c interface{ Commands() []*cobra.Command }) {
		for _, sub := range c.Commands() {
			p := append(append([]string{}, path...), sub.Name())
			var out, errOut bytes.Buffer
			if code := run(context.Background(), append(p, "--help"), &out, &errOut); code != 0 {
				t.Fatalf("%v --help: %d %q", p, code, errOut.String())
			}
			if strings.Contains(out.String(), "(default") {
				t.Errorf("%v --help shows pflag's English default:\n%s", p, out.String())
			}
			n++
			walk(p, sub)
		}
	}
	walk(nil, newRoot())
	if n < 20 {
		t.Fatalf("walked only %d commands", n)
	}
}
