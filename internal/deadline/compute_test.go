package deadline

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/calendar"
)

func d(y int, m time.Month, day int) calendar.Date { return calendar.MustDate(y, m, day) }

// Warning markers: adjusted is an adjusted-working-day warning, provisional a
// missing-notice warning, transition the arbitration law change.
const (
	adjusted    = "调休上班"
	provisional = "暂定结果"
	transition  = "新旧法如何衔接"
	noForeign   = "没有涉外特别期间"
	custody     = "在押"
)

// calendarThrough is the calendar of the embedded years up to last only:
// the cases in provisional years use it, so that they hold whatever later
// years a binary comes to embed.
func calendarThrough(t *testing.T, last int) *calendar.Calendar {
	t.Helper()
	var years []calendar.Year
	for _, y := range calendar.EmbeddedYears() {
		if y.Year <= last {
			years = append(years, y)
		}
	}
	if len(years) == 0 || years[len(years)-1].Year != last {
		t.Fatalf("the embedded data lacks %d", last)
	}
	cal, err := calendar.Of(years...)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func TestCompute(t *testing.T) {
	cal := calendarThrough(t, 2026) // 2027 provisional
	tests := []struct {
		name        string
		rule        string
		from        calendar.Date
		foreign     bool
		raw, due    calendar.Date
		statute     string   // substring of Result.Statute
		warnings    []string // substrings, one per expected warning, in order
		provisional bool
	}{
		// Civil procedure, day periods (民事诉讼法第八十五条).
		{"judgment appeal ends Saturday, next day is an adjusted working Sunday", "appeal-judgment", d(2025, 1, 10), false,
			d(2025, 1, 25), d(2025, 1, 26), "第一百七十一条第一款", []string{adjusted}, false},
		{"judgment appeal ends in Spring Festival 2025", "appeal-judgment", d(2025, 1, 14), false,
			d(2025, 1, 29), d(2025, 2, 5), "第一百七十一条", nil, false},
		{"judgment appeal ends on an adjusted working Sunday (National Day 2025)", "appeal-judgment", d(2025, 9, 13), false,
			d(2025, 9, 28), d(2025, 9, 28), "第一百七十一条", []string{adjusted}, false},
		{"judgment appeal, New Year 2026 rolls onto adjusted Sunday 01-04", "appeal-judgment", d(2025, 12, 17), false,
			d(2026, 1, 1), d(2026, 1, 4), "第一百七十一条", []string{adjusted}, false},
		{"judgment appeal rolled past National Day 2023 onto an adjusted working Saturday", "appeal-judgment", d(2023, 9, 18), false,
			d(2023, 10, 3), d(2023, 10, 7), "第一百七十一条", []string{adjusted}, false},
		{"judgment appeal, foreign party: 30 days", "appeal-judgment", d(2025, 3, 3), true,
			d(2025, 4, 2), d(2025, 4, 2), "第二百八十六条", nil, false},
		{"ruling appeal ends in National Day 2025", "appeal-ruling", d(2025, 9, 24), false,
			d(2025, 10, 4), d(2025, 10, 9), "第一百七十一条第二款", nil, false},
		{"ruling appeal ends on New Year's Day 2025", "appeal-ruling", d(2024, 12, 22), false,
			d(2025, 1, 1), d(2025, 1, 2), "第一百七十一条第二款", nil, false},
		{"ruling appeal, foreign party", "appeal-ruling", d(2026, 1, 5), true,
			d(2026, 2, 4), d(2026, 2, 4), "第二百八十六条", nil, false},
		{"defense ends in Spring Festival 2026", "defense", d(2026, 2, 1), false,
			d(2026, 2, 16), d(2026, 2, 24), "第一百二十八条", nil, false},
		{"defense ends in Qingming 2026", "defense", d(2026, 3, 20), false,
			d(2026, 4, 4), d(2026, 4, 7), "第一百二十八条", nil, false},
		{"defense, foreign party, ends on National Day 2026", "defense", d(2026, 9, 1), true,
			d(2026, 10, 1), d(2026, 10, 8), "第二百八十五条", nil, false},
		{"evidence period ends in Labour Day 2026", "evidence-period", d(2026, 4, 20), false,
			d(2026, 5, 5), d(2026, 5, 6), "第九十九条", nil, false},
		{"preservation: 30 days", "preservation-lawsuit", d(2025, 4, 30), false,
			d(2025, 5, 30), d(2025, 5, 30), "第一百零四条", nil, false},
		{"payment order objection ends in Dragon Boat 2025", "payment-order-objection", d(2025, 5, 17), false,
			d(2025, 6, 1), d(2025, 6, 3), "第二百二十七条", nil, false},
		{"payment order objection ends in Qingming 2025", "payment-order-objection", d(2025, 3, 20), false,
			d(2025, 4, 4), d(2025, 4, 7), "第二百二十七条", nil, false},
		// Month and year periods (民法典第二百零二条).
		{"enforcement from a leap day ends on an adjusted working Saturday", "enforcement-application", d(2024, 2, 29), false,
			d(2026, 2, 28), d(2026, 2, 28), "第二百五十条", []string{adjusted}, false},
		{"retrial: 08-31 + 6 months has no corresponding day", "retrial-application", d(2024, 8, 31), false,
			d(2025, 2, 28), d(2025, 2, 28), "第二百一十六条", nil, false},
		{"limitation ends on Labour Day 2025", "limitation-general", d(2022, 5, 1), false,
			d(2025, 5, 1), d(2025, 5, 6), "第一百八十八条第一款", nil, false},
		{"long stop 20 years", "limitation-longstop", d(2006, 1, 28), false,
			d(2026, 1, 28), d(2026, 1, 28), "第一百八十八条第二款", nil, false},
		{"international sale: 4 years, ends on National Day 2025", "limitation-intl-sale", d(2021, 10, 1), false,
			d(2025, 10, 1), d(2025, 10, 9), "第五百九十四条", nil, false},
		{"labour arbitration limitation from a leap day", "labor-arbitration-limitation", d(2024, 2, 29), false,
			d(2025, 2, 28), d(2025, 2, 28), "第二十七条", nil, false},
		{"labour award lawsuit ends in Mid-Autumn 2026", "labor-award-lawsuit", d(2026, 9, 10), false,
			d(2026, 9, 25), d(2026, 9, 28), "第四十八条", nil, false},
		{"labour award set aside ends in Labour Day 2026", "labor-award-set-aside", d(2026, 4, 3), false,
			d(2026, 5, 3), d(2026, 5, 6), "第四十九条", nil, false},
		// Administrative.
		{"reconsideration 60 days ends on a Sunday", "admin-reconsideration", d(2025, 12, 3), false,
			d(2026, 2, 1), d(2026, 2, 2), "行政复议法第二十条", nil, false},
		{"admin lawsuit from 12-31: month end", "admin-lawsuit", d(2025, 12, 31), false,
			d(2026, 6, 30), d(2026, 6, 30), "行政诉讼法第四十六条", nil, false},
		{"admin lawsuit after reconsideration ends in Dragon Boat 2026", "admin-lawsuit-after-reconsideration", d(2026, 6, 4), false,
			d(2026, 6, 19), d(2026, 6, 22), "行政诉讼法第四十五条", nil, false},
		// Criminal (刑事诉讼法第一百零五条).
		{"criminal judgment appeal ends on an adjusted working Saturday", "criminal-appeal-judgment", d(2026, 9, 30), false,
			d(2026, 10, 10), d(2026, 10, 10), "第二百三十条", []string{adjusted}, false},
		{"criminal ruling appeal ends in Spring Festival 2025", "criminal-appeal-ruling", d(2025, 1, 23), false,
			d(2025, 1, 28), d(2025, 2, 5), "第二百三十条", []string{custody}, false},
		// Administrative appeals (行政诉讼法第八十五条).
		{"admin judgment appeal ends on an adjusted working Sunday", "admin-appeal-judgment", d(2025, 9, 13), false,
			d(2025, 9, 28), d(2025, 9, 28), "行政诉讼法第八十五条", []string{adjusted}, false},
		{"admin judgment appeal ends in Spring Festival 2026", "admin-appeal-judgment", d(2026, 1, 31), false,
			d(2026, 2, 15), d(2026, 2, 24), "行政诉讼法第八十五条", nil, false},
		{"admin ruling appeal ends on National Day 2026", "admin-appeal-ruling", d(2026, 9, 21), false,
			d(2026, 10, 1), d(2026, 10, 8), "行政诉讼法第八十五条", nil, false},
		{"admin ruling appeal ends on an adjusted working Sunday (Spring Festival 2025)", "admin-appeal-ruling", d(2025, 1, 16), false,
			d(2025, 1, 26), d(2025, 1, 26), "行政诉讼法第八十五条", []string{adjusted}, false},
		// 第三人撤销之诉 (民事诉讼法第五十九条第三款), six months.
		{"third-party revocation from 08-31 clamps to 02-28, an adjusted working Saturday", "third-party-revocation", d(2025, 8, 31), false,
			d(2026, 2, 28), d(2026, 2, 28), "第五十九条第三款", []string{adjusted}, false},
		{"third-party revocation ends on National Day 2025", "third-party-revocation", d(2025, 4, 1), false,
			d(2025, 10, 1), d(2025, 10, 9), "第五十九条第三款", nil, false},
		// Execution (民事诉讼法第二百三十六条、第二百三十八条).
		{"objection lawsuit ends in Labour Day 2026", "execution-objection-lawsuit", d(2026, 4, 20), false,
			d(2026, 5, 5), d(2026, 5, 6), "第二百三十八条", nil, false},
		{"objection lawsuit ends on an adjusted working Saturday", "execution-objection-lawsuit", d(2026, 1, 30), false,
			d(2026, 2, 14), d(2026, 2, 14), "第二百三十八条", []string{adjusted}, false},
		{"execution review ends on New Year 2026, rolls onto adjusted Sunday 01-04", "execution-review", d(2025, 12, 22), false,
			d(2026, 1, 1), d(2026, 1, 4), "第二百三十六条", []string{adjusted}, false},
		{"execution review ends on a month end working day", "execution-review", d(2026, 3, 21), false,
			d(2026, 3, 31), d(2026, 3, 31), "第二百三十六条", nil, false},
		// 申请顺延期限 (民事诉讼法第八十六条).
		{"extension application ends in National Day 2026", "extension-application", d(2026, 9, 25), false,
			d(2026, 10, 5), d(2026, 10, 8), "第八十六条", nil, false},
		{"extension application ends on Sunday 03-01", "extension-application", d(2026, 2, 19), false,
			d(2026, 3, 1), d(2026, 3, 2), "第八十六条", nil, false},
		// 保证期间 (民法典第六百九十二条), six months.
		{"guarantee period ends in Spring Festival 2026", "guarantee-period", d(2025, 8, 17), false,
			d(2026, 2, 17), d(2026, 2, 24), "第六百九十二条", nil, false},
		{"guarantee period from 08-31 clamps to 02-28", "guarantee-period", d(2024, 8, 31), false,
			d(2025, 2, 28), d(2025, 2, 28), "第六百九十二条", nil, false},
		// 撤销权 (民法典第一百五十二条).
		{"rescission from a leap day", "rescission", d(2024, 2, 29), false,
			d(2025, 2, 28), d(2025, 2, 28), "第一百五十二条第一款", nil, false},
		{"rescission ends on National Day 2026", "rescission", d(2025, 10, 1), false,
			d(2026, 10, 1), d(2026, 10, 8), "第一百五十二条第一款", nil, false},
		{"major misunderstanding: 90 days end in Spring Festival 2026", "rescission-misunderstanding", d(2025, 11, 17), false,
			d(2026, 2, 15), d(2026, 2, 24), "第一百五十二条第一款", nil, false},
		{"major misunderstanding: 90 days end on Sunday 03-01", "rescission-misunderstanding", d(2025, 12, 1), false,
			d(2026, 3, 1), d(2026, 3, 2), "第一百五十二条第一款", nil, false},
		{"rescission long stop ends on Labour Day 2026", "rescission-longstop", d(2021, 5, 1), false,
			d(2026, 5, 1), d(2026, 5, 6), "第一百五十二条第二款", nil, false},
		{"rescission long stop from a leap day", "rescission-longstop", d(2020, 2, 29), false,
			d(2025, 2, 28), d(2025, 2, 28), "第一百五十二条第二款", nil, false},
		// Arbitration law change on 2026-03-01.
		{"award received before the revision, ends before it", "arbitral-award-set-aside", d(2025, 6, 15), false,
			d(2025, 12, 15), d(2025, 12, 15), "第五十九条", nil, false},
		{"award received before the revision, six months cross it", "arbitral-award-set-aside", d(2025, 12, 1), false,
			d(2026, 6, 1), d(2026, 6, 1), "第五十九条", []string{transition}, false},
		{"award received after the revision: 3 months", "arbitral-award-set-aside", d(2026, 3, 2), false,
			d(2026, 6, 2), d(2026, 6, 2), "第七十二条", nil, false},
		{"award on the effective day, clamped into provisional 2027", "arbitral-award-set-aside", d(2026, 11, 30), false,
			d(2027, 2, 28), d(2027, 3, 1), "第七十二条", []string{provisional}, true},
		// Firm practice in working days.
		{"group dissolution across National Day 2025", "group-dissolution", d(2025, 9, 26), false,
			d(2025, 10, 23), d(2025, 10, 23), "本所执业规范", nil, false},
		{"group dissolution into provisional 2027", "group-dissolution", d(2026, 12, 20), false,
			d(2027, 1, 11), d(2027, 1, 11), "本所执业规范", []string{provisional}, true}, // 2027-01-01 元旦 fixed by art 2
		{"judgment appeal in provisional 2027 ends on 正月初三, a fixed holiday", "appeal-judgment", d(2027, 1, 24), false,
			d(2027, 2, 8), d(2027, 2, 9), "第一百七十一条第一款", []string{provisional}, true},
		{"ruling appeal in provisional 2027 ends on Qingming (Monday 04-05)", "appeal-ruling", d(2027, 3, 26), false,
			d(2027, 4, 5), d(2027, 4, 6), "第一百七十一条第二款", []string{provisional}, true},
		// Provisional year and foreign option on a rule without a variant.
		{"defense in provisional 2027, foreign", "defense", d(2027, 1, 1), true,
			d(2027, 1, 31), d(2027, 2, 1), "第二百八十五条", []string{provisional}, true},
		{"limitation ending late December 2026 waits for the 2027 notice", "limitation-general", d(2023, 12, 28), false,
			d(2026, 12, 28), d(2026, 12, 28), "第一百八十八条", []string{provisional}, true},
		{"foreign flag on a rule without foreign period", "payment-order-objection", d(2025, 3, 3), true,
			d(2025, 3, 18), d(2025, 3, 18), "第二百二十七条", []string{noForeign}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Compute(cal, tt.rule, tt.from, Options{Foreign: tt.foreign})
			if err != nil {
				t.Fatal(err)
			}
			if r.RawEnd != tt.raw || r.Due != tt.due {
				t.Fatalf("raw end %v, due %v; want %v, %v\n%s", r.RawEnd, r.Due, tt.raw, tt.due, Explain(r))
			}
			if !strings.Contains(r.Statute, tt.statute) {
				t.Errorf("statute %q does not contain %q", r.Statute, tt.statute)
			}
			if r.Provisional != tt.provisional {
				t.Errorf("provisional = %v, want %v", r.Provisional, tt.provisional)
			}
			if len(r.Warnings) != len(tt.warnings) {
				t.Fatalf("warnings = %q; want %d matching %q", r.Warnings, len(tt.warnings), tt.warnings)
			}
			for i, w := range tt.warnings {
				if !strings.Contains(r.Warnings[i], w) {
					t.Errorf("warning %d = %q; want it to mention %q", i, r.Warnings[i], w)
				}
			}
			if r.Rule != tt.rule || r.From != tt.from || r.Foreign != (tt.foreign && strings.Contains(r.Statute, "二百八十")) {
				t.Errorf("header = %+v", r)
			}
			// Every result explains itself: start, period, raw end, final date.
			steps := strings.Join(r.Steps, "\n")
			for _, want := range []string{"起算", tt.from.AddDays(1).String(), r.Period, tt.raw.String(), "届满日：" + tt.due.String()} {
				if !strings.Contains(steps, want) {
					t.Errorf("steps do not mention %q:\n%s", want, steps)
				}
			}
			if tt.raw != tt.due && !strings.Contains(steps, "第一日 "+tt.due.String()) {
				t.Errorf("steps do not explain the roll-forward to %v:\n%s", tt.due, steps)
			}
		})
	}
}

func TestComputeCitesCountingStatute(t *testing.T) {
	tests := map[string]string{
		"appeal-judgment":          "民事诉讼法第八十五条第三款",
		"limitation-general":       "民法典第二百零三条",
		"criminal-appeal-judgment": "刑事诉讼法第一百零五条第四款",
		"admin-lawsuit":            "行政诉讼法第一百零一条",
		"admin-reconsideration":    "行政复议法第八十八条",
		"admin-appeal-judgment":    "《中华人民共和国行政诉讼法》的解释第四十八条第三款",
		"guarantee-period":         "民法典第二百零一条第一款",
		"execution-review":         "民事诉讼法第八十五条第二款",
	}
	for rule, want := range tests {
		r, err := Compute(nil, rule, d(2025, 1, 14), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.CountingStatute, want) || !strings.Contains(strings.Join(r.Steps, ""), want) {
			t.Errorf("%s: counting statute %q / steps should cite %q", rule, r.CountingStatute, want)
		}
	}
}

func TestComputeErrors(t *testing.T) {
	_, err := Compute(nil, "appeal", d(2025, 1, 1), Options{})
	if !errors.Is(err, ErrUnknownRule) {
		t.Fatalf("err = %v", err)
	}
	for _, id := range RuleIDs() {
		if !strings.Contains(err.Error(), id) {
			t.Errorf("unknown-rule error should list %q: %v", id, err)
		}
	}
	if _, err := Compute(nil, "defense", calendar.Date{}, Options{}); !errors.Is(err, ErrInvalidStart) {
		t.Errorf("zero date: err = %v", err)
	}
	if _, err := Compute(nil, "defense", calendar.Date{Year: 2026, Month: 2, Day: 30}, Options{}); !errors.Is(err, ErrInvalidStart) {
		t.Errorf("2026-02-30: err = %v", err)
	}
	if _, err := Compute(nil, "defense", d(1990, 1, 1), Options{}); !errors.Is(err, ErrInvalidStart) {
		t.Errorf("1990: err = %v", err)
	}
	_, err = ComputeText(nil, "defense", "2026-02-30", Options{})
	if !errors.Is(err, ErrInvalidStart) || !errors.Is(err, calendar.ErrInvalidDate) || !strings.Contains(err.Error(), "2026-02-30") {
		t.Errorf("ComputeText bad date: err = %v", err)
	}
	if _, err := ComputeText(nil, "nope", "garbage", Options{}); !errors.Is(err, ErrUnknownRule) {
		t.Errorf("ComputeText unknown rule: err = %v", err)
	}
	if r, err := ComputeText(nil, "defense", "2026-02-01", Options{}); err != nil || r.Due != d(2026, 2, 24) {
		t.Errorf("ComputeText = %v, %v", r.Due, err)
	}
}

func TestComputeUsesGivenCalendar(t *testing.T) {
	// With an imported 2027 arrangement the result is no longer provisional
	// and follows the imported holiday.
	y := calendar.Year{Year: 2027, Days: []calendar.HolidayDay{
		{Name: "元旦", Date: d(2027, 1, 1), OffDay: true},
		{Name: "测试假期", Date: d(2027, 2, 1), OffDay: true},
	}}
	cal, err := calendar.New(y)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Compute(cal, "defense", d(2027, 1, 1), Options{Foreign: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Provisional || r.Due != d(2027, 2, 2) || len(r.Warnings) != 0 {
		t.Fatalf("got due %v provisional %v warnings %q", r.Due, r.Provisional, r.Warnings)
	}
	if !strings.Contains(strings.Join(r.Steps, ""), "2027-01-31 至 2027-02-01 连续为休假日（测试假期假期）") {
		t.Errorf("steps should describe the skipped rest days:\n%s", strings.Join(r.Steps, "\n"))
	}
}

func TestResultJSON(t *testing.T) {
	r, err := Compute(nil, "retrial-application", d(2024, 8, 31), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["rule"] != "retrial-application" || m["from"] != "2024-08-31" || m["due"] != "2025-02-28" || m["raw_end"] != "2025-02-28" {
		t.Errorf("JSON = %s", b)
	}
	if w, ok := m["warnings"].([]any); !ok || len(w) != 0 {
		t.Errorf("warnings must be an empty list, not null: %s", b)
	}
	if s, ok := m["steps"].([]any); !ok || len(s) < 3 {
		t.Errorf("steps = %v", m["steps"])
	}
	if _, ok := m["statute"].(string); !ok {
		t.Errorf("statute missing: %s", b)
	}
}

func TestExplain(t *testing.T) {
	r, err := Compute(nil, "appeal-judgment", d(2025, 1, 10), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := Explain(r)
	for _, want := range []string{"民事一审判决上诉期（appeal-judgment）", "届满日：2025-01-26（周日）", "法律依据：民事诉讼法第一百七十一条第一款", "  1. 起算", "注意：", "! 顺延后的届满日 2025-01-26 是调休上班的周日", "提示："} {
		if !strings.Contains(text, want) {
			t.Errorf("Explain lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, "\n") < 8 {
		t.Errorf("Explain should be multi-line:\n%s", text)
	}
}
