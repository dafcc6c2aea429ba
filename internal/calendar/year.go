package calendar

import "time"

// Notice is one State Council notice (国务院办公厅通知) that publishes or
// changes a year's holiday arrangement.
type Notice struct {
	Title  string `json:"title"`         // e.g. 国务院办公厅关于2025年部分节假日安排的通知
	Number string `json:"number"`        // e.g. 国办发明电〔2024〕12号; empty when unknown
	Date   Date   `json:"date"`          // date the notice was issued
	URL    string `json:"url,omitempty"` // where it was published, if known
}

// HolidayDay is one dated entry of an arrangement: a rest day (OffDay) of a
// named holiday, or an adjusted working day (调休上班日, OffDay false) that a
// holiday's arrangement moves onto a weekend.
type HolidayDay struct {
	Name   string `json:"name"`
	Date   Date   `json:"date"`
	OffDay bool   `json:"isOffDay"`
}

// Year is the published holiday arrangement of one calendar year. Days may
// include the last days of the previous December when the New Year holiday
// starts there (the 2023 notice did). Days are kept sorted by date.
type Year struct {
	Year    int          `json:"year"`
	Notices []Notice     `json:"notices"`
	Papers  []string     `json:"papers"` // source URLs as listed by holiday-cn
	Days    []HolidayDay `json:"days"`
}

// Source tells where a calendar year's data came from.
type Source string

const (
	SourceEmbedded Source = "embedded" // shipped in the binary
	SourceOverride Source = "override" // supplied to New, e.g. imported into the database
)

// YearInfo describes one year known to a Calendar.
type YearInfo struct {
	Year             int      `json:"year"`
	Source           Source   `json:"source"`
	Notices          []Notice `json:"notices"`
	RestDays         int      `json:"rest_days"` // listed rest days (including those on weekends)
	AdjustedWorkdays int      `json:"adjusted_workdays"`
}

// Kind classifies a day.
type Kind string

const (
	KindWorkday         Kind = "workday"          // ordinary Monday–Friday
	KindWeekend         Kind = "weekend"          // ordinary Saturday or Sunday
	KindHoliday         Kind = "holiday"          // rest day of a statutory holiday arrangement
	KindAdjustedWorkday Kind = "adjusted-workday" // weekend day worked under an arrangement (调休上班)
)

// Label returns the Chinese name of the kind.
func (k Kind) Label() string {
	switch k {
	case KindWorkday:
		return "工作日"
	case KindWeekend:
		return "周末"
	case KindHoliday:
		return "法定节假日"
	case KindAdjustedWorkday:
		return "调休上班日"
	}
	return string(k)
}

// DayInfo is the calendar's answer for one date.
type DayInfo struct {
	Date    Date   `json:"date"`
	Workday bool   `json:"workday"`
	Kind    Kind   `json:"kind"`
	Name    string `json:"name"`    // holiday name for holiday and adjusted-workday, else empty
	Weekday string `json:"weekday"` // 周一 … 周日
	// Provisional is true when the answer may change once the State Council
	// publishes the arrangement it depends on: the date's year has no notice
	// yet, or the date is in the last week of December and the next year's
	// notice (whose New Year holiday may start in December) is not known.
	Provisional bool `json:"provisional"`
	// Fixed is true for a holiday of a year without an arrangement that
	// 全国年节及纪念日放假办法 art 2 itself fixes (computed from the lunar
	// calendar); such a day is a rest day whatever the arrangement says.
	Fixed bool `json:"fixed,omitempty"`
}

func (y Year) counts() (rest, work int) {
	for _, d := range y.Days {
		if d.OffDay {
			rest++
		} else {
			work++
		}
	}
	return rest, work
}

// lateDecember reports whether d falls in the window of December that a
// following year's New Year arrangement may reach back into.
func lateDecember(d Date) bool { return d.Month == time.December && d.Day >= firstReachBackDay }

// firstReachBackDay is the earliest December day a next-year notice may list.
const firstReachBackDay = 25
