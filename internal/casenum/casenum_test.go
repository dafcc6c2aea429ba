package casenum

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		in    string
		want  CaseNumber
		norm  string
		level string
	}{
		{"(2024)京0105民初12345号", CaseNumber{2024, "京0105", "民初", 12345, ""}, "(2024)京0105民初12345号", "基层人民法院"},
		{"（2024）京0105民初12345号", CaseNumber{2024, "京0105", "民初", 12345, ""}, "(2024)京0105民初12345号", "基层人民法院"},
		{"〔2023〕沪01民终1号", CaseNumber{2023, "沪01", "民终", 1, ""}, "(2023)沪01民终1号", "中级人民法院"},
		{" （２０２２）粤 03 执恢 77 号 ", CaseNumber{2022, "粤03", "执恢", 77, ""}, "(2022)粤03执恢77号", "中级人民法院"},
		{"(2019)最高法知民终1号", CaseNumber{2019, "最高法", "知民终", 1, ""}, "(2019)最高法知民终1号", "最高人民法院"},
		{"(2021)最高法民申5100号", CaseNumber{2021, "最高法", "民申", 5100, ""}, "(2021)最高法民申5100号", "最高人民法院"},
		{"(2020)京民终99号", CaseNumber{2020, "京", "民终", 99, ""}, "(2020)京民终99号", "高级人民法院"},
		{"(2018)京73民初1000号", CaseNumber{2018, "京73", "民初", 1000, ""}, "(2018)京73民初1000号", "知识产权法院"},
		{"(2017)沪72民初12号", CaseNumber{2017, "沪72", "民初", 12, ""}, "(2017)沪72民初12号", "海事法院"},
		{"(2019)沪74民终3号", CaseNumber{2019, "沪74", "民终", 3, ""}, "(2019)沪74民终3号", "金融法院"},
		{"(2019)京7101刑初5号", CaseNumber{2019, "京7101", "刑初", 5, ""}, "(2019)京7101刑初5号", "铁路运输基层法院"},
		{"(2016)军刑终2号", CaseNumber{2016, "军", "刑终", 2, ""}, "(2016)军刑终2号", "中国人民解放军军事法院"},
		{"(2020)兵08民终40号", CaseNumber{2020, "兵08", "民终", 40, ""}, "(2020)兵08民终40号", "中级人民法院"},
		{"(2019)内01民初88号", CaseNumber{2019, "内01", "民初", 88, ""}, "(2019)内01民初88号", "中级人民法院"},
		{"(2024)浙0192民初1号", CaseNumber{2024, "浙0192", "民初", 1, ""}, "(2024)浙0192民初1号", "基层人民法院"},
		{"(2023)京0105执1234号", CaseNumber{2023, "京0105", "执", 1234, ""}, "(2023)京0105执1234号", "基层人民法院"},
		{"(2023)苏05破12号", CaseNumber{2023, "苏05", "破", 12, ""}, "(2023)苏05破12号", "中级人民法院"},
		{"(2023)苏0508财保66号", CaseNumber{2023, "苏0508", "财保", 66, ""}, "(2023)苏0508财保66号", "基层人民法院"},
		{"(2022)川0107民特300号", CaseNumber{2022, "川0107", "民特", 300, ""}, "(2022)川0107民特300号", "基层人民法院"},
		{"(2020)最高法刑核12345678号", CaseNumber{2020, "最高法", "刑核", 12345678, ""}, "(2020)最高法刑核12345678号", "最高人民法院"},
		{"(2020)最高法刑核01234567号", CaseNumber{2020, "最高法", "刑核", 1234567, ""}, "(2020)最高法刑核01234567号", "最高人民法院"},
		{"(2021)京01民终100号之一", CaseNumber{2021, "京01", "民终", 100, "之一"}, "(2021)京01民终100号之一", "中级人民法院"},
		{"(2022)豫行赔初3号", CaseNumber{2022, "豫", "行赔初", 3, ""}, "(2022)豫行赔初3号", "高级人民法院"},
		{"(2022)鄂01司救民5号", CaseNumber{2022, "鄂01", "司救民", 5, ""}, "(2022)鄂01司救民5号", "中级人民法院"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if got.String() != tt.norm {
				t.Errorf("String() = %q, want %q", got.String(), tt.norm)
			}
			norm, err := Normalize(tt.in)
			if err != nil || norm != tt.norm {
				t.Errorf("Normalize(%q) = %q, %v; want %q", tt.in, norm, err, tt.norm)
			}
			if lv := got.CourtLevel(); lv != tt.level {
				t.Errorf("CourtLevel() = %q, want %q", lv, tt.level)
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		in      string
		wantErr error
		mention string // a word the message must contain
	}{
		{"", ErrEmpty, "为空"},
		{"   ", ErrEmpty, "为空"},
		{"2024京0105民初12345号", ErrSyntax, "括号"},
		{"(24)京0105民初12345号", ErrYear, "四位"},
		{"(2015)京0105民初12345号", ErrYear, "2016"},
		{"(2024京0105民初12345号", ErrSyntax, "右括号"},
		{"(2024)北京0105民初12345号", ErrCourt, "北"},
		{"(2024)京010民初12345号", ErrCourt, "3 位"},
		{"(2024)京0105民初号", ErrSeq, "缺少数字编号"},
		{"(2024)京0105民起12345号", ErrUnknownType, "民起"},
		{"(2024)京0105号", ErrSyntax, "类型代字"},
		{"(2024)京0105民初012345号", ErrSeq, "0开头"},
		{"(2024)京0105民初0号", ErrSeq, "0开头"},
		{"(2024)京0105民初12345", ErrSyntax, "号"},
		{"(2024)京0105民初12345号号", ErrSyntax, "号"},
		{"(2024)京0105民初12345号之a", ErrSyntax, "之一"},
		{"(2014)朝民初字第12345号", ErrOldFormat, "字第"},
		{"(2020)最高法刑核1234号", ErrSeq, "8位"},
		{"(2024)京0105民初1234567890号", ErrSeq, "过长"},
		{"(2024)", ErrCourt, "法院代字"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := Parse(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Parse(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not mention %q", err, tt.mention)
			}
			if _, err := Normalize(tt.in); err == nil {
				t.Errorf("Normalize(%q) accepted an invalid case number", tt.in)
			}
		})
	}
}

func TestTypeLabels(t *testing.T) {
	for code, label := range typeCodes {
		if label == "" || !KnownType(code) || TypeLabel(code) != label {
			t.Errorf("type code %q has label %q", code, label)
		}
		if n := utf8.RuneCountInString(code); n < 1 || n > 4 {
			t.Errorf("type code %q has %d characters", code, n)
		}
	}
	if KnownType("民起") || TypeLabel("民起") != "" {
		t.Error("民起 must be unknown")
	}
}

func TestRegion(t *testing.T) {
	for in, want := range map[string]string{
		"(2024)京0105民初1号": "北京", "(2024)最高法民申1号": "", "(2024)兵01民初1号": "新疆生产建设兵团",
	} {
		c, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if c.Region() != want {
			t.Errorf("Region(%q) = %q, want %q", in, c.Region(), want)
		}
	}
}

// FuzzParse checks that Parse never panics and that whatever it accepts
// survives a normalise-and-parse round trip unchanged.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"(2024)京0105民初12345号", "（2024）京0105民初12345号", "〔2023〕沪01民终1号",
		"(2019)最高法知民终1号", "(2020)最高法刑核01234567号", "(2021)京01民终100号之一",
		"(2014)朝民初字第12345号", "", "(", "(2024)京", "(2024)京0105民初号",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		again, err := Parse(c.String())
		if err != nil {
			t.Fatalf("normalised form %q of %q does not parse: %v", c.String(), s, err)
		}
		if again != c {
			t.Fatalf("round trip changed %+v into %+v", c, again)
		}
	})
}
