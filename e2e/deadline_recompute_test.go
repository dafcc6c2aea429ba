package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestHolidayImportMovesSavedDeadlines saves a provisional 2027 deadline in
// the browser, imports a 2027 arrangement with the CLI while the server
// runs, and sees the owner told on the dashboard (the earlier date
// highlighted), the history on the deadline page, and the feed moved; the
// admin's November prompt to import 2027 disappears with the import. It
// runs on its own clock (2026-12-06) and holiday data (through 2026).
func TestHolidayImportMovesSavedDeadlines(t *testing.T) {
	ownClockAndCalendar(t, time.Date(2026, 12, 6, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)), 2026)
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			for _, u := range [][]string{{"admin", "王主任", "wang"}, {"lawyer", "张律师", "zhang"}} {
				if out, errOut, code := runCLI(t, adminPassword+"\n", cliArgs(srv, "user", "add", "--role", u[0], "--name", u[1], "--password-stdin", u[2])...); code != 0 {
					t.Fatalf("user add: %s %s", out, errOut)
				}
			}
			admin := browser(t)
			login(t, admin, srv.URL, "wang", adminPassword)
			prompt := get(t, admin, "import prompt", chromedp.Text(chromedp.ID("calendar-import")))
			if !strings.Contains(prompt, "2027") || !strings.Contains(prompt, "lvxin calendar import 2027.json") {
				t.Fatalf("prompt: %q", prompt)
			}

			b := browser(t)
			login(t, b, srv.URL, "zhang", adminPassword)
			run(t, b, "save provisional deadline",
				chromedp.Navigate(srv.URL+"/deadlines?rule=appeal-ruling&from=2027-02-10&title="+url.QueryEscape("裁定上诉：甲诉乙")),
				chromedp.WaitVisible(chromedp.ID("due")),
				chromedp.Click(chromedp.ID("save")),
				chromedp.WaitVisible(chromedp.ID("mark-done")),
			)
			if due := get(t, b, "due", chromedp.Text(chromedp.ID("due"))); due != "2027-02-22" {
				t.Fatalf("provisional due %q", due)
			}
			deadlinePage := get(t, b, "deadline url", chromedp.Location())
			run(t, b, "new feed", chromedp.Navigate(srv.URL+"/deadlines"), chromedp.Click(chromedp.ID("new-feed")), chromedp.WaitVisible(chromedp.ID("feed-url")))
			feedURL := get(t, b, "feed url", chromedp.Evaluate[string](`document.getElementById("feed-url").value`))

			file := filepath.Join(t.TempDir(), "2027.json")
			os.WriteFile(file, []byte(`{"year":2027,"papers":[],"days":[
				{"name":"元旦","date":"2027-01-01","isOffDay":true},
				{"name":"春节","date":"2027-02-05","isOffDay":true},{"name":"春节","date":"2027-02-06","isOffDay":true},
				{"name":"春节","date":"2027-02-07","isOffDay":true},{"name":"春节","date":"2027-02-08","isOffDay":true},
				{"name":"春节","date":"2027-02-09","isOffDay":true},{"name":"春节","date":"2027-02-10","isOffDay":true},
				{"name":"春节","date":"2027-02-11","isOffDay":true},{"name":"春节","date":"2027-02-20","isOffDay":false}]}`), 0o600)
			out, errOut, code := runCLI(t, "", cliArgs(srv, "calendar", "import", file)...)
			if code != 0 || !strings.Contains(out, "期限已按新的节假日安排调整") || !strings.Contains(out, "2027-02-22 → 2027-02-20（提前！）") {
				t.Fatalf("import: %d %s %s", code, out, errOut)
			}

			run(t, b, "dashboard", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("deadline-changes")))
			screenshot(t, b, "deadline-changes")
			notice := get(t, b, "changes", chromedp.Text(chromedp.ID("deadline-changes")))
			if !strings.Contains(notice, "期限已按新的节假日安排调整") || !strings.Contains(notice, "裁定上诉：甲诉乙") ||
				!strings.Contains(notice, "届满日提前") || !strings.Contains(notice, "2027-02-20") {
				t.Fatalf("dashboard notice: %q", notice)
			}
			highlighted := get(t, b, "highlight", chromedp.Evaluate[string](`document.querySelector("#deadline-changes li").className`))
			if !strings.Contains(highlighted, "warning") {
				t.Errorf("an earlier date must be highlighted, class %q", highlighted)
			}
			run(t, b, "deadline page", chromedp.Navigate(deadlinePage), chromedp.WaitVisible(chromedp.ID("history")))
			if due := get(t, b, "due after", chromedp.Text(chromedp.ID("due"))); due != "2027-02-20" {
				t.Fatalf("due after import %q", due)
			}
			if h := get(t, b, "history", chromedp.Text(chromedp.ID("history"))); !strings.Contains(h, "2027-02-22（暂定） → 2027-02-20") {
				t.Fatalf("history %q", h)
			}
			resp, err := http.Get(feedURL)
			if err != nil {
				t.Fatal(err)
			}
			feed, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(feed), "20270220") || strings.Contains(string(feed), "20270222") {
				t.Fatalf("feed after import:\n%s", feed)
			}

			run(t, admin, "dashboard after import", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`//h1[text()="工作台"]`))
			n := get(t, admin, "prompt gone", chromedp.Evaluate[int](`document.querySelectorAll("#calendar-import").length`))
			if n != 0 {
				t.Fatal("import prompt still shown after 2027 was imported")
			}
		})
	}
}

func TestDeadlineChainCLI(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	out, errOut, code := runCLI(t, "", "--data", data, "deadline", "chain", "--trigger", "complaint-served", "--from", "2026-02-01", "--json")
	if code != 0 {
		t.Fatalf("chain: %d %s", code, errOut)
	}
	var res struct {
		Trigger, Procedure, From string
		Items                    []struct {
			Rule, Title, Why string
			Result           struct{ Due, Statute string }
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if res.Trigger != "complaint-served" || res.Procedure != "civil" || len(res.Items) != 3 {
		t.Fatalf("chain: %+v", res)
	}
	for _, it := range res.Items {
		if it.Result.Due != "2026-02-24" || it.Why == "" || it.Result.Statute == "" {
			t.Errorf("item: %+v", it)
		}
	}
	out, _, code = runCLI(t, "", "--data", data, "deadline", "chain", "--trigger", "judgment-served", "--procedure", "admin", "--from", "2025-09-13")
	if code != 0 || !strings.Contains(out, "行政诉讼法第八十五条") || !strings.Contains(out, "2025-09-28") {
		t.Fatalf("admin chain: %s", out)
	}
	out, _, code = runCLI(t, "", "--data", data, "deadline", "chain", "--trigger", "judgment-served", "--from", "2026-09-01", "--foreign", "--json")
	if code != 0 || !strings.Contains(out, `"due": "2026-10-08"`) || !strings.Contains(out, "第二百八十六条") {
		t.Fatalf("foreign chain: %s", out)
	}
	for _, args := range [][]string{
		{"deadline", "chain", "--trigger", "nope", "--from", "2026-03-02"},
		{"deadline", "chain", "--trigger", "complaint-served", "--procedure", "criminal", "--from", "2026-03-02"},
		{"deadline", "chain", "--trigger", "judgment-served", "--from", "2026-02-30"},
		{"deadline", "chain", "--from", "2026-03-02"},
	} {
		_, errOut, code := runCLI(t, "", append([]string{"--data", data}, args...)...)
		if code != 2 || !strings.HasPrefix(errOut, "错误：") {
			t.Errorf("%v: exit %d %q", args, code, errOut)
		}
	}
}
