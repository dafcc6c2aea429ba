package calendar

import (
	"testing"
	"time"
)

// TestFixedHolidaysAgainstEmbeddedData checks the lunar and solar-term
// computation against the State Council arrangements shipped for 2020–2026:
// every day art 2 fixes must be a rest day of the published arrangement.
func TestFixedHolidaysAgainstEmbeddedData(t *testing.T) {
	for _, y := range EmbeddedYears() {
		off := map[Date]string{}
		for _, d := range y.Days {
			if d.OffDay {
				off[d.Date] = d.Name
			}
		}
		fixed := FixedHolidays(y.Year)
		want := 11 // 元旦1 春节3 清明1 劳动节1 端午1 中秋1 国庆3
		if y.Year >= 2025 {
			want = 13 // 春节4, 劳动节2
		}
		if y.Year == 2020 {
			want-- // 中秋 fell on 10-01
		}
		if len(fixed) != want {
			t.Errorf("%d: %d fixed days, want %d: %v", y.Year, len(fixed), want, fixed)
		}
		for _, h := range fixed {
			if _, ok := off[h.Date]; !ok {
				t.Errorf("%d: fixed %s on %s is not a rest day of the published arrangement", y.Year, h.Name, h.Date)
			}
		}
	}
}

// TestFixedHolidays2027To2035 checks the computed days against the dates of
// the lunar new year, 清明, 端午 and 中秋 as published in almanac tables
// (e.g. the Hong Kong Observatory's Gregorian–lunar conversion tables).
func TestFixedHolidays2027To2035(t *testing.T) {
	type md struct {
		m time.Month
		d int
	}
	table := map[int]struct{ newYear, qingming, duanwu, zhongqiu md }{
		2027: {md{2, 6}, md{4, 5}, md{6, 9}, md{9, 15}},
		2028: {md{1, 26}, md{4, 4}, md{5, 28}, md{10, 3}},
		2029: {md{2, 13}, md{4, 4}, md{6, 16}, md{9, 22}},
		2030: {md{2, 3}, md{4, 5}, md{6, 5}, md{9, 12}},
		2031: {md{1, 23}, md{4, 5}, md{6, 24}, md{10, 1}},
		2032: {md{2, 11}, md{4, 4}, md{6, 12}, md{9, 19}},
		2033: {md{1, 31}, md{4, 4}, md{6, 1}, md{9, 8}},
		2034: {md{2, 19}, md{4, 5}, md{6, 20}, md{9, 27}},
		2035: {md{2, 8}, md{4, 5}, md{6, 10}, md{9, 16}},
	}
	for yr, w := range table {
		got := map[Date]string{}
		for _, h := range FixedHolidays(yr) {
			got[h.Date] = h.Name
		}
		at := func(x md) Date { return MustDate(yr, x.m, x.d) }
		newYear := at(w.newYear)
		want := []Date{
			MustDate(yr, 1, 1), newYear.AddDays(-1), newYear, newYear.AddDays(1), newYear.AddDays(2),
			at(w.qingming), MustDate(yr, 5, 1), MustDate(yr, 5, 2), at(w.duanwu), at(w.zhongqiu),
			MustDate(yr, 10, 1), MustDate(yr, 10, 2), MustDate(yr, 10, 3),
		}
		for _, d := range want {
			if _, ok := got[d]; !ok {
				t.Errorf("%d: %s missing from fixed holidays %v", yr, d, got)
			}
		}
		distinct := map[Date]bool{}
		for _, d := range want {
			distinct[d] = true
		}
		if len(got) != len(distinct) {
			t.Errorf("%d: %d fixed days, want %d", yr, len(got), len(distinct))
		}
	}
}

func TestProvisionalYearKnowsFixedHolidays(t *testing.T) {
	cal := calendarThrough(t, 2026) // 2027 and 2028 provisional
	tests := []struct {
		date Date
		kind Kind
		name string
	}{
		{MustDate(2027, 2, 5), KindHoliday, "春节"},  // 除夕, a Friday
		{MustDate(2027, 2, 8), KindHoliday, "春节"},  // 正月初三, a Monday
		{MustDate(2027, 2, 9), KindWorkday, ""},    // Tuesday after; 调休 unknown
		{MustDate(2027, 4, 5), KindHoliday, "清明节"}, // Monday
		{MustDate(2028, 10, 3), KindHoliday, "中秋节、国庆节"},
		{MustDate(2027, 2, 6), KindHoliday, "春节"}, // a Saturday that is also a holiday
	}
	for _, tt := range tests {
		info := cal.Day(tt.date)
		if info.Kind != tt.kind || info.Name != tt.name || !info.Provisional {
			t.Errorf("Day(%s) = %+v, want kind %s name %q provisional", tt.date, info, tt.kind, tt.name)
		}
		if info.Kind == KindHoliday && (info.Workday || !info.Fixed) {
			t.Errorf("Day(%s): a fixed holiday must be a fixed rest day: %+v", tt.date, info)
		}
	}
	// A published year is answered from its arrangement alone.
	if info := cal.Day(MustDate(2026, 2, 15)); info.Fixed || info.Kind != KindHoliday {
		t.Errorf("2026-02-15 from the arrangement: %+v", info)
	}
	if got := FixedHolidays(2007); got != nil {
		t.Errorf("FixedHolidays(2007) = %v, want nil (before the 2007 revision took effect)", got)
	}
}
