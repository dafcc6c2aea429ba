package lawref

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Citation is one 《…》 reference in a text. Start and End are byte offsets
// of the whole citation (title plus article, when there is one).
type Citation struct {
	Title   string `json:"title"` // the text between 《 and 》, or a bare law name
	context string // the whole text, for looking around the citation
	Article int    `json:"article,omitempty"` // 0 when no article is cited
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

var (
	titlePattern   = regexp.MustCompile(`《([^《》\n]{1,80})》`)
	articlePattern = regexp.MustCompile(`^\s*(?:的)?第\s*([0-9]{1,4}|[零〇一二两三四五六七八九十百千]{1,8})\s*条`)
)

// barePattern finds the laws lawyers often cite without 《》 (合同法第二百一十一条).
var barePattern = regexp.MustCompile(`(?:中华人民共和国)?(民法通则|民法总则|合同法|物权法|担保法|侵权责任法|婚姻法|继承法|收养法|民事诉讼法|公司法)第\s*([0-9]{1,4}|[零〇一二两三四五六七八九十百千]{1,8})\s*条`)

// bareBefore are characters that may stand right before a bare law name;
// other Han characters make it part of a longer name (劳动合同法, 技术合同法).
const bareBefore = "据照反见依按和与及、的为是用即及在："

// Extract returns the citations in text in order of appearance.
func Extract(text string) []Citation {
	var out []Citation
	titles := titlePattern.FindAllStringSubmatchIndex(text, -1)
	for _, m := range barePattern.FindAllStringSubmatchIndex(text, -1) {
		if r, _ := utf8.DecodeLastRuneInString(text[:m[0]]); m[0] > 0 && unicode.Is(unicode.Han, r) && !strings.ContainsRune(bareBefore, r) {
			continue
		}
		inTitle := false
		for _, t := range titles {
			if m[0] < t[1] && t[0] < m[1] {
				inTitle = true
			}
		}
		if n := parseArticleNumber(text[m[4]:m[5]]); n > 0 && !inTitle {
			out = append(out, Citation{Title: text[m[2]:m[3]], Article: n, Start: m[0], End: m[1], context: text})
		}
	}
	for _, m := range titles {
		c := Citation{Title: text[m[2]:m[3]], Start: m[0], End: m[1], context: text}
		if a := articlePattern.FindStringSubmatchIndex(text[m[1]:]); a != nil {
			if n := parseArticleNumber(text[m[1]+a[2] : m[1]+a[3]]); n > 0 {
				c.Article = n
				c.End = m[1] + a[1]
			}
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Start < out[b].Start })
	return out
}

// titleNoise is removed from titles before they are looked up, so that the
// full and the short forms of a name meet: 中华人民共和国合同法 -> 合同法,
// 最高人民法院关于适用〈中华人民共和国合同法〉若干问题的解释（一） -> 合同法解释（一）.
var titleNoise = strings.NewReplacer(
	"中华人民共和国", "", "最高人民法院", "", "关于", "", "〈", "", "〉", "", "<", "", ">", "",
	"适用", "", "审理", "", "纠纷", "", "案件", "", "法律", "", "问题", "", "的", "",
	"司法解释", "解释", " ", "", "(", "（", ")", "）",
)

// normalizeTitle returns the lookup key of a cited title. 若干 is kept for
// labour-dispute interpretations, where it tells the repealed ones (若干问题)
// from the 2020 one (适用法律问题).
func normalizeTitle(title string) string {
	key := titleNoise.Replace(title)
	if !strings.HasPrefix(key, "劳动争议") {
		key = strings.ReplaceAll(key, "若干", "")
	}
	return key
}

// lookup finds the rule for a cited title.
func lookup(title string) (Rule, bool) {
	key := normalizeTitle(title)
	for _, r := range rules {
		for _, k := range r.Keys {
			if key == k {
				return r, true
			}
		}
	}
	return Rule{}, false
}
