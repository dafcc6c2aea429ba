package calendar

import (
	"errors"
	"testing"
	"time"
)

func TestPolicyWorkingTime(t *testing.T) {
	cal := Default()
	p := DefaultPolicy()
	at := func(y int, m time.Month, day, h, min int) time.Time {
		return time.Date(y, m, day, h, min, 0, 0, Shanghai)
	}
	tests := []struct {
		name        string
		t           time.Time
		working     bool
		wantNextRun time.Time
	}{
		{"weekday morning", at(2025, 3, 3, 10, 0), true, at(2025, 3, 3, 10, 0)},
		{"at start", at(2025, 3, 3, 9, 0), true, at(2025, 3, 3, 9, 0)},
		{"before start", at(2025, 3, 3, 8, 59), false, at(2025, 3, 3, 9, 0)},
		{"at end is outside", at(2025, 3, 3, 18, 0), false, at(2025, 3, 4, 9, 0)},
		{"Friday evening", at(2025, 3, 7, 19, 0), false, at(2025, 3, 10, 9, 0)},
		{"Saturday", at(2025, 3, 8, 10, 0), false, at(2025, 3, 10, 9, 0)},
		{"adjusted working Sunday", at(2025, 1, 26, 10, 0), true, at(2025, 1, 26, 10, 0)},
		{"Spring Festival", at(2025, 1, 29, 10, 0), false, at(2025, 2, 5, 9, 0)},
		{"eve of National Day after hours", at(2025, 9, 30, 18, 30), false, at(2025, 10, 9, 9, 0)},
		// 01:30 UTC is 09:30 in Shanghai: the policy's zone decides, not t's.
		{"UTC input", time.Date(2025, 3, 3, 1, 30, 0, 0, time.UTC), true, time.Date(2025, 3, 3, 1, 30, 0, 0, time.UTC)},
		{"UTC input late evening", time.Date(2025, 3, 7, 16, 0, 0, 0, time.UTC), false, at(2025, 3, 10, 9, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.IsWorkingTime(cal, tt.t); got != tt.working {
				t.Errorf("IsWorkingTime = %v, want %v", got, tt.working)
			}
			got := p.NextWorkingStart(cal, tt.t)
			if !got.Equal(tt.wantNextRun) || got.Location() != Shanghai {
				t.Errorf("NextWorkingStart = %v, want %v in Asia/Shanghai", got, tt.wantNextRun)
			}
		})
	}
}

func TestPolicyValidateAndClock(t *testing.T) {
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []Policy{
		{Start: Clock{18, 0}, End: Clock{9, 0}, Location: Shanghai},
		{Start: Clock{9, 0}, End: Clock{9, 0}, Location: Shanghai},
		{Start: Clock{9, 61}, End: Clock{18, 0}, Location: Shanghai},
		{Start: Clock{9, 0}, End: Clock{18, 0}},
	}
	for _, p := range bad {
		if err := p.Validate(); !errors.Is(err, ErrInvalidPolicy) {
			t.Errorf("Validate(%+v) = %v", p, err)
		}
	}
	for in, want := range map[string]Clock{"09:00": {9, 0}, "9:30": {9, 30}, "24:00": {24, 0}, " 18:05 ": {18, 5}} {
		if got, err := ParseClock(in); err != nil || got != want {
			t.Errorf("ParseClock(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "9", "25:00", "09:60", "09:5", "ab:cd", "24:01", "+9:00", "009:00", "09:-1"} {
		if _, err := ParseClock(in); !errors.Is(err, ErrInvalidPolicy) {
			t.Errorf("ParseClock(%q) should fail, got %v", in, err)
		}
	}
}

func TestParsePolicy(t *testing.T) {
	p, err := ParsePolicy("08:30", "17:30", "")
	if err != nil || p.Start != (Clock{8, 30}) || p.End != (Clock{17, 30}) || p.Location != Shanghai {
		t.Fatalf("ParsePolicy = %+v, %v", p, err)
	}
	if p, err := ParsePolicy("09:00", "18:00", "Asia/Urumqi"); err != nil || p.Location.String() != "Asia/Urumqi" {
		t.Fatalf("zone: %+v, %v", p, err)
	}
	for _, in := range [][3]string{{"18:00", "09:00", ""}, {"9", "18:00", ""}, {"09:00", "18:00", "Mars/Base"}} {
		if _, err := ParsePolicy(in[0], in[1], in[2]); !errors.Is(err, ErrInvalidPolicy) {
			t.Errorf("ParsePolicy(%q) = %v", in, err)
		}
	}
}
