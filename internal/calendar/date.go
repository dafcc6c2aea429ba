package calendar

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrInvalidDate is wrapped by every error about a malformed or impossible date.
var ErrInvalidDate = errors.New("无效日期")

// Date is a civil (wall-calendar) date without time or zone. The zero Date is
// invalid; use ParseDate, NewDate or DateOf to make one. Dates compare with ==
// and order with Before/After/Compare.
//
// Its text form, used by String, JSON and the database, is YYYY-MM-DD.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d, or an error wrapping ErrInvalidDate when no
// such day exists (2026-02-30) or the year is outside 1..9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	d := Date{Year: year, Month: month, Day: day}
	if !d.Valid() {
		return Date{}, fmt.Errorf("%w：%04d-%02d-%02d 不是存在的日期", ErrInvalidDate, year, int(month), day)
	}
	return d, nil
}

// MustDate is NewDate for literals in tests and tables; it panics on a bad date.
func MustDate(year int, month time.Month, day int) Date {
	d, err := NewDate(year, month, day)
	if err != nil {
		panic(err)
	}
	return d
}

// ParseDate parses exactly YYYY-MM-DD (four-digit year, two-digit month and
// day, ASCII digits, surrounding spaces ignored). Empty input, other layouts
// and impossible days such as 2026-02-30 are rejected with a Chinese error
// wrapping ErrInvalidDate that quotes the input.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, fmt.Errorf("%w：日期为空，应为 YYYY-MM-DD 格式，例如 2026-03-01", ErrInvalidDate)
	}
	bad := func(why string) (Date, error) {
		return Date{}, fmt.Errorf("%w：%q %s，应为 YYYY-MM-DD 格式，例如 2026-03-01", ErrInvalidDate, s, why)
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return bad("格式不对")
	}
	parts := [3]string{s[0:4], s[5:7], s[8:10]}
	var nums [3]int
	for i, p := range parts {
		for _, c := range p {
			if c < '0' || c > '9' {
				return bad("含有非数字字符")
			}
		}
		n, _ := strconv.Atoi(p) // cannot fail: all ASCII digits
		nums[i] = n
	}
	d := Date{Year: nums[0], Month: time.Month(nums[1]), Day: nums[2]}
	if !d.Valid() {
		return bad("不是存在的日期")
	}
	return d, nil
}

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// Valid reports whether d names a real day in years 1..9999.
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return d.Day <= daysIn(d.Year, d.Month)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText implements encoding.TextMarshaler (YYYY-MM-DD), so JSON holds a
// plain date string.
func (d Date) MarshalText() ([]byte, error) {
	if !d.Valid() {
		return nil, fmt.Errorf("%w：无法序列化 %04d-%02d-%02d", ErrInvalidDate, d.Year, int(d.Month), d.Day)
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler using ParseDate.
func (d *Date) UnmarshalText(b []byte) error {
	parsed, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.In(time.UTC).Weekday() }

// IsWeekend reports whether d is a Saturday or Sunday.
func (d Date) IsWeekend() bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// AddDays returns the date n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date { return DateOf(d.In(time.UTC).AddDate(0, 0, n)) }

// AddMonths returns the day in the month n months after d that corresponds to
// d's day of month; when that month is shorter, it returns the month's last day
// and clamped is true (2024-01-31 + 1 month = 2024-02-29, 2024-02-29 + 12
// months = 2025-02-28). This is the rule of 民法典 art 202.
func (d Date) AddMonths(n int) (result Date, clamped bool) {
	total := d.Year*12 + int(d.Month-1) + n
	y, rem := total/12, total%12
	if rem < 0 { // floor division for months before year 0
		y, rem = y-1, rem+12
	}
	m := time.Month(rem + 1)
	last := daysIn(y, m)
	if d.Day > last {
		return Date{Year: y, Month: m, Day: last}, true
	}
	return Date{Year: y, Month: m, Day: d.Day}, false
}

// Compare returns -1, 0 or +1 as d is before, equal to or after other.
func (d Date) Compare(other Date) int {
	switch {
	case d.Year != other.Year:
		return cmpInt(d.Year, other.Year)
	case d.Month != other.Month:
		return cmpInt(int(d.Month), int(other.Month))
	default:
		return cmpInt(d.Day, other.Day)
	}
}

// Before reports whether d is strictly before other.
func (d Date) Before(other Date) bool { return d.Compare(other) < 0 }

// After reports whether d is strictly after other.
func (d Date) After(other Date) bool { return d.Compare(other) > 0 }

// DaysUntil returns the number of days from d to other (negative when other is earlier).
func (d Date) DaysUntil(other Date) int {
	return int(other.In(time.UTC).Sub(d.In(time.UTC)).Hours() / 24)
}

// WeekdayName returns the Chinese short name of d's weekday, e.g. 周六.
func (d Date) WeekdayName() string {
	return [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[d.Weekday()]
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
