package ics

import (
	"bufio"
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ical "github.com/arran4/golang-ical"

	"github.com/lvxin/lvxin/internal/calendar"
)

var stamp = time.Date(2026, 1, 5, 8, 30, 0, 0, time.FixedZone("CST", 8*3600))

func sampleFeed() Feed {
	return Feed{
		Name: "张律师的期限",
		Events: []Event{
			{
				UID:         "deadline-1@lvxin",
				Date:        calendar.MustDate(2026, 2, 24),
				Summary:     "答辩期届满：（2026）京0105民初123号, 甲公司诉乙公司",
				Description: "规则：民事答辩期（defense）\n法律依据：民事诉讼法第一百二十八条第一款; 路径 C:\\案件\\123\n" + strings.Repeat("长文本折行测试，", 20),
				URL:         "https://lvxin.example/matters/123?tab=deadlines",
			},
			{UID: "deadline-2@lvxin", Date: calendar.MustDate(2026, 12, 31), Summary: "年末期限"},
		},
	}
}

func render(t *testing.T, f Feed) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, f, stamp); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// unfold reverses RFC 5545 line folding and splits into logical lines.
func unfold(s string) []string {
	s = strings.ReplaceAll(s, "\r\n ", "")
	s = strings.TrimSuffix(s, "\r\n")
	return strings.Split(s, "\r\n")
}

func checkPhysicalLines(t *testing.T, out string) {
	t.Helper()
	if !strings.HasSuffix(out, "\r\n") {
		t.Fatal("output must end with CRLF")
	}
	if strings.Count(out, "\n") != strings.Count(out, "\r\n") {
		t.Fatal("bare LF in output")
	}
	for i, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d splits a UTF-8 character: %q", i+1, line)
		}
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d contains a raw line break", i+1)
		}
	}
}

func TestWriteStructure(t *testing.T) {
	out := render(t, sampleFeed())
	checkPhysicalLines(t, out)
	lines := unfold(out)
	want := []string{
		"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//lvxin//律信 期限日历//ZH", "CALSCALE:GREGORIAN",
		"X-WR-CALNAME:张律师的期限", "X-WR-TIMEZONE:Asia/Shanghai",
		"UID:deadline-1@lvxin", "DTSTAMP:20260105T003000Z",
		"DTSTART;VALUE=DATE:20260224", "DTEND;VALUE=DATE:20260225",
		`SUMMARY:答辩期届满：（2026）京0105民初123号\, 甲公司诉乙公司`,
		"URL:https://lvxin.example/matters/123?tab=deadlines",
		"TRIGGER:-P6DT15H", "TRIGGER:-PT15H", "ACTION:DISPLAY",
		"DTSTART;VALUE=DATE:20261231", "DTEND;VALUE=DATE:20270101",
		"END:VCALENDAR",
	}
	for _, w := range want {
		found := false
		for _, l := range lines {
			if l == w {
				found = true
			}
		}
		if !found {
			t.Errorf("missing line %q", w)
		}
	}
	desc := ""
	for _, l := range lines {
		if strings.HasPrefix(l, "DESCRIPTION:规则") {
			desc = l
		}
	}
	if !strings.Contains(desc, `（defense）\n法律依据`) || !strings.Contains(desc, `第一款\; 路径 C:\\案件\\123\n`) {
		t.Errorf("DESCRIPTION badly escaped: %q", desc)
	}
	if n := strings.Count(out, "BEGIN:VALARM"); n != 4 {
		t.Errorf("want 2 alarms per event, got %d", n)
	}
	if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Error("calendar not properly enclosed")
	}
}

// The output is read back by an independent iCalendar parser.
func TestWriteParsesWithGolangICal(t *testing.T) {
	feed := sampleFeed()
	parsed, err := ical.ParseCalendar(strings.NewReader(render(t, feed)))
	if err != nil {
		t.Fatal(err)
	}
	name := ""
	for _, p := range parsed.CalendarProperties {
		if p.IANAToken == string(ical.PropertyXWRCalName) {
			name = p.Value
		}
	}
	if name != feed.Name {
		t.Errorf("X-WR-CALNAME = %q", name)
	}
	events := parsed.Events()
	if len(events) != len(feed.Events) {
		t.Fatalf("parsed %d events, want %d", len(events), len(feed.Events))
	}
	for i, ev := range events {
		want := feed.Events[i]
		if ev.Id() != want.UID {
			t.Errorf("event %d UID = %q", i, ev.Id())
		}
		start, err := ev.GetAllDayStartAt()
		if err != nil || calendar.DateOf(start) != want.Date {
			t.Errorf("event %d start = %v, %v; want %v", i, start, err, want.Date)
		}
		end, err := ev.GetAllDayEndAt()
		if err != nil || calendar.DateOf(end) != want.Date.AddDays(1) {
			t.Errorf("event %d end = %v, %v", i, end, err)
		}
		if got := ev.GetProperty(ical.ComponentPropertySummary).Value; got != want.Summary {
			t.Errorf("event %d summary = %q, want %q", i, got, want.Summary)
		}
		if want.Description != "" {
			if got := ev.GetProperty(ical.ComponentPropertyDescription).Value; got != want.Description {
				t.Errorf("event %d description = %q, want %q", i, got, want.Description)
			}
		}
		if want.URL != "" {
			if got := ev.GetProperty(ical.ComponentPropertyUrl).Value; got != want.URL {
				t.Errorf("event %d URL = %q", i, got)
			}
		}
		alarms := ev.Alarms()
		if len(alarms) != 2 {
			t.Fatalf("event %d has %d alarms", i, len(alarms))
		}
		for j, trigger := range []string{"-P6DT15H", "-PT15H"} {
			a := alarms[j]
			if a.GetProperty(ical.ComponentPropertyTrigger).Value != trigger ||
				a.GetProperty(ical.ComponentPropertyAction).Value != "DISPLAY" ||
				!strings.Contains(a.GetProperty(ical.ComponentPropertyDescription).Value, want.Summary) {
				t.Errorf("event %d alarm %d = %+v", i, j, a.Properties)
			}
		}
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	first, second := render(t, sampleFeed()), render(t, sampleFeed())
	if first != second {
		t.Fatal("same feed and time must give the same bytes")
	}
}

func TestWriteRejectsBadEvents(t *testing.T) {
	good := Event{UID: "a", Date: calendar.MustDate(2026, 1, 5), Summary: "x"}
	tests := []struct {
		name string
		feed Feed
		want string
	}{
		{"no name", Feed{Events: []Event{good}}, "名称为空"},
		{"invalid UTF-8 name", Feed{Name: "\xa0", Events: []Event{good}}, "UTF-8"},
		{"no UID", Feed{Name: "n", Events: []Event{{Date: good.Date, Summary: "x"}}}, "缺少 UID"},
		{"bad date", Feed{Name: "n", Events: []Event{{UID: "a", Summary: "x"}}}, "日期无效"},
		{"no summary", Feed{Name: "n", Events: []Event{{UID: "a", Date: good.Date}}}, "缺少标题"},
		{"duplicate UID", Feed{Name: "n", Events: []Event{good, good}}, "重复"},
		{"relative URL", Feed{Name: "n", Events: []Event{{UID: "a", Date: good.Date, Summary: "x", URL: "/matters/1"}}}, "链接"},
		{"URL with newline", Feed{Name: "n", Events: []Event{{UID: "a", Date: good.Date, Summary: "x", URL: "https://a.b/\r\nX-EVIL:1"}}}, "链接"},
		{"invalid UTF-8", Feed{Name: "n", Events: []Event{{UID: "a", Date: good.Date, Summary: "x\xff"}}}, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Write(&bytes.Buffer{}, tt.feed, stamp)
			if !errors.Is(err, ErrInvalidFeed) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want ErrInvalidFeed mentioning %q", err, tt.want)
			}
		})
	}
}

func TestEscapeAndFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{`a\b;c,d`, `a\\b\;c\,d`},
		{"line1\nline2", `line1\nline2`},
		{"crlf\r\nend", `crlf\nend`},
		{"lone\rcr", `lone\ncr`},
		{"tab\there\x00", "tab here "},
	}
	for _, tt := range tests {
		if got := escapeText(tt.in); got != tt.want {
			t.Errorf("escapeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// 40 three-byte characters: 120 octets. First line 75 octets hold 25
	// characters exactly; the next lines hold 24 (74 octets + the space).
	var buf bytes.Buffer
	lw := &lineWriter{w: bufio.NewWriter(&buf)}
	lw.line(strings.Repeat("期", 40))
	_ = lw.w.Flush()
	parts := strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n ")
	if len(parts) != 2 || parts[0] != strings.Repeat("期", 25) || parts[1] != strings.Repeat("期", 15) {
		t.Errorf("fold = %q", parts)
	}
	// ASCII folds at exactly 75 octets, continuation lines carry 74.
	buf.Reset()
	lw = &lineWriter{w: bufio.NewWriter(&buf)}
	lw.line(strings.Repeat("a", 75+74+1))
	_ = lw.w.Flush()
	if got := strings.Split(buf.String(), "\r\n"); len(got) != 4 || len(got[0]) != 75 || len(got[1]) != 75 || got[2] != " a" {
		t.Errorf("ASCII fold = %q", got)
	}
}

func FuzzWrite(f *testing.F) {
	f.Add("期限", "标题, 含；分号;", "描述\\n 第二行\n第三行\r\n", "deadline-1@lvxin")
	f.Add("", "x", "", "u")
	f.Add("名", strings.Repeat("长", 80), strings.Repeat("a期", 60), strings.Repeat("u", 100))
	f.Fuzz(func(t *testing.T, name, summary, description, uid string) {
		feed := Feed{Name: name, Events: []Event{{UID: uid, Date: calendar.MustDate(2026, 2, 24), Summary: summary, Description: description}}}
		var buf bytes.Buffer
		if err := Write(&buf, feed, stamp); err != nil {
			if !errors.Is(err, ErrInvalidFeed) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		out := buf.String()
		checkPhysicalLines(t, out)
		lines := unfold(out)
		if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
			t.Fatal("broken envelope")
		}
		for _, l := range lines {
			if !strings.Contains(l, ":") {
				t.Fatalf("logical line without a colon: %q", l)
			}
		}
		count := map[string]int{}
		for _, l := range lines {
			count[l]++
		}
		if count["BEGIN:VEVENT"] != 1 || count["BEGIN:VALARM"] != 2 || count["END:VCALENDAR"] != 1 {
			t.Fatalf("user text created extra components: %v", count)
		}
	})
}

// Alarms ring at the alarm time of day on their day, not at the midnight
// an all-day event starts at: the trigger, added to local midnight of the
// due date, lands on 09:00 (or the lawyer's start) 7 days and 1 day before.
func TestAlarmsRingAtTheTimeOfDay(t *testing.T) {
	due := calendar.MustDate(2026, 3, 10)
	for _, tc := range []struct {
		at   calendar.Clock
		want []string
	}{
		{calendar.Clock{}, []string{"-P6DT15H", "-PT15H"}},
		{calendar.Clock{Hour: 9}, []string{"-P6DT15H", "-PT15H"}},
		{calendar.Clock{Hour: 8, Minute: 30}, []string{"-P6DT15H30M", "-PT15H30M"}},
		{calendar.Clock{Hour: 0, Minute: 45}, []string{"-P6DT23H15M", "-PT23H15M"}},
	} {
		feed := Feed{Name: "n", AlarmTime: tc.at, Events: []Event{{UID: "a", Date: due, Summary: "上诉期"}}}
		parsed, err := ical.ParseCalendar(strings.NewReader(render(t, feed)))
		if err != nil {
			t.Fatal(err)
		}
		alarms := parsed.Events()[0].Alarms()
		if len(alarms) != 2 {
			t.Fatalf("%v: %d alarms", tc.at, len(alarms))
		}
		wantAt := tc.at
		if wantAt == (calendar.Clock{}) {
			wantAt = DefaultAlarmTime
		}
		midnight := time.Date(2026, 3, 10, 0, 0, 0, 0, calendar.Shanghai)
		for i, a := range alarms {
			trigger := a.GetProperty(ical.ComponentPropertyTrigger).Value
			if trigger != tc.want[i] {
				t.Errorf("%v alarm %d: trigger %q, want %q", tc.at, i, trigger, tc.want[i])
			}
			d, err := parseDuration(trigger)
			if err != nil {
				t.Fatal(err)
			}
			ring := midnight.Add(d)
			wantDay := []int{3, 9}[i] // 7 days and 1 day before 10 March
			if ring.Day() != wantDay || ring.Hour() != wantAt.Hour || ring.Minute() != wantAt.Minute {
				t.Errorf("%v alarm %d rings at %v", tc.at, i, ring)
			}
		}
	}
	if err := Write(&bytes.Buffer{}, Feed{Name: "n", AlarmTime: calendar.Clock{Hour: 24}}, stamp); err == nil || !strings.Contains(err.Error(), "提醒时间") {
		t.Errorf("alarm at 24:00 accepted: %v", err)
	}
}

// parseDuration reads the RFC 5545 durations the writer produces
// ([-]P[nD][T[nH][nM]]), independently of alarmTrigger.
func parseDuration(s string) (time.Duration, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "P")
	var d time.Duration
	num := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			num = num*10 + int(r-'0')
		case r == 'D':
			d += time.Duration(num) * 24 * time.Hour
			num = 0
		case r == 'H':
			d += time.Duration(num) * time.Hour
			num = 0
		case r == 'M':
			d += time.Duration(num) * time.Minute
			num = 0
		case r == 'T':
		default:
			return 0, errors.New("bad duration " + s)
		}
	}
	if neg {
		d = -d
	}
	return d, nil
}

// FuzzAlarmTime: for any valid time of day the alarms ring on their day at
// that time (the trigger, read independently, lands there); an invalid
// time is refused with ErrInvalidFeed.
func FuzzAlarmTime(f *testing.F) {
	f.Add(9, 0)
	f.Add(0, 0)
	f.Add(23, 59)
	f.Add(24, 0)
	f.Add(-1, 30)
	f.Fuzz(func(t *testing.T, hour, minute int) {
		at := calendar.Clock{Hour: hour, Minute: minute}
		feed := Feed{Name: "n", AlarmTime: at, Events: []Event{{UID: "a", Date: calendar.MustDate(2026, 3, 10), Summary: "s"}}}
		var buf bytes.Buffer
		err := Write(&buf, feed, stamp)
		if hour < 0 || hour > 23 || minute < 0 || minute > 59 {
			if !errors.Is(err, ErrInvalidFeed) {
				t.Fatalf("%02d:%02d accepted: %v", hour, minute, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if at == (calendar.Clock{}) {
			at = DefaultAlarmTime
		}
		midnight := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
		n := 0
		for _, l := range unfold(buf.String()) {
			trigger, ok := strings.CutPrefix(l, "TRIGGER:")
			if !ok {
				continue
			}
			d, err := parseDuration(trigger)
			if err != nil {
				t.Fatal(err)
			}
			ring := midnight.Add(d)
			if ring.Day() != []int{3, 9}[n] || ring.Hour() != at.Hour || ring.Minute() != at.Minute {
				t.Fatalf("%v: alarm %d (%s) rings at %v", at, n, trigger, ring)
			}
			n++
		}
		if n != 2 {
			t.Fatalf("%d alarms", n)
		}
	})
}
