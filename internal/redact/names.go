package redact

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// roleWords mark the person named right after them (当事人：张三).
var roleWords = []string{
	"当事人", "原告", "被告", "第三人", "申请人", "被申请人", "执行人", "上诉人", "委托人",
	"代理人", "代表人", "负责人", "联系人", "证人", "借款人", "出借人", "担保人", "保证人",
	"客户", "嫌疑人", "被告人", "受害人", "员工", "同事", "收件人", "签收人", "户主", "配偶",
	"丈夫", "妻子", "儿子", "女儿", "父亲", "母亲", "姓名", "经办人", "承办人", "法官",
	"书记员", "律师", "助理", "租客", "房东", "承租人", "出租人", "买受人", "出卖人", "劳动者",
	"继承人", "监护人", "股东", "对方", "业主", "车主", "驾驶人", "持有人", "居民", "台胞",
	"致", "感谢", "转告", "通知", "联系", "提醒", "名叫", "叫",
	// Kinship and workplace roles (他老婆孙美玲, 财务总监陈丽娟).
	"老婆", "老公", "妈妈", "爸爸", "哥哥", "姐姐", "弟弟", "妹妹", "爷爷", "奶奶", "外婆", "外公",
	"姥姥", "姥爷", "儿媳", "女婿", "前妻", "前夫", "男友", "女友", "男朋友", "女朋友", "未婚妻", "未婚夫",
	"孩子", "孙子", "孙女", "外孙", "侄子", "侄女", "婆婆", "公公", "岳父", "岳母", "舅舅", "姑姑", "小姨",
	"总监", "经理", "会计", "出纳", "董事长", "董事", "监事", "实际控制人", "司机", "保姆", "邻居",
	"朋友", "闺蜜", "室友", "老板", "主管", "老师", "患者", "病人", "学生", "同学", "班主任", "小名",
	// 原告甲诉被告乙, 我们代理的甲诉乙: the parties of a case.
	"诉", "代理的",
	"案外人", "合伙人", "职工", "工人", "伤者", "死者", "子女", "婚生子", "婚生女", "非婚生子", "继子", "养子", "养女",
	// More workplace and family roles (包工头雷军, 表哥周强, 房客吴丹).
	"包工头", "工头", "班长", "组长", "队长", "厂长", "店长", "店主", "老乡", "雇主", "雇员", "护工", "保安",
	"快递员", "骑手", "租户", "房客", "亲戚", "表哥", "表姐", "表弟", "表妹", "堂哥", "堂姐", "堂弟", "堂妹",
	"嫂子", "弟媳", "姐夫", "妹夫", "继母", "继父", "养父", "养母", "生父", "生母", "儿媳妇", "丈母娘",
	"前男友", "前女友", "现任", "对象", "学员", "病友", "工友", "网友", "债务人", "债权人", "原配",
	"财务", "法务", "文员", "秘书", "前台", "业务员", "男方", "女方", "甲方", "乙方", "继女", "被害人", "一子", "一女", "长子", "次子", "长女", "次女",
	"独子", "独女", "医生", "主治医生", "护士", "持卡人", "开户人", "户名", "收款人", "付款人", "投保人", "被保险人", "受益人",
	// Occupations that introduce a person (电工马大勇, 老人陈德贵).
	"老人", "电工", "焊工", "木工", "瓦工", "厨师", "服务员", "店员", "收银员", "保洁员", "主播", "外卖员", "销售员", "教师", "医师",
}

// kinNouns are kinship and role nouns that start with a surname character
// (祖父母, 劳动者) and are never a name.
var kinNouns = []string{"祖父母", "外祖父母", "祖父", "祖母", "外祖父", "外祖母", "父母", "兄弟姐妹", "孙子女", "外孙子女", "劳动者", "用人单位"}

// labelWords introduce a name as the value of a field (收件人：施展); what
// follows them is a name even when it is also an ordinary word.
var labelWords = []string{"收件人", "签收人", "联系人", "姓名", "名叫", "经办人", "承办人", "户主", "持有人"}

// titleFinder finds a title word at a position (followScore).
var titleFinder = newWordFinder(titleWords)

// titleWords mark the person named right before them (张三先生).
var titleWords = []string{
	"先生", "女士", "律师", "经理", "总经理", "主任", "老师", "法官", "同志", "小姐", "同学",
	"医生", "老板", "董事长", "会计", "助理", "师傅", "阿姨", "叔叔", "教授", "教练", "导演",
	"院长", "处长", "科长", "局长", "书记", "部长", "总监", "主管", "夫妇", "本人",
	"大妈", "大爷", "大姐", "大哥", "妈妈", "爸爸", "家长", "老先生", "老太太",
}

// leftWords may stand right before a name without being a role: 请张三…, 向李四…
var leftWords = []string{
	"请", "向", "对", "与", "和", "及", "由", "给", "让", "被", "把", "跟", "同", "将", "为",
	"是", "即", "系", "以及", "、", "核实", "告知", "告诉", "询问", "委托", "代表",
	"今天", "昨天", "前天", "上午", "下午", "晚上", "后来", "当时", "那天",
}

// predicateWords may follow a name without being a verb: 张三名下, 李四委托.
var predicateWords = []string{"名下", "委托", "主张", "整理", "申请", "诉", "一家", "等人", "家属"}

// nounFinals end common nouns (银行卡, 仲裁法, 交强险) and almost never a given name.
const nounFinals = "卡法证费款单表局院所部厂店税率权罪案函条号险工"

// inBookTitle reports whether before ends inside 《…》 (a statute or book).
func inBookTitle(before string) bool {
	if len(before) > 240 { // titles are short; look back a bounded window
		before = before[len(before)-240:]
	}
	open := strings.LastIndex(before, "《")
	return open >= 0 && !strings.Contains(before[open:], "》")
}

// stopRunes never appear in a given name in our texts; they end a candidate.
const stopRunes = "的了是在和与说等将已也就都把被对向于及或并为从到给让请要会能可不没这那个们其称某该此每各均亦且而但即诉系谁啥吗呢吧啊么他她它"

// suffixSet tells whether a text ends with one of its words, looking only
// at the words that end with the text's last character.
type suffixSet map[rune][]string

func newSuffixSet(words []string) suffixSet {
	s := suffixSet{}
	for _, w := range words {
		r, _ := utf8.DecodeLastRuneInString(w)
		s[r] = append(s[r], w)
	}
	return s
}

func (s suffixSet) match(text string) bool {
	r, _ := utf8.DecodeLastRuneInString(text)
	for _, w := range s[r] {
		if strings.HasSuffix(text, w) {
			return true
		}
	}
	return false
}

var (
	roleWordSet = func() map[string]bool {
		m := map[string]bool{}
		for _, w := range roleWords {
			m[w] = true
		}
		return m
	}()
	roleSuffixes  = newSuffixSet(roleWords)
	labelSuffixes = newSuffixSet(labelWords)
	leftSuffixes  = newSuffixSet(leftWords)
)

// nameTag reports gse part-of-speech tags for person names.
func nameTag(pos string) bool { return pos == "nr" || pos == "nrt" || pos == "nrfg" }

func inList(s string, list []string) bool {
	for _, w := range list {
		if s == w {
			return true
		}
	}
	return false
}

// scanPersons finds person names: a surname followed by one or two given-name
// characters, placed where a name can stand (after a role word, at the start
// of a clause, after a preposition) and followed by a title, punctuation or a
// predicate. gse's segmentation decides where words end and vetoes ordinary
// words such as 高兴 or 方向 that begin with a surname character.
func scanPersons(text string, toks []token, out []Finding) []Finding {
	from := len(out)
	lastEnd := 0
	titles := strings.Contains(text, "《")
	for _, t := range toks {
		if !t.han || t.end <= lastEnd {
			continue
		}
		// A name starts at a word start, or right after the 人 of a role
		// word that gse merged with the surname (上诉人丁…: 人丁).
		for p := t.start; p < t.end && p < t.start+len("人")+1; {
			r, size := decodeAt(text, p)
			if p >= lastEnd && mayStartName(r) && (p == t.start || text[t.start:p] == "人") {
				if f, ok := personAt(text, toks, p, out[from:], titles); ok {
					out = append(out, f)
					lastEnd = f.End
				}
			}
			p += size
		}
		if t.runes >= 3 {
			out, lastEnd = personsInsideToken(text, toks, t, out, from, lastEnd, titles)
		} else if t.runes == 2 && len(out) > from && out[len(out)-1].End == t.start && t.start >= lastEnd {
			// 田建军和|龙晓梅: gse merged the conjunction with the next surname.
			if r, size := utf8.DecodeRuneInString(t.text); conjunctionRune(r) {
				if f, ok := personAt(text, toks, t.start+size, out[from:], titles); ok {
					out = append(out, f)
					lastEnd = f.End
				}
			}
		}
	}
	return out
}

// personsInsideToken tries names that start inside a word gse merged with
// the role word before them (客户王|雪, 被告方|宇): at each character of t
// after its second that follows a role word of two or more characters.
func personsInsideToken(text string, toks []token, t token, out []Finding, from, lastEnd int, titles bool) ([]Finding, int) {
	_, first := utf8.DecodeRuneInString(text[t.start:])
	_, second := utf8.DecodeRuneInString(text[t.start+first:])
	for p := t.start + first + second; p < t.end; {
		r, size := utf8.DecodeRuneInString(text[p:])
		if p >= lastEnd && mayStartName(r) && roleInside(text[t.start:p]) {
			if f, ok := personAt(text, toks, p, out[from:], titles); ok {
				out = append(out, f)
				lastEnd = f.End
			}
		}
		p += size
	}
	return out, lastEnd
}

// roleInside reports whether s, the start of a word, ends with a role word
// of at least two characters (客户, 被告): gse merged it with a surname.
func roleInside(s string) bool {
	if !roleSuffixes.match(s) {
		return false
	}
	for _, w := range roleSuffixes[lastRune(s)] {
		if strings.HasSuffix(s, w) && utf8.RuneCountInString(w) >= 2 {
			return true
		}
	}
	return false
}

func conjunctionRune(r rune) bool { return r == '和' || r == '与' || r == '及' }

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// insideEnd reports whether a name after a role word may end at end although
// gse's word goes on: the word holding end starts after the surname, is rare
// (a chance merge such as 刚在 or 凡因, not 原告) and what follows the name is
// a character a name does not swallow.
func insideEnd(text string, toks []token, p, end int) bool {
	k := tokenAt(toks, end)
	if k >= len(toks) || toks[k].start <= p {
		return false
	}
	if predicateAfter(text[end:]) || verbWithAspect(text[end:]) {
		return true // 查建民|主张: gse reads 民主; 胡大海|带着: gse reads 海带
	}
	if toks[k].id >= 0 && freq(toks[k]) >= 50 {
		return false
	}
	return nameEndsBefore(text[end:])
}

// verbWithAspect reports whether rest starts with a one-character verb that
// names do not swallow and an aspect particle (带着, 说了).
func verbWithAspect(rest string) bool {
	if len(rest) < 6 || !boundaryRune(rest[:3]) {
		return false
	}
	a := rest[3:6]
	return a == "着" || a == "了" || a == "过"
}

// predicateAfter reports whether rest starts with a predicate word (主张, 名下).
func predicateAfter(rest string) bool {
	for _, w := range predicateWords {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}

// nameEndsBefore reports whether rest starts with a character that a
// given name does not swallow (在, 因, 的, 今年 …), or with punctuation:
// after a role word, a name may end there even inside a word of gse's
// (罗刚|在 segmented 罗|刚在, 曾凡|因 segmented 曾|凡因).
func nameEndsBefore(rest string) bool {
	if rest == "" || strings.HasPrefix(rest, "今年") {
		return true
	}
	r, size := utf8.DecodeRuneInString(rest)
	if !unicode.Is(unicode.Han, r) {
		return true
	}
	return classOf(r)&classStop != 0 || boundaryRune(rest[:size])
}

// personAt tries a name starting at byte p.
// titles says whether text contains a 《 at all.
func personAt(text string, toks []token, p int, found []Finding, titles bool) (Finding, bool) {
	sl := surnameLen(text[p:], false)
	if sl == 0 {
		return Finding{}, false
	}
	if next, _ := utf8.DecodeRuneInString(text[p+sl:]); strings.ContainsRune("总哥姐经老大阿叔", next) && firstRef(text[p+sl:]) != "" && surnameLen(text[p:], true) > 0 {
		// 李总很满意: a reference (scanReferences), not the name 李总很.
		return Finding{}, false
	}
	before := strings.TrimRight(text[:p], "：: ")
	context := roleSuffixes.match(before) || listedAfterName(text, p, found)
	label := context && labelSuffixes.match(before)
	aligned := startAligned(text, toks, p, context)
	if !aligned {
		return Finding{}, false
	}
	if k := tokenAt(toks, p); k < len(toks) && toks[k].start == p && toks[k].end == p+sl && boundaryRune(text[p:p+sl]) {
		// 工人来|所里: a verb taking a place, not the surname 来.
		if g := tokenAt(toks, p+sl); g < len(toks) && toks[g].start == p+sl && toks[g].runes >= 2 && !nameTag(toks[g].pos) && tagClass(toks[g].pos) == tagNominal {
			return Finding{}, false
		}
	}
	// Surnames that are also prepositions (于, 向) need a role word or a title.
	prepSurname := strings.HasPrefix(text[p:], "于") || strings.HasPrefix(text[p:], "向") || strings.HasPrefix(text[p:], "由")
	if strings.HasPrefix(text[p:], "仲裁") || strings.HasPrefix(text[p:], "谢谢") {
		return Finding{}, false // 仲裁委, 谢谢: never a name
	}
	placedByWords := context || clauseStart(text[:p]) && classOf(lastRune(text[p:p+sl]))&classStop == 0 || leftSuffixes.match(before) || verbLeBefore(toks, p)
	placed := placedByWords || verbBefore(toks, p)
	bestEnd, bestScore, bestRunes := -1, -1, 0
	bestInside := false // the best end lies inside a word of gse's
	end := p + sl
	for given := 1; given <= 2; given++ {
		r, size := utf8.DecodeRuneInString(text[end:])
		if !unicode.Is(unicode.Han, r) || classOf(r)&classStop != 0 && !(context && r == '可') {
			break // 可 is a given name's character after a role word (女儿孟可欣)
		}
		end += size
		inside := !tokenBoundary(toks, end, len(text))
		if inside && !(context && (predicateAfter(text[end:]) || verbWithAspect(text[end:]))) && (bestEnd > 0 && !bestInside || !(context && insideEnd(text, toks, p, end))) {
			continue
		}
		if given == 2 && boundaryRune(text[end-len("因"):end]) && (bestInside || context && tokenBoundary(toks, end-len("因"), len(text)) && wholeWord(toks, p, end-len("因"), 0)) {
			continue // 丈夫曾凡因病, 员工秋月因病: the name ends before 因
		}
		score := followScore(text, toks, end)
		if score == 0 && !context && !(placed && knownName(toks, p, end)) ||
			score < 2 && (!placed || prepSurname && !context && !boundGiven(text, toks, p, sl, end)) {
			continue
		}
		if commonWord(toks, p, p+sl, end, label, score, context) && !(context && rareAfterRole(text, toks, p, end)) {
			continue
		}
		if score == 2 && (!context && !clauseStart(text[:p]) || frequentNoun(toks, p, end)) && titledNoun(toks, p, end) {
			continue
		}
		if roleWordSet[text[p:end]] || inList(text[p:end], kinNouns) || roleWordSet[text[p+sl:end]] || inList(text[p+sl:end], titleWords) || text[p+sl:end] == "大爷" || text[p+sl:end] == "大妈" {
			continue // 被告向原告借款, 郑女士, 张大爷: no given name
		}
		if last, _ := utf8.DecodeLastRuneInString(text[:end]); score < 2 && classOf(last)&classNounFinal != 0 {
			continue
		}
		if score < 2 && ordinaryWord(toks, p, end, context) && !(context && rareAfterRole(text, toks, p, end)) {
			continue
		}
		if given == 2 && bestEnd > 0 && boundaryWord(text, toks, bestEnd, end) && (score <= bestScore || boundaryRune(text[bestEnd:end])) {
			// 韩冰带着孩子, 梁红住在, 曾凡因病: the name does not swallow the
			// one-character verb, preposition or numeral after it.
			continue
		}
		if score >= bestScore {
			bestEnd, bestScore, bestRunes, bestInside = end, score, given, inside
		}
	}
	if bestEnd < 0 || strings.HasPrefix(text[bestEnd:], "某") || titles && inBookTitle(text[:p]) {
		return Finding{}, false
	}
	if k := tokenAt(toks, p); bestScore < 2 && k < len(toks) && toks[k].start == p && toks[k].end == p+sl && boundaryRune(text[p:p+sl]) {
		return Finding{}, false // 工人来讨薪: the verb 来, not the surname, unless a title follows (来先生)
	}
	conf := 0.6
	switch {
	case context || bestScore == 2:
		conf = 0.9
	case bestRunes == 2:
		conf = 0.75
	case surnameLen(text[p:], true) > 0:
		conf = 0.7
	case !placedByWords || wholeWord(toks, p, bestEnd, 100):
		// 把车|停在, 快递单|上: after a verb, a rare surname and one more
		// character are the verb's object, not a name; nor is a frequent
		// word such as 朴素.
		return Finding{}, false
	}
	return Finding{Type: TypePerson, Start: p, End: bestEnd, Text: text[p:bestEnd], Confidence: conf}, true
}

// boundaryWord reports whether text[from:to] is a one-character word that
// is a preposition, a conjunction or one of boundaryRune's verbs.
func boundaryWord(text string, toks []token, from, to int) bool {
	k := tokenAt(toks, from)
	if k >= len(toks) || toks[k].start != from || toks[k].end != to || toks[k].runes != 1 {
		return false
	}
	// Only a fixed set of characters: gse also tags the last character of
	// many given names (尹志安, 刘子涵) as a verb.
	return toks[k].pos == "p" || toks[k].pos == "c" || boundaryRune(text[from:to])
}

// boundaryRune reports whether s is one of the verbs and function words
// that so often follow a name (韩冰带着, 曾凡因病) that a name ending with
// them is less likely than a two-character name followed by them.
func boundaryRune(s string) bool {
	return len(s) == 3 && strings.Contains("带住因说要去来到给让跟也都就还又才已将会替帮陪找叫告问请拿送一持", s)
}

// Classes of gse's part-of-speech tags, for telling names from words.
const (
	tagOther    = iota
	tagFunction // adverbs, conjunctions, prepositions, pronouns, particles, numerals, times
	tagVerbal   // verbs and adjectives
	tagNominal  // nouns, place names, abbreviations
)

func tagClass(pos string) int {
	switch pos {
	case "d", "c", "p", "r", "u", "uj", "ul", "uz", "ug", "uv", "ud", "m", "mq", "q", "f", "t", "tg", "y", "e", "o", "zg":
		return tagFunction
	case "v", "vn", "vd", "vg", "vi", "vq", "a", "ad", "an", "ag", "i", "l", "z", "b":
		return tagVerbal
	case "n", "nz", "ns", "ng", "nt", "s", "j", "g":
		return tagNominal
	}
	return tagOther
}

// commonWord reports whether a candidate name text[p:end] (surname ending at
// givenStart) reads as an ordinary word: the whole candidate is a dictionary
// word other than a name (应当, 华丽, 房屋, 方面), or the given name is a
// verb or function word (应|承担, 高|度过). After a field label (收件人) and,
// for nouns, after a role word with a common surname, a rare word is still
// taken as a name, as is one followed by a title (张建设先生) unless it is a
// function word.
func commonWord(toks []token, p, givenStart, end int, label bool, score int, role bool) bool {
	k := tokenAt(toks, p)
	if k >= len(toks) {
		return false
	}
	if t := toks[k]; t.start == p && t.end == end && !nameTag(t.pos) {
		f := freq(t)
		switch tagClass(t.pos) {
		case tagFunction:
			return true
		case tagVerbal:
			return !(label || score == 2) || f >= 1000
		case tagNominal:
			// Place names and three-character nouns are seldom personal
			// names; a two-character noun is one only when it is rare.
			// After a role word a rare place-tagged word is a name (被执行人罗海).
			place := (t.pos == "ns" || t.pos == "nt" || t.pos == "s" || t.pos == "j") && !(role && f < 100)
			return !label && score < 2 && (surnameLen(t.text, true) == 0 || place || f >= 300 || t.runes >= 3 && f >= 50)
		}
		return false
	}
	g := tokenAt(toks, givenStart)
	if g >= len(toks) || toks[g].start != givenStart || toks[g].end != end {
		return false
	}
	t := toks[g]
	if t.runes < 2 || nameTag(t.pos) || label || score == 2 && tagClass(t.pos) != tagFunction {
		return false
	}
	if role && (t.pos == "t" || t.pos == "tg") {
		return false // 司机严|国庆, 原告夏|天: a time word is a common given name
	}
	c := tagClass(t.pos)
	if t.pos == "n" {
		// 被原|单位冒用: a frequent noun is not a given name, unless a
		// role word says a person follows (被告江|海洋).
		return !role && score < 2 && freq(t) >= 1000
	}
	if role && (c == tagVerbal || t.pos == "d") {
		return freq(t) >= 1000 // 女儿邱|欣然, 舅舅孙|宏伟: a rarer adverb or verb is a given name after a role word
	}
	return (c == tagFunction || c == tagVerbal) && freq(t) >= 100
}

// rareAfterRole reports whether the word text[p:end], after a role word,
// is still a name although it is also an ordinary word: a rare verb or
// adjective (委托人付强, 当事人常乐), or a time word with a common surname
// followed by the end of the name (原告夏天诉…).
func rareAfterRole(text string, toks []token, p, end int) bool {
	k := tokenAt(toks, p)
	if k >= len(toks) || toks[k].start != p || toks[k].end != end || nameTag(toks[k].pos) {
		return false
	}
	t := toks[k]
	switch {
	case tagClass(t.pos) == tagVerbal:
		return t.runes == 2 && freq(t) < 50
	case t.pos == "t":
		r, _ := utf8.DecodeRuneInString(text[end:])
		return t.runes == 2 && surnameLen(t.text, true) > 0 && strings.ContainsRune("诉与系", r)
	case t.pos == "ns" || t.pos == "nz" || t.pos == "n":
		// 原告米兰与被告…: a party named like a place or a thing.
		r, _ := utf8.DecodeRuneInString(text[end:])
		return t.runes == 2 && freq(t) < 1000 && strings.ContainsRune("诉与系", r)
	}
	return false
}

// wholeWord reports whether text[p:end] is one dictionary word with a
// frequency of at least minFreq.
func wholeWord(toks []token, p, end int, minFreq float64) bool {
	k := tokenAt(toks, p)
	return k < len(toks) && toks[k].start == p && toks[k].end == end && toks[k].id >= 0 && freq(toks[k]) >= minFreq
}

// frequentNoun reports whether text[p:end] is a frequent dictionary noun
// other than a name (劳动者本人): not a name even after a role word.
func frequentNoun(toks []token, p, end int) bool {
	k := tokenAt(toks, p)
	return wholeWord(toks, p, end, 1000) && !nameTag(toks[k].pos)
}

// titledNoun reports whether text[p:end] is a dictionary noun other than a
// name that is frequent enough to be read as a noun before a title
// (涉外商事律师, 刑事律师): a field of practice, not a name.
func titledNoun(toks []token, p, end int) bool {
	k := tokenAt(toks, p)
	if k >= len(toks) || toks[k].start != p || toks[k].end != end || nameTag(toks[k].pos) {
		return false
	}
	return tagClass(toks[k].pos) == tagNominal && freq(toks[k]) >= 20
}

// knownName reports whether text[p:end] is one word that gse tags as a
// person's name, not frequent as anything else, with a common surname
// (金庸作品…): such a word is a name even without a role word or title.
func knownName(toks []token, p, end int) bool {
	k := tokenAt(toks, p)
	if k >= len(toks) {
		return false
	}
	t := toks[k]
	return t.start == p && t.end == end && nameTag(t.pos) && t.runes >= 2 && t.runes <= 3 &&
		freq(t) <= 500 && surnameLen(t.text, true) > 0
}

// boundGiven reports whether a preposition-like surname (向, 于) at the start
// of a clause is followed by a one-character given name that is not a word on
// its own (向佐的…), so that the preposition reading is unlikely.
func boundGiven(text string, toks []token, p, sl, end int) bool {
	if !clauseStart(text[:p]) {
		return false
	}
	g := tokenAt(toks, p+sl)
	if g >= len(toks) || toks[g].start != p+sl || toks[g].end != end || toks[g].runes != 1 {
		return false
	}
	switch toks[g].pos {
	case "vg", "zg", "ng", "g", "ag", "tg":
		return true
	}
	return false
}

// clauseStart reports whether a name may start right after before: at the
// start of the text or after punctuation or a space.
func clauseStart(before string) bool {
	if before == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	return unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r)
}

// tokenAt returns the index of the first token ending after offset.
//
// It is sort.Search over the token ends, started from where offset would
// fall if the tokens were of equal length and widened by doubling steps:
// the scanners ask for a token thousands of times per chunk, and a plain
// binary search over a whole chunk's tokens was an eighth of the
// redaction's time. Only the ends' order matters for the result.
func tokenAt(toks []token, offset int) int {
	n := len(toks)
	if n == 0 || toks[0].end > offset {
		return 0
	}
	if toks[n-1].end <= offset {
		return n
	}
	// Now toks[0].end <= offset < toks[n-1].end: the answer is in (0, n-1].
	first, last := toks[0].start, toks[n-1].end
	g := 0
	if last > first {
		g = int(int64(offset-first) * int64(n) / int64(last-first))
	}
	g = min(max(g, 1), n-1)
	lo, hi := 0, n-1 // toks[lo].end <= offset < toks[hi].end
	if toks[g].end > offset {
		hi = g
		for step := 1; ; step <<= 1 {
			if i := hi - step; i <= lo {
				break
			} else if toks[i].end <= offset {
				lo = i
				break
			} else {
				hi = i
			}
		}
	} else {
		lo = g
		for step := 1; ; step <<= 1 {
			if i := lo + step; i >= hi {
				break
			} else if toks[i].end > offset {
				hi = i
				break
			} else {
				lo = i
			}
		}
	}
	return lo + 1 + sort.Search(hi-lo-1, func(i int) bool { return toks[lo+1+i].end > offset })
}

// tokenBoundary reports whether a word starts (or the text ends) at offset.
func tokenBoundary(toks []token, offset, n int) bool {
	if offset >= n {
		return true
	}
	k := tokenAt(toks, offset)
	return k < len(toks) && toks[k].start == offset
}

// followScore rates what follows a candidate name: 2 a title, 1 punctuation,
// a function word, a verb or a predicate word, 0 anything else.
func followScore(text string, toks []token, end int) int {
	rest := text[end:]
	if rest == "" {
		return 1
	}
	if titleFinder.at(rest, 0) != "" {
		return 2
	}
	r, _ := decodeAt(rest, 0)
	if !unicode.Is(unicode.Han, r) || classOf(r)&classStop != 0 {
		return 1
	}
	if k := tokenAt(toks, end); k+1 < len(toks) && toks[k].start == end && toks[k].runes == 1 && toks[k].han {
		if a := toks[k+1].text; a == "着" || a == "了" || a == "过" {
			return 1 // 欧阳晓峰开着…: a one-character verb with its aspect particle
		}
	}
	for _, w := range predicateWords {
		if strings.HasPrefix(rest, w) {
			return 1
		}
	}
	k := tokenAt(toks, end)
	if k < len(toks) {
		switch toks[k].pos {
		case "v", "p", "c", "uj", "ul", "u", "d", "r", "f", "vn", "vd", "x":
			return 1
		}
	}
	return 0
}

// ordinaryWord reports whether text[p:end] starts with a dictionary word that
// is not a name (公司未), is one such word (高兴, 方向; with a role word before
// it only a frequent one, as in 被告支付), or is a two-character name-tagged
// word so frequent that it is mostly a common word (文明, 高明).
func ordinaryWord(toks []token, p, end int, context bool) bool {
	k := tokenAt(toks, p)
	if k >= len(toks) || toks[k].start != p {
		return false
	}
	t := toks[k]
	switch {
	case t.end < end && t.runes == 2 && inList(t.text, compoundSurnames):
		return false // 欧阳|娜娜: the word is the surname
	case t.end < end && t.runes >= 2 && !nameTag(t.pos):
		// After a role word a rare noun may open a name (前夫方志远).
		// After a role word a rare noun, or a place name, may open a name
		// (前夫方志远, 委托人黄海|燕).
		limit := 300.0
		if t.pos == "ns" {
			limit = 1000
		}
		return !(context && freq(t) < limit && surnameLen(t.text, false) > 0)
	case t.end != end:
		return false
	case !nameTag(t.pos):
		return !context || freq(t) > 2000 || strings.Contains("tmdcprf", t.pos)
	}
	return !context && t.runes == 2 && freq(t) > 500
}

// startAligned reports whether a word starts at p. A name merged with the
// last character of a role word (上诉人丁… segmented 人丁) counts as aligned
// when the role word is there.
func startAligned(text string, toks []token, p int, context bool) bool {
	k := tokenAt(toks, p)
	if k >= len(toks) {
		return false
	}
	if toks[k].start == p {
		return true
	}
	head := text[toks[k].start:p]
	if r, size := utf8.DecodeRuneInString(head); size == len(head) && conjunctionRune(r) {
		return context
	}
	return context && (head == "人" || roleInside(head))
}

// verbBefore reports whether the word before p is a verb or preposition
// (汇入朱丽娟名下).
// verbLeBefore reports whether a verb and 了 stand right before p (收到了焦丽的短信).
func verbLeBefore(toks []token, p int) bool {
	k := tokenAt(toks, p) - 1
	return k >= 1 && k < len(toks) && toks[k].end == p && toks[k].text == "了" && toks[k-1].end == toks[k].start &&
		(toks[k-1].pos == "v" || toks[k-1].text == "给")
}

func verbBefore(toks []token, p int) bool {
	k := tokenAt(toks, p) - 1
	if k >= 1 && k < len(toks) && toks[k].end == p && toks[k].text == "了" && toks[k-1].end == toks[k].start {
		k-- // 卖给了项涛: the verb before 了
		return toks[k].pos == "v" || toks[k].pos == "p" || toks[k].text == "给"
	}
	return k >= 0 && k < len(toks) && toks[k].end == p && (toks[k].pos == "v" || toks[k].pos == "p")
}

// listedAfterName reports whether the text before start is a name already
// found followed by an enumeration mark (张三、李四 / 张三和李四).
func listedAfterName(text string, start int, found []Finding) bool {
	if len(found) == 0 {
		return false
	}
	last := found[len(found)-1]
	between := text[last.End:start]
	return between == "、" || between == "和" || between == "与" || between == "及"
}
