package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestDeadlineCLI(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data") // no data folder yet: embedded calendar
	out, errOut, code := runCLI(t, "", "--data", data, "deadline", "compute", "--rule", "appeal-judgment", "--from", "2025-09-26", "--json")
	if code != 0 {
		t.Fatalf("compute: %d %s", code, errOut)
	}
	var res struct {
		Rule, From, Due, Statute string
		Steps, Warnings          []string
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	// 2025-10-11 is an adjusted working Saturday after the 1-8 Oct holiday.
	if res.Rule != "appeal-judgment" || res.From != "2025-09-26" || res.Due != "2025-10-11" || !strings.Contains(res.Statute, "第一百七十一条") || len(res.Steps) == 0 || len(res.Warnings) == 0 {
		t.Fatalf("result: %+v", res)
	}
	if !strings.Contains(out, `"warnings": [`) {
		t.Fatal("warnings must be a list")
	}
	out, _, _ = runCLI(t, "", "--data", data, "deadline", "compute", "--rule", "appeal-judgment", "--from", "2026-03-02", "--json")
	if !strings.Contains(out, `"warnings": []`) {
		t.Fatalf("no warnings must be an empty list, not null:\n%s", out)
	}
	out, _, code = runCLI(t, "", "--data", data, "deadline", "compute", "--rule", "defense", "--from", "2026-01-30", "--foreign")
	if code != 0 || !strings.Contains(out, "第二百八十五条") {
		t.Fatalf("foreign defense: %s", out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"deadline", "compute", "--rule", "no-such", "--from", "2026-03-01"}, "appeal-judgment"},
		{[]string{"deadline", "compute", "--rule", "appeal-judgment", "--from", "2026-02-30"}, "2026-02-30"},
		{[]string{"deadline", "compute", "--rule", "appeal-judgment", "--from", ""}, "起算日期"},
		{[]string{"deadline", "compute", "--from", "2026-03-01"}, "--rule"},
		{[]string{"calendar", "day", "2026-13-01"}, "2026-13-01"},
		{[]string{"calendar", "add-workdays", "2026-03-01", "x"}, "工作日数"},
	} {
		_, errOut, code := runCLI(t, "", append([]string{"--data", data}, c.args...)...)
		if code != 2 || !strings.HasPrefix(errOut, "错误：") || !strings.Contains(errOut, c.want) || strings.Contains(errOut, "panic") {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, errOut)
		}
	}
	out, _, _ = runCLI(t, "", "deadline", "rules", "--json")
	var rules []map[string]any
	if err := json.Unmarshal([]byte(out), &rules); err != nil || len(rules) < 19 {
		t.Fatalf("rules: %d %v", len(rules), err)
	}
	for date, kind := range map[string]string{"2026-10-10": "adjusted-workday", "2026-02-17": "holiday", "2026-03-07": "weekend", "2026-03-09": "workday"} {
		out, _, _ := runCLI(t, "", "--data", data, "calendar", "day", date, "--json")
		var day struct {
			Date, Kind, Name string
			Workday          bool
		}
		json.Unmarshal([]byte(out), &day)
		if day.Date != date || day.Kind != kind {
			t.Errorf("%s: %+v, want %s", date, day, kind)
		}
	}
	for from, want := range map[string]string{"2025-09-30": "2025-10-09", "2026-09-30": "2026-10-08", "2026-02-13": "2026-02-14"} {
		out, _, _ = runCLI(t, "", "--data", data, "calendar", "add-workdays", from, "1", "--json")
		if !strings.Contains(out, `"date": "`+want+`"`) {
			t.Errorf("add-workdays %s 1: %s, want %s", from, out, want)
		}
	}
}

func TestHolidayImport(t *testing.T) {
	ownClockAndCalendar(t, time.Date(2026, 12, 6, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)), 2026) // 2027 provisional
	data := filepath.Join(t.TempDir(), "data")
	// 2027 has no notice yet: provisional, but 元旦 and 正月初三 are fixed
	// by 全国年节及纪念日放假办法 art 2.
	for _, date := range []string{"2027-01-01", "2027-02-08"} {
		out, _, _ := runCLI(t, "", "--data", data, "calendar", "day", date, "--json")
		if !strings.Contains(out, `"provisional": true`) || !strings.Contains(out, `"kind": "holiday"`) {
			t.Fatalf("%s before import: %s", date, out)
		}
	}
	out, _, _ := runCLI(t, "", "--data", data, "calendar", "day", "2027-02-08")
	if !strings.Contains(out, "法定节假日（春节）") || !strings.Contains(out, "暂定") {
		t.Fatalf("2027-02-08 text: %s", out)
	}
	out, _, _ = runCLI(t, "", "--data", data, "calendar", "day", "2027-01-04", "--json")
	if !strings.Contains(out, `"provisional": true`) || !strings.Contains(out, `"kind": "workday"`) {
		t.Fatalf("2027-01-04 before import: %s", out)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "2027-bad.json")
	os.WriteFile(bad, []byte(`{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-02-30","isOffDay":true}]}`), 0o600)
	_, errOut, code := runCLI(t, "", "--data", data, "calendar", "import", bad)
	if code == 0 || !strings.Contains(errOut, "2027-02-30") || !strings.Contains(errOut, "days[0]") {
		t.Fatalf("malformed import: %d %s", code, errOut)
	}
	out, _, _ = runCLI(t, "", "--data", data, "calendar", "day", "2027-01-01", "--json")
	if !strings.Contains(out, `"provisional": true`) {
		t.Fatalf("a rejected import changed the calendar: %s", out)
	}
	good := filepath.Join(dir, "2027.json")
	os.WriteFile(good, []byte(`{"year":2027,"papers":["https://www.gov.cn/example"],"days":[
		{"name":"元旦","date":"2027-01-01","isOffDay":true},
		{"name":"元旦","date":"2027-01-02","isOffDay":true},
		{"name":"元旦","date":"2027-01-03","isOffDay":true}]}`), 0o600)
	out, errOut, code = runCLI(t, "", "--data", data, "calendar", "import", good)
	if code != 0 || !strings.Contains(out, "2027") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	out, _, _ = runCLI(t, "", "--data", data, "calendar", "day", "2027-01-01", "--json")
	if !strings.Contains(out, `"kind": "holiday"`) || !strings.Contains(out, `"provisional": false`) {
		t.Fatalf("after import: %s", out)
	}
}

// TestDeadlineFeedInCalendarClients saves a deadline in the browser,
// subscribes to the feed, and opens the .ics with two independent readers:
// Python's icalendar library and the khal calendar client.
func TestDeadlineFeedInCalendarClients(t *testing.T) {
	e := engines(t)[0]
	srv := startServer(t, e)
	if out, errOut, code := runCLI(t, adminPassword+"\n", cliArgs(srv, "user", "add", "--role", "lawyer", "--name", "张律师", "--password-stdin", "zhang")...); code != 0 {
		t.Fatalf("user add: %s %s", out, errOut)
	}
	b := browser(t)
	login(t, b, srv.URL, "zhang", adminPassword)
	run(t, b, "compute and save",
		chromedp.Navigate(srv.URL+"/deadlines?rule=appeal-judgment&from=2026-12-01&title="+url.QueryEscape("上诉期：王某诉李某")),
		chromedp.WaitVisible(chromedp.ID("due")),
		chromedp.Click(chromedp.ID("save")),
		chromedp.WaitVisible(chromedp.ID("mark-done")),
	)
	screenshot(t, b, "deadline")
	due := get(t, b, "read due", chromedp.Text(chromedp.ID("due")))
	if due != "2026-12-16" {
		t.Fatalf("due %q", due)
	}
	run(t, b, "new feed", chromedp.Navigate(srv.URL+"/deadlines"), chromedp.Click(chromedp.ID("new-feed")), chromedp.WaitVisible(chromedp.ID("feed-url")))
	screenshot(t, b, "deadlines")
	feedURL := get(t, b, "feed url", chromedp.Evaluate[string](`document.getElementById("feed-url").value`))
	resp, err := http.Get(feedURL)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	file := filepath.Join(t.TempDir(), "lvxin.ics")
	os.WriteFile(file, data, 0o600)

	need := func(tool string) bool {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s missing under CI=true (apt-get install python3-icalendar khal)", tool)
			}
			t.Logf("%s not installed; skipping that reader", tool)
			return false
		}
		return true
	}
	// Debian's python3 (where python3-icalendar installs), not another on PATH.
	python := "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		python = "python3"
	}
	if need(python) {
		script := `
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
for ev in cal.walk("VEVENT"):
    alarms = [str(a.get("TRIGGER").to_ical(), "ascii") for a in ev.walk("VALARM")]
    print(ev.get("DTSTART").dt.isoformat(), str(ev.get("SUMMARY")), ",".join(sorted(alarms)))
`
		out, err := exec.Command(python, "-c", script, file).CombinedOutput()
		if err != nil {
			if strings.Contains(string(out), "No module named 'icalendar'") && os.Getenv("CI") != "true" {
				t.Log("python3-icalendar not installed; skipping")
			} else {
				t.Fatalf("python icalendar: %v\n%s", err, out)
			}
		} else if got := strings.TrimSpace(string(out)); got != "2026-12-16 【期限】上诉期：王某诉李某 -P6DT15H,-PT15H" {
			t.Fatalf("python icalendar read: %q", got)
		}
	}
	if need("khal") {
		conf := filepath.Join(t.TempDir(), "khal.conf")
		os.WriteFile(conf, []byte("[calendars]\n[[lvxin]]\npath = "+t.TempDir()+"\n[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"), 0o600)
		cmd := exec.Command("khal", "-c", conf, "printics", file)
		cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "TZ=Asia/Shanghai")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "上诉期：王某诉李某") || !strings.Contains(string(out), "2026-12-16") {
			t.Fatalf("khal printics: %v\n%s", err, out)
		}
	}
}
