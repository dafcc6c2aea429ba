package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/calendar"
)

// TestTestHooks: the variables set a running clock and replace the
// embedded holiday years; bad values are errors naming the variable.
func TestTestHooks(t *testing.T) {
	t.Setenv(envTestClock, "")
	t.Setenv(envTestHolidays, "")
	if h, err := loadTestHooks(); err != nil || h.active() {
		t.Fatalf("unset: %+v %v", h, err)
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "2025.json"), []byte(`{"year":2025,"papers":[],"days":[{"name":"元旦","date":"2025-01-01","isOffDay":true}]}`), 0o600)
	t.Setenv(envTestClock, "2027-01-15T09:00:00+08:00")
	t.Setenv(envTestHolidays, dir)
	h, err := loadTestHooks()
	if err != nil || !h.active() {
		t.Fatalf("set: %v", err)
	}
	start := time.Date(2027, 1, 15, 1, 0, 0, 0, time.UTC)
	if now := h.now(); now.Before(start) || now.After(start.Add(time.Minute)) {
		t.Fatalf("clock at %v, want from %v on", now, start)
	}
	cal, err := h.defaultCalendar()
	if err != nil || !cal.HasYear(2025) || cal.HasYear(2026) || !cal.Day(calendar.MustDate(2026, 2, 17)).Provisional {
		t.Fatalf("holiday years should be exactly the folder's: %v", err)
	}

	for env, value := range map[string]string{envTestClock: "2027-01-15", envTestHolidays: t.TempDir()} {
		t.Run(env, func(t *testing.T) {
			t.Setenv(env, value)
			if _, err := loadTestHooks(); err == nil || !strings.Contains(err.Error(), env) {
				t.Fatalf("%s=%q: %v", env, value, err)
			}
		})
	}
}
