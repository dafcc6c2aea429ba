package redact

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Sensitive personal data (个人信息保护法 art. 28) is found only when it is
// tied to a person: a health condition, a child's age, school or class, or
// a precise place and time count in a sentence that names someone (or, for
// a sentence that only says 他/她/孩子, when the sentence before it names
// someone). A 普法 article about 抑郁症 or 八岁儿童 in general names no one
// and is left alone.

// healthTerms are diagnoses and conditions, longest first at each start.
var healthTerms = []string{
	"重度抑郁", "中度抑郁", "轻度抑郁", "抑郁症", "抑郁", "焦虑症", "躁郁症", "双相情感障碍", "精神分裂症", "精神分裂",
	"精神病", "精神疾病", "自闭症", "孤独症", "多动症", "癌症", "肺癌", "胃癌", "肝癌", "乳腺癌", "宫颈癌",
	"结肠癌", "直肠癌", "鼻咽癌", "食道癌", "白血病", "淋巴瘤", "恶性肿瘤", "脑瘤", "肿瘤", "尿毒症", "艾滋病",
	"HIV", "乙肝", "丙肝", "梅毒", "性病", "糖尿病", "高血压", "心脏病", "冠心病", "脑梗塞", "脑梗", "脑出血",
	"中风", "偏瘫", "截瘫", "瘫痪", "植物人", "阿尔茨海默病", "老年痴呆", "癫痫", "不孕不育", "不孕症", "不育症",
	"怀孕", "怀有身孕", "流产", "红斑狼疮", "渐冻症", "帕金森", "肾衰竭", "肝硬化", "残疾", "伤残", "脑震荡",
	"植入支架", "化疗", "透析",
	"截肢", "哺乳期", "孕期", "妊娠", "人工流产", "引产", "早产", "骨折", "失明", "失聪", "聋哑", "智力障碍", "智力残疾",
	"脑瘫", "唐氏综合征", "哮喘", "肺结核", "结核病", "甲亢", "子宫肌瘤", "烧伤", "毁容", "颅脑损伤", "心肌梗死",
	"心肌梗塞", "心梗", "创伤后应激障碍", "应激障碍", "PTSD", "鼓膜穿孔", "轻微伤", "轻伤", "重伤", "致残", "肾病", "胰腺癌", "甲状腺癌", "骨癌", "强迫症", "厌食症", "精神障碍", "抑郁障碍", "焦虑障碍",
}

// healthCompounds follow a health term in nouns that name a payment, a
// procedure or a grade rather than someone's condition.
var healthCompounds = []string{"补助金", "赔偿金", "鉴定", "等级", "标准", "保险", "津贴", "评定"}

func containsPrefix(s string, words []string) bool {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// healthPrefixes widen a term to its degree (晚期肺癌, 九级伤残).
var healthPrefixes = regexp.MustCompile(`(?:晚期|早期|末期|急性|慢性|重度|中度|轻度|[一二三四五六七八九十]级|[1-9]级)$`)

// minorMarkers start the search for a child's age, school or class.
var minorMarkers = []string{"岁", "幼儿园", "小学", "中学", "初中", "高中", "附中", "附小", "学校", "年级",
	"一中", "二中", "三中", "四中", "五中", "六中", "七中", "八中", "九中", "十中", "班", "初一", "初二", "初三", "高一", "高二", "高三"}

var (
	ageBefore    = regexp.MustCompile(`(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3}|两)(?:周)?$`)
	gradeClass   = regexp.MustCompile(`^(?:[一二三四五六1-6]年级)?(?:[（(]?[0-9一二三四五六七八九十]{1,2}[）)]?班)?`)
	classBefore  = regexp.MustCompile(`(?:[一二三四五六1-6]年级)?[（(]?[0-9一二三四五六七八九十]{0,2}[）)]?$`)
	schoolSuffix = []string{"幼儿园", "小学", "中学", "初中", "高中", "附中", "附小", "学校",
		"一中", "二中", "三中", "四中", "五中", "六中", "七中", "八中", "九中", "十中"}
)

// childWords stand for a child without naming it.
var childWords = []string{"孩子", "女儿", "儿子", "小孩", "孙子", "孙女", "外孙", "宝宝", "学生", "未成年"}

// pronouns refer back to a person named earlier.
var pronouns = []string{"他", "她", "其", "孩子", "女儿", "儿子", "老婆", "老公", "妻子", "丈夫", "母亲", "父亲", "妈妈", "爸爸", "当事人", "委托人", "客户"}

// whereaboutsLead are the habitual or clock times that start a whereabouts.
var whereaboutsLead = regexp.MustCompile(`^(?:每天|每晚|每日|每周[一二三四五六日天]?|平时|天天|经常|下班后|放学后|周末|早上|晚上|上午|下午|中午|凌晨|傍晚)[^，。；！？\n]{0,10}?在([\p{Han}A-Za-z0-9]{1,14}?(?:公园|小区|健身房|超市|商场|学校|幼儿园|门口|楼下|附近|酒吧|餐厅|饭店|咖啡馆|茶馆|酒店|宾馆|医院|广场|地铁站|车站|路口|菜市场|球场|游泳馆|棋牌室|麻将馆|会所|网吧|工地|店|KTV|ktv|酒店|球馆|健身中心))`)

var whereaboutsMarkers = []string{"每天", "每晚", "每日", "每周", "平时", "天天", "经常", "下班后", "放学后", "周末", "早上", "晚上", "上午", "下午", "中午", "凌晨", "傍晚"}

// pronounFinder finds the words that refer back to a person.
var pronounFinder = newWordFinder(pronouns)

// scanSensitive adds health, minor and whereabouts findings for sentences
// that name a person; persons are the person candidates found so far.
func scanSensitive(text string, triggers []trigger, cands []Finding) []Finding {
	persons := make([]span, 0, 16)
	for _, c := range cands {
		if c.Type == TypePerson && c.Confidence >= 0.7 {
			persons = append(persons, span{c.Start, c.End})
		}
	}
	if len(persons) == 0 {
		return cands
	}
	sort.Slice(persons, func(a, b int) bool { return persons[a].start < persons[b].start })
	named := func(s, e int) bool {
		k := sort.Search(len(persons), func(i int) bool { return persons[i].end > s })
		return k < len(persons) && persons[k].start < e
	}
	// tied reports whether the sentence around i names a person, or refers
	// to one with a pronoun while the sentence before names one.
	tied := func(i int) (int, int, bool) {
		s, e := sentenceAround(text, i)
		if named(s, e) {
			return s, e, true
		}
		if p, _ := pronounFinder.find(text[s:e], 0); p < 0 || s == 0 {
			return s, e, false
		}
		ps, _ := sentenceAround(text, s-1)
		return s, e, named(ps, s)
	}
	var minors []int // trigger positions for scanMinors
	off := 0
	for _, tr := range triggers {
		i, w := tr.pos, tr.word
		if i < off {
			continue
		}
		off = i + len(w)
		switch tr.kind {
		case TypeMinor:
			minors = append(minors, i)
		case TypeHealth:
			if _, _, ok := tied(i); !ok {
				continue
			}
			start := i
			if m := healthPrefixes.FindStringIndex(text[max(0, i-12):i]); m != nil {
				start = max(0, i-12) + m[0]
			}
			end := i + len(w)
			if containsPrefix(text[end:], healthCompounds) {
				continue // 伤残补助金, 精神病鉴定: a payment or a procedure, not a condition
			}
			if strings.HasPrefix(text[end:], "症") {
				end += len("症")
			}
			for _, suf := range []string{"晚期", "早期", "末期", "中期"} {
				if strings.HasPrefix(text[end:], suf) {
					end += len(suf)
				}
			}
			cands = append(cands, Finding{Type: TypeHealth, Start: start, End: end, Text: text[start:end], Confidence: 0.85})
		case TypeWhereabout:
			if _, e := sentenceAround(text, i); !strings.Contains(text[i:e], "在") {
				continue
			}
			_, e, ok := tied(i)
			if !ok {
				continue
			}
			m := whereaboutsLead.FindStringSubmatchIndex(text[i:e])
			if m == nil {
				continue
			}
			end := i + m[1]
			if strings.Contains(text[i:i+m[2]], "住") {
				// 平时住在…小区: where someone lives is an address.
				cands = append(cands, Finding{Type: TypeAddress, Start: i + m[2], End: end, Text: text[i+m[2] : end], Confidence: 0.8})
			} else {
				cands = append(cands, Finding{Type: TypeWhereabout, Start: i, End: end, Text: text[i:end], Confidence: 0.8})
			}
			off = end
		}
	}
	return scanMinors(text, minors, cands, tied)
}

// scanMinors finds a child's age (under 18), school, grade and class.
func scanMinors(text string, triggers []int, cands []Finding, tied func(int) (int, int, bool)) []Finding {
	var spans []span
	off := 0
	for _, i := range triggers {
		if i < off {
			continue
		}
		w := minorMarkerAt(text[i:])
		if len(w) == len("一中") && strings.HasSuffix(w, "中") && strings.HasPrefix(text[i+len(w):], "学") {
			// 第八中学: the marker is 中学, not 八中.
			i += len(w) - len("中")
			w = "中学"
		}
		off = i + len(w)
		s, e, ok := tied(i)
		if !ok {
			continue
		}
		child := containsAny(text[s:e], childWords)
		switch {
		case w == "岁":
			m := ageBefore.FindStringIndex(text[max(s, i-9):i])
			if m == nil {
				continue
			}
			start := max(s, i-9) + m[0]
			end := i + len(w)
			if strings.HasPrefix(text[end:], "半") {
				end += len("半")
			}
			if r, _ := utf8.DecodeRuneInString(text[end:]); r == '月' || r == '以' || r == '至' || r == '到' || r == '的' || r == '前' || r == '后' {
				continue // 岁月, 18岁以上, 十六周岁的未成年人: not someone's age
			}
			if age := parseSmallNumber(strings.TrimSuffix(text[start:i], "周")); age <= 0 || age >= 18 {
				continue
			}
			spans = append(spans, span{start, end})
		case inList(w, schoolSuffix):
			start := schoolNameStart(text, s, i)
			end := i + len(w)
			if start == i && (!child || w == "学校" || strings.HasSuffix(w, "中") && len(w) == len("一中")) {
				continue // a bare 小学 without a name says little; 学校 and 一中 need a name (长沙市一中)
			}
			spans = append(spans, span{start, end})
		default: // 年级, 班, 初二 …
			if w == "班" || w == "年级" {
				ls := max(s, i-12)
				m := classBefore.FindStringIndex(text[ls:i])
				if m == nil || m[0] == m[1] {
					continue
				}
				spans = append(spans, span{ls + m[0], i + len(w)})
			} else {
				end := i + len(w)
				if m := gradeClass.FindStringIndex(text[end:]); m != nil {
					end += m[1]
				}
				spans = append(spans, span{i, end})
			}
		}
		off = max(off, spans[len(spans)-1].end)
	}
	// Merge touching pieces: 实验小学 + 二年级三班.
	sort.Slice(spans, func(a, b int) bool { return spans[a].start < spans[b].start })
	for k := 0; k < len(spans); k++ {
		cur := spans[k]
		for k+1 < len(spans) && spans[k+1].start <= cur.end {
			cur.end = max(cur.end, spans[k+1].end)
			k++
		}
		cands = append(cands, Finding{Type: TypeMinor, Start: cur.start, End: cur.end, Text: text[cur.start:cur.end], Confidence: 0.85})
	}
	return cands
}

// minorMarkerAt returns the longest minor marker text starts with.
func minorMarkerAt(text string) string {
	best := ""
	for _, m := range minorMarkers {
		if len(m) > len(best) && strings.HasPrefix(text, m) {
			best = m
		}
	}
	return best
}

// schoolNameStart walks left from a school suffix over the school's name.
func schoolNameStart(text string, floor, i int) int {
	start := i
	for n := 0; n < 10 && start > floor; n++ {
		r, size := utf8.DecodeLastRuneInString(text[floor:start])
		if !isHanRune(r) || strings.ContainsRune("在读上的是就于到去从了和与及念转、被把因给让为", r) {
			break
		}
		start -= size
	}
	return start
}

func isHanRune(r rune) bool { return r >= hanFirst && r <= hanLast }

// sentenceAround returns the sentence containing byte i (at most 400 bytes
// either side). It looks for the sentence ends byte by byte: 。 is E3 80 82,
// ！ EF BC 81, ？ EF BC 9F, ； EF BC 9B.
func sentenceAround(text string, i int) (int, int) {
	s := i
	for lo := max(0, i-400); s > lo; s-- {
		if sentenceEndBefore(text, s) {
			break
		}
	}
	for s < len(text) && !utf8.RuneStart(text[s]) {
		s++
	}
	e := i
	for hi := min(len(text), i+400); e < hi; e++ {
		if sentenceEndAt(text, e) {
			break
		}
	}
	for e < len(text) && !utf8.RuneStart(text[e]) {
		e++
	}
	return s, e
}

// sentenceEndBefore reports whether a sentence end finishes right before j.
func sentenceEndBefore(text string, j int) bool {
	switch b := text[j-1]; b {
	case '\n', '!', '?', ';':
		return true
	case 0x82:
		return j >= 3 && text[j-3] == 0xE3 && text[j-2] == 0x80
	case 0x81, 0x9F, 0x9B:
		return j >= 3 && text[j-3] == 0xEF && text[j-2] == 0xBC
	}
	return false
}

// sentenceEndAt reports whether a sentence end starts at j.
func sentenceEndAt(text string, j int) bool {
	switch b := text[j]; b {
	case '\n', '!', '?', ';':
		return true
	case 0xE3:
		return j+2 < len(text) && text[j+1] == 0x80 && text[j+2] == 0x82
	case 0xEF:
		return j+2 < len(text) && text[j+1] == 0xBC && (text[j+2] == 0x81 || text[j+2] == 0x9F || text[j+2] == 0x9B)
	}
	return false
}

// parseSmallNumber reads 0-99 in digits or Chinese numerals (八, 十二, 两).
func parseSmallNumber(s string) int {
	if s == "" {
		return 0
	}
	if allDigits(s) {
		return atoi(s)
	}
	digits := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	n, cur := 0, 0
	for _, r := range s {
		if d, ok := digits[r]; ok {
			cur = d
			continue
		}
		if r != '十' {
			return 0
		}
		if cur == 0 {
			cur = 1
		}
		n += cur * 10
		cur = 0
	}
	return n + cur
}
