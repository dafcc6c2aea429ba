package inbox

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
)

// The pure rules of the message centre: working minutes, do-not-disturb
// windows, urgent keywords and the reply templates.

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w：%s", model.ErrInvalidInput, fmt.Sprintf(format, args...))
}

// clockMinutes is a Clock as minutes after midnight.
func clockMinutes(c calendar.Clock) int { return c.Hour*60 + c.Minute }

// WorkingMinutes counts the whole minutes of [from, to) that fall inside
// the policy's working hours on the calendar's working days (statutory
// holidays are off, adjusted working days 调休 are on). It is 0 when to is
// not after from.
func WorkingMinutes(pol calendar.Policy, cal *calendar.Calendar, from, to time.Time) int {
	if !to.After(from) {
		return 0
	}
	loc := pol.Location
	if loc == nil {
		loc = calendar.Shanghai
	}
	var total time.Duration
	last := calendar.DateOf(to.In(loc))
	for d := calendar.DateOf(from.In(loc)); !d.After(last); d = d.AddDays(1) {
		if !cal.IsWorkday(d) {
			continue
		}
		start := d.In(loc).Add(time.Duration(clockMinutes(pol.Start)) * time.Minute)
		end := d.In(loc).Add(time.Duration(clockMinutes(pol.End)) * time.Minute)
		if from.After(start) {
			start = from
		}
		if to.Before(end) {
			end = to
		}
		if end.After(start) {
			total += end.Sub(start)
		}
	}
	return int(total / time.Minute)
}

// HoursText describes a policy for clients, e.g. "工作日 09:00-18:00".
func HoursText(pol calendar.Policy) string {
	return fmt.Sprintf("工作日 %s-%s", pol.Start, pol.End)
}

// StartText formats the start of a working period for a client, e.g.
// "2026年10月9日（周五）09:00".
func StartText(t time.Time) string {
	local := t.In(calendar.Shanghai)
	d := calendar.DateOf(local)
	return fmt.Sprintf("%d年%d月%d日（%s）%s", d.Year, int(d.Month), d.Day, d.WeekdayName(), local.Format("15:04"))
}

// dndSeparators split a window's start from its end.
var dndSeparators = []string{"-", "–", "—", "~", "～", "至", "到"}

// maxDNDWindows bounds a user's do-not-disturb windows.
const maxDNDWindows = 10

// ParseDND reads do-not-disturb windows, one per line as HH:MM-HH:MM
// (22:00-08:00 crosses midnight); blank lines are skipped. Errors name the
// line.
func ParseDND(text string) ([]model.DNDWindow, error) {
	if !utf8.ValidString(text) {
		return nil, invalid("免打扰时段含无效字符")
	}
	var out []model.DNDWindow
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var a, b string
		found := false
		for _, sep := range dndSeparators {
			if x, y, ok := strings.Cut(line, sep); ok {
				a, b, found = x, y, true
				break
			}
		}
		if !found {
			return nil, invalid("免打扰时段第 %d 行 %q 应为“开始-结束”，例如 22:00-08:00", i+1, line)
		}
		start, err := calendar.ParseClock(a)
		if err == nil && start.Hour == 24 {
			err = fmt.Errorf("开始时间不能是 24:00")
		}
		if err != nil {
			return nil, invalid("免打扰时段第 %d 行的开始时间 %q 无效，应为 HH:MM，例如 22:00", i+1, strings.TrimSpace(a))
		}
		end, err := calendar.ParseClock(b)
		if err != nil {
			return nil, invalid("免打扰时段第 %d 行的结束时间 %q 无效，应为 HH:MM，例如 08:00", i+1, strings.TrimSpace(b))
		}
		if clockMinutes(start) == clockMinutes(end) {
			return nil, invalid("免打扰时段第 %d 行的开始与结束时间相同", i+1)
		}
		w := model.DNDWindow{Start: start.String(), End: end.String()}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
		if len(out) > maxDNDWindows {
			return nil, invalid("免打扰时段最多 %d 个（第 %d 行超出）", maxDNDWindows, i+1)
		}
	}
	return out, nil
}

// DNDText writes windows back in ParseDND's form.
func DNDText(windows []model.DNDWindow) string {
	lines := make([]string, len(windows))
	for i, w := range windows {
		lines[i] = w.Start + "-" + w.End
	}
	return strings.Join(lines, "\n")
}

// InDND reports whether t (shown in Asia/Shanghai) falls in one of the
// windows; a window whose end is before its start crosses midnight.
// Windows that do not parse are ignored.
func InDND(windows []model.DNDWindow, t time.Time) bool {
	local := t.In(calendar.Shanghai)
	m := local.Hour()*60 + local.Minute()
	for _, w := range windows {
		s, err1 := calendar.ParseClock(w.Start)
		e, err2 := calendar.ParseClock(w.End)
		if err1 != nil || err2 != nil {
			continue
		}
		sm, em := clockMinutes(s), clockMinutes(e)
		if sm < em && m >= sm && m < em || sm > em && (m >= sm || m < em) {
			return true
		}
	}
	return false
}

// keywordSeparators split an urgent keyword list.
const keywordSeparators = "\n\r,，、;； \t　"

// maxKeywords bounds the urgent keyword list.
const maxKeywords = 100

// ParseKeywords reads the urgent keywords (separated by line breaks,
// commas, 、 or spaces), dropping duplicates. Errors name the keyword.
func ParseKeywords(text string) ([]string, error) {
	if !utf8.ValidString(text) {
		return nil, invalid("紧急关键词含无效字符")
	}
	var out []string
	for _, k := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(keywordSeparators, r) }) {
		if utf8.RuneCountInString(k) > 20 {
			return nil, invalid("紧急关键词 %q 过长（每个最多 20 字）", k)
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	if len(out) > maxKeywords {
		return nil, invalid("紧急关键词最多 %d 个", maxKeywords)
	}
	return out, nil
}

// UrgentKeyword returns the first urgent keyword text contains, or "".
// Latin letters compare without case.
func UrgentKeyword(text string, keywords []string) string {
	lower := strings.ToLower(text)
	for _, k := range keywords {
		if k != "" && strings.Contains(lower, strings.ToLower(k)) {
			return k
		}
	}
	return ""
}

// Placeholders of the templates.
const (
	PhNextStart = "{下一个工作时段开始}"
	PhPhone     = "{电话}"
	PhHours     = "{工作时间}"
	PhLawyer    = "{律师}"
	PhCaseNo    = "{案号}"
	PhParties   = "{当事人}"
	PhCause     = "{事由}"
)

var placeholderRE = regexp.MustCompile(`\{[^{}]*\}`)

// maxTemplateRunes bounds a template.
const maxTemplateRunes = 1000

// CheckTemplate validates a template: not empty, not too long, and only
// the allowed placeholders. label names the template in the error.
func CheckTemplate(label, text string, allowed ...string) error {
	if !utf8.ValidString(text) {
		return invalid("%s含无效字符", label)
	}
	if strings.TrimSpace(text) == "" {
		return invalid("%s不能为空", label)
	}
	if n := utf8.RuneCountInString(text); n > maxTemplateRunes {
		return invalid("%s不能超过 %d 字（现为 %d 字）", label, maxTemplateRunes, n)
	}
	for _, ph := range placeholderRE.FindAllString(text, -1) {
		if !slices.Contains(allowed, ph) {
			return invalid("%s中的占位符 %s 不认识，可用的占位符：%s", label, ph, strings.Join(allowed, "、"))
		}
	}
	return nil
}

// Render fills a template's placeholders; unknown ones stay as written.
func Render(text string, values map[string]string) string {
	return placeholderRE.ReplaceAllStringFunc(text, func(ph string) string {
		if v, ok := values[ph]; ok {
			return v
		}
		return ph
	})
}
