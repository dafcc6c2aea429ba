package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/lvxin/lvxin/internal/calendar"
)

// Test hooks. The end-to-end tests run the real binary; with these
// variables they give it their own clock and holiday data, so that they
// hold on any date and whatever years the binary embeds. Unset in normal
// use; when set, every command says so on stderr.
const (
	// envTestClock is an RFC 3339 instant: the clock of the deadline,
	// client-book and web workflows starts there and runs on.
	envTestClock = "LVXIN_TEST_CLOCK"
	// envTestHolidays is a folder of holiday-cn files (one year each) that
	// replace the embedded holiday years.
	envTestHolidays = "LVXIN_TEST_HOLIDAYS"
)

// testHooks are the clock and holiday years the variables set; now is nil
// and base empty when they are unset.
type testHooks struct {
	now  func() time.Time
	base []calendar.Year
}

var loadedHooks = sync.OnceValues(loadTestHooks)

func loadTestHooks() (testHooks, error) {
	var h testHooks
	if v := os.Getenv(envTestClock); v != "" {
		start, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return h, fmt.Errorf("环境变量 %s 应为 RFC 3339 时间（如 2026-12-06T10:00:00+08:00），而不是 %q", envTestClock, v)
		}
		began := time.Now()
		h.now = func() time.Time { return start.Add(time.Since(began)) }
	}
	if dir := os.Getenv(envTestHolidays); dir != "" {
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil || len(files) == 0 {
			return h, fmt.Errorf("环境变量 %s：%s 中没有 holiday-cn 格式的 .json 文件", envTestHolidays, dir)
		}
		slices.Sort(files)
		for _, name := range files {
			f, err := os.Open(name)
			if err != nil {
				return h, fmt.Errorf("环境变量 %s：%w", envTestHolidays, err)
			}
			y, err := calendar.ParseHolidayCN(f, name)
			f.Close()
			if err != nil {
				return h, fmt.Errorf("环境变量 %s：%w", envTestHolidays, err)
			}
			h.base = append(h.base, y)
		}
	}
	return h, nil
}

// active says whether any hook is set.
func (h testHooks) active() bool { return h.now != nil || len(h.base) > 0 }

// notice is the line every command prints on stderr while a hook is set.
func (h testHooks) notice() string {
	return fmt.Sprintf("注意：已设置测试用的 %s/%s，期限按测试时钟与测试节假日数据计算（仅供测试）", envTestClock, envTestHolidays)
}

// defaultCalendar is the calendar without a database: the embedded years,
// or the test's own.
func (h testHooks) defaultCalendar() (*calendar.Calendar, error) {
	if len(h.base) == 0 {
		return calendar.Default(), nil
	}
	return calendar.Of(h.base...)
}
