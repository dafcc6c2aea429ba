// Package calendar owns the Chinese working-day calendar: the civil Date type,
// the State Council's annual holiday arrangements (rest days and adjusted
// working days, embedded for 2020–2026 and importable in the holiday-cn JSON
// format), working-day arithmetic, and per-lawyer working-hours policies.
//
// A year without a published notice is computed from weekends and the days
// 全国年节及纪念日放假办法 art 2 fixes (lunar dates and the 清明 solar term
// from github.com/6tail/lunar-go), and every answer touching it is marked
// Provisional. The package does no I/O beyond
// reading its embedded data and the readers it is handed.
package calendar
