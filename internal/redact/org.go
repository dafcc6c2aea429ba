package redact

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// orgSuffixes end a company or firm name, longest first so that the longest
// suffix at a position wins. Courts, procuratorates, public security bureaus
// and arbitration commissions end differently and are never reported.
var orgSuffixes = []string{
	"股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "律师事务所", "会计师事务所",
	"（有限合伙）", "(有限合伙)", "合伙企业", "集团", "事务所", "工作室", "商行", "经营部", "公司",
}

// weakSuffix names suffixes that are also ordinary nouns (我们公司, 保险公司);
// they need a longer, place-led name.
func weakSuffix(s string) bool {
	return s == "公司" || s == "集团" || s == "工作室" || s == "事务所"
}

// nameTokenTags are gse tags a word inside an organisation name may carry.
var nameTokenTags = map[string]bool{
	"n": true, "ns": true, "nz": true, "nt": true, "nr": true, "nrt": true, "nrfg": true, "j": true,
	"vn": true, "an": true, "eng": true, "b": true, "ng": true, "g": true, "x": true, "m": true,
	"a": true, "s": true, "l": true, "i": true, "zg": true, "q": true, "k": true, "h": true,
	"tg": true, "ag": true, "nx": true, "z": true, "y": false, "mq": true,
}

// orgStopWords end the leftward walk over an organisation name.
var orgStopWords = []string{"我们", "我司", "贵司", "该", "本", "对方", "你们", "他们", "这家", "那家", "这个", "那个", "一家", "某", "诉", "起诉", "委托", "联系", "通知", "签订", "代理", "同意", "要求", "支付", "拖欠"}

// scanOrgs finds company and firm names ending with a legal-form suffix.
func scanOrgs(text string, toks []token, out []Finding) []Finding {
	lastEnd := -1
	for off := 0; off < len(text); {
		pos, suffix := orgFinder.find(text, off)
		if pos < 0 {
			break
		}
		off = pos + len(suffix)
		if pos < lastEnd {
			continue
		}
		start := orgStart(text, toks, pos)
		nameRunes := utf8.RuneCountInString(text[start:pos])
		if nameRunes < 2 || (weakSuffix(suffix) && (nameRunes < 4 || !placeLed(toks, start))) {
			continue
		}
		end := pos + len(suffix)
		// Extend over a following branch or partnership marker.
		for _, tail := range []string{"（有限合伙）", "(有限合伙)"} {
			if strings.HasPrefix(text[end:], tail) {
				end += len(tail)
			}
		}
		conf := 0.85
		if weakSuffix(suffix) {
			conf = 0.7
		}
		out = append(out, Finding{Type: TypeOrg, Start: start, End: end, Text: text[start:end], Confidence: conf})
		lastEnd = end
	}
	return out
}

// orgStart walks left from the suffix over name-like words (at most 20
// runes). A verb or the conjunction 和 may sit inside a name (北京大成律师事务所,
// 湘江新区开发建设有限公司, 广东广和律师事务所), but is kept only when the walk goes
// on to a place name before it; otherwise the name starts after it.
func orgStart(text string, toks []token, suffixPos int) int {
	k := sort.Search(len(toks), func(i int) bool { return toks[i].end > suffixPos })
	start := suffixPos
	if k < len(toks) && toks[k].start < suffixPos {
		// The suffix's first character was merged into the previous word.
		start = toks[k].start
	}
	committed, pending := start, false
	for j := k - 1; j >= 0; j-- {
		t := toks[j]
		if t.end != start || utf8.RuneCountInString(text[t.start:suffixPos]) > 20 {
			break
		}
		if !t.han && !strings.ContainsAny(t.text, "()（）") && t.pos != "eng" {
			break
		}
		if inList(t.text, roleWords) || inList(t.text, orgStopWords) || inList(t.text, titleWords) {
			break
		}
		if t.pos == "v" || t.text == "和" {
			pending = true
			start = t.start
			continue
		}
		if !nameTokenTags[t.pos] || strings.ContainsAny(t.text, "的了是在和与向对由为被把给跟同及或") {
			break
		}
		start = t.start
		if !pending || t.pos == "ns" {
			committed, pending = start, false
		}
	}
	return committed
}

// placeLed reports whether the name starting at start begins with a place name.
func placeLed(toks []token, start int) bool {
	k := sort.Search(len(toks), func(i int) bool { return toks[i].start >= start })
	return k < len(toks) && toks[k].start == start && toks[k].pos == "ns"
}

var orgFinder = newWordFinder(orgSuffixes)
