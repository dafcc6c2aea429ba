package conflict

import (
	"sort"
	"sync"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// t2sTable maps each traditional character to its simplified form.
//
// opencc (github.com/longbridgeapp/opencc) embeds its dictionaries with
// the go:embed directive, so it works offline, but its Convert walks a trie at
// every position and allocates per token: too slow to run over 500,000 names
// when an index is built. A key needs only a deterministic character mapping
// applied to both sides, so the table is derived once from opencc's own t2s
// conversion of every CJK unified ideograph (basic block and extension A);
// phrase-level choices (乾隆 vs 干) do not matter for equality of keys.
var (
	t2sOnce  sync.Once
	t2sTable map[rune]rune
)

func t2s() map[rune]rune {
	t2sOnce.Do(func() {
		t2sTable = make(map[rune]rune, 4096)
		cc, err := opencc.New("t2s")
		if err != nil {
			// The dictionaries are embedded in the binary, so this cannot
			// happen short of a broken build; matching then simply does not
			// bridge traditional characters, which the tests would catch.
			return
		}
		for r := rune(0x3400); r <= 0x9FFF; r++ {
			if r == 0x4DC0 { // skip the Yijing hexagram block between ext A and the basic block
				r = 0x4E00
			}
			s, err := cc.Convert(string(r))
			if err != nil || utf8.RuneCountInString(s) != 1 {
				continue
			}
			if out, _ := utf8.DecodeRuneInString(s); out != r {
				t2sTable[r] = out
			}
		}
	})
	return t2sTable
}

// regionNames are the province-level regions and larger cities that appear
// in company names as a prefix (北京某某科技有限公司) or in brackets
// (某某(北京)科技有限公司). Each is matched with or without 市/省/自治区.
var regionNames = []string{
	"中国", "北京", "天津", "上海", "重庆",
	"河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
	"江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "四川", "贵州",
	"云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾",
	"深圳", "广州", "杭州", "南京", "苏州", "成都", "武汉", "西安", "厦门", "青岛",
	"大连", "宁波", "长沙", "郑州", "济南", "沈阳", "哈尔滨", "长春", "合肥", "福州",
	"昆明", "南宁", "贵阳", "兰州", "太原", "石家庄", "呼和浩特", "乌鲁木齐", "拉萨",
	"银川", "西宁", "海口", "三亚", "南昌", "珠海", "东莞", "佛山", "无锡", "常州",
	"温州", "绍兴", "嘉兴", "金华", "烟台", "潍坊", "泉州", "惠州", "徐州", "南通",
	"扬州", "义乌", "昆山", "唐山", "保定", "洛阳", "宜昌", "襄阳", "株洲", "湛江",
}

// regionSuffixes may follow a region name and are dropped from it.
var regionSuffixes = []string{"维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"}

// regionsByLength holds regionNames longest first, so 呼和浩特 wins over a
// shorter name sharing its start.
var regionsByLength = func() []string {
	out := append([]string(nil), regionNames...)
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}()

// companyForms are the legal-form suffixes stripped from the end of a name,
// longest first; stripping repeats, so 集团有限公司 loses 有限公司 and then 集团.
// 股份有限公司 and 有限公司 strip to the same core on purpose: a company that
// converts to a joint-stock company keeps its USCC and is the same client.
var companyForms = []string{
	"股份有限公司", "有限责任公司", "股份合作公司", "有限公司", "股份公司", "总公司",
	"集团公司", "公司", "集团", "有限合伙", "普通合伙", "特殊普通合伙", "合伙企业",
}

// bracketForms are bracketed remarks that state a legal form, not a name part.
var bracketForms = map[string]bool{
	"集团": true, "有限合伙": true, "普通合伙": true, "特殊普通合伙": true, "股份": true,
}

// latinForms are legal-form words of Latin-script names, stripped as whole
// trailing words ("ABC Co., Ltd." and "ABC Company Limited" → "abc").
var latinForms = map[string]bool{
	"co": true, "ltd": true, "limited": true, "inc": true, "incorporated": true,
	"llc": true, "llp": true, "lp": true, "corp": true, "corporation": true,
	"company": true, "plc": true, "gmbh": true, "ag": true, "sa": true, "group": true,
}

// branchSuffixes end the name of a branch (分支机构); the part before the last
// company marker is the head office.
var branchSuffixes = []string{"分公司", "分行", "支行", "分店", "办事处", "营业部", "分所", "分厂", "分部"}

// headMarkers end the head-office part of a branch name.
var headMarkers = []string{"公司", "银行", "集团"}
