package lawref

import (
	"fmt"
	"regexp"
	"strings"
)

// Kind names what an Issue is about.
type Kind string

const (
	KindRepealed          Kind = "repealed_law"       // 引用了已废止的法律或司法解释
	KindRenumbered        Kind = "renumbered_article" // 条文序号已调整
	KindRevised           Kind = "revised_law"        // 法律已修订
	KindMissingDisclaimer Kind = "missing_disclaimer" // 缺少免责声明
	KindUnsourcedPolicy   Kind = "unsourced_policy"   // 提到“最新规定”但未注明出处
	KindVersion           Kind = "version_dependent"  // 条文序号因版本而异，需注明版本
	KindObsoleteRule      Kind = "obsolete_rule"      // 引用了已被取代的实体规则（如 24%/36%）
)

// Issue is one problem found in a text. Messages are in Chinese for users.
type Issue struct {
	Kind       Kind   `json:"kind"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Text       string `json:"text"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion,omitempty"`
	Source     string `json:"source,omitempty"`
	// MustFix marks a citation of a repealed rule of substance (the 24%/36%
	// interest rule): the post states the law wrongly and must be fixed.
	MustFix bool `json:"must_fix,omitempty"`
}

// Category is the kind's name in the UI.
func (k Kind) Category() string {
	switch k {
	case KindRepealed:
		return "法规引用·已废止"
	case KindRenumbered:
		return "法规引用·条文序号已调整"
	case KindRevised:
		return "法规引用·已修订"
	case KindVersion:
		return "法规引用·版本不明"
	case KindObsoleteRule:
		return "法规引用·规则已改变"
	case KindMissingDisclaimer:
		return "免责声明"
	case KindUnsourcedPolicy:
		return "来源不明"
	}
	return string(k)
}

// Disclaimer is the text suggested when legal analysis has none.
const Disclaimer = "以上内容仅供参考，不构成正式法律意见；具体问题请结合案件事实另行咨询。"

var disclaimerWords = []string{"仅供参考", "不构成法律意见", "不构成正式法律意见", "不作为法律意见", "不构成任何法律意见"}

// analysisSignals suggest that a text gives legal analysis or advice.
var analysisSignals = regexp.MustCompile(`《[^》]+》|第[0-9零一二三四五六七八九十百千]+条|根据.{0,20}(?:法|规定|解释)|依据|法律规定|建议(?:您|你|贵司)?|诉讼时效|可以(?:起诉|申请|主张|要求)|有权|应当承担|胜诉|败诉|赔偿`)

// latestPolicy finds claims about the newest rules.
var latestPolicy = regexp.MustCompile(`最新(?:的)?(?:司法解释|政策|规定|法规|规章|文件|口径|法律)|新规|新政`)

// CheckCitations checks every citation against the validity dataset, at
// article level where the article table (articles.tsv) knows the article.
func CheckCitations(text string) []Issue {
	var out []Issue
	for _, c := range Extract(text) {
		r, ok := lookup(c.Title)
		if !ok {
			continue
		}
		key := normalizeTitle(c.Title)
		is := Issue{Start: c.Start, End: c.End, Text: text[c.Start:c.End], Source: r.Source, Suggestion: r.Replacement}
		switch r.Status {
		case StatusRepealed:
			is.Kind = KindRepealed
			is.Message = fmt.Sprintf("《%s》已于%s废止，现行规定为%s。法律事实发生在2021年1月1日之前的，依《最高人民法院关于适用〈中华人民共和国民法典〉时间效力的若干规定》第一条，仍适用当时的法律、司法解释；请确认引用是否恰当。", c.Title, cnDate(r.Since), r.Replacement)
			if c.Article > 0 {
				if m, ok := repealedArticle(key, c.Article); ok {
					articleMessage(&is, c, r, m)
				}
			}
		default:
			if c.Article == 0 {
				continue
			}
			var ok bool
			if is, ok = versionIssue(is, key, c, r); !ok {
				continue
			}
		}
		out = append(out, is)
	}
	return out
}

// repealedArticle finds the successor of an article of a repealed text.
// 民法总则 kept its numbering as the Civil Code's first book (articles
// 1-204; 205 and 206 became 1259 and 1260).
func repealedArticle(key string, n int) (ArticleMap, bool) {
	if m, ok := LookupArticle(lawTableName(key), n); ok {
		return m, true
	}
	if key == "民法总则" && n >= 1 && n <= 206 {
		m := ArticleMap{Law: key, Old: n, Successor: "民法典", New: n, Method: MethodUnverified, Topic: ""}
		switch n {
		case 205:
			m.New = 1259
		case 206:
			m.New = 1260
		}
		return m, true
	}
	return ArticleMap{}, false
}

// articleMessage fills an issue for an article of a repealed text.
func articleMessage(is *Issue, c Citation, r Rule, m ArticleMap) {
	m = follow(m)
	topic := ""
	if m.Topic != "" {
		topic = "（" + m.Topic + "）"
	}
	old := fmt.Sprintf("《%s》第%s条%s", c.Title, cnArticle(c.Article), topic)
	if m.New == 0 || m.Method == MethodNone {
		is.Message = fmt.Sprintf("《%s》已于%s废止；%s在现行规定中没有找到对应条文（%s），该规则可能已被删除，请核实。", c.Title, cnDate(r.Since), old, methodNote(m))
		is.Suggestion = r.Replacement
		is.MustFix = m.Substance != ""
		return
	}
	now := fmt.Sprintf("%s第%s条", successorTitle(m.Successor), cnArticle(m.New))
	is.Suggestion = now
	is.Message = fmt.Sprintf("《%s》已于%s废止，%s现为%s", c.Title, cnDate(r.Since), old, now)
	if m.Excerpt != "" {
		is.Message += "：“" + m.Excerpt + "”"
	}
	is.Message += "（" + methodNote(m) + "）。"
	if m.Substance != "" {
		is.MustFix = true
		is.Message += "注意：规则已实质改变——" + m.Substance + "。按旧规则写的结论需要修改；法律事实发生在新规定施行前的，请注明适用的是当时的规定。"
	} else {
		is.Message += "法律事实发生在2021年1月1日之前的，仍可能适用当时的规定。"
	}
}

// methodNote tells users how far to trust a mapping.
func methodNote(m ArticleMap) string {
	switch m.Method {
	case MethodChecked:
		return "对应关系已与现行条文文字核对"
	case MethodText:
		return fmt.Sprintf("按新旧两版条文文字比对得出，相似度%.2f", m.Score)
	case MethodWeak:
		return fmt.Sprintf("新旧条文仅部分相似（相似度%.2f），对应关系未经核实，请以官方文本为准", m.Score)
	case MethodNone:
		return "比对替代规定全文未找到相近条文"
	}
	return "对应关系未经核实，请以官方文本为准"
}

// currentMarker shows that a sentence cites the current text.
var currentMarker = regexp.MustCompile(`2023年修[正订]|（2023）|\(2023\)|2023年版|现行|新公司法|新《公司法》|新民诉|2020年12月修正|2022年修正`)

// versionOf is an older numbering of a text that is still in force.
type versionOf struct{ table, label string }

var versions = map[string][]versionOf{
	"民事诉讼法":    {{"民事诉讼法@2012", "按2012年、2017年修正文本"}, {"民事诉讼法@2021", "按2021年修正文本"}},
	"公司法":      {{"公司法@2018", "按2018年修正文本"}},
	"民间借贷规定":   {{"民间借贷规定@2015", "按2015年文本"}, {"民间借贷规定@2020-08", "按2020年8月修正文本"}},
	"人身损害赔偿解释": {{"人身损害赔偿解释@2003", "按2003年文本"}, {"人身损害赔偿解释@2020", "按2020年12月修正文本"}},
}

// versionIssue asks which text a citation of a renumbered or revised text
// means, when the cited number means different things in different
// versions, and shows what the article is now.
func versionIssue(is Issue, key string, c Citation, r Rule) (Issue, bool) {
	table := key
	if r.Table != "" {
		table = r.Table
	}
	n := c.Article
	if s, e := sentenceBounds(c.context, c.Start, c.End); currentMarker.MatchString(c.context[s:e]) {
		return is, false // the post says it cites the current text
	}
	var readings []string
	var targets []string
	for _, v := range versions[table] {
		m, ok := LookupArticle(v.table, n)
		if !ok {
			continue
		}
		m = follow(m)
		if m.New == n && m.Method != MethodNone && m.Substance == "" {
			continue
		}
		topic := ""
		if m.Topic != "" {
			topic = "（" + m.Topic + "）"
		}
		if m.New == 0 || m.Method == MethodNone {
			readings = append(readings, fmt.Sprintf("%s，第%s条%s在现行文本中已无对应条文", v.label, cnArticle(n), topic))
			continue
		}
		reading := fmt.Sprintf("%s，第%s条%s现为第%s条（%s）", v.label, cnArticle(n), topic, cnArticle(m.New), methodNote(m))
		if m.Substance != "" {
			reading += "，且规则已改变：" + m.Substance
		}
		readings = append(readings, reading)
		targets = append(targets, fmt.Sprintf("《%s》第%s条", c.Title, cnArticle(m.New)))
	}
	if len(readings) == 0 {
		return is, false
	}
	is.Kind = KindVersion
	if r.Status == StatusRevised {
		is.Kind = KindRevised
	}
	is.Message = fmt.Sprintf("《%s》自%s起施行的现行文本条文序号有调整，第%s条所指因版本而异：%s", c.Title, cnDate(r.Since), cnArticle(n), strings.Join(readings, "；"))
	if now, ok := currentArticle(table, n); ok {
		is.Message += fmt.Sprintf("；现行文本第%s条为：“%s”", cnArticle(n), now)
	}
	is.Message += "。请注明所引版本，或改为现行条文序号。"
	is.Suggestion = ""
	if len(targets) == 1 {
		is.Suggestion = targets[0]
	}
	return is, true
}

// CheckDisclaimer reports legal analysis that carries no disclaimer.
func CheckDisclaimer(text string) []Issue {
	for _, w := range disclaimerWords {
		if strings.Contains(text, w) {
			return nil
		}
	}
	if len(analysisSignals.FindAllStringIndex(text, 2)) == 0 {
		return nil
	}
	return []Issue{{
		Kind:       KindMissingDisclaimer,
		Start:      len(text),
		End:        len(text),
		Message:    "内容包含法律分析或建议，但没有免责声明（如“仅供参考，不构成法律意见”），建议在末尾补充。",
		Suggestion: Disclaimer,
	}}
}

// CheckLatestPolicy flags "最新司法解释 / 新规" claims in a sentence that
// cites nothing (no 《…》 and no document number such as 法释〔2020〕16号).
func CheckLatestPolicy(text string) []Issue {
	var out []Issue
	for _, m := range latestPolicy.FindAllStringIndex(text, -1) {
		s, e := sentenceBounds(text, m[0], m[1])
		sentence := text[s:e]
		if strings.Contains(sentence, "《") || docNumber.MatchString(sentence) {
			continue
		}
		out = append(out, Issue{
			Kind: KindUnsourcedPolicy, Start: m[0], End: m[1], Text: text[m[0]:m[1]],
			Message: fmt.Sprintf("提到“%s”但未注明出处，请核实来源并写明文件名称和文号。", text[m[0]:m[1]]),
		})
	}
	return out
}

var docNumber = regexp.MustCompile(`[\p{Han}]{1,6}〔\d{4}〕\d+号`)

// Check runs every check and returns the issues in order of position.
func Check(text string) []Issue {
	out := CheckCitations(text)
	out = append(out, CheckObsoleteRules(text)...)
	out = append(out, CheckLatestPolicy(text)...)
	out = append(out, CheckDisclaimer(text)...)
	return out
}

func sentenceBounds(text string, s, e int) (int, int) {
	const stops = "。！？；\n!?;"
	if i := strings.LastIndexAny(text[:s], stops); i >= 0 {
		s = i + 1
		for s < len(text) && text[s]&0xC0 == 0x80 {
			s++
		}
	} else {
		s = 0
	}
	if i := strings.IndexAny(text[e:], stops); i >= 0 {
		e += i
	} else {
		e = len(text)
	}
	return s, e
}

// cnDate turns 2021-01-01 into 2021年1月1日.
func cnDate(iso string) string {
	var y, m, d int
	if _, err := fmt.Sscanf(iso, "%d-%d-%d", &y, &m, &d); err != nil {
		return iso
	}
	return fmt.Sprintf("%d年%d月%d日", y, m, d)
}
