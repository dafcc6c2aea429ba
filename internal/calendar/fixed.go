package calendar

import (
	"sync"
	"time"

	lunar "github.com/6tail/lunar-go/calendar"
)

// FixedHolidayRule names the version of 全国年节及纪念日放假办法 whose
// article 2 fixes the public-holiday days of a year.
type FixedHolidayRule struct {
	Citation string // e.g. 全国年节及纪念日放假办法（2024年修订）第二条
	From     int    // first year the version applies to
}

// fixedHolidayRules are the versions of art 2, newest first. The 2024
// revision (in force 2025-01-01) adds 除夕 and 5-2; the 2013 revision (in
// force 2014-01-01) moved 春节 from 除夕–初二 to 初一–初三; the 2007
// revision (in force 2008-01-01) introduced 清明, 端午 and 中秋 and cut
// 劳动节 to one day. Years before 2008 get no fixed days.
var fixedHolidayRules = []FixedHolidayRule{
	{Citation: "全国年节及纪念日放假办法（2024年修订）第二条", From: 2025},
	{Citation: "全国年节及纪念日放假办法（2013年修订）第二条", From: 2014},
	{Citation: "全国年节及纪念日放假办法（2007年修订）第二条", From: 2008},
}

// FixedHolidayRuleFor returns the version of art 2 in force in year yr.
func FixedHolidayRuleFor(yr int) (FixedHolidayRule, bool) {
	for _, r := range fixedHolidayRules {
		if yr >= r.From {
			return r, true
		}
	}
	return FixedHolidayRule{}, false
}

// FixedHolidays returns the public-holiday days that 全国年节及纪念日放假办法
// art 2 itself fixes for year yr, computed from the lunar calendar and the
// solar terms (github.com/6tail/lunar-go): 元旦, 春节, 清明 (the day of the
// 清明 solar term), 劳动节, 端午 (5th of the 5th lunar month), 中秋 (15th of
// the 8th lunar month) and 国庆. These are the days no State Council
// arrangement can make working days; the arrangement only adds bridging rest
// days and the adjusted working days (调休) around them. Sorted by date; nil
// for a year before 2008 or outside MinYear..MaxYear.
func FixedHolidays(yr int) []HolidayDay {
	rule, ok := FixedHolidayRuleFor(yr)
	if !ok || yr < MinYear || yr > MaxYear {
		return nil
	}
	var out []HolidayDay
	add := func(name string, d Date) {
		for i := range out {
			if out[i].Date == d { // 中秋 on 10-1 to 10-3 (2020, 2028)
				out[i].Name += "、" + name
				return
			}
		}
		out = append(out, HolidayDay{Name: name, Date: d, OffDay: true})
	}
	add("元旦", MustDate(yr, time.January, 1))

	newYear := fromSolar(lunar.NewLunarFromYmd(yr, 1, 1).GetSolar())
	switch rule.From {
	case 2025: // 除夕, 初一 to 初三
		for i := -1; i <= 2; i++ {
			add("春节", newYear.AddDays(i))
		}
	case 2014: // 初一 to 初三
		for i := 0; i <= 2; i++ {
			add("春节", newYear.AddDays(i))
		}
	default: // 除夕, 初一, 初二
		for i := -1; i <= 1; i++ {
			add("春节", newYear.AddDays(i))
		}
	}

	if qingming, ok := lunar.NewLunarFromYmd(yr, 3, 1).GetJieQiTable()["清明"]; ok {
		add("清明节", fromSolar(qingming))
	}
	add("劳动节", MustDate(yr, time.May, 1))
	if rule.From == 2025 {
		add("劳动节", MustDate(yr, time.May, 2))
	}
	add("端午节", fromSolar(lunar.NewLunarFromYmd(yr, 5, 5).GetSolar()))
	add("中秋节", fromSolar(lunar.NewLunarFromYmd(yr, 8, 15).GetSolar()))
	for day := 1; day <= 3; day++ {
		add("国庆节", MustDate(yr, time.October, day))
	}
	sortHolidayDays(out)
	return out
}

var fixedCache sync.Map // int -> []HolidayDay

// fixedHoliday returns the fixed holiday of year d.Year on d, if any; the
// per-year lists are computed once.
func fixedHoliday(d Date) (HolidayDay, bool) {
	v, ok := fixedCache.Load(d.Year)
	if !ok {
		v, _ = fixedCache.LoadOrStore(d.Year, FixedHolidays(d.Year))
	}
	for _, h := range v.([]HolidayDay) {
		if h.Date == d {
			return h, true
		}
	}
	return HolidayDay{}, false
}

func fromSolar(s *lunar.Solar) Date {
	return Date{Year: s.GetYear(), Month: time.Month(s.GetMonth()), Day: s.GetDay()}
}

func sortHolidayDays(days []HolidayDay) {
	y := Year{Days: days}
	y.sortDays()
}
