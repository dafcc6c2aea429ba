package ics

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/calendar"
)

// ErrInvalidFeed is wrapped by errors about a feed or event that cannot be written.
var ErrInvalidFeed = errors.New("日历订阅内容无效")

// ProdID identifies lvxin as the producer of the feed.
const ProdID = "-//lvxin//律信 期限日历//ZH"

// Timezone is announced as the feed's zone (X-WR-TIMEZONE); events are
// all-day dates and carry no zone of their own.
const Timezone = "Asia/Shanghai"

// Alarms fire this many days before the due date, at the feed's alarm time
// of day.
var alarmDays = []struct {
	days  int
	label string
}{
	{7, "7 天后"},
	{1, "明天"},
}

// DefaultAlarmTime is when alarms fire on their day when the feed names no
// time: the start of a working day.
var DefaultAlarmTime = calendar.Clock{Hour: 9}

// Feed is a named list of deadlines.
type Feed struct {
	Name   string
	Events []Event
	// AlarmTime is the local time of day the alarms fire on their day (the
	// lawyer's working-hours start); zero means DefaultAlarmTime. An
	// all-day event starts at local midnight, so a bare "-P1D" would ring
	// at midnight.
	AlarmTime calendar.Clock
}

// alarmTrigger is the RFC 5545 duration from the event's start (local
// midnight of the due date) to at on the day days before it:
// 7 days before at 09:00 is -P6DT15H, 1 day before at 08:30 is -PT15H30M.
func alarmTrigger(days int, at calendar.Clock) string {
	before := days*24*60 - (at.Hour*60 + at.Minute) // minutes before the event's start
	sign := "-"
	if before < 0 {
		sign, before = "", -before
	}
	d, h, m := before/(24*60), before%(24*60)/60, before%60
	var b strings.Builder
	b.WriteString(sign + "P")
	if d > 0 {
		fmt.Fprintf(&b, "%dD", d)
	}
	if h > 0 || m > 0 || d == 0 {
		b.WriteString("T")
		if h > 0 || m == 0 {
			fmt.Fprintf(&b, "%dH", h)
		}
		if m > 0 {
			fmt.Fprintf(&b, "%dM", m)
		}
	}
	return b.String()
}

// Event is one deadline as an all-day event on Date.
type Event struct {
	UID         string        // stable per deadline, e.g. "deadline-42@lvxin"; required
	Date        calendar.Date // the due date; required
	Summary     string        // title; required
	Description string        // free text: rule, statute, matter ...
	URL         string        // optional absolute http(s) link back to lvxin
}

// Write writes feed as an iCalendar stream to w. now is the DTSTAMP of every
// event. Lines end in CRLF and are folded at 75 octets without splitting a
// UTF-8 character. An invalid event is an error naming its index.
func Write(w io.Writer, feed Feed, now time.Time) error {
	if err := validate(feed); err != nil {
		return err
	}
	lw := &lineWriter{w: bufio.NewWriter(w)}
	stamp := now.UTC().Format("20060102T150405Z")
	at := feed.AlarmTime
	if at == (calendar.Clock{}) {
		at = DefaultAlarmTime
	}
	lw.line("BEGIN:VCALENDAR")
	lw.line("VERSION:2.0")
	lw.line("PRODID:" + escapeText(ProdID))
	lw.line("CALSCALE:GREGORIAN")
	lw.line("METHOD:PUBLISH")
	lw.line("X-WR-CALNAME:" + escapeText(feed.Name))
	lw.line("X-WR-TIMEZONE:" + Timezone)
	for _, ev := range feed.Events {
		lw.line("BEGIN:VEVENT")
		lw.line("UID:" + escapeText(ev.UID))
		lw.line("DTSTAMP:" + stamp)
		lw.line("DTSTART;VALUE=DATE:" + icsDate(ev.Date))
		lw.line("DTEND;VALUE=DATE:" + icsDate(ev.Date.AddDays(1)))
		lw.line("SUMMARY:" + escapeText(ev.Summary))
		if ev.Description != "" {
			lw.line("DESCRIPTION:" + escapeText(ev.Description))
		}
		if ev.URL != "" {
			lw.line("URL:" + ev.URL)
		}
		lw.line("TRANSP:TRANSPARENT")
		for _, a := range alarmDays {
			lw.line("BEGIN:VALARM")
			lw.line("ACTION:DISPLAY")
			lw.line("TRIGGER:" + alarmTrigger(a.days, at))
			lw.line("DESCRIPTION:" + escapeText(a.label+"到期："+ev.Summary))
			lw.line("END:VALARM")
		}
		lw.line("END:VEVENT")
	}
	lw.line("END:VCALENDAR")
	if lw.err != nil {
		return lw.err
	}
	return lw.w.Flush()
}

func validate(feed Feed) error {
	if strings.TrimSpace(feed.Name) == "" || !utf8.ValidString(feed.Name) {
		return fmt.Errorf("%w：日历名称为空或含有无效的 UTF-8 文本", ErrInvalidFeed)
	}
	if at := feed.AlarmTime; at.Hour < 0 || at.Hour > 23 || at.Minute < 0 || at.Minute > 59 {
		return fmt.Errorf("%w：提醒时间 %s 无效，应在 00:00 到 23:59 之间", ErrInvalidFeed, at)
	}
	seen := make(map[string]int, len(feed.Events))
	for i, ev := range feed.Events {
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%w：第 %d 个事件（UID %q）：%s", ErrInvalidFeed, i+1, ev.UID, fmt.Sprintf(format, args...))
		}
		switch {
		case strings.TrimSpace(ev.UID) == "":
			return bad("缺少 UID")
		case !ev.Date.Valid():
			return bad("日期无效")
		case strings.TrimSpace(ev.Summary) == "":
			return bad("缺少标题")
		case !utf8.ValidString(ev.UID) || !utf8.ValidString(ev.Summary) || !utf8.ValidString(ev.Description):
			return bad("含有无效的 UTF-8 文本")
		}
		if j, dup := seen[ev.UID]; dup {
			return bad("UID 与第 %d 个事件重复", j+1)
		}
		seen[ev.UID] = i
		if ev.URL != "" {
			u, err := url.Parse(ev.URL)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
				strings.ContainsFunc(ev.URL, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) {
				return bad("链接 %q 应为不含空白的 http(s) 绝对地址", ev.URL)
			}
		}
	}
	return nil
}

func icsDate(d calendar.Date) string {
	return fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day)
}

// escapeText escapes a TEXT value (RFC 5545 section 3.3.11): backslash,
// semicolon, comma and newlines; a CR of a CRLF pair is dropped, other
// control characters (forbidden in content lines) become spaces.
func escapeText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			b.WriteString(`\n`)
		default:
			if c < 0x20 || c == 0x7f {
				b.WriteByte(' ')
			} else {
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// lineWriter writes content lines folded at 75 octets (RFC 5545 section
// 3.1): continuation lines start with one space, which counts toward the 75,
// and a fold never splits a multi-byte UTF-8 character.
type lineWriter struct {
	w   *bufio.Writer
	err error
}

const maxLineOctets = 75

func (lw *lineWriter) line(s string) {
	if lw.err != nil {
		return
	}
	limit := maxLineOctets
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		lw.write(s[:cut] + "\r\n ")
		s = s[cut:]
		limit = maxLineOctets - 1 // the leading space of the continuation line
	}
	lw.write(s + "\r\n")
}

func (lw *lineWriter) write(s string) {
	if lw.err == nil {
		_, lw.err = lw.w.WriteString(s)
	}
}
