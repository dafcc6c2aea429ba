package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrInvalidHolidayData is wrapped by every error about holiday data that
// cannot be accepted (bad JSON, missing fields, impossible or misplaced dates).
var ErrInvalidHolidayData = errors.New("节假日数据无效")

// Limits that keep an imported year plausible and the calendar's loops finite.
const (
	MinYear          = 2000
	MaxYear          = 2100
	maxDaysPerYear   = 120     // real notices list about 30–40 days
	maxHolidayCNSize = 1 << 20 // bytes
	maxNameRunes     = 32
)

// ParseError is a holiday data error naming the source, the field or entry
// (e.g. days[3].date) and, for JSON syntax errors, the line.
type ParseError struct {
	Source string // file name or other label given by the caller
	Field  string // JSON path of the offending field; empty for whole-document errors
	Line   int    // 1-based line of a JSON syntax or type error; 0 when unknown
	Msg    string // Chinese description of what is wrong and what was expected
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(ErrInvalidHolidayData.Error())
	if e.Source != "" {
		b.WriteString("（" + e.Source + "）")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "：第 %d 行", e.Line)
	}
	if e.Field != "" {
		b.WriteString("：" + e.Field)
	}
	b.WriteString("：" + e.Msg)
	return b.String()
}

func (e *ParseError) Unwrap() error { return ErrInvalidHolidayData }

// holidayCNFile is the holiday-cn document shape (github.com/NateScarlet/holiday-cn)
// with one optional extension, "notices", which records each notice's title,
// number and date. Pointers tell a missing field from a zero value.
type holidayCNFile struct {
	Schema  string          `json:"$schema,omitempty"`
	ID      string          `json:"$id,omitempty"`
	Year    *int            `json:"year"`
	Papers  []string        `json:"papers"`
	Notices []holidayCNNote `json:"notices,omitempty"`
	Days    []holidayCNDay  `json:"days"`
}

type holidayCNNote struct {
	Title  *string `json:"title"`
	Number string  `json:"number,omitempty"`
	Date   *string `json:"date"`
	URL    string  `json:"url,omitempty"`
}

type holidayCNDay struct {
	Name     *string `json:"name"`
	Date     *string `json:"date"`
	IsOffDay *bool   `json:"isOffDay"`
}

// ParseHolidayCN reads one year in the holiday-cn JSON format, for example
//
//	{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}
//
// and validates it strictly: every field present and of the right type, no
// unknown fields, valid YYYY-MM-DD dates inside the year (or in the last week
// of the previous December, where a New Year holiday may start), no duplicate
// dates, adjusted working days only on weekends, at most 120 days. source
// names the input in error messages. Errors are *ParseError values wrapping
// ErrInvalidHolidayData, in Chinese. The returned days are sorted by date.
func ParseHolidayCN(r io.Reader, source string) (Year, error) {
	fail := func(field string, line int, format string, args ...any) (Year, error) {
		return Year{}, &ParseError{Source: source, Field: field, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	data, err := io.ReadAll(io.LimitReader(r, maxHolidayCNSize+1))
	if err != nil {
		return fail("", 0, "读取失败：%v", err)
	}
	if len(data) > maxHolidayCNSize {
		return fail("", 0, "文件超过 %d 字节，不像单个年份的节假日数据", maxHolidayCNSize)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fail("", 0, "内容为空，应为 holiday-cn 格式的 JSON 对象")
	}
	if !utf8.Valid(data) {
		return fail("", 0, "不是有效的 UTF-8 文本")
	}
	var file holidayCNFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return failJSON(source, data, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fail("", lineAt(data, dec.InputOffset()), "JSON 对象之后还有多余内容")
	}
	if file.Year == nil {
		return fail("year", 0, "缺少 year 字段，应为年份数字，例如 2027")
	}
	y := Year{Year: *file.Year, Papers: file.Papers}
	if y.Papers == nil {
		y.Papers = []string{}
	}
	for i, n := range file.Notices {
		field := fmt.Sprintf("notices[%d]", i)
		if n.Title == nil {
			return fail(field+".title", 0, "缺少通知标题")
		}
		if n.Date == nil {
			return fail(field+".date", 0, "缺少通知日期，应为 YYYY-MM-DD")
		}
		d, err := ParseDate(*n.Date)
		if err != nil {
			return fail(field+".date", 0, "%v", err)
		}
		y.Notices = append(y.Notices, Notice{Title: *n.Title, Number: n.Number, Date: d, URL: n.URL})
	}
	if file.Days == nil {
		return fail("days", 0, "缺少 days 字段，应为放假与调休日期的列表")
	}
	for i, day := range file.Days {
		field := fmt.Sprintf("days[%d]", i)
		switch {
		case day.Name == nil:
			return fail(field+".name", 0, "缺少节日名称，例如 \"元旦\"")
		case day.Date == nil:
			return fail(field+".date", 0, "缺少日期，应为 YYYY-MM-DD")
		case day.IsOffDay == nil:
			return fail(field+".isOffDay", 0, "缺少 isOffDay 字段，应为 true（放假）或 false（调休上班）")
		}
		d, err := ParseDate(*day.Date)
		if err != nil {
			return fail(field+".date", 0, "%v", err)
		}
		y.Days = append(y.Days, HolidayDay{Name: *day.Name, Date: d, OffDay: *day.IsOffDay})
	}
	if err := y.validate(source); err != nil {
		return Year{}, err
	}
	y.sortDays()
	return y, nil
}

// Validate checks a Year built by hand (or loaded from storage) with the same
// rules as ParseHolidayCN. Errors are *ParseError values.
func (y Year) Validate() error { return y.validate("") }

func (y Year) validate(source string) error {
	fail := func(field, format string, args ...any) error {
		return &ParseError{Source: source, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if y.Year < MinYear || y.Year > MaxYear {
		return fail("year", "年份 %d 超出范围，应在 %d 到 %d 之间", y.Year, MinYear, MaxYear)
	}
	for i, p := range y.Papers {
		if strings.TrimSpace(p) == "" || hasControl(p) {
			return fail(fmt.Sprintf("papers[%d]", i), "来源链接为空或含控制字符")
		}
	}
	for i, n := range y.Notices {
		field := fmt.Sprintf("notices[%d]", i)
		if strings.TrimSpace(n.Title) == "" || hasControl(n.Title) || hasControl(n.Number) || hasControl(n.URL) {
			return fail(field, "通知标题为空或含控制字符")
		}
		if !n.Date.Valid() {
			return fail(field+".date", "通知日期无效")
		}
		if n.Date.Year < y.Year-1 || n.Date.Year > y.Year {
			return fail(field+".date", "通知日期 %s 应在 %d 年或前一年", n.Date, y.Year)
		}
	}
	if len(y.Days) == 0 {
		return fail("days", "days 为空：尚未发布放假安排的年份无需导入，系统会按周末和法定放假日推算并标注为暂定")
	}
	if len(y.Days) > maxDaysPerYear {
		return fail("days", "共 %d 条，超过上限 %d 条，不像一年的放假安排", len(y.Days), maxDaysPerYear)
	}
	seen := make(map[Date]int, len(y.Days))
	for i, d := range y.Days {
		field := fmt.Sprintf("days[%d]", i)
		name := strings.TrimSpace(d.Name)
		if name == "" || name != d.Name || hasControl(name) || utf8.RuneCountInString(name) > maxNameRunes {
			return fail(field+".name", "节日名称 %q 无效，应为不超过 %d 个字、首尾无空白的名称，例如 \"春节\"", d.Name, maxNameRunes)
		}
		if !d.Date.Valid() {
			return fail(field+".date", "日期无效")
		}
		inYear := d.Date.Year == y.Year
		reachBack := d.Date.Year == y.Year-1 && lateDecember(d.Date)
		if !inYear && !reachBack {
			return fail(field+".date", "日期 %s 不属于 %d 年（只允许本年日期，或上一年 12 月 %d 日之后的元旦假期日期）", d.Date, y.Year, firstReachBackDay)
		}
		if j, dup := seen[d.Date]; dup {
			return fail(field+".date", "日期 %s 与 days[%d] 重复", d.Date, j)
		}
		seen[d.Date] = i
		if !d.OffDay && !d.Date.IsWeekend() {
			return fail(field+".isOffDay", "%s 是%s，调休上班日（isOffDay=false）应为周六或周日", d.Date, d.Date.WeekdayName())
		}
	}
	return nil
}

func (y *Year) sortDays() {
	slices.SortFunc(y.Days, func(a, b HolidayDay) int { return a.Date.Compare(b.Date) })
}

// WriteHolidayCN writes y in the holiday-cn JSON format (with the notices
// extension), indented, so that ParseHolidayCN reads back the same Year. Use
// it to store an imported year in the database. It validates y first.
func WriteHolidayCN(w io.Writer, y Year) error {
	if err := y.Validate(); err != nil {
		return err
	}
	file := holidayCNFile{Year: &y.Year, Papers: y.Papers, Days: make([]holidayCNDay, len(y.Days))}
	if file.Papers == nil {
		file.Papers = []string{}
	}
	for _, n := range y.Notices {
		title, date := n.Title, n.Date.String()
		file.Notices = append(file.Notices, holidayCNNote{Title: &title, Number: n.Number, Date: &date, URL: n.URL})
	}
	sorted := slices.Clone(y.Days)
	slices.SortFunc(sorted, func(a, b HolidayDay) int { return a.Date.Compare(b.Date) })
	for i, d := range sorted {
		name, date, off := d.Name, d.Date.String(), d.OffDay
		file.Days[i] = holidayCNDay{Name: &name, Date: &date, IsOffDay: &off}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(file)
}

func failJSON(source string, data []byte, err error) (Year, error) {
	pe := &ParseError{Source: source}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		pe.Line = lineAt(data, syntax.Offset)
		pe.Msg = "JSON 语法错误（" + syntax.Error() + "），应为 holiday-cn 格式的 JSON 对象"
	case errors.As(err, &typ):
		pe.Line = lineAt(data, typ.Offset)
		pe.Field = typ.Field
		pe.Msg = fmt.Sprintf("类型错误：得到 JSON %s，应为 %s", typ.Value, goTypeLabel(typ.Type.String()))
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		pe.Msg = "JSON 不完整，内容在中途结束"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		pe.Field = strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		pe.Msg = "未知字段；holiday-cn 格式只允许 year、papers、notices、days（及 $schema、$id），每天只允许 name、date、isOffDay"
	default:
		pe.Msg = "无法解析 JSON：" + err.Error()
	}
	return Year{}, pe
}

func goTypeLabel(t string) string {
	switch strings.TrimPrefix(t, "*") {
	case "int":
		return "整数"
	case "string":
		return "字符串"
	case "bool":
		return "true 或 false"
	}
	if strings.HasPrefix(t, "[]") {
		return "数组"
	}
	return "对象"
}

// lineAt returns the 1-based line containing byte offset off.
func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, unicode.IsControl)
}
