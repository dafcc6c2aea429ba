package lawref

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseArticleNumber(t *testing.T) {
	tests := map[string]int{
		"一百八十八": 188, "二百一十二": 212, "一千二百六十": 1260, "十二": 12, "十": 10,
		"二十": 20, "一百零五": 105, "两百": 200, "250": 250, "七": 7, "": 0, "条": 0,
	}
	for in, want := range tests {
		if got := parseArticleNumber(in); got != want {
			t.Errorf("parseArticleNumber(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestExtract(t *testing.T) {
	text := "依据《民法典》第一百八十八条和《中华人民共和国合同法》第 52 条，参见《民事诉讼法》。"
	got := Extract(text)
	want := []Citation{
		{Title: "民法典", Article: 188},
		{Title: "中华人民共和国合同法", Article: 52},
		{Title: "民事诉讼法"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i].Title != want[i].Title || got[i].Article != want[i].Article {
			t.Errorf("citation %d = %+v, want %+v", i, got[i], want[i])
		}
		if !strings.HasPrefix(text[got[i].Start:got[i].End], "《"+want[i].Title) {
			t.Errorf("citation %d span %q", i, text[got[i].Start:got[i].End])
		}
	}
}

func TestCheckCitations(t *testing.T) {
	tests := []struct {
		text     string
		kind     Kind
		contains string
	}{
		{"根据《合同法》第五十二条，合同无效。", KindRepealed, "2021年1月1日之前"},
		{"根据《中华人民共和国婚姻法》第三十二条。", KindRepealed, "婚姻家庭"},
		{"《侵权责任法》第6条", KindRepealed, "侵权责任"},
		{"《民法总则》第188条", KindRepealed, "总则"},
		{"《最高人民法院关于适用〈中华人民共和国合同法〉若干问题的解释（二）》第26条", KindRepealed, "法释〔2023〕13号"},
		{"《担保法司法解释》第7条", KindRepealed, "法释〔2020〕28号"},
		{"《婚姻法解释（三）》", KindRepealed, "法释〔2020〕22号"},
		{"《最高人民法院关于审理劳动争议案件适用法律若干问题的解释（四）》", KindRepealed, "法释〔2020〕26号"},
		{"《最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（二）》", KindRepealed, "法释〔2020〕25号"},
		{"《物权法解释（一）》", KindRepealed, "法释〔2020〕24号"},
		{"《民事诉讼法》第二百四十六条规定申请执行期间为二年", KindRenumbered, "现为第250条"},
		{"《民事诉讼法》第212条", KindRenumbered, "现为第216条"},
		{"《民事诉讼法》第276条", KindRenumbered, "现为第286条"},
		{"《民事诉讼法》第275条", KindRenumbered, "现为第285条"},
		{"《公司法》第二十条", KindRevised, "2024年7月1日"},
	}
	for _, tt := range tests {
		got := CheckCitations(tt.text)
		if len(got) != 1 || got[0].Kind != tt.kind || !strings.Contains(got[0].Message+got[0].Suggestion, tt.contains) {
			t.Errorf("CheckCitations(%q) = %+v, want one %s mentioning %q", tt.text, got, tt.kind, tt.contains)
			continue
		}
		if got[0].Source == "" {
			t.Errorf("%q: issue has no source", tt.text)
		}
	}
	for _, ok := range []string{
		"《民法典》第一千二百六十条", "《民事诉讼法》第250条", "《公司法》", "《劳动合同法》第82条",
		"《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第四十四条",
		"《最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（一）》",
	} {
		if got := CheckCitations(ok); len(got) != 0 {
			t.Errorf("CheckCitations(%q) = %+v, want nothing", ok, got)
		}
	}
}

func TestCheckDisclaimer(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"根据《劳动合同法》第八十二条，您可以要求二倍工资。", 1},
		{"根据《劳动合同法》第八十二条，您可以要求二倍工资。以上仅供参考。", 0},
		{"建议您尽快起诉，本意见不构成法律意见。", 0},
		{"明天上午十点开会，请准时参加。", 0},
	}
	for _, tt := range tests {
		got := CheckDisclaimer(tt.text)
		if len(got) != tt.want {
			t.Errorf("CheckDisclaimer(%q) = %+v, want %d issues", tt.text, got, tt.want)
		}
		if len(got) == 1 && got[0].Suggestion != Disclaimer {
			t.Errorf("suggestion = %q", got[0].Suggestion)
		}
	}
}

func TestCheckLatestPolicy(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"根据最新司法解释，这种情况可以全额赔偿。", 1},
		{"听说新规出台了，公司必须补缴。", 1},
		{"根据最新司法解释《最高人民法院关于适用〈中华人民共和国民法典〉合同编通则若干问题的解释》，可以主张。", 0},
		{"最新规定见法释〔2020〕16号。", 0},
		{"今天天气很好。", 0},
	}
	for _, tt := range tests {
		if got := CheckLatestPolicy(tt.text); len(got) != tt.want {
			t.Errorf("CheckLatestPolicy(%q) = %+v, want %d", tt.text, got, tt.want)
		} else if tt.want == 1 && !strings.Contains(got[0].Message, "请核实来源") {
			t.Errorf("message %q lacks 请核实来源", got[0].Message)
		}
	}
}

// FuzzExtract checks that extraction never panics and spans are sane.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{"《民法典》第一百八十八条", "《合同法》第 52 条", "《《》》第条", "《\xff》第一千千千条", "最新司法解释"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, c := range Extract(text) {
			if c.Start < 0 || c.End > len(text) || c.Start >= c.End || c.Article < 0 {
				t.Fatalf("bad citation %+v for %d bytes", c, len(text))
			}
			if utf8.ValidString(text) && !utf8.ValidString(text[c.Start:c.End]) {
				t.Fatalf("span splits a rune: %+v", c)
			}
		}
		for _, is := range Check(text) {
			if is.Start < 0 || is.End > len(text) || is.Start > is.End {
				t.Fatalf("bad issue span %+v", is)
			}
		}
	})
}
