package e2e

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/store/storetest"
	"github.com/lvxin/lvxin/internal/tsa"
)

// requireEvidenceTool finds a command-line tool; under CI=true a missing
// tool fails the test instead of skipping it.
func requireEvidenceTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed under CI=true", name)
		}
		t.Skipf("%s not installed", name)
	}
}

// evArgs are the global flags for an engine's data folder and database.
func evArgs(e storetest.Engine, dataDir string, args ...string) []string {
	out := []string{"--data", dataDir}
	if e.URL != "" {
		out = append(out, "--database-url", e.URL)
	}
	return append(out, args...)
}

type addedLine struct {
	Index  int64  `json:"index"`
	ID     int64  `json:"id"`
	SHA256 string `json:"sha256"`
	SM3    string `json:"sm3"`
}

func readZip(t *testing.T, path string) (names []string, members map[string][]byte) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	members = map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		names = append(names, f.Name)
		members[f.Name] = data
	}
	return names, members
}

func writeZip(t *testing.T, path string, names []string, members map[string][]byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, _ := zw.Create(n)
		w.Write(members[n])
	}
	zw.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func unzipTo(t *testing.T, names []string, members map[string][]byte, dir string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, members[n], 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestEvidenceBundleCLI preserves files through the real CLI with a local
// TSA on loopback, exports a bundle, checks it with sha256sum, openssl and
// lvxin verify, then tampers with each part and sees the right failure.
func TestEvidenceBundleCLI(t *testing.T) {
	requireEvidenceTool(t, "sha256sum")
	requireEvidenceTool(t, "openssl")
	authority, err := tsa.NewTestAuthority()
	if err != nil {
		t.Fatal(err)
	}
	tsaServer := httptest.NewServer(authority) // 127.0.0.1 only
	defer tsaServer.Close()
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			work := t.TempDir()
			dataDir := filepath.Join(e.DataDir, "data")
			chain := filepath.Join(work, "tsa-chain.pem")
			root := filepath.Join(work, "root.pem")
			os.WriteFile(chain, authority.ChainPEM(), 0o600)
			os.WriteFile(root, authority.ChainPEM()[bytes.Index(authority.ChainPEM(), []byte("-----END CERTIFICATE-----"))+26:], 0o600)
			files := map[string]string{"借条.txt": "今借到人民币壹万元整", "聊天记录.txt": "2026-03-01 王某：钱下周还", "其他.txt": "无关"}
			var paths []string
			for _, n := range []string{"借条.txt", "聊天记录.txt", "其他.txt"} {
				p := filepath.Join(work, n)
				os.WriteFile(p, []byte(files[n]), 0o600)
				paths = append(paths, p)
			}
			out, errOut, code := runCLI(t, "", evArgs(e, dataDir, append([]string{"evidence", "add", "--json", "--matter", "（2026）京0105民初1号",
				"--tsa-url", tsaServer.URL, "--tsa-chain", chain}, paths[:2]...)...)...)
			if code != 0 {
				t.Fatalf("evidence add: %d %s", code, errOut)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != 2 || !strings.Contains(errOut, "可信时间戳") {
				t.Fatalf("add output: %q / %q", out, errOut)
			}
			for i, line := range lines {
				var a addedLine
				if err := json.Unmarshal([]byte(line), &a); err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256([]byte(files[filepath.Base(paths[i])]))
				if a.Index != int64(i) || a.SHA256 != hex.EncodeToString(sum[:]) || len(a.SM3) != 64 {
					t.Fatalf("line %d: %+v", i, a)
				}
			}
			// Without a TSA the report says so plainly.
			_, errOut, code = runCLI(t, "", evArgs(e, dataDir, "evidence", "add", "--json", "--tsa-url", "", paths[2])...)
			if code != 0 || !strings.Contains(errOut, "没有可信时间戳") {
				t.Fatalf("add without TSA: %d %q", code, errOut)
			}
			bundle := filepath.Join(work, "bundle.zip")
			out, errOut, code = runCLI(t, "", evArgs(e, dataDir, "evidence", "export", "--out", bundle, "--matter", "（2026）京0105民初1号", "--tsa-url", tsaServer.URL)...)
			if code != 0 || !strings.Contains(out, "2 项证据") || !strings.Contains(out, "可信时间戳及时间戳服务的证书链") {
				t.Fatalf("export: %d %s %s", code, out, errOut)
			}
			names, members := readZip(t, bundle)
			dir := filepath.Join(work, "unzipped")
			unzipTo(t, names, members, dir)
			sums := exec.Command("sha256sum", "-c", "SHA256SUMS")
			sums.Dir = dir
			if b, err := sums.CombinedOutput(); err != nil || strings.Count(string(b), ": OK") != 2 {
				t.Fatalf("sha256sum -c: %v\n%s", err, b)
			}
			ts := exec.Command("openssl", "ts", "-verify", "-data", "checkpoint", "-in", "checkpoint.tsr", "-CAfile", "tsa-chain.pem")
			ts.Dir = dir
			if b, err := ts.CombinedOutput(); err != nil || !strings.Contains(string(b), "Verification: OK") {
				t.Fatalf("openssl ts -verify: %v\n%s", err, b)
			}
			vkey := strings.TrimSpace(string(members["log.vkey"]))
			verify := func(path string) (string, int) {
				out, errOut, code := runCLI(t, "", "verify", path, "--vkey", vkey, "--tsa-roots", root)
				return out + errOut, code
			}
			if out, code := verify(bundle); code != 0 || !strings.Contains(out, "结论：全部校验通过") {
				t.Fatalf("verify: %d\n%s", code, out)
			}
			var fileName string
			for _, n := range names {
				if strings.HasPrefix(n, "files/000000-") {
					fileName = n
				}
			}
			flip := func(b []byte, i int) []byte {
				c := bytes.Clone(b)
				c[i] ^= 0x01
				return c
			}
			tampers := []struct {
				name, member, wantLine string
				edit                   func([]byte) []byte
			}{
				{"file byte", fileName, "失败\t" + fileName, func(b []byte) []byte { return flip(b, 0) }},
				{"entry", "entries/1.json", "失败\tproofs/1.tlog-proof", func(b []byte) []byte {
					return bytes.Replace(b, []byte(`"size":`), []byte(`"size":1`), 1)
				}},
				{"proof hash", "proofs/0.tlog-proof", "失败\tproofs/0.tlog-proof", func(b []byte) []byte {
					i := bytes.Index(b, []byte("index 0\n")) + len("index 0\n")
					return append(append(bytes.Clone(b[:i]), 'A'), b[i+1:]...)
				}},
				{"checkpoint", "checkpoint", "失败\tcheckpoint", func(b []byte) []byte {
					return bytes.Replace(b, []byte("\n3\n"), []byte("\n2\n"), 1)
				}},
				{"signature", "checkpoint", "失败\tcheckpoint", func(b []byte) []byte { return flip(b, len(b)-10) }},
				{"timestamp", "checkpoint.tsr", "失败\tcheckpoint.tsr", func(b []byte) []byte { return flip(b, len(b)-20) }},
			}
			for _, tc := range tampers {
				m := map[string][]byte{}
				for k, v := range members {
					m[k] = v
				}
				m[tc.member] = tc.edit(members[tc.member])
				if bytes.Equal(m[tc.member], members[tc.member]) {
					t.Fatalf("%s: edit changed nothing", tc.name)
				}
				p := filepath.Join(work, "tampered-"+strings.ReplaceAll(tc.name, " ", "-")+".zip")
				writeZip(t, p, names, m)
				out, code := verify(p)
				if code != 1 || !strings.Contains(out, tc.wantLine) || !strings.Contains(out, "校验未通过") {
					t.Errorf("%s: exit %d, want 1 with a line %q\n%s", tc.name, code, tc.wantLine, out)
				}
			}
			// The stored log: ledger verify passes, then an edited entry and a
			// replaced file are reported with their index.
			if out, errOut, code := runCLI(t, "", evArgs(e, dataDir, "ledger", "verify")...); code != 0 {
				t.Fatalf("ledger verify: %d\n%s%s", code, out, errOut)
			}
			tamperSQL(t, e, dataDir, "UPDATE ledger_entries SET data = replace(data, '\"size\":', '\"size\":9') WHERE idx = 1")
			out, errOut, code = runCLI(t, "", evArgs(e, dataDir, "ledger", "verify")...)
			if code != 1 || !strings.Contains(out, "失败\t条目 1\t") || !strings.Contains(errOut, "已停止追加") {
				t.Fatalf("edited entry: %d\n%s%s", code, out, errOut)
			}
			_, errOut, code = runCLI(t, "", evArgs(e, dataDir, "evidence", "add", paths[2])...)
			if code != 1 || !strings.Contains(errOut, "已停止追加新条目") {
				t.Fatalf("append to a broken log: %d %s", code, errOut)
			}
		})
	}
}

// tamperSQL edits the database behind lvxin's back. The statement is
// written for both engines (text columns are cast on PostgreSQL).
func tamperSQL(t *testing.T, e storetest.Engine, dataDir, stmt string) {
	t.Helper()
	driver, dsn := "sqlite", "file:"+filepath.Join(dataDir, "lvxin.db")
	if e.URL != "" {
		driver, dsn = "pgx", e.URL
		stmt = strings.Replace(stmt, "replace(data, ", "convert_to(replace(convert_from(data, 'UTF8'), ", 1)
		stmt = strings.Replace(stmt, "') WHERE", "'), 'UTF8') WHERE", 1)
	} else {
		stmt = strings.Replace(stmt, "replace(data, ", "CAST(replace(CAST(data AS TEXT), ", 1)
		stmt = strings.Replace(stmt, "') WHERE", "') AS BLOB) WHERE", 1)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(stmt)
	if err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%s: %d rows", stmt, n)
	}
}

// TestEvidenceCrashDuringAppends kills `lvxin evidence add` with SIGKILL in
// the middle of a stream of files; after restart the log verifies and every
// file it acknowledged (printed) is in the log and the evidence list.
func TestEvidenceCrashDuringAppends(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			work := t.TempDir()
			dataDir := filepath.Join(e.DataDir, "data")
			var files []string
			for i := range 400 {
				p := filepath.Join(work, fmt.Sprintf("f%03d.bin", i))
				os.WriteFile(p, bytes.Repeat([]byte(fmt.Sprintf("file %d ", i)), 2000), 0o600)
				files = append(files, p)
			}
			var acked []addedLine
			for round, killAfter := range []int{25, 60} {
				cmd := exec.Command(lvxinBin, evArgs(e, dataDir, append([]string{"evidence", "add", "--json"}, files...)...)...)
				stdout, _ := cmd.StdoutPipe()
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				sc := bufio.NewScanner(stdout)
				n := 0
				for n < killAfter && sc.Scan() {
					var a addedLine
					if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
						t.Fatalf("line %q: %v", sc.Text(), err)
					}
					acked = append(acked, a)
					n++
				}
				cmd.Process.Signal(syscall.SIGKILL)
				cmd.Wait()
				if n < killAfter {
					t.Fatalf("round %d: only %d files before the process ended", round, n)
				}
				time.Sleep(50 * time.Millisecond)
			}
			out, errOut, code := runCLI(t, "", evArgs(e, dataDir, "ledger", "verify")...)
			if code != 0 || !strings.Contains(out, "结论：全部校验通过") {
				t.Fatalf("ledger verify after crash: %d\n%s%s", code, out, errOut)
			}
			out, _, code = runCLI(t, "", evArgs(e, dataDir, "evidence", "list", "--json")...)
			if code != 0 {
				t.Fatal("list failed")
			}
			var listed []addedLine
			if err := json.Unmarshal([]byte(out), &listed); err != nil {
				t.Fatal(err)
			}
			byIndex := map[int64]addedLine{}
			for _, l := range listed {
				byIndex[l.Index] = l
			}
			for _, a := range acked {
				if got, ok := byIndex[a.Index]; !ok || got.SHA256 != a.SHA256 || got.ID != a.ID {
					t.Fatalf("acknowledged entry %d (%s) missing after crash", a.Index, a.SHA256)
				}
			}
			// The log accepts appends again after the crash.
			if _, errOut, code := runCLI(t, "", evArgs(e, dataDir, "evidence", "add", files[0])...); code != 0 {
				t.Fatalf("add after crash: %s", errOut)
			}
			t.Logf("%d acknowledged, %d stored", len(acked), len(listed))
		})
	}
}
