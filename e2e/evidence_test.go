package e2e

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
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

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/emmansun/gmsm/sm3"

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
					// Replace the first base64 character of the first hash
					// with another base64 character: always a change.
					i := bytes.Index(b, []byte("index 0\n")) + len("index 0\n")
					c := byte('A')
					if b[i] == 'A' {
						c = 'B'
					}
					return append(append(bytes.Clone(b[:i]), c), b[i+1:]...)
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
			// Consistency between the checkpoints of sizes 2 and 3, checked by
			// the CLI against the stored signed checkpoints.
			out, errOut, code = runCLI(t, "", evArgs(e, dataDir, "ledger", "consistency", "2", "3")...)
			if code != 0 || len(strings.Fields(out)) == 0 || !strings.Contains(errOut, "核验通过") {
				t.Fatalf("ledger consistency: %d %q %q", code, out, errOut)
			}
			if _, errOut, code := runCLI(t, "", evArgs(e, dataDir, "ledger", "consistency", "3", "2")...); code != 2 || !strings.Contains(errOut, "from 必须在 1 与") {
				t.Fatalf("ledger consistency 3 2: %d %q", code, errOut)
			}
			if _, errOut, code := runCLI(t, "", evArgs(e, dataDir, "ledger", "consistency", "1", "9")...); code != 2 || !strings.Contains(errOut, "最新检查点为 3 条") {
				t.Fatalf("ledger consistency 1 9: %d %q", code, errOut)
			}
			// The third file, preserved without a matter, is assigned one
			// later: the export by that matter now holds it, and its entry
			// still says it was preserved without one.
			out, errOut, code = runCLI(t, "", evArgs(e, dataDir, "evidence", "assign", "3", "--matter", "（2026）京0105民初1号")...)
			if code != 0 || !strings.Contains(out, "由“未指定”改为“（2026）京0105民初1号”") || !strings.Contains(out, "不可更改") {
				t.Fatalf("evidence assign: %d %q %q", code, out, errOut)
			}
			if _, errOut, code := runCLI(t, "", evArgs(e, dataDir, "evidence", "assign", "99", "--matter", "x")...); code != 2 || !strings.Contains(errOut, "证据 99 不存在") {
				t.Fatalf("assign a missing item: %d %q", code, errOut)
			}
			if _, errOut, code := runCLI(t, "", evArgs(e, dataDir, "evidence", "assign", "3")...); code != 2 || !strings.Contains(errOut, "--matter") {
				t.Fatalf("assign without --matter: %d %q", code, errOut)
			}
			bundle2 := filepath.Join(work, "bundle2.zip")
			out, errOut, code = runCLI(t, "", evArgs(e, dataDir, "evidence", "export", "--out", bundle2, "--matter", "（2026）京0105民初1号", "--tsa-url", tsaServer.URL)...)
			if code != 0 || !strings.Contains(out, "3 项证据") {
				t.Fatalf("export after assign: %d %s %s", code, out, errOut)
			}
			if out, code := verify(bundle2); code != 0 || !strings.Contains(out, "结论：全部校验通过") {
				t.Fatalf("verify after assign: %d\n%s", code, out)
			}
			if _, m := readZip(t, bundle2); !bytes.Contains(m["entries/2.json"], []byte(`"matter":""`)) {
				t.Fatalf("entry 2 changed: %s", m["entries/2.json"])
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
// TestEvidenceMatterLinkCLI: --matter links evidence to a matter of the
// client book when it names one (#id, exact case number or title), stays
// free text otherwise, and is refused when it names none or several.
func TestEvidenceMatterLinkCLI(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			work := t.TempDir()
			dataDir := filepath.Join(e.DataDir, "data")
			if _, errOut, code := runCLI(t, "", evArgs(e, dataDir, "demo")...); code != 0 {
				t.Fatalf("demo: %d %s", code, errOut)
			}
			file := func(name, content string) string {
				p := filepath.Join(work, name)
				os.WriteFile(p, []byte(content), 0o600)
				return p
			}
			type line struct {
				ID       int64  `json:"id"`
				Index    int64  `json:"index"`
				Matter   string `json:"matter"`
				MatterID int64  `json:"matter_id"`
			}
			add := func(matter, path string) line {
				t.Helper()
				out, errOut, code := runCLI(t, "", evArgs(e, dataDir, "evidence", "add", "--json", "--matter", matter, path)...)
				var l line
				if code != 0 || json.Unmarshal([]byte(out), &l) != nil {
					t.Fatalf("add --matter %q: %d %s %s", matter, code, out, errOut)
				}
				return l
			}
			// The case number in full-width brackets names the demo matter.
			byNumber := add("（2025）京0105民初10001号", file("合同.txt", "买卖合同"))
			if byNumber.MatterID == 0 || byNumber.Matter != fmt.Sprintf("#%d (2025)京0105民初10001号 云杉科技诉青禾贸易买卖合同纠纷", byNumber.MatterID) {
				t.Fatalf("by case number: %+v", byNumber)
			}
			byID := add(fmt.Sprintf("#%d", byNumber.MatterID), file("发票.txt", "发票"))
			byTitle := add("云杉科技诉青禾贸易买卖合同纠纷", file("送货单.txt", "送货单"))
			free := add("钱某（尚未委托）", file("聊天.txt", "聊天"))
			if byID.MatterID != byNumber.MatterID || byTitle.MatterID != byNumber.MatterID || free.MatterID != 0 || free.Matter != "钱某（尚未委托）" {
				t.Fatalf("by id %+v, by title %+v, free %+v", byID, byTitle, free)
			}
			// A matter id that does not exist, or free text in the #id form, is refused.
			for arg, want := range map[string]string{"#999": "案件 #999 不存在", "#1 附言": "#编号"} {
				if _, errOut, code := runCLI(t, "", evArgs(e, dataDir, "evidence", "add", "--matter", arg, file("x.txt", "x"))...); code != 2 || !strings.Contains(errOut, want) {
					t.Errorf("add --matter %q: %d %q", arg, code, errOut)
				}
			}
			// Assign by title links the free item; list and export by the
			// matter then hold four items.
			out, errOut, code := runCLI(t, "", evArgs(e, dataDir, "evidence", "assign", fmt.Sprint(free.ID), "--matter", "云杉科技诉青禾贸易买卖合同纠纷")...)
			if code != 0 || !strings.Contains(out, "由“钱某（尚未委托）”改为“#") {
				t.Fatalf("assign: %d %s %s", code, out, errOut)
			}
			out, _, code = runCLI(t, "", evArgs(e, dataDir, "evidence", "list", "--json", "--matter", fmt.Sprintf("#%d", byNumber.MatterID))...)
			var listed []line
			if code != 0 || json.Unmarshal([]byte(out), &listed) != nil || len(listed) != 4 {
				t.Fatalf("list by matter: %d %s", code, out)
			}
			bundle := filepath.Join(work, "bundle.zip")
			out, errOut, code = runCLI(t, "", evArgs(e, dataDir, "evidence", "export", "--out", bundle, "--matter", "(2025)京0105民初10001号")...)
			if code != 0 || !strings.Contains(out, "4 项证据") {
				t.Fatalf("export by matter: %d %s %s", code, out, errOut)
			}
			if _, m := readZip(t, bundle); !bytes.Contains(m[fmt.Sprintf("entries/%d.json", free.Index)], []byte(`"matter":"钱某（尚未委托）"`)) {
				t.Fatal("the log entry of the assigned item lost the matter it was preserved under")
			}
		})
	}
}

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
			after := filepath.Join(work, "after.bin")
			os.WriteFile(after, []byte("added after the crash"), 0o600)
			if _, errOut, code := runCLI(t, "", evArgs(e, dataDir, "evidence", "add", after)...); code != 0 {
				t.Fatalf("add after crash: %s", errOut)
			}
			t.Logf("%d acknowledged, %d stored", len(acked), len(listed))
		})
	}
}

// evidencePNG is a 1×1 PNG named like a phone screenshot of a transfer, so
// that the page shows its originality warnings.
func evidencePNG() []byte {
	return []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU\x00\x00\x00\nIDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND\xaeB`\x82")
}

// download runs the actions that start one download (a link or a form whose
// answer is an attachment) and returns the downloaded bytes.
func download(t *testing.T, ctx context.Context, dir, step string, actions ...chromedp.Action[chromedp.Void]) []byte {
	t.Helper()
	wait, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	progress := chromedp.Events(wait, cdpbrowser.DownloadProgress)
	run(t, ctx, step, append([]chromedp.Action[chromedp.Void]{chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true)})
		return err
	})}, actions...)...)
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		switch ev.State {
		case cdpbrowser.DownloadProgressStateCompleted:
			data, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			return data
		case cdpbrowser.DownloadProgressStateCanceled:
			t.Fatalf("%s: download canceled", step)
		}
	}
	t.Fatalf("%s: no completed download", step)
	return nil
}

// TestEvidenceInBrowser uploads a file through the 证据 form of a real
// `lvxin serve` on a phone-sized window, sees its SHA-256 and SM3 and the
// honest guidance on the item page, downloads it, assigns a matter later,
// exports a bundle of the selection and checks it with `lvxin verify`; the
// view, download, assignment and export are in the audit log.
func TestEvidenceInBrowser(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			work := t.TempDir()
			upload := filepath.Join(work, "微信转账截图.png")
			os.WriteFile(upload, evidencePNG(), 0o600)
			a := browser(t)
			setupAdmin(t, a, srv)
			login(t, a, srv.URL, "wang", adminPassword)

			run(t, a, "upload",
				chromedp.Navigate(srv.URL+"/evidence"),
				chromedp.WaitVisible(chromedp.ID("evidence-upload")),
				chromedp.SetUploadFiles(chromedp.ID("file"), []string{upload}),
				chromedp.SendKeys(chromedp.ID("title"), "微信转账截图"),
				chromedp.SendKeys(chromedp.ID("source"), "委托人王某"),
				chromedp.SendKeys(chromedp.ID("purpose"), "证明已付款"),
				chromedp.Click(chromedp.ID("upload")),
				chromedp.WaitVisible(chromedp.ID("added")),
			)
			added := get(t, a, "added", chromedp.Text(chromedp.ID("added")))
			if !strings.Contains(added, "本次已保全 1 个文件") || !strings.Contains(added, "录屏") {
				t.Fatalf("upload result: %q", added)
			}
			screenshot(t, a, "evidence-upload-"+e.Name)

			run(t, a, "item page",
				chromedp.Click(chromedp.CSS("#added a")),
				chromedp.WaitVisible(chromedp.ID("evidence-item")),
			)
			itemURL := location(t, a)
			sha := sha256.Sum256(evidencePNG())
			sm := sm3.Sum(evidencePNG())
			if got := get(t, a, "sha256", chromedp.Text(chromedp.ID("sha256"))); got != hex.EncodeToString(sha[:]) {
				t.Fatalf("SHA-256 on the page: %q", got)
			}
			if got := get(t, a, "sm3", chromedp.Text(chromedp.ID("sm3"))); got != hex.EncodeToString(sm[:]) {
				t.Fatalf("SM3 on the page: %q", got)
			}
			guidance := get(t, a, "guidance", chromedp.Text(chromedp.ID("evidence-guidance")))
			for _, want := range []string{"不能证明", "不是区块链存证", "公证"} {
				if !strings.Contains(guidance, want) {
					t.Fatalf("guidance lacks %q: %q", want, guidance)
				}
			}
			screenshot(t, a, "evidence-item-"+e.Name)

			file := download(t, a, filepath.Join(work, "downloads"), "download the file", chromedp.Click(chromedp.ID("download")))
			if !bytes.Equal(file, evidencePNG()) {
				t.Fatalf("downloaded %d bytes, not the preserved file", len(file))
			}

			const matter = "（2026）京0105民初7号"
			run(t, a, "assign a matter",
				chromedp.Navigate(itemURL),
				chromedp.WaitVisible(chromedp.ID("assign-form")),
				chromedp.SendKeys(chromedp.ID("assign-matter"), matter),
				chromedp.Click(chromedp.ID("assign")),
				chromedp.WaitVisible(chromedp.ID("matter-changes")),
			)
			if got := get(t, a, "matter", chromedp.Text(chromedp.ID("matter"))); got != matter {
				t.Fatalf("matter after assign: %q", got)
			}
			if got := get(t, a, "logged matter", chromedp.Text(chromedp.ID("logged-matter"))); got != "未指定" {
				t.Fatalf("logged matter: %q", got)
			}
			screenshot(t, a, "evidence-assigned-"+e.Name)

			id := itemURL[strings.LastIndex(itemURL, "/")+1:]
			run(t, a, "select for export",
				chromedp.Navigate(srv.URL+"/evidence"),
				chromedp.WaitVisible(chromedp.ID("export-form")),
				chromedp.Click(chromedp.CSS(`#evidence-list input[name="item"][value="`+id+`"]`)),
			)
			if list := get(t, a, "list", chromedp.Text(chromedp.ID("evidence-list"))); !strings.Contains(list, matter) {
				t.Fatalf("list lacks the assigned matter: %q", list)
			}
			screenshot(t, a, "evidence-list-"+e.Name)
			zipData := download(t, a, filepath.Join(work, "downloads"), "export the selection", chromedp.Click(chromedp.ID("export")))
			bundle := filepath.Join(work, "bundle.zip")
			os.WriteFile(bundle, zipData, 0o600)
			out, errOut, code := runCLI(t, "", "verify", bundle)
			if code != 0 || !strings.Contains(out, "结论：校验通过（无可信时间戳）") || !strings.Contains(out, "不含可信时间戳") || strings.Contains(out, "全部校验通过") {
				t.Fatalf("lvxin verify: %d\n%s%s", code, out, errOut)
			}

			run(t, a, "audit log", chromedp.Navigate(srv.URL+"/audit"), chromedp.WaitVisible(`//h1[text()="审计日志"]`))
			audit := auditRows(t, a)
			for action, words := range map[string]string{"evidence.add": "保全证据", "evidence.view": "查看证据",
				"evidence.download": "下载证据原件", "evidence.assign": "变更证据所属案件", "evidence.export": "导出证据"} {
				if !strings.Contains(audit[action], words) {
					t.Errorf("audit log lacks %s (%s): %q", action, words, audit[action])
				}
			}
		})
	}
}
