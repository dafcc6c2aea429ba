package calendar

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const validHolidayCN = `{
  "$schema": "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json",
  "year": 2027,
  "papers": ["https://example.org/2027"],
  "days": [
    {"name": "春节", "date": "2027-02-06", "isOffDay": true},
    {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
    {"name": "春节", "date": "2027-02-20", "isOffDay": false}
  ]
}`

func TestParseHolidayCNValid(t *testing.T) {
	y, err := ParseHolidayCN(strings.NewReader(validHolidayCN), "2027.json")
	if err != nil {
		t.Fatal(err)
	}
	want := Year{
		Year:   2027,
		Papers: []string{"https://example.org/2027"},
		Days: []HolidayDay{ // sorted by date
			{Name: "元旦", Date: MustDate(2027, 1, 1), OffDay: true},
			{Name: "春节", Date: MustDate(2027, 2, 6), OffDay: true},
			{Name: "春节", Date: MustDate(2027, 2, 20), OffDay: false},
		},
	}
	if !reflect.DeepEqual(y, want) {
		t.Fatalf("got %+v\nwant %+v", y, want)
	}
}

func TestParseHolidayCNErrors(t *testing.T) {
	day := func(name, date, off string) string {
		return `{"name":` + name + `,"date":` + date + `,"isOffDay":` + off + `}`
	}
	doc := func(year string, days ...string) string {
		return `{"year":` + year + `,"papers":[],"days":[` + strings.Join(days, ",") + `]}`
	}
	ok := day(`"元旦"`, `"2027-01-01"`, "true")
	tests := []struct {
		name      string
		input     string
		wantField string
		wantMsg   string
	}{
		{"empty input", "", "", "内容为空"},
		{"syntax error", "{\n\"year\": 2027,\n\"days\": [}\n", "", "JSON 语法错误"},
		{"truncated", `{"year":2027,"days":[`, "", "JSON"},
		{"not an object", `[1,2]`, "", "类型错误"},
		{"trailing data", doc("2027", ok) + "{}", "", "多余内容"},
		{"missing year", `{"papers":[],"days":[` + ok + `]}`, "year", "缺少 year"},
		{"year as string", `{"year":"2027","days":[]}`, "year", "应为 整数"},
		{"year out of range", doc("1900", ok), "year", "超出范围"},
		{"missing days", `{"year":2027,"papers":[]}`, "days", "缺少 days"},
		{"empty days", doc("2027"), "days", "days 为空"},
		{"unknown field", `{"year":2027,"days":[],"extra":1}`, "extra", "未知字段"},
		{"unknown day field", doc("2027", `{"name":"元旦","date":"2027-01-01","isOffDay":true,"note":"x"}`), "note", "未知字段"},
		{"missing name", doc("2027", `{"date":"2027-01-01","isOffDay":true}`), "days[0].name", "缺少节日名称"},
		{"blank name", doc("2027", day(`" "`, `"2027-01-01"`, "true")), "days[0].name", "无效"},
		{"missing date", doc("2027", `{"name":"元旦","isOffDay":true}`), "days[0].date", "缺少日期"},
		{"missing isOffDay", doc("2027", `{"name":"元旦","date":"2027-01-01"}`), "days[0].isOffDay", "缺少 isOffDay"},
		{"isOffDay as string", doc("2027", day(`"元旦"`, `"2027-01-01"`, `"yes"`)), "days.isOffDay", "true 或 false"},
		{"impossible date", doc("2027", ok, day(`"春节"`, `"2027-02-30"`, "true")), "days[1].date", "不是存在的日期"},
		{"garbage date", doc("2027", day(`"春节"`, `"Feb 6"`, "true")), "days[0].date", "YYYY-MM-DD"},
		{"date of another year", doc("2027", ok, day(`"国庆节"`, `"2028-10-01"`, "true")), "days[1].date", "不属于 2027 年"},
		{"early December of previous year", doc("2027", day(`"元旦"`, `"2026-12-01"`, "true")), "days[0].date", "不属于 2027 年"},
		{"duplicate date", doc("2027", ok, day(`"元旦"`, `"2027-01-01"`, "true")), "days[1].date", "与 days[0] 重复"},
		{"adjusted working day on a weekday", doc("2027", day(`"春节"`, `"2027-02-03"`, "false")), "days[0].isOffDay", "应为周六或周日"},
		{"notice without date", `{"year":2027,"notices":[{"title":"通知"}],"days":[` + ok + `]}`, "notices[0].date", "缺少通知日期"},
		{"notice of wrong year", `{"year":2027,"notices":[{"title":"通知","date":"2020-01-01"}],"days":[` + ok + `]}`, "notices[0].date", "应在 2027 年或前一年"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHolidayCN(strings.NewReader(tt.input), "x.json")
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrInvalidHolidayData) {
				t.Fatalf("err = %v; want *ParseError wrapping ErrInvalidHolidayData", err)
			}
			if pe.Field != tt.wantField {
				t.Errorf("Field = %q, want %q (err: %v)", pe.Field, tt.wantField, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.Contains(err.Error(), "x.json") {
				t.Errorf("error %q should contain %q and the source name", err, tt.wantMsg)
			}
		})
	}
}

func TestParseHolidayCNSyntaxErrorLine(t *testing.T) {
	_, err := ParseHolidayCN(strings.NewReader("{\n\"year\": 2027,\n\"days\": [}\n"), "bad.json")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 3 {
		t.Fatalf("want a syntax error on line 3, got %v", err)
	}
	if !strings.Contains(err.Error(), "第 3 行") {
		t.Errorf("error should name the line: %v", err)
	}
}

func TestParseHolidayCNAllowsNewYearReachBack(t *testing.T) {
	// The 2023 notice starts the New Year holiday on 2022-12-31.
	in := `{"year":2023,"papers":[],"days":[{"name":"元旦","date":"2022-12-31","isOffDay":true},{"name":"元旦","date":"2023-01-01","isOffDay":true}]}`
	y, err := ParseHolidayCN(strings.NewReader(in), "2023.json")
	if err != nil {
		t.Fatal(err)
	}
	if y.Days[0].Date != MustDate(2022, 12, 31) {
		t.Fatalf("days = %+v", y.Days)
	}
}

func TestWriteHolidayCNRoundTrip(t *testing.T) {
	for _, y := range EmbeddedYears() {
		var buf bytes.Buffer
		if err := WriteHolidayCN(&buf, y); err != nil {
			t.Fatalf("%d: %v", y.Year, err)
		}
		back, err := ParseHolidayCN(&buf, "roundtrip")
		if err != nil {
			t.Fatalf("%d: %v", y.Year, err)
		}
		if !reflect.DeepEqual(back, y) {
			t.Fatalf("%d: round trip changed the year:\n%+v\n%+v", y.Year, back, y)
		}
	}
	if err := WriteHolidayCN(&bytes.Buffer{}, Year{Year: 2027}); !errors.Is(err, ErrInvalidHolidayData) {
		t.Fatalf("writing an empty year should fail validation, got %v", err)
	}
}

func FuzzParseHolidayCN(f *testing.F) {
	f.Add([]byte(validHolidayCN))
	f.Add([]byte(`{"year":2027,"papers":[],"days":[]}`))
	f.Add([]byte(`{"year":2027,"days":[{"name":"元旦","date":"2027-02-30","isOffDay":true}]}`))
	f.Add([]byte(`{"year":2027,"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"元旦","date":"2027-01-01","isOffDay":true}]}`))
	f.Add([]byte(`{"year":2027`))
	f.Add([]byte(``))
	files, _ := filepath.Glob("holidays/*.json")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		y, err := ParseHolidayCN(bytes.NewReader(data), "fuzz")
		if err != nil {
			if !errors.Is(err, ErrInvalidHolidayData) {
				t.Fatalf("error does not wrap ErrInvalidHolidayData: %v", err)
			}
			return
		}
		if err := y.Validate(); err != nil {
			t.Fatalf("parsed year fails Validate: %v", err)
		}
		var buf bytes.Buffer
		if err := WriteHolidayCN(&buf, y); err != nil {
			t.Fatalf("cannot write back a parsed year: %v", err)
		}
		back, err := ParseHolidayCN(&buf, "fuzz-roundtrip")
		if err != nil || !reflect.DeepEqual(back, y) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, back, y)
		}
		if _, err := New(y); err != nil {
			t.Fatalf("a parsed year is rejected by New: %v", err)
		}
	})
}
