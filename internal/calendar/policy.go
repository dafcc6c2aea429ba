package calendar

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Shanghai must resolve on machines without zoneinfo
)

// ErrInvalidPolicy is wrapped by errors about a working-hours policy.
var ErrInvalidPolicy = errors.New("工作时间设置无效")

// Shanghai is the Asia/Shanghai location, loaded from the embedded tzdata
// when the system has none.
var Shanghai = mustLoadLocation("Asia/Shanghai")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is linked in, so this cannot fail
	}
	return loc
}

// Clock is a time of day in minutes precision, e.g. 09:00.
type Clock struct {
	Hour, Minute int
}

// ParseClock parses HH:MM (00:00–24:00; 24:00 means end of day).
func ParseClock(s string) (Clock, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hour, err1 := strconv.Atoi(h)
	minute, err2 := strconv.Atoi(m)
	c := Clock{Hour: hour, Minute: minute}
	digits := func(s string) bool {
		return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	}
	if !ok || err1 != nil || err2 != nil || len(h) > 2 || len(m) != 2 || !digits(h) || !digits(m) || !c.valid() {
		return Clock{}, fmt.Errorf("%w：时间 %q 无效，应为 HH:MM，例如 09:00", ErrInvalidPolicy, s)
	}
	return c, nil
}

func (c Clock) valid() bool {
	return c.Hour >= 0 && c.Minute >= 0 && c.Minute < 60 && (c.Hour < 24 || (c.Hour == 24 && c.Minute == 0))
}

func (c Clock) minutes() int { return c.Hour*60 + c.Minute }

// String formats c as HH:MM.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// MarshalText implements encoding.TextMarshaler (HH:MM).
func (c Clock) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler using ParseClock.
func (c *Clock) UnmarshalText(b []byte) error {
	parsed, err := ParseClock(string(b))
	if err != nil {
		return err
	}
	*c = parsed
	return nil
}

// Policy is a lawyer's working hours: from Start to End (End exclusive) on
// each working day of the calendar, in Location.
type Policy struct {
	Start    Clock          `json:"start"`
	End      Clock          `json:"end"`
	Location *time.Location `json:"-"`
}

// DefaultPolicy is 工作日 09:00–18:00 Asia/Shanghai.
func DefaultPolicy() Policy {
	return Policy{Start: Clock{Hour: 9}, End: Clock{Hour: 18}, Location: Shanghai}
}

// Validate reports whether p is usable: valid clocks, Start before End, a location.
func (p Policy) Validate() error {
	switch {
	case !p.Start.valid() || p.Start.Hour == 24:
		return fmt.Errorf("%w：上班时间 %s 无效", ErrInvalidPolicy, p.Start)
	case !p.End.valid():
		return fmt.Errorf("%w：下班时间 %s 无效", ErrInvalidPolicy, p.End)
	case p.Start.minutes() >= p.End.minutes():
		return fmt.Errorf("%w：上班时间 %s 应早于下班时间 %s", ErrInvalidPolicy, p.Start, p.End)
	case p.Location == nil:
		return fmt.Errorf("%w：未设置时区", ErrInvalidPolicy)
	}
	return nil
}

func (p Policy) loc() *time.Location {
	if p.Location == nil {
		return Shanghai
	}
	return p.Location
}

func (p Policy) at(d Date, c Clock) time.Time {
	return d.In(p.loc()).Add(time.Duration(c.minutes()) * time.Minute)
}

// IsWorkingTime reports whether t falls inside working hours: on a working
// day of cal (in p's location) at or after Start and before End.
func (p Policy) IsWorkingTime(cal *Calendar, t time.Time) bool {
	local := t.In(p.loc())
	day := DateOf(local)
	if !cal.IsWorkday(day) {
		return false
	}
	return !local.Before(p.at(day, p.Start)) && local.Before(p.at(day, p.End))
}

// NextWorkingStart returns t itself when t is inside working hours, otherwise
// the start of the next working period after t (today's Start if t is before
// it on a working day, else Start on the next working day), in p's location.
func (p Policy) NextWorkingStart(cal *Calendar, t time.Time) time.Time {
	if p.IsWorkingTime(cal, t) {
		return t.In(p.loc())
	}
	local := t.In(p.loc())
	day := DateOf(local)
	if cal.IsWorkday(day) && local.Before(p.at(day, p.Start)) {
		return p.at(day, p.Start)
	}
	return p.at(cal.NextWorkday(day), p.Start)
}

// ParsePolicy builds a Policy from stored settings: start and end as HH:MM
// and an IANA zone name (empty means Asia/Shanghai). Errors are Chinese and
// wrap ErrInvalidPolicy.
func ParsePolicy(start, end, zone string) (Policy, error) {
	s, err := ParseClock(start)
	if err != nil {
		return Policy{}, err
	}
	e, err := ParseClock(end)
	if err != nil {
		return Policy{}, err
	}
	loc := Shanghai
	if zone != "" {
		if loc, err = time.LoadLocation(zone); err != nil {
			return Policy{}, fmt.Errorf("%w：时区 %q 不存在，应为 IANA 时区名，例如 Asia/Shanghai", ErrInvalidPolicy, zone)
		}
	}
	p := Policy{Start: s, End: e, Location: loc}
	return p, p.Validate()
}
