package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lvxin/lvxin/internal/store/storetest"
)

// writeFiles writes n small distinct files named prefix-i.txt into dir.
func writeFiles(t *testing.T, dir, prefix string, n int) []string {
	t.Helper()
	var out []string
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("%s-%02d.txt", prefix, i))
		if err := os.WriteFile(p, []byte(fmt.Sprintf("%s 的第 %d 个文件", prefix, i)), 0o600); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// TestEvidenceTwoProcessesAppend runs two `lvxin evidence add` processes at
// once, 40 files each, against the same data folder and database: both
// finish, every file is preserved once under its own index, and
// `lvxin ledger verify` passes. Before appends retried, one of them stopped
// with "证据日志存储返回了不一致的数据" after a few files.
func TestEvidenceTwoProcessesAppend(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			work := t.TempDir()
			dataDir := filepath.Join(e.DataDir, "data")
			seed := writeFiles(t, work, "seed", 1)
			if _, errOut, code := runCLI(t, "", evArgs(e, dataDir, append([]string{"evidence", "add"}, seed...)...)...); code != 0 {
				t.Fatalf("seed: %s", errOut)
			}
			batches := [][]string{writeFiles(t, work, "甲", 40), writeFiles(t, work, "乙", 40)}
			type result struct {
				lines   []addedLine
				errText string
				err     error
			}
			results := make([]result, len(batches))
			var wg sync.WaitGroup
			for i, files := range batches {
				wg.Go(func() {
					cmd := exec.Command(lvxinBin, evArgs(e, dataDir, append([]string{"evidence", "add", "--json"}, files...)...)...)
					var out, errb bytes.Buffer
					cmd.Stdout, cmd.Stderr = &out, &errb
					results[i].err = cmd.Run()
					results[i].errText = errb.String()
					sc := bufio.NewScanner(&out)
					for sc.Scan() {
						var l addedLine
						if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
							results[i].err = fmt.Errorf("line %q: %v", sc.Text(), err)
							return
						}
						results[i].lines = append(results[i].lines, l)
					}
				})
			}
			wg.Wait()
			seen := map[int64]string{}
			for i, r := range results {
				if r.err != nil || len(r.lines) != 40 {
					t.Fatalf("process %d: %v, %d files\n%s", i, r.err, len(r.lines), r.errText)
				}
				if strings.Contains(r.errText, "不一致") {
					t.Fatalf("process %d: %s", i, r.errText)
				}
				for _, l := range r.lines {
					if other, dup := seen[l.Index]; dup {
						t.Fatalf("index %d given to %s and %s", l.Index, other, l.SHA256)
					}
					seen[l.Index] = l.SHA256
				}
			}
			out, _, code := runCLI(t, "", evArgs(e, dataDir, "evidence", "list", "--json")...)
			var listed []addedLine
			if code != 0 || json.Unmarshal([]byte(out), &listed) != nil || len(listed) != 81 {
				t.Fatalf("list: %d items (exit %d)", len(listed), code)
			}
			shas := map[string]bool{}
			for i, l := range listed {
				if l.Index != int64(i) || shas[l.SHA256] {
					t.Fatalf("list entry %d: index %d, repeated content %v", i, l.Index, shas[l.SHA256])
				}
				shas[l.SHA256] = true
			}
			out, errOut, code := runCLI(t, "", evArgs(e, dataDir, "ledger", "verify")...)
			if code != 0 || !strings.Contains(out, "结论：全部校验通过") || !strings.Contains(out, "81 条日志条目都有对应的证据记录") {
				t.Fatalf("ledger verify: %d\n%s%s", code, out, errOut)
			}
		})
	}
}

// TestEvidenceDuplicatesAndEmptyCLI: a file already preserved and an empty
// file are refused by name while the others in the same command are
// preserved; --allow-duplicate preserves it again, with a warning.
func TestEvidenceDuplicatesAndEmptyCLI(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			work := t.TempDir()
			dataDir := filepath.Join(e.DataDir, "data")
			files := writeFiles(t, work, "借条", 2)
			empty := filepath.Join(work, "空白.txt")
			os.WriteFile(empty, nil, 0o600)
			if _, errOut, code := runCLI(t, "", evArgs(e, dataDir, "evidence", "add", "--title", "借条原件", files[0])...); code != 0 {
				t.Fatalf("first add: %s", errOut)
			}
			out, errOut, code := runCLI(t, "", evArgs(e, dataDir, "evidence", "add", files[0], empty, files[1])...)
			if code != 1 || !strings.Contains(out, "已保全 借条-01.txt") || strings.Contains(out, "借条-00") ||
				!strings.Contains(errOut, "未保全 "+files[0]) || !strings.Contains(errOut, "保全为证据 #1（“借条原件”") ||
				!strings.Contains(errOut, "未保全 "+empty) || !strings.Contains(errOut, "0 字节") ||
				!strings.Contains(errOut, "1 个文件已保全，2 个未保全") || !strings.Contains(errOut, "--allow-duplicate") {
				t.Fatalf("duplicate and empty: exit %d\n%s\n%s", code, out, errOut)
			}
			out, errOut, code = runCLI(t, "", evArgs(e, dataDir, "evidence", "add", "--allow-duplicate", files[0])...)
			if code != 0 || !strings.Contains(out, "经确认的重复证据") || !strings.Contains(out, "#1") {
				t.Fatalf("--allow-duplicate: exit %d\n%s\n%s", code, out, errOut)
			}
			if out, _, code := runCLI(t, "", evArgs(e, dataDir, "ledger", "verify")...); code != 0 || !strings.Contains(out, "3 条日志条目都有对应的证据记录") {
				t.Fatalf("verify: %d\n%s", code, out)
			}
		})
	}
}

// TestLedgerVerifyFindsTailsAndMissingItems: `lvxin ledger verify` signs and
// reports entries an interrupted add left without a checkpoint, catches
// entries deleted from the end where no checkpoint covers them, and entries
// whose evidence record was deleted.
func TestLedgerVerifyFindsTailsAndMissingItems(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			work := t.TempDir()
			dataDir := filepath.Join(e.DataDir, "data")
			files := writeFiles(t, work, "证据", 7)
			add := func(paths ...string) {
				t.Helper()
				if _, errOut, code := runCLI(t, "", evArgs(e, dataDir, append([]string{"evidence", "add"}, paths...)...)...); code != 0 {
					t.Fatalf("add: %s", errOut)
				}
			}
			add(files[:3]...) // checkpoint at 3
			add(files[3:5]...)
			// The second add died after its commit, before its checkpoint.
			tamperSQL(t, e, dataDir, "DELETE FROM ledger_checkpoints WHERE size = 5")
			out, errOut, code := runCLI(t, "", evArgs(e, dataDir, "ledger", "verify")...)
			if code != 0 || !strings.Contains(out, "条目 3 至 4") || !strings.Contains(out, "已补签检查点") {
				t.Fatalf("unsigned tail: %d\n%s%s", code, out, errOut)
			}
			if out, _, _ := runCLI(t, "", evArgs(e, dataDir, "ledger", "checkpoint")...); !strings.Contains(out, "/evidence\n5\n") {
				t.Fatalf("tail not signed: %s", out)
			}

			// Two more entries, then they, their records and their
			// checkpoint are deleted: no remaining checkpoint shows it.
			add(files[5:]...)
			for _, stmt := range []string{
				"DELETE FROM evidence_items WHERE log_index = 6", "DELETE FROM evidence_items WHERE log_index = 5",
				"DELETE FROM ledger_entries WHERE idx = 6", "DELETE FROM ledger_entries WHERE idx = 5",
				"DELETE FROM ledger_checkpoints WHERE size = 7",
			} {
				tamperSQL(t, e, dataDir, stmt)
			}
			out, errOut, code = runCLI(t, "", evArgs(e, dataDir, "ledger", "verify")...)
			if code != 1 || !strings.Contains(out, "少于此前校验确认的 7 条") || !strings.Contains(errOut, "校验未通过") {
				t.Fatalf("deleted tail: %d\n%s%s", code, out, errOut)
			}
			more := writeFiles(t, work, "新", 1)
			if _, errOut, code := runCLI(t, "", evArgs(e, dataDir, "evidence", "add", more[0])...); code == 0 || !strings.Contains(errOut, "证据日志校验失败") {
				t.Fatalf("add to a log with a deleted tail: %d %s", code, errOut)
			}
		})
	}
	for _, e := range storetest.Engines(t) {
		t.Run("missing-item-"+e.Name, func(t *testing.T) {
			dataDir := filepath.Join(e.DataDir, "data")
			files := writeFiles(t, t.TempDir(), "证据", 3)
			if _, errOut, code := runCLI(t, "", evArgs(e, dataDir, append([]string{"evidence", "add"}, files...)...)...); code != 0 {
				t.Fatalf("add: %s", errOut)
			}
			tamperSQL(t, e, dataDir, "DELETE FROM evidence_items WHERE log_index = 1")
			out, errOut, code := runCLI(t, "", evArgs(e, dataDir, "ledger", "verify")...)
			if code != 1 || !strings.Contains(out, "条目 1") || !strings.Contains(out, "证据记录被删除") {
				t.Fatalf("missing item: %d\n%s%s", code, out, errOut)
			}
		})
	}
}

// TestNULTextSameAnswerBothEngines imports a chat export with a NUL byte
// in one message: both engines refuse it with the same Chinese line naming
// the record, never PostgreSQL's "SQLSTATE 22021".
func TestNULTextSameAnswerBothEngines(t *testing.T) {
	raw, err := os.ReadFile(chatFixture("wechatmsg.csv"))
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "聊天记录.csv")
	os.WriteFile(bad, bytes.Replace(raw, []byte("张律师您好"), []byte("张律师\x00您好"), 1), 0o600)
	answers := map[string]string{}
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			data := filepath.Join(e.DataDir, "data")
			os.MkdirAll(data, 0o700)
			_, errOut, code := runCLI(t, "", dataArgs(data, e.URL, "import", bad)...)
			if code == 0 || strings.Contains(errOut, "SQLSTATE") || !strings.Contains(errOut, "第 3 行的消息") || !strings.Contains(errOut, "空字符 NUL") {
				t.Fatalf("import with NUL: %d %q", code, errOut)
			}
			for _, line := range strings.Split(errOut, "\n") {
				if strings.HasPrefix(line, "错误：") {
					answers[e.Name] = line // other lines may name the engine
				}
			}
		})
	}
	if pg, ok := answers["postgres"]; (ok && pg != answers["sqlite"]) || answers["sqlite"] == "" {
		t.Fatalf("engines answer differently:\nsqlite:   %q\npostgres: %q", answers["sqlite"], pg)
	}
}

// TestEvidenceDuplicateInBrowser: uploading a file already preserved shows
// the earlier item and a confirm button; confirming preserves it without
// choosing the file again.
func TestEvidenceDuplicateInBrowser(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			upload := writeFiles(t, t.TempDir(), "借条", 1)[0]
			a := browser(t)
			setupAdmin(t, a, srv)
			login(t, a, srv.URL, "wang", adminPassword)
			for i, title := range []string{"借条原件", "借条再传"} {
				run(t, a, fmt.Sprintf("upload %d", i+1),
					chromedp.Navigate(srv.URL+"/evidence"),
					chromedp.WaitVisible(chromedp.ID("evidence-upload")),
					chromedp.SetUploadFiles(chromedp.ID("file"), []string{upload}),
					chromedp.SendKeys(chromedp.ID("title"), title),
					chromedp.Click(chromedp.ID("upload")),
					chromedp.WaitVisible(chromedp.CSS("#added, #duplicates")),
				)
			}
			dup := get(t, a, "duplicate notice", chromedp.Text(chromedp.ID("duplicates")))
			if !strings.Contains(dup, "该文件已于") || !strings.Contains(dup, "保全为证据 #1（借条原件）") {
				t.Fatalf("duplicate notice: %q", dup)
			}
			screenshot(t, a, "evidence-duplicate-"+e.Name)
			run(t, a, "confirm",
				chromedp.Click(chromedp.CSS("#duplicates button.confirm-duplicate")),
				chromedp.WaitVisible(chromedp.ID("added")),
			)
			added := get(t, a, "added", chromedp.Text(chromedp.ID("added")))
			if !strings.Contains(added, "本次已保全 1 个文件") || !strings.Contains(added, "借条再传") || !strings.Contains(added, "经确认的重复证据") {
				t.Fatalf("after confirming: %q", added)
			}
		})
	}
}

// webSession logs in to a running server over plain HTTP and returns the
// client and the CSRF token of the evidence page.
func webSession(t *testing.T, srv *server, user, password string) (*http.Client, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 60 * time.Second}
	csrfOf := func(path string) string {
		t.Helper()
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no CSRF token (%d)", path, resp.StatusCode)
		}
		return string(m[1])
	}
	resp, err := c.PostForm(srv.URL+"/login", url.Values{"csrf_token": {csrfOf("/login")}, "username": {user}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return c, csrfOf("/evidence")
}

// uploadOne posts one file to /evidence and returns the status and page.
func uploadOne(c *http.Client, base, token, path string) (int, string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, "", err
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", token)
	fw, _ := mw.CreateFormFile("file", filepath.Base(path))
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/evidence", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page), err
}

// TestEvidenceCLIWhileServeUploads: `lvxin evidence add` of 30 files while
// `lvxin serve` takes 30 uploads: all succeed and the log verifies.
func TestEvidenceCLIWhileServeUploads(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			addUser(t, srv, "admin", "王主任", "wang")
			c, token := webSession(t, srv, "wang", adminPassword) // the server's log is open from here
			work := t.TempDir()
			web, cli := writeFiles(t, work, "网页", 30), writeFiles(t, work, "命令行", 30)
			var wg sync.WaitGroup
			var cliOut, cliErr string
			var cliCode int
			wg.Go(func() {
				cmd := exec.Command(lvxinBin, cliArgs(srv, append([]string{"evidence", "add", "--json"}, cli...)...)...)
				var out, errb bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &errb
				if err := cmd.Run(); err != nil {
					cliCode = -1
				}
				cliOut, cliErr = out.String(), errb.String()
			})
			webErrs := make(chan string, len(web))
			wg.Go(func() {
				for _, p := range web {
					code, page, err := uploadOne(c, srv.URL, token, p)
					if err != nil || code != 200 || !strings.Contains(page, "本次已保全 1 个文件") {
						webErrs <- fmt.Sprintf("%s: %d %v", filepath.Base(p), code, err)
					}
				}
			})
			wg.Wait()
			close(webErrs)
			for msg := range webErrs {
				t.Error("upload " + msg)
			}
			if cliCode != 0 || strings.Count(cliOut, "\n") != 30 {
				t.Fatalf("evidence add while serve uploads: %d\n%s\n%s", cliCode, cliOut, cliErr)
			}
			out, errOut, code := runCLI(t, "", cliArgs(srv, "ledger", "verify")...)
			if code != 0 || !strings.Contains(out, "60 条日志条目都有对应的证据记录") || !strings.Contains(out, "结论：全部校验通过") {
				t.Fatalf("ledger verify: %d\n%s%s", code, out, errOut)
			}
		})
	}
}
