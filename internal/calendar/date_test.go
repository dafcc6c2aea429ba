package calendar

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr string // substring of the Chinese error; empty for success
	}{
		{"2026-03-01", Date{2026, time.March, 1}, ""},
		{" 2024-02-29 ", Date{2024, time.February, 29}, ""},
		{"2026-02-30", Date{}, "不是存在的日期"},
		{"2025-02-29", Date{}, "不是存在的日期"},
		{"2026-13-01", Date{}, "不是存在的日期"},
		{"2026-00-10", Date{}, "不是存在的日期"},
		{"0000-01-01", Date{}, "不是存在的日期"},
		{"", Date{}, "日期为空"},
		{"   ", Date{}, "日期为空"},
		{"garbage", Date{}, "格式不对"},
		{"2026/03/01", Date{}, "格式不对"},
		{"2026-3-1", Date{}, "格式不对"},
		{"2026-03-1x", Date{}, "非数字"},
		{"+026-03-01", Date{}, "非数字"},
		{"２０２６-03-01", Date{}, "格式不对"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrInvalidDate) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ParseDate(%q) error = %v; want ErrInvalidDate containing %q", tt.in, err, tt.wantErr)
			}
		})
	}
}

func TestDateArithmetic(t *testing.T) {
	tests := []struct {
		name        string
		from        Date
		months      int
		want        Date
		wantClamped bool
	}{
		{"month end into February of leap year", MustDate(2024, 1, 31), 1, MustDate(2024, 2, 29), true},
		{"month end into February", MustDate(2025, 1, 31), 1, MustDate(2025, 2, 28), true},
		{"leap day plus one year", MustDate(2024, 2, 29), 12, MustDate(2025, 2, 28), true},
		{"leap day plus four years", MustDate(2024, 2, 29), 48, MustDate(2028, 2, 29), false},
		{"across year end", MustDate(2025, 11, 15), 3, MustDate(2026, 2, 15), false},
		{"31st into 30-day month", MustDate(2025, 8, 31), 1, MustDate(2025, 9, 30), true},
		{"backwards", MustDate(2025, 3, 31), -1, MustDate(2025, 2, 28), true},
		{"six months", MustDate(2025, 8, 29), 6, MustDate(2026, 2, 28), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, clamped := tt.from.AddMonths(tt.months)
			if got != tt.want || clamped != tt.wantClamped {
				t.Fatalf("%v.AddMonths(%d) = %v, %v; want %v, %v", tt.from, tt.months, got, clamped, tt.want, tt.wantClamped)
			}
		})
	}
	if got := MustDate(2024, 12, 25).AddDays(10); got != MustDate(2025, 1, 4) {
		t.Errorf("AddDays across year = %v", got)
	}
	if got := MustDate(2025, 3, 1).AddDays(-1); got != MustDate(2025, 2, 28) {
		t.Errorf("AddDays backwards = %v", got)
	}
	if n := MustDate(2025, 1, 1).DaysUntil(MustDate(2026, 1, 1)); n != 365 {
		t.Errorf("DaysUntil = %d, want 365", n)
	}
	if !MustDate(2025, 1, 1).Before(MustDate(2025, 1, 2)) || MustDate(2025, 1, 2).Before(MustDate(2025, 1, 1)) {
		t.Error("Before is wrong")
	}
	if MustDate(2026, 2, 14).WeekdayName() != "周六" || !MustDate(2026, 2, 14).IsWeekend() {
		t.Error("2026-02-14 should be a Saturday")
	}
}

func TestDateJSON(t *testing.T) {
	type wrapper struct {
		D Date `json:"d"`
	}
	b, err := json.Marshal(wrapper{MustDate(2026, 3, 1)})
	if err != nil || string(b) != `{"d":"2026-03-01"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var w wrapper
	if err := json.Unmarshal([]byte(`{"d":"2024-02-29"}`), &w); err != nil || w.D != MustDate(2024, 2, 29) {
		t.Fatalf("Unmarshal = %v, %v", w.D, err)
	}
	if err := json.Unmarshal([]byte(`{"d":"2026-02-30"}`), &w); !errors.Is(err, ErrInvalidDate) {
		t.Fatalf("Unmarshal of impossible date: err = %v", err)
	}
	if _, err := json.Marshal(wrapper{}); err == nil {
		t.Fatal("marshalling the zero Date should fail")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-01", "2024-02-29", "2026-02-30", "", "garbage", "9999-12-31", "0001-01-01", "2026-1-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidDate) {
				t.Fatalf("error does not wrap ErrInvalidDate: %v", err)
			}
			return
		}
		if !d.Valid() {
			t.Fatalf("ParseDate(%q) returned invalid %v", s, d)
		}
		if d.String() != strings.TrimSpace(s) {
			t.Fatalf("round trip: %q -> %v", s, d)
		}
	})
}
