package conflict

import (
	"strings"
	"testing"
)

// match is what checking name a against an index holding only name b yields.
type match int

const (
	none    match = iota
	similar       // StrengthSimilar
	same          // StrengthName
)

func TestNameVariants(t *testing.T) {
	tests := []struct {
		a, b   string
		want   match
		reason string // a word the reason must contain (hits only)
	}{
		// identical and trivially different
		{"张三", "张三", same, "完全相同"},
		{"张 三", "张三", same, "空格"},
		{"张　三", "张三", same, "全角"},
		{" 李四 ", "李四", same, "完全相同"},
		{"阿卜杜拉·买买提", "阿卜杜拉买买提", same, "标点"},
		{"欧阳-娜娜", "欧阳娜娜", same, "标点"},
		// persons must not hit longer or shorter names
		{"张三", "张三丰", none, ""},
		{"张三丰", "张三", none, ""},
		{"王五", "王五六", none, ""},
		{"李", "李四", none, ""},
		{"张三", "张山", none, ""},
		// traditional characters
		{"鄭成功", "郑成功", same, "繁体"},
		// 北京某某科技有限公司 is written the same in traditional characters.
		{"北京某某科技有限公司", "北京某某科技有限公司", same, "完全相同"},
		{"北京某某網絡科技有限公司", "北京某某网络科技有限公司", same, "繁体"},
		{"北京某某網絡科技有限公司", "北京某某科技有限公司", none, ""},
		{"某某（北京）網絡科技有限責任公司", "北京某某网络科技股份有限公司", same, "繁体/全角"},
		{"廣州華興貿易有限公司", "广州华兴贸易有限公司", same, "繁体"},
		{"東方電氣股份有限公司", "东方电气股份有限公司", same, "繁体"},
		{"臺灣積體電路製造股份有限公司", "台湾积体电路制造股份有限公司", same, "繁体"},
		// full-width and case in Latin names
		{"ＡＢＣ科技有限公司", "ABC科技有限公司", same, "全角"},
		{"Ｊｏｈｎ Ｓｍｉｔｈ", "John Smith", same, "全角"},
		{"JOHN SMITH", "john smith", same, "大小写"},
		{"John  Smith", "JohnSmith", same, "空格"},
		{"ABC Co., Ltd.", "abc company limited", same, "公司后缀"},
		{"Costco Wholesale Inc.", "Costco Wholesale", same, "公司后缀"},
		{"Costco", "Cost", none, ""},
		{"ACME Inc", "ACME Group", same, ""},
		// company forms
		{"某某科技有限公司", "某某科技有限责任公司", same, "公司后缀"},
		{"某某科技股份有限公司", "某某科技有限公司", same, "公司后缀"},
		{"某某科技公司", "某某科技有限公司", same, "公司后缀"},
		{"某某集团有限公司", "某某集团", same, "公司后缀"},
		{"某某(集团)有限公司", "某某集团有限公司", same, "公司后缀"},
		{"某某（集团）股份有限公司", "某某有限公司", same, "公司后缀"},
		{"某某投资中心(有限合伙)", "某某投资中心（有限合伙）", same, "全角"},
		{"某某投资合伙企业(有限合伙)", "某某投资合伙企业", same, "公司后缀"},
		// region as prefix or in brackets
		{"北京某某科技有限公司", "某某(北京)科技有限公司", same, "地区位置"},
		{"北京某某科技有限公司", "某某（北京）科技有限公司", same, "地区位置"},
		{"北京市某某科技有限公司", "北京某某科技有限公司", same, ""},
		{"某某【上海】科技有限公司", "上海某某科技股份有限公司", same, "地区位置"},
		{"中国某某集团有限公司", "某某(中国)有限公司", same, ""},
		{"新疆维吾尔自治区某某能源有限公司", "新疆某某能源有限公司", same, ""},
		// similar: same core, region differs or is missing
		{"北京某某科技有限公司", "上海某某科技有限公司", similar, "地区不同"},
		{"北京某某科技有限公司", "某某科技有限公司", similar, "未写地区"},
		{"某某科技有限公司北京分公司", "某某科技有限公司", similar, "分支机构"},
		{"招商银行北京分行", "招商银行上海分行", similar, "分支机构"},
		{"招商银行北京市分行", "招商银行北京分行", same, ""},
		// near misses that must not hit at all
		{"北京某某科技有限公司", "北京某某网络科技有限公司", none, ""},
		{"北京某某科技", "北京某某网络科技", none, ""},
		{"某某科技有限公司", "某某信息科技有限公司", none, ""},
		{"某某律师事务所", "某某(北京)律师事务所", similar, "未写地区"},
		{"某某律师事务所", "某某华南律师事务所", none, ""},
		{"北京大学", "中山大学", none, ""},
		{"华为技术有限公司", "华为终端有限公司", none, ""},
		{"", "张三", none, ""},
		{"（）", "张三", none, ""},
	}
	for _, tt := range tests {
		t.Run(tt.a+"~"+tt.b, func(t *testing.T) {
			ix := NewIndex([]Candidate{{Name: tt.b, ContactID: 1}})
			hits := ix.Check(Query{Name: tt.a})
			got := none
			if len(hits) == 1 {
				switch hits[0].Strength {
				case StrengthName:
					got = same
				case StrengthSimilar:
					got = similar
				}
			}
			if len(hits) > 1 {
				t.Fatalf("%d hits for one candidate", len(hits))
			}
			if got != tt.want {
				t.Fatalf("check %q against %q = %v (hits %+v); keys %+v / %+v, want %v",
					tt.a, tt.b, got, hits, Normalize(tt.a), Normalize(tt.b), tt.want)
			}
			if got != none && !strings.Contains(hits[0].Reason, tt.reason) {
				t.Errorf("reason %q does not mention %q", hits[0].Reason, tt.reason)
			}
		})
	}
}

func TestNormalizeKey(t *testing.T) {
	tests := []struct {
		name                 string
		core, region, branch string
		org                  bool
	}{
		{"张 三", "张三", "", "", false},
		{"北京某某科技有限公司", "某某科技", "北京", "", true},
		{"某某（北京）科技有限公司", "某某科技", "北京", "", true},
		{"某某科技有限公司北京分公司", "某某科技", "", "北京分公司", true},
		{"北京大学", "北京大学", "", "", false},
		{"ABC Co., Ltd.", "abc", "", "", true},
		{"有限公司", "有限公司", "", "", false},
	}
	for _, tt := range tests {
		k := Normalize(tt.name)
		if k.Core != tt.core || k.Region != tt.region || k.Branch != tt.branch || k.Org != tt.org {
			t.Errorf("Normalize(%q) = %+v, want core %q region %q branch %q org %v", tt.name, k, tt.core, tt.region, tt.branch, tt.org)
		}
	}
}

func TestT2STableLoadsOffline(t *testing.T) {
	table := t2s()
	if len(table) < 2000 {
		t.Fatalf("t2s table has only %d entries; opencc dictionaries did not load", len(table))
	}
	for trad, simp := range map[rune]rune{'鄭': '郑', '華': '华', '電': '电', '臺': '台', '國': '国'} {
		if table[trad] != simp {
			t.Errorf("t2s[%c] = %c, want %c", trad, table[trad], simp)
		}
	}
	if _, ok := table['张']; ok {
		t.Error("a simplified character must map to nothing")
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"张 三", "北京某某科技有限公司", "某某（北京）科技有限公司", "ABC Co., Ltd.", "某某科技有限公司北京分公司", "((", "(北京", "有限公司", "Ｊｏｈｎ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Normalize(s)
		// Normalising is idempotent on the core: the core of a core is itself
		// (a core has no brackets, punctuation, forms or leading region left).
		if k.Org {
			return // an org core may legitimately look like a person name
		}
		if again := Normalize(k.Core); again.Core != k.Core {
			t.Fatalf("Normalize(%q).Core = %q, but Normalize(that).Core = %q", s, k.Core, again.Core)
		}
	})
}
