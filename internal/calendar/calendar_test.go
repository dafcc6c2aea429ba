package calendar

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func d(y int, m time.Month, day int) Date { return MustDate(y, m, day) }

// calendarThrough is the calendar of the embedded years up to last only:
// the tests of provisional years use it, so that they hold whatever later
// years a binary comes to embed.
func calendarThrough(t *testing.T, last int) *Calendar {
	t.Helper()
	var years []Year
	for _, y := range EmbeddedYears() {
		if y.Year <= last {
			years = append(years, y)
		}
	}
	if len(years) == 0 || years[len(years)-1].Year != last {
		t.Fatalf("the embedded data lacks %d", last)
	}
	cal, err := Of(years...)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func TestEmbeddedYears(t *testing.T) {
	cal := Default()
	infos := cal.Years()
	// 2020 to at least 2026, without gaps (later years may be embedded).
	if len(infos) < 7 || infos[0].Year != 2020 || infos[len(infos)-1].Year != 2020+len(infos)-1 {
		t.Fatalf("years = %+v; want 2020..2026 or later, without gaps", infos)
	}
	wantNotice := map[int]struct{ number, date string }{
		2020: {"国办发明电〔2019〕16号", "2019-11-21"},
		2021: {"国办发明电〔2020〕27号", "2020-11-25"},
		2022: {"国办发明电〔2021〕11号", "2021-10-25"},
		2023: {"国办发明电〔2022〕16号", "2022-12-08"},
		2024: {"国办发明电〔2023〕7号", "2023-10-25"},
		2025: {"国办发明电〔2024〕12号", "2024-11-12"},
		2026: {"国办发明电〔2025〕7号", "2025-11-04"},
	}
	for _, info := range infos {
		if info.Source != SourceEmbedded || len(info.Notices) == 0 {
			t.Fatalf("%d: %+v", info.Year, info)
		}
		n := info.Notices[0]
		w, ok := wantNotice[info.Year]
		if !ok {
			continue // a later year: its notice is checked by the data tests
		}
		if n.Number != w.number || n.Date.String() != w.date || !strings.Contains(n.Title, "部分节假日安排的通知") {
			t.Errorf("%d notice = %+v, want %v", info.Year, n, w)
		}
	}
	if y, _ := cal.Year(2020); len(y.Notices) != 2 || y.Notices[1].Number != "国办发明电〔2020〕1号" {
		t.Errorf("2020 should also cite the Spring Festival extension notice: %+v", y.Notices)
	}
}

// The verified facts of the 2025 and 2026 notices, day by day.
func TestArrangements2025And2026(t *testing.T) {
	cal := Default()
	type block struct {
		name       string
		first, end Date
		work       []Date
	}
	blocks := []block{
		{"元旦", d(2025, 1, 1), d(2025, 1, 1), nil},
		{"春节", d(2025, 1, 28), d(2025, 2, 4), []Date{d(2025, 1, 26), d(2025, 2, 8)}},
		{"清明节", d(2025, 4, 4), d(2025, 4, 6), nil},
		{"劳动节", d(2025, 5, 1), d(2025, 5, 5), []Date{d(2025, 4, 27)}},
		{"端午节", d(2025, 5, 31), d(2025, 6, 2), nil},
		{"国庆节、中秋节", d(2025, 10, 1), d(2025, 10, 8), []Date{d(2025, 9, 28), d(2025, 10, 11)}},
		{"元旦", d(2026, 1, 1), d(2026, 1, 3), []Date{d(2026, 1, 4)}},
		{"春节", d(2026, 2, 15), d(2026, 2, 23), []Date{d(2026, 2, 14), d(2026, 2, 28)}},
		{"清明节", d(2026, 4, 4), d(2026, 4, 6), nil},
		{"劳动节", d(2026, 5, 1), d(2026, 5, 5), []Date{d(2026, 5, 9)}},
		{"端午节", d(2026, 6, 19), d(2026, 6, 21), nil},
		{"中秋节", d(2026, 9, 25), d(2026, 9, 27), nil},
		{"国庆节", d(2026, 10, 1), d(2026, 10, 7), []Date{d(2026, 9, 20), d(2026, 10, 10)}},
	}
	for _, b := range blocks {
		t.Run(b.name+b.first.String(), func(t *testing.T) {
			for day := b.first; !day.After(b.end); day = day.AddDays(1) {
				info := cal.Day(day)
				if info.Kind != KindHoliday || info.Workday || info.Name != b.name || info.Provisional {
					t.Errorf("%v = %+v; want holiday %s", day, info, b.name)
				}
			}
			// The days just outside the block are not part of it.
			for _, edge := range []Date{b.first.AddDays(-1), b.end.AddDays(1)} {
				if info := cal.Day(edge); info.Kind == KindHoliday && info.Name == b.name {
					t.Errorf("%v should be outside the %s block", edge, b.name)
				}
			}
			for _, w := range b.work {
				info := cal.Day(w)
				if info.Kind != KindAdjustedWorkday || !info.Workday || !w.IsWeekend() {
					t.Errorf("%v = %+v; want adjusted working weekend day", w, info)
				}
			}
		})
	}
}

func TestRestAndWorkCountsPerYear(t *testing.T) {
	// Counts of listed rest days and adjusted working days, cross-checked
	// against the notices' texts and holiday-cn (see docs/CALENDAR.md).
	want := map[int][2]int{
		2020: {30, 6}, 2021: {31, 7}, 2022: {31, 7}, 2023: {27, 7},
		2024: {28, 8}, 2025: {28, 5}, 2026: {33, 6},
	}
	for _, info := range Default().Years() {
		if got := [2]int{info.RestDays, info.AdjustedWorkdays}; got != want[info.Year] {
			t.Errorf("%d: rest/work = %v, want %v", info.Year, got, want[info.Year])
		}
	}
}

func TestDayKinds(t *testing.T) {
	cal := calendarThrough(t, 2026) // 2027 provisional
	tests := []struct {
		date        Date
		kind        Kind
		workday     bool
		provisional bool
		name        string
	}{
		{d(2025, 3, 3), KindWorkday, true, false, ""},
		{d(2025, 3, 8), KindWeekend, false, false, ""},
		{d(2025, 1, 26), KindAdjustedWorkday, true, false, "春节"},
		{d(2022, 12, 31), KindHoliday, false, false, "元旦"}, // from the 2023 notice
		{d(2020, 2, 1), KindHoliday, false, false, "春节"},   // extension notice turned the working Saturday into rest
		{d(2027, 1, 1), KindHoliday, false, true, "元旦"},    // no 2027 notice yet: art 2 fixes 元旦, provisional
		{d(2027, 1, 4), KindWorkday, true, true, ""},       // an ordinary Monday of a provisional year
		{d(2027, 1, 2), KindWeekend, false, true, ""},
		{d(2026, 12, 28), KindWorkday, true, true, ""}, // 2027's New Year holiday might reach back
		{d(2026, 12, 24), KindWorkday, true, false, ""},
		{d(2019, 10, 1), KindHoliday, false, true, "国庆节"},
	}
	for _, tt := range tests {
		info := cal.Day(tt.date)
		if info.Kind != tt.kind || info.Workday != tt.workday || info.Provisional != tt.provisional || info.Name != tt.name {
			t.Errorf("Day(%v) = %+v; want kind %s workday %v provisional %v name %q", tt.date, info, tt.kind, tt.workday, tt.provisional, tt.name)
		}
		if info.Weekday != tt.date.WeekdayName() {
			t.Errorf("Day(%v).Weekday = %q", tt.date, info.Weekday)
		}
	}
}

func TestWorkdayArithmetic(t *testing.T) {
	cal := calendarThrough(t, 2026) // 2027 provisional
	tests := []struct {
		from Date
		n    int
		want Date
	}{
		{d(2025, 1, 24), 1, d(2025, 1, 26)},  // Fri -> adjusted working Sunday
		{d(2025, 1, 27), 1, d(2025, 2, 5)},   // across the Spring Festival block
		{d(2025, 9, 30), 1, d(2025, 10, 9)},  // across National Day
		{d(2025, 10, 9), 2, d(2025, 10, 11)}, // Thu -> Fri, adjusted Sat
		{d(2026, 2, 13), 1, d(2026, 2, 14)},  // Fri -> adjusted Sat
		{d(2026, 2, 14), 1, d(2026, 2, 24)},
		{d(2025, 3, 3), 15, d(2025, 3, 24)}, // three plain weeks
		{d(2025, 3, 3), 0, d(2025, 3, 3)},
		{d(2025, 2, 5), -1, d(2025, 1, 27)},
		{d(2026, 12, 31), 1, d(2027, 1, 4)}, // provisional 2027: 元旦 fixed, then the weekend
	}
	for _, tt := range tests {
		if got := cal.AddWorkdays(tt.from, tt.n); got != tt.want {
			t.Errorf("AddWorkdays(%v, %d) = %v, want %v", tt.from, tt.n, got, tt.want)
		}
	}
	if got := cal.NextWorkday(d(2024, 9, 30)); got != d(2024, 10, 8) {
		t.Errorf("NextWorkday(2024-09-30) = %v", got)
	}
	// (01-24, 02-08]: 01-26 and 02-08 are adjusted working days, 01-27 and 02-05..07 ordinary ones.
	if n := cal.WorkdaysBetween(d(2025, 1, 24), d(2025, 2, 8)); n != 6 {
		t.Errorf("WorkdaysBetween = %d, want 6", n)
	}
	if !cal.AnyProvisional(d(2026, 12, 20), d(2027, 1, 5)) || cal.AnyProvisional(d(2026, 1, 1), d(2026, 12, 1)) {
		t.Error("AnyProvisional is wrong")
	}
	if got := cal.AddWorkdays(Date{}, 5); got != (Date{}) {
		t.Errorf("AddWorkdays on the zero date should not walk: %v", got)
	}
}

func TestOverrides(t *testing.T) {
	y2027, err := ParseHolidayCN(strings.NewReader(validHolidayCN), "2027.json")
	if err != nil {
		t.Fatal(err)
	}
	replaced2025 := Year{Year: 2025, Days: []HolidayDay{{Name: "测试假", Date: d(2025, 3, 3), OffDay: true}}}
	cal, err := New(y2027, replaced2025)
	if err != nil {
		t.Fatal(err)
	}
	base := calendarThrough(t, 2026)
	if !base.Day(d(2026, 12, 28)).Provisional {
		t.Fatal("without 2027 late December 2026 is provisional")
	}
	if info := cal.Day(d(2027, 1, 1)); info.Kind != KindHoliday || info.Provisional {
		t.Errorf("2027-01-01 with override = %+v", info)
	}
	if info := cal.Day(d(2027, 2, 20)); info.Kind != KindAdjustedWorkday {
		t.Errorf("2027-02-20 with override = %+v", info)
	}
	if info := cal.Day(d(2026, 12, 28)); info.Provisional {
		t.Errorf("late December 2026 is settled once 2027 is known: %+v", info)
	}
	if info := cal.Day(d(2025, 1, 28)); info.Kind != kindFromWeekday(info) {
		t.Errorf("the override replaces embedded 2025 entirely: %+v", info)
	}
	if info := cal.Day(d(2025, 3, 3)); info.Kind != KindHoliday || info.Name != "测试假" {
		t.Errorf("override day = %+v", info)
	}
	years := cal.Years()
	if len(years) != max(len(EmbeddedYears()), 8) {
		t.Errorf("Years() = %+v", years)
	}
	for _, y := range years {
		if want := map[bool]Source{true: SourceOverride, false: SourceEmbedded}[y.Year == 2025 || y.Year == 2027]; y.Source != want {
			t.Errorf("%d: source %s, want %s", y.Year, y.Source, want)
		}
	}
	// The default calendar is untouched.
	if Default().Day(d(2025, 1, 28)).Kind != KindHoliday {
		t.Error("New must not change Default")
	}
	_, err = New(Year{Year: 2027, Days: []HolidayDay{{Name: "元旦", Date: d(2027, 1, 4), OffDay: false}}})
	if !errors.Is(err, ErrInvalidHolidayData) || !strings.Contains(err.Error(), "2027") {
		t.Errorf("invalid override: err = %v", err)
	}
}

// kindFromWeekday is the kind a date has from the weekday alone.
func kindFromWeekday(info DayInfo) Kind {
	if info.Date.IsWeekend() {
		return KindWeekend
	}
	return KindWorkday
}
