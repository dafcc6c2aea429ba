package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	ical "github.com/arran4/golang-ical"

	"github.com/lvxin/lvxin/internal/clientbook"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/schedule"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

var feedRE = regexp.MustCompile(`id="feed-url" readonly value="([^"]+)"`)

// deadlinesNow is the fixed clock of the deadline tests: a Monday in 2026,
// whose holiday arrangement every binary embeds.
var deadlinesNow = time.Date(2026, 3, 16, 10, 0, 0, 0, shanghai)

// newServerAt is newServer with the server's and its services' clock set
// to now.
func newServerAt(t *testing.T, db *store.DB, now func() time.Time) *httptest.Server {
	t.Helper()
	cfg := testConfig(t, db)
	cfg.Now = now
	cfg.Schedule = schedule.New(db, now)
	cfg.ClientBook = clientbook.New(db, cfg.Schedule, now)
	ts := serveWeb(t, cfg)
	createUser(t, cfg.Auth, "zhang", model.RoleLawyer)
	return ts
}

func TestDeadlineComputeSaveAndFeed(t *testing.T) {
	now := func() time.Time { return deadlinesNow }
	storetest.Each(t, now, func(t *testing.T, db *store.DB) {
		ts := newServerAt(t, db, now)
		c := newClient(t, ts.URL)
		c.login("zhang")

		// Compute: the 2026 National Day block moves nothing, the result explains itself.
		code, body, _ := c.get("/deadlines?rule=appeal-judgment&from=2026-09-25&title=" + url.QueryEscape("张某诉李某上诉期"))
		if code != http.StatusOK || !strings.Contains(body, `<span id="due">2026-10-10</span>`) || !strings.Contains(body, "调休上班") {
			t.Fatalf("compute: %d\n%s", code, body)
		}
		// Bad input is a 400 with the engine's Chinese message, not a crash.
		if code, body, _ := c.get("/deadlines?rule=appeal-judgment&from=2026-02-30"); code != http.StatusBadRequest || !strings.Contains(body, "起算日期无效") {
			t.Fatalf("bad date: %d", code)
		}
		if code, body, _ := c.get("/deadlines?rule=no-such-rule&from=2026-03-01"); code != http.StatusBadRequest || !strings.Contains(body, "appeal-judgment") {
			t.Fatalf("unknown rule: %d", code)
		}

		// On the fixed clock (Monday 2026-03-16): one due in 5 days, one in
		// two years, one overdue.
		tok := c.csrf("/deadlines")
		for _, f := range []url.Values{
			{"rule": {"appeal-judgment"}, "from": {"2026-03-06"}, "title": {"上诉期：王某案"}, "matter": {"(2026)京0105民初1号"}}, // due 03-21 (Sat) → 03-23
			{"rule": {"enforcement-application"}, "from": {"2026-03-02"}, "title": {"申请执行：赵某案"}},
			{"rule": {"appeal-ruling"}, "from": {"2026-03-02"}, "title": {"裁定上诉：孙某案"}}, // due 03-12
		} {
			f.Set("csrf_token", tok)
			if code, body, h := c.post("/deadlines", f); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/deadlines/") {
				t.Fatalf("save: %d %s", code, body)
			}
		}
		// The dashboard shows the next 30 days by band; the one two years
		// away is on the deadlines page only.
		_, body, _ = c.get("/")
		_, rest, _ := strings.Cut(body, `id="due-overdue"`)
		overdue, rest, _ := strings.Cut(rest, `id="due-today"`)
		_, rest, _ = strings.Cut(rest, `id="due-next7"`)
		next7, _, _ := strings.Cut(rest, `id="due-next30"`)
		if !strings.Contains(overdue, "已逾期") || !strings.Contains(overdue, "裁定上诉：孙某案") || !strings.Contains(overdue, "逾期 4 天") ||
			!strings.Contains(next7, "上诉期：王某案") || strings.Contains(body, "申请执行：赵某案") {
			t.Fatalf("dashboard does not group the saved deadlines by the clock's today:\n%s", body)
		}
		if _, body, _ = c.get("/deadlines"); !strings.Contains(body, "申请执行：赵某案") {
			t.Fatal("the deadline two years away is missing from the deadlines page")
		}

		// Issue the personal feed and read it as a calendar app would.
		c.post("/deadlines/feed", url.Values{"csrf_token": {tok}})
		_, body, _ = c.get("/deadlines") // the address is shown on the page at any time
		m := feedRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no feed URL shown:\n%s", body)
		}
		feedURL := m[1]
		resp, err := http.Get(feedURL)
		if err != nil {
			t.Fatal(err)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
			t.Fatalf("content type %q", ct)
		}
		cal, err := ical.ParseCalendar(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("feed does not parse: %v", err)
		}
		events := cal.Events()
		if len(events) != 3 {
			t.Fatalf("%d events, want 3", len(events))
		}
		for _, ev := range events {
			if len(ev.Alarms()) != 2 {
				t.Fatalf("event %s has %d alarms, want 2", ev.Id(), len(ev.Alarms()))
			}
			if !strings.HasPrefix(ev.GetProperty(ical.ComponentPropertySummary).Value, "【期限】") {
				t.Fatalf("summary: %v", ev.GetProperty(ical.ComponentPropertySummary).Value)
			}
		}

		// Revoking the feed kills the URL.
		if code, _, _ := c.get("/deadlines/1"); code != http.StatusOK {
			t.Fatalf("own deadline: %d", code)
		}
		if code, _, _ := c.post("/deadlines/feed/revoke", url.Values{"csrf_token": {tok}}); code != http.StatusSeeOther {
			t.Fatalf("revoke feed: %d", code)
		}
		resp, err = http.Get(feedURL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("revoked feed: %d", resp.StatusCode)
		}
		if code, _, _ := c.get("/calendar/not-a-token.ics"); code != http.StatusNotFound {
			t.Fatalf("unknown token: %d", code)
		}
	})
}

func TestDeadlineOfAnotherLawyerIsHidden(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, svc := newServer(t, db)
		createUser(t, svc, "li", "assistant")
		c := newClient(t, ts.URL)
		c.login("zhang")
		tok := c.csrf("/deadlines")
		if code, _, _ := c.post("/deadlines", url.Values{"csrf_token": {tok}, "rule": {"defense"}, "from": {"2026-05-06"}}); code != http.StatusSeeOther {
			t.Fatalf("save: %d", code)
		}
		li := newClient(t, ts.URL)
		li.login("li")
		if code, _, _ := li.get("/deadlines/1"); code != http.StatusNotFound {
			t.Fatalf("another user's deadline: %d, want 403", code)
		}
		ltok := li.csrf("/deadlines")
		if code, _, _ := li.post("/deadlines/1/done", url.Values{"csrf_token": {ltok}}); code != http.StatusNotFound {
			t.Fatalf("marking another user's deadline: %d, want 403", code)
		}
	})
}

func TestWorkingHoursForm(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, db *store.DB) {
		ts, _ := newServer(t, db)
		c := newClient(t, ts.URL)
		c.login("zhang")
		_, body, _ := c.get("/deadlines")
		if !strings.Contains(body, `value="09:00"`) || !strings.Contains(body, `value="18:00"`) {
			t.Fatal("default working hours not shown")
		}
		tok := c.csrf("/deadlines")
		if code, body, _ := c.post("/deadlines/hours", url.Values{"csrf_token": {tok}, "start": {"19:00"}, "end": {"08:00"}}); code != http.StatusBadRequest || !strings.Contains(body, "工作时间") {
			t.Fatalf("end before start: %d", code)
		}
		if code, _, _ := c.post("/deadlines/hours", url.Values{"csrf_token": {tok}, "start": {"08:30"}, "end": {"17:30"}}); code != http.StatusSeeOther {
			t.Fatalf("save hours: %d", code)
		}
		if _, body, _ := c.get("/deadlines"); !strings.Contains(body, `value="08:30"`) {
			t.Fatal("saved hours not shown")
		}
	})
}
