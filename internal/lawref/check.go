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

// CheckCitations checks every citation against the validity dataset.
func CheckCitations(text string) []Issue {
	var out []Issue
	for _, c := range Extract(text) {
		r, ok := lookup(c.Title)
		if !ok {
			continue
		}
		is := Issue{Start: c.Start, End: c.End, Text: text[c.Start:c.End], Source: r.Source, Suggestion: r.Replacement}
		switch r.Status {
		case StatusRepealed:
			is.Kind = KindRepealed
			is.Message = fmt.Sprintf("《%s》已于%s废止，现行规定为%s。法律事实发生在2021年1月1日之前的，依《最高人民法院关于适用〈中华人民共和国民法典〉时间效力的若干规定》第一条，仍适用当时的法律、司法解释；请确认引用是否恰当。", c.Title, cnDate(r.Since), r.Replacement)
		case StatusRenumbered:
			newArt, moved := r.Renumbered[c.Article]
			if !moved {
				continue
			}
			is.Kind = KindRenumbered
			is.Suggestion = fmt.Sprintf("《%s》第%d条", c.Title, newArt)
			is.Message = fmt.Sprintf("《%s》已于%s修正施行，原第%d条（%s）现为第%d条；如引用的是修正前的条文，请改为现行条文序号或注明版本。", c.Title, cnDate(r.Since), c.Article, renumberedTopic[c.Article], newArt)
		case StatusRevised:
			if c.Article == 0 {
				continue
			}
			is.Kind = KindRevised
			is.Message = fmt.Sprintf("《%s》已修订，自%s起施行，条文序号多有调整；请核对第%d条是否仍为所引内容。", c.Title, cnDate(r.Since), c.Article)
		}
		out = append(out, is)
	}
	return out
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
