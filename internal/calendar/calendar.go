package calendar

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sync"
)

//go:embed holidays/*.json
var embeddedHolidays embed.FS

// Calendar answers working-day questions from the embedded holiday years plus
// any override years. It is immutable and safe for concurrent use.
type Calendar struct {
	years   map[int]Year
	sources map[int]Source
	days    map[Date]HolidayDay
	version string
}

// New builds a Calendar from the embedded years (2020–2026) and overrides,
// typically years imported into the database. An override replaces the
// embedded year with the same number entirely; a later override of the same
// year replaces an earlier one. Overrides are validated like ParseHolidayCN
// input; an invalid one is an error naming its year and field.
func New(overrides ...Year) (*Calendar, error) {
	return build(embeddedYears(), overrides)
}

// Of builds a Calendar of exactly the given years, without the embedded
// ones (each is validated and counted as an override, as in New): for
// tests and tools whose answers must not depend on which years a binary
// happens to embed.
func Of(years ...Year) (*Calendar, error) {
	return build(nil, years)
}

// build is New with the base years given.
func build(base, overrides []Year) (*Calendar, error) {
	years := make(map[int]Year, len(base)+len(overrides))
	sources := make(map[int]Source, len(base)+len(overrides))
	for _, y := range base {
		years[y.Year], sources[y.Year] = y, SourceEmbedded
	}
	for i, y := range overrides {
		if err := y.validate(fmt.Sprintf("覆盖年份 #%d（%d 年）", i+1, y.Year)); err != nil {
			return nil, err
		}
		y.Days = slices.Clone(y.Days)
		y.sortDays()
		years[y.Year], sources[y.Year] = y, SourceOverride
	}
	c := &Calendar{years: years, sources: sources, days: make(map[Date]HolidayDay)}
	// Ascending order: a year's own notice wins over the previous year's for
	// the same date, and a later notice's reach-back days over earlier ones.
	version := sha256.New()
	fmt.Fprintf(version, "%s\n", fixedHolidaysVersion)
	for _, yr := range slices.Sorted(maps.Keys(years)) {
		fmt.Fprintf(version, "year %d\n", yr)
		for _, d := range years[yr].Days {
			c.days[d.Date] = d
			fmt.Fprintf(version, "%s %t %s\n", d.Date, d.OffDay, d.Name)
		}
	}
	c.version = hex.EncodeToString(version.Sum(nil)[:8])
	return c, nil
}

// fixedHolidaysVersion changes when the computation of provisional years
// changes, so that saved deadlines are recomputed.
const fixedHolidaysVersion = "fixed-holidays-v1"

// Version identifies the holiday data of the calendar: the dates of every
// known year and the rules for provisional years. Two calendars with the
// same version give the same answers; a saved deadline computed on another
// version must be recomputed.
func (c *Calendar) Version() string { return c.version }

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := New()
	if err != nil {
		panic(err) // embedded data is validated by tests; this cannot happen in a release
	}
	return c
})

// Default returns the Calendar of the embedded years only.
func Default() *Calendar { return defaultCalendar() }

var embeddedYears = sync.OnceValue(func() []Year {
	entries, err := fs.Glob(embeddedHolidays, "holidays/*.json")
	if err != nil {
		panic(err)
	}
	out := make([]Year, 0, len(entries))
	for _, name := range entries {
		data, err := embeddedHolidays.ReadFile(name)
		if err != nil {
			panic(err)
		}
		y, err := ParseHolidayCN(bytes.NewReader(data), name)
		if err != nil {
			panic(fmt.Sprintf("embedded holiday data: %v", err))
		}
		out = append(out, y)
	}
	return out
})

// EmbeddedYears returns copies of the years shipped in the binary, sorted.
func EmbeddedYears() []Year {
	ys := embeddedYears()
	out := make([]Year, len(ys))
	for i, y := range ys {
		out[i] = y.clone()
	}
	return out
}

func (y Year) clone() Year {
	y.Notices = slices.Clone(y.Notices)
	y.Papers = slices.Clone(y.Papers)
	y.Days = slices.Clone(y.Days)
	return y
}

// Years lists the years with a published arrangement, ascending.
func (c *Calendar) Years() []YearInfo {
	out := make([]YearInfo, 0, len(c.years))
	for _, yr := range slices.Sorted(maps.Keys(c.years)) {
		y := c.years[yr]
		rest, work := y.counts()
		out = append(out, YearInfo{
			Year: yr, Source: c.sources[yr], Notices: slices.Clone(y.Notices),
			RestDays: rest, AdjustedWorkdays: work,
		})
	}
	return out
}

// Year returns a copy of the arrangement of year yr, if known.
func (c *Calendar) Year(yr int) (Year, bool) {
	y, ok := c.years[yr]
	if !ok {
		return Year{}, false
	}
	return y.clone(), true
}

// HasYear reports whether year yr has a published arrangement.
func (c *Calendar) HasYear(yr int) bool {
	_, ok := c.years[yr]
	return ok
}

// Day classifies date d. d must be valid; an invalid date is reported as a
// provisional non-working day of kind weekend so that no loop can stall on it.
func (c *Calendar) Day(d Date) DayInfo {
	info := DayInfo{Date: d}
	if !d.Valid() {
		info.Kind, info.Provisional = KindWeekend, true
		return info
	}
	info.Weekday = d.WeekdayName()
	info.Provisional = !c.HasYear(d.Year) || (lateDecember(d) && !c.HasYear(d.Year+1))
	if h, ok := c.days[d]; ok {
		info.Name = h.Name
		if h.OffDay {
			info.Kind = KindHoliday
		} else {
			info.Kind, info.Workday = KindAdjustedWorkday, true
		}
		return info
	}
	if !c.HasYear(d.Year) {
		// No arrangement yet: the days fixed by 全国年节及纪念日放假办法 art 2
		// are rest days whatever the State Council later decides.
		if h, ok := fixedHoliday(d); ok {
			info.Name, info.Kind, info.Fixed = h.Name, KindHoliday, true
			return info
		}
	}
	if d.IsWeekend() {
		info.Kind = KindWeekend
	} else {
		info.Kind, info.Workday = KindWorkday, true
	}
	return info
}

// IsWorkday reports whether d is a working day (an ordinary weekday that is
// not a holiday, or an adjusted working day).
func (c *Calendar) IsWorkday(d Date) bool { return c.Day(d).Workday }

// NextWorkday returns the first working day strictly after d.
func (c *Calendar) NextWorkday(d Date) Date { return c.AddWorkdays(d, 1) }

// AddWorkdays returns the nth working day after d, not counting d itself
// (AddWorkdays(d, 1) is the next working day). n = 0 returns d unchanged; a
// negative n counts backwards (the |n|th working day before d).
//
// Validation caps rest days at 120 a year, so a working day is always found
// within a few weeks and the walk ends. An invalid d, or a walk leaving years
// 1..9999, returns the (invalid) date reached.
func (c *Calendar) AddWorkdays(d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 && d.Valid() {
		d = d.AddDays(step)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// WorkdaysBetween counts the working days in the half-open range (from, to]:
// after from, up to and including to. It is 0 when to is not after from.
func (c *Calendar) WorkdaysBetween(from, to Date) int {
	count := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			count++
		}
	}
	return count
}

// AnyProvisional reports whether any day in the closed range [from, to]
// depends on an arrangement that has not been published.
func (c *Calendar) AnyProvisional(from, to Date) bool {
	for d := from; !d.After(to); d = d.AddDays(1) {
		if c.Day(d).Provisional {
			return true
		}
	}
	return false
}
