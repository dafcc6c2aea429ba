package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

func chatFixture(name string) string {
	p, _ := filepath.Abs(filepath.Join("..", "internal", "chatexport", "testdata", name))
	return p
}

func dataArgs(dir, dbURL string, args ...string) []string {
	pre := []string{"--data", dir}
	if dbURL != "" {
		pre = append(pre, "--database-url", dbURL)
	}
	return append(pre, args...)
}

func TestChatArchiveCLI(t *testing.T) {
	ageBin, err := exec.LookPath("age")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("age is not installed under CI=true (apt-get install age)")
		}
		t.Skip("age not installed")
	}
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			data := filepath.Join(e.DataDir, "data")
			os.MkdirAll(data, 0o700)
			out, errOut, code := runCLI(t, "", dataArgs(data, e.URL, "import", chatFixture("wechatmsg.csv"))...)
			if code != 0 || !strings.Contains(out, "新增 14 条，重复 0 条，跳过 0 条") {
				t.Fatalf("import: %d %q %q", code, out, errOut)
			}
			out, _, code = runCLI(t, "", dataArgs(data, e.URL, "import", chatFixture("wechatmsg.csv"), "--json")...)
			var counts struct{ New, Duplicate, Skipped int }
			if code != 0 || json.Unmarshal([]byte(out), &counts) != nil || counts.New != 0 || counts.Duplicate != 14 {
				t.Fatalf("re-import: %d %q", code, out)
			}
			if out, _, code = runCLI(t, "", dataArgs(data, e.URL, "import", chatFixture("chatlog.json"), "--matter", "5")...); code != 0 {
				t.Fatalf("chatlog import: %s", out)
			}
			// A malformed file: rejected whole, one-line error with file and line.
			bad := filepath.Join(t.TempDir(), "坏文件.csv")
			raw, _ := os.ReadFile(chatFixture("pywxdump.csv"))
			os.WriteFile(bad, append(raw, []byte("99,x12,文本,0,a,a,不应入库,,2024-03-01 10:00:00\n")...), 0o600)
			_, errOut, code = runCLI(t, "", dataArgs(data, e.URL, "import", bad)...)
			if code != 1 || !strings.HasPrefix(errOut, "错误：坏文件.csv 第 ") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Fatalf("malformed import: %d %q", code, errOut)
			}
			out, _, _ = runCLI(t, "", dataArgs(data, e.URL, "search", "不应入库")...)
			if !strings.Contains(out, "没有找到") {
				t.Fatalf("rejected file left messages: %q", out)
			}
			// One- and two-character queries, AND, filters, JSON.
			out, errOut, code = runCLI(t, "", dataArgs(data, e.URL, "search", "押金", "--json")...)
			var hits []struct {
				Message   struct{ Text string }
				Fragments []struct {
					Text string
					Hit  bool
				}
			}
			if code != 0 || json.Unmarshal([]byte(out), &hits) != nil || len(hits) == 0 {
				t.Fatalf("search: %d %q %q", code, out, errOut)
			}
			for _, h := range hits {
				marked := false
				for _, f := range h.Fragments {
					marked = marked || (f.Hit && f.Text == "押金")
				}
				if !strings.Contains(h.Message.Text, "押金") || !marked {
					t.Errorf("hit without highlighted term: %+v", h)
				}
			}
			out, _, _ = runCLI(t, "", dataArgs(data, e.URL, "search", "押金", "合同", "--sender", "wxid_wangwu123")...)
			if !strings.Contains(out, "【押金】") || !strings.Contains(out, "【合同】") {
				t.Fatalf("AND with sender: %q", out)
			}
			// A search bounded to a few messages per request: the note on
			// stderr names the cursor, and following it to the end gives
			// every match of the unbounded search once, newest first. The
			// budget ends on whole days: messages on eight days.
			days := filepath.Join(t.TempDir(), "days.csv")
			csv := "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n"
			for i := range 8 {
				at := time.Date(2024, 4, 1+i, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
				csv += fmt.Sprintf("%d,9,1,0,0,%d,2,第%d天的押金收据,%s,,赵六,wxid_zhaoliu\n", 100+i, at.Unix(), i+1, at.Format("2006-01-02 15:04:05"))
			}
			os.WriteFile(days, []byte(csv), 0o600)
			if out, errOut, code := runCLI(t, "", dataArgs(data, e.URL, "import", days)...); code != 0 {
				t.Fatalf("import days: %d %q %q", code, out, errOut)
			}
			searchIDs := func(args ...string) ([]int64, string) {
				t.Helper()
				out, errOut, code := runCLI(t, "", dataArgs(data, e.URL, append([]string{"search", "押金收据", "--json", "--limit", "1000"}, args...)...)...)
				var page []struct{ Message struct{ ID int64 } }
				if code != 0 || json.Unmarshal([]byte(out), &page) != nil {
					t.Fatalf("search %v: %d %q %q", args, code, out, errOut)
				}
				var ids []int64
				for _, h := range page {
					ids = append(ids, h.Message.ID)
				}
				return ids, errOut
			}
			all, note := searchIDs("--all")
			if len(all) < 9 || note != "" {
				t.Fatalf("--all: %v %q", all, note)
			}
			var walked []int64
			before := ""
			for steps := 0; ; steps++ {
				args := []string{"--budget", "2"}
				if before != "" {
					args = append(args, "--before", before)
				}
				ids, note := searchIDs(args...)
				walked = append(walked, ids...)
				if note == "" {
					break
				}
				m := regexp.MustCompile(`已(继续)?检索(最近|更早的)约 \d+ 条消息（至 \d+年\d+月\d+日），未找到更多结果。继续检索更早的消息：加上 --before (\d+)`).FindStringSubmatch(note)
				if m == nil || (before != "") != (m[1] == "继续") || steps > len(all)+5 {
					t.Fatalf("budget note %d: %q", steps, note)
				}
				before = m[3]
			}
			if fmt.Sprint(walked) != fmt.Sprint(all) {
				t.Fatalf("walked with --before: %v, want %v", walked, all)
			}
			if e.Name == "sqlite" && before == "" {
				t.Fatalf("a budget of 2 messages never stopped a search over %d matches", len(all))
			}
			_, errOut, code = runCLI(t, "", dataArgs(data, e.URL, "search", "押金", "--budget", "-3")...)
			if code != 2 || !strings.Contains(errOut, "--budget") {
				t.Fatalf("negative budget: %d %q", code, errOut)
			}
			_, errOut, code = runCLI(t, "", dataArgs(data, e.URL, "search", "！？")...)
			if code != 2 || !strings.HasPrefix(errOut, "错误：") {
				t.Fatalf("empty query: %d %q", code, errOut)
			}
			// Monthly archive opened by the standard age tool.
			id, _ := age.GenerateX25519Identity()
			dir := t.TempDir()
			key := filepath.Join(dir, "key.txt")
			os.WriteFile(key, []byte(id.String()+"\n"), 0o600)
			archiveFile := filepath.Join(dir, "2024-03.tar.age")
			out, errOut, code = runCLI(t, "", dataArgs(data, e.URL, "archive", "export", "--month", "2024-03",
				"--recipient", id.Recipient().String(), "--out", archiveFile)...)
			if code != 0 || !strings.Contains(out, "已导出 2024-03") {
				t.Fatalf("archive export: %d %q %q", code, out, errOut)
			}
			list, err := exec.Command("sh", "-c", `"$0" -d -i "$1" "$2" | tar -t`, ageBin, key, archiveFile).CombinedOutput()
			if err != nil || !strings.Contains(string(list), "manifest.json") || !strings.Contains(string(list), "/index.html") ||
				!strings.Contains(string(list), "/messages.json") {
				t.Fatalf("age -d | tar -t: %v\n%s", err, list)
			}
			_, errOut, code = runCLI(t, "", dataArgs(data, e.URL, "archive", "export", "--month", "2024-3x", "--recipient", id.Recipient().String(), "--out", archiveFile)...)
			if code != 2 || !strings.Contains(errOut, "YYYY-MM") {
				t.Fatalf("bad month: %d %q", code, errOut)
			}
			out, _, code = runCLI(t, "", dataArgs(data, e.URL, "audit", "verify")...)
			if code != 0 || !strings.Contains(out, "审计日志完好") {
				t.Fatalf("audit verify: %q", out)
			}
		})
	}
}

func TestChatsInBrowser(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			a := browser(t)
			setupAdmin(t, a, srv)
			login(t, a, srv.URL, "wang", adminPassword)
			run(t, a, "upload an export",
				chromedp.Navigate(srv.URL+"/chats"),
				chromedp.WaitVisible(chromedp.ID("chat-import")),
				chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{chatFixture("wechatmsg.csv")}),
				chromedp.Click(chromedp.ID("import-submit")),
				chromedp.WaitVisible(chromedp.ID("import-result")),
			)
			if n := get(t, a, "new count", chromedp.Text(chromedp.ID("import-new"))); n != "14" {
				t.Fatalf("imported %s messages", n)
			}
			run(t, a, "upload an export with short words",
				chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{chatFixture("short-terms.csv")}),
				chromedp.Click(chromedp.ID("import-submit")),
				// The first import's result is still on screen until the
				// second one answers: wait for the second file's result.
				chromedp.WaitVisible(`//section[@id="import-result"]/p[contains(., "short-terms.csv")]`),
			)
			run(t, a, "search one character",
				chromedp.SendKeys(chromedp.ID("q"), "钱"),
				chromedp.Click(chromedp.ID("search-submit")),
				chromedp.WaitVisible(chromedp.ID("result-count")),
			)
			marks := get(t, a, "marks", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#results mark")).map(m => m.textContent)`))
			if len(marks) != 2 {
				t.Fatalf("one-character search: %d highlights, want the 2 messages with 钱", len(marks))
			}
			for _, m := range marks {
				if m != "钱" {
					t.Fatalf("highlight %q", m)
				}
			}
			run(t, a, "search a character no message has",
				chromedp.Navigate(srv.URL+"/chats?q=铁"),
				chromedp.WaitVisible(chromedp.ID("result-count")),
			)
			if n := get(t, a, "miss", chromedp.Evaluate[int](`document.querySelectorAll("#results mark").length`)); n != 0 {
				t.Fatalf("a character no message has: %d highlights", n)
			}
			run(t, a, "search two characters",
				chromedp.Navigate(srv.URL+"/chats?q=押金"),
				chromedp.WaitVisible(chromedp.ID("results")),
			)
			marks = get(t, a, "marks", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#results mark")).map(m => m.textContent)`))
			if len(marks) == 0 || marks[0] != "押金" {
				t.Fatalf("two-character search highlights %q", marks)
			}
			screenshot(t, a, "chats-search-"+e.Name)
			// A query with nothing to search: the reason, the query kept in
			// the box, and no result count.
			run(t, a, "search punctuation only",
				chromedp.Navigate(srv.URL+"/chats"),
				chromedp.WaitVisible(chromedp.ID("q")),
				chromedp.SendKeys(chromedp.ID("q"), "。！"),
				submit("search-submit"),
			)
			errPage := get(t, a, "error page", chromedp.Text(chromedp.CSS("body")))
			kept := get(t, a, "query kept", chromedp.Value(chromedp.ID("q")))
			count := get(t, a, "result count", chromedp.Evaluate[int](`document.querySelectorAll("#result-count").length`))
			if !strings.Contains(errPage, "查询词中没有可检索的文字或数字") || kept != "。！" || count != 0 || strings.Contains(errPage, "找到 0 条") {
				t.Fatalf("punctuation query: kept %q, %d result counts, page:\n%s", kept, count, errPage)
			}
			screenshot(t, a, "chats-search-error-"+e.Name)
			run(t, a, "court printout",
				chromedp.Navigate(srv.URL+"/chats"),
				chromedp.WaitVisible(chromedp.ID("conversations")),
				chromedp.Click(chromedp.CSS("#conversations a[href$='/print']")),
				chromedp.WaitVisible(chromedp.ID("court-print")),
			)
			ids := get(t, a, "identities", chromedp.Text(chromedp.ID("identities")))
			if !strings.Contains(ids, "wxid_wangwu123") || !strings.Contains(ids, "王总") || !strings.Contains(ids, "wxid_lawyer_zhang") {
				t.Fatalf("identities: %q", ids)
			}
			log := get(t, a, "log", chromedp.Text(chromedp.ID("print-log")))
			if !strings.Contains(log, "2024-03-01 10:01:00") || !strings.Contains(log, "撤回") {
				t.Fatalf("printout log: %q", log)
			}
			body := get(t, a, "page", chromedp.Text(chromedp.ID("court-print")))
			if !strings.Contains(body, "SHA-256") || !strings.Contains(body, "共 14 条消息") {
				t.Fatalf("printout header: %q", body)
			}
			screenshot(t, a, "chats-print-"+e.Name)
			// Print to PDF as the browser's print dialog would (A4, @page rules).
			var pdf []byte
			run(t, a, "print to PDF", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{})
				pdf = res.Data
				return err
			}))
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) || bytes.Count(pdf, []byte("/Type /Page")) < 1 {
				t.Fatalf("printout PDF: %d bytes, starts %q", len(pdf), pdf[:min(len(pdf), 8)])
			}
			out, _, code := runCLI(t, "", cliArgs(srv, "audit", "verify")...)
			if code != 0 || !strings.Contains(out, "审计日志完好") {
				t.Fatalf("audit verify: %q", out)
			}
		})
	}
}

// The court printout marks, at their place, the records the source lacks
// (the export's own sequence jumps) and the records the import skipped,
// with the reason.
func TestCourtPrintoutMarksSourceGaps(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			a := browser(t)
			setupAdmin(t, a, srv)
			login(t, a, srv.URL, "wang", adminPassword)
			for _, f := range [][2]string{{"holes/wechatmsg_holes.csv", ""}, {"holes/wecom_holes.jsonl", ""},
				{"holes/wechatmsg_preamble.txt", "wechatmsg-txt"}} { // a title line before the first message: not detected
				run(t, a, "upload "+f[0],
					chromedp.Navigate(srv.URL+"/chats"),
					chromedp.WaitVisible(chromedp.ID("chat-import")),
					chromedp.SetValue(chromedp.ID("import-format"), f[1]),
					chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{chatFixture(f[0])}),
					chromedp.Click(chromedp.ID("import-submit")),
					chromedp.WaitVisible(chromedp.ID("import-result")),
				)
			}
			run(t, a, "list", chromedp.Navigate(srv.URL+"/chats"), chromedp.WaitVisible(chromedp.ID("conversations")))
			links := get(t, a, "print links", chromedp.Evaluate[[]string](
				`Array.from(document.querySelectorAll("#conversations a[href$='/print']")).map(a => a.href)`))
			if len(links) != 4 {
				t.Fatalf("%d conversations, want 4: %q", len(links), links)
			}
			var logs []string
			for _, link := range links {
				run(t, a, "printout", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("court-print")))
				logs = append(logs, get(t, a, "printout", chromedp.Text(chromedp.ID("court-print"))))
			}
			find := func(want ...string) string {
				t.Helper()
				for _, l := range logs {
					ok := true
					for _, w := range want {
						ok = ok && strings.Contains(l, w)
					}
					if ok {
						return l
					}
				}
				t.Fatalf("no printout contains %q:\n%s", want, strings.Join(logs, "\n-----\n"))
				return ""
			}
			// WeChatMsg: localId 1041 → 1045, before the message with 1045.
			l := find("押金已经退了")
			if !strings.Contains(l, "原始记录序号不连续（localId 1041 → 1045）：中间有 3 条原始记录不在本导出文件中") ||
				strings.Index(l, "中间有 3 条") > strings.Index(l, "押金已经退了") || strings.Index(l, "中间有 3 条") < strings.Index(l, "押金的事呢") {
				t.Fatalf("WeChatMsg gap not marked in place:\n%s", l)
			}
			if !strings.Contains(l, "共 1 处标明") || !strings.Contains(l, "localId 是导出账号所有会话共用的编号") {
				t.Fatalf("WeChatMsg summary or note:\n%s", l)
			}
			// WeCom: the skipped switch record (seq 103) in place with its
			// reason; 106–108 missing (105 is another conversation's).
			l = find("违约金怎么算")
			skip := strings.Index(l, "第 3 行的记录导入时被跳过：切换企业日志")
			if skip < 0 || skip < strings.Index(l, "违约金怎么算") || skip > strings.Index(l, "按合同第八条") {
				t.Fatalf("WeCom skip not marked in place:\n%s", l)
			}
			if gap := strings.Index(l, "（seq 104 → 109）：中间有 3 条原始记录不在本导出文件中"); gap < strings.Index(l, "按合同第八条") || gap > strings.Index(l, "明白了") {
				t.Fatalf("WeCom gap not marked in place:\n%s", l)
			}
			// WeChatMsg TXT: the line before the first message was skipped.
			l = find("下周一")
			if !strings.Contains(l, "第 1 行的记录导入时被跳过：第一条消息之前的内容") {
				t.Fatalf("TXT skip not marked:\n%s", l)
			}
			screenshot(t, a, "chats-print-gaps-"+e.Name)

			// A ZIP of an export folder: the referenced image is kept.
			zipPath := filepath.Join(t.TempDir(), "王五导出.zip")
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			raw, _ := os.ReadFile(chatFixture("pywxdump.csv"))
			for name, body := range map[string][]byte{"王五/pywxdump.csv": raw,
				"王五/FileStorage/MsgAttach/abc/Image/2024-03/9e107d.dat": []byte("图片")} {
				w, _ := zw.Create(name)
				w.Write(body)
			}
			zw.Close()
			os.WriteFile(zipPath, buf.Bytes(), 0o600)
			run(t, a, "upload a ZIP",
				chromedp.Navigate(srv.URL+"/chats"),
				chromedp.WaitVisible(chromedp.ID("chat-import")),
				chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{zipPath}),
				chromedp.Click(chromedp.ID("import-submit")),
				chromedp.WaitVisible(chromedp.ID("import-result")),
			)
			if n := get(t, a, "media", chromedp.Text(chromedp.ID("import-media"))); n != "1" {
				t.Fatalf("ZIP upload stored %s media files", n)
			}
		})
	}
}
