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
		mustFix  bool
		contains string
	}{
		{"根据《合同法》第五十二条，合同无效。", KindRepealed, false, "《民法典》第一百五十三条"},
		{"根据《中华人民共和国婚姻法》第三十二条。", KindRepealed, false, "《民法典》第一千零七十九条"},
		{"合同法第二百一十一条规定自然人借款没有约定利息的视为没有利息。", KindRepealed, false, "《民法典》第六百八十条"},
		{"依照《侵权责任法》第6条", KindRepealed, false, "第一千一百六十五条"},
		{"《民法总则》第188条", KindRepealed, false, "《民法典》第一百八十八条"},
		{"《民法通则》第一百三十五条规定诉讼时效为二年", KindRepealed, true, "三年"},
		{"根据《担保法》第十九条，保证方式不明的按连带责任保证承担。", KindRepealed, true, "一般保证"},
		{"《物权法》第一百零六条", KindRepealed, false, "第三百一十一条"},
		{"《继承法》第二十条", KindRepealed, true, "公证遗嘱"},
		{"《收养法》第八条", KindRepealed, true, "两名"},
		{"《最高人民法院关于适用〈中华人民共和国合同法〉若干问题的解释（二）》第26条", KindRepealed, false, "合同编通则"},
		{"《担保法司法解释》第7条", KindRepealed, false, "法释〔2020〕28号"},
		{"《婚姻法解释（二）》第二十四条", KindRepealed, true, "《民法典》第一千零六十四条"},
		{"《婚姻法解释（一）》第二条", KindRepealed, false, "相似度"},
		{"《婚姻法解释（三）》", KindRepealed, false, "法释〔2020〕22号"},
		{"《最高人民法院关于审理劳动争议案件适用法律若干问题的解释（四）》", KindRepealed, false, "法释〔2020〕26号"},
		{"《最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（二）》", KindRepealed, false, "法释〔2020〕25号"},
		{"《物权法解释（一）》", KindRepealed, false, "法释〔2020〕24号"},
		{"《民通意见》第二十条", KindRepealed, false, "法释〔2022〕6号"},
		{"《民通意见》第一条", KindRepealed, true, "《民法典》第十五条"},
		{"根据《民通意见》第118条，出租人出卖房屋应提前三个月通知承租人。", KindRepealed, true, "《民法典》第七百二十六条"},
		{"《最高人民法院关于贯彻执行〈中华人民共和国民法通则〉若干问题的意见（试行）》第七十一条", KindRepealed, false, "《民法典》第一百四十七条"},
		{"《民事诉讼法》第二百四十六条规定申请执行期间为二年", KindVersion, false, "现为第二百五十条"},
		{"《民事诉讼法》第212条", KindVersion, false, "现为第二百一十六条"},
		{"《民事诉讼法》第276条", KindVersion, false, "现为第二百八十六条"},
		// 164: 上诉期间 in the 2012/2017 text, 简易程序审限 today.
		{"根据《民事诉讼法》第一百六十四条，上诉期为十五日。", KindVersion, false, "按2012年、2017年修正文本，第一百六十四条（上诉期间）现为第一百七十一条"},
		{"《民事诉讼法》第一百六十四条", KindVersion, false, "现行文本第一百六十四条为：“人民法院适用简易程序审理案件，应当在立案之日起三个月内审结”"},
		{"《公司法》第二十条", KindRevised, false, "2024年7月1日"},
		{"《公司法》第七十一条", KindRevised, false, "现为第八十四条"},
		{"《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第二十六条", KindVersion, false, "现为第二十五条"},
		{"《人身损害赔偿解释》第二十九条", KindVersion, false, "死亡赔偿金"},
	}
	for _, tt := range tests {
		got := CheckCitations(tt.text)
		if len(got) != 1 || got[0].Kind != tt.kind || got[0].MustFix != tt.mustFix || !strings.Contains(got[0].Message+got[0].Suggestion+got[0].Source, tt.contains) {
			t.Errorf("CheckCitations(%q) = %+v, want one %s (must fix %v) mentioning %q", tt.text, got, tt.kind, tt.mustFix, tt.contains)
			continue
		}
		if got[0].Source == "" {
			t.Errorf("%q: issue has no source", tt.text)
		}
	}
	for _, ok := range []string{
		"《民法典》第一千二百六十条", "《民事诉讼法》（2023年修正）第250条", "依据现行《公司法》第二十一条", "《公司法》", "《劳动合同法》第82条",
		"劳动合同法第八十二条", "技术合同法第十条",
		"《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第四十四条",
		"《最高人民法院关于审理建设工程施工合同纠纷案件适用法律问题的解释（一）》",
		"《民事诉讼法》第三条",
	} {
		if got := CheckCitations(ok); len(got) != 0 {
			t.Errorf("CheckCitations(%q) = %+v, want nothing", ok, got)
		}
	}
}

func TestCheckObsoleteRules(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"民间借贷年利率24%以内的受法律保护，超过36%的部分无效。", 1},
		{"借款利息超过百分之三十六的部分，法院不予支持。", 1},
		{"原来的24%、36%已改为一年期LPR的四倍。", 0},
		{"本月业绩增长24%。", 0},
		{"死亡赔偿金按农村居民人均纯收入计算二十年。", 1},
	}
	for _, tt := range tests {
		got := CheckObsoleteRules(tt.text)
		if len(got) != tt.want {
			t.Errorf("CheckObsoleteRules(%q) = %+v, want %d", tt.text, got, tt.want)
			continue
		}
		for _, is := range got {
			if !is.MustFix || is.Kind != KindObsoleteRule || is.Source == "" {
				t.Errorf("%q: %+v is not a sourced must-fix", tt.text, is)
			}
		}
	}
}

func TestCnArticle(t *testing.T) {
	for n, want := range map[int]string{680: "六百八十", 105: "一百零五", 15: "十五", 10: "十", 1260: "一千二百六十", 1079: "一千零七十九", 110: "一百一十", 7: "七", 1001: "一千零一"} {
		if got := cnArticle(n); got != want {
			t.Errorf("cnArticle(%d) = %q, want %q", n, got, want)
		}
		if back := parseArticleNumber(cnArticle(n)); back != n {
			t.Errorf("parseArticleNumber(cnArticle(%d)) = %d", n, back)
		}
	}
}

// TestArticleTable checks the embedded table: every repealed law the issue
// names has article rows, every row points somewhere sane, and the hand
// rows for the Civil Code were all checked against its text.
func TestArticleTable(t *testing.T) {
	for _, law := range []string{"民法通则", "民法总则", "合同法", "物权法", "担保法", "侵权责任法", "婚姻法", "继承法", "收养法",
		"合同法解释（一）", "合同法解释（二）", "婚姻法解释（一）", "婚姻法解释（二）", "婚姻法解释（三）", "担保法解释",
		"民间借贷规定@2015", "民间借贷规定@2020-08", "人身损害赔偿解释@2003", "民事诉讼法@2012", "民事诉讼法@2021", "公司法@2018"} {
		if len(articleIndex[law]) == 0 {
			t.Errorf("no article rows for %s", law)
		}
	}
	for law, rows := range articleIndex {
		for n, m := range rows {
			switch m.Method {
			case MethodText, MethodWeak, MethodChecked, MethodUnverified, MethodCurrent:
				if m.New <= 0 && m.Substance == "" {
					t.Errorf("%s 第%d条: method %s without a successor article", law, n, m.Method)
				}
			case MethodNone:
			default:
				t.Errorf("%s 第%d条: unknown method %q", law, n, m.Method)
			}
			if m.Successor == "民法典" && m.Method == MethodUnverified && law != "民法总则" {
				t.Errorf("%s 第%d条 -> 民法典第%d条 was not checked against the Civil Code's text", law, n, m.New)
			}
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
