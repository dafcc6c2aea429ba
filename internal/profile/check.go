// Package profile owns a lawyer's professional image (专业形象) on WeChat and
// WeCom: checking the nickname and signature against the firm's conventions
// and the bar's rules on publicity, and the lawyer's contact card as a vCard
// and a QR code.
package profile

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Level says how serious a finding is.
type Level string

// Finding levels.
const (
	LevelViolation Level = "violation" // breaks a rule on lawyers' publicity; must change
	LevelAdvice    Level = "advice"    // departs from the firm's convention; should change
)

// Label is the level's name in the UI.
func (l Level) Label() string {
	if l == LevelViolation {
		return "违规"
	}
	return "建议"
}

// Finding is one problem with a nickname or signature.
type Finding struct {
	Field   string // 昵称 or 签名
	Level   Level
	Message string // Chinese, says what to change
	Rule    string // the rule or convention it rests on
}

// Rules the findings cite. Article numbers are left out where the
// regulations were renumbered between editions; the quoted duty is the same.
const (
	ruleConvention   = "本所昵称规范：真实姓名 + 分隔符 + 律所简称，如“张三-某某律所”"
	ruleExpectation  = "《律师执业行为规范（试行）》“律师宣传”：不得进行歪曲事实和法律，或者可能使公众对律师产生不合理期望的宣传"
	ruleComparison   = "《律师执业行为规范（试行）》“律师宣传”：不得进行律师之间或者律师事务所之间的比较宣传；《广告法》第九条第（三）项：不得使用“国家级”“最高级”“最佳”等用语"
	ruleAuthority    = "《律师执业行为规范（试行）》“律师宣传”：可以宣传所从事的专业领域，但不得自我声明或者暗示其被公认或者证明为某一专业领域的权威或专家"
	rulePromise      = "《律师执业管理办法》：不得以明示或者暗示方式对办理结果向委托人作出不当承诺"
	ruleRelationship = "《律师执业行为规范（试行）》：不得以影响司法机关依法办理案件为由招揽业务，不得宣传与司法人员的关系"
	rulePracticeArea = "本所签名规范：写明执业领域，便于客户判断是否对口"
)

// Separators may stand between the real name and the firm abbreviation.
const Separators = "-·|丨 "

// PracticeAreas are the practice-area words a signature is expected to name.
var PracticeAreas = []string{
	"婚姻家事", "婚姻家庭", "继承", "劳动争议", "劳动人事", "公司法务", "公司治理", "股权",
	"合同纠纷", "民商事", "民商事诉讼", "商事仲裁", "刑事辩护", "刑事", "知识产权", "商标", "专利", "著作权",
	"房地产", "建设工程", "债权债务", "金融", "证券", "破产重整", "税务", "行政诉讼", "涉外",
	"交通事故", "医疗纠纷", "人身损害", "执行", "常年法律顾问", "数据合规", "合规", "反垄断", "跨境",
}

// marketingRule is a family of forbidden publicity with its rule and level.
type marketingRule struct {
	words []string
	rule  string
	level Level
	what  string
}

var marketingRules = []marketingRule{
	{[]string{"包赢", "包打赢", "稳赢", "必胜", "必赢", "保证胜诉", "包胜诉", "包过", "零败诉", "无败诉", "百战百胜", "百分百胜诉", "100%胜诉", "保证结果", "包结果", "不胜诉不收费", "不赢不收费"},
		rulePromise, LevelViolation, "承诺办理结果"},
	{[]string{"最好", "最强", "最专业", "最权威", "最佳", "第一", "no.1", "top1", "顶级", "顶尖", "金牌", "王牌", "排名前", "国家级", "最高级", "首屈一指", "无人能及"},
		ruleComparison, LevelViolation, "使用最高级或比较宣传用语"},
	{[]string{"权威", "专家", "著名律师", "知名律师", "大律师", "名律师"},
		ruleAuthority, LevelViolation, "自称权威或专家"},
	{[]string{"法院有人", "关系硬", "熟悉法官", "认识法官", "搞定", "摆平"},
		ruleRelationship, LevelViolation, "暗示与司法人员的关系"},
}

// harmlessPhrases contain a listed word without being publicity; they are
// removed before matching (第一时间回复 is not 第一).
var harmlessPhrases = strings.NewReplacer("第一时间", "", "第一审", "", "第一次", "")

// Check reviews a nickname and signature against the firm's conventions
// (nickname = real name + separator + firmAbbrev; the signature names a
// practice area) and the publicity rules. No findings means all is well.
func Check(nickname, signature, firmAbbrev string) []Finding {
	nick := fold(nickname)
	sig := fold(signature)
	firm := fold(firmAbbrev)
	var out []Finding
	out = append(out, checkNickname(nick, firm)...)
	out = append(out, marketing("昵称", nick)...)
	out = append(out, checkSignature(sig)...)
	out = append(out, marketing("签名", sig)...)
	return out
}

// fold makes full-width letters, digits and punctuation half-width and
// lower-cases Latin letters, so ＮＯ．１ and No.1 are caught alike.
func fold(s string) string {
	return strings.ToLower(strings.TrimSpace(width.Fold.String(s)))
}

func checkNickname(nick, firm string) []Finding {
	advice := func(msg string) []Finding {
		return []Finding{{Field: "昵称", Level: LevelAdvice, Message: msg, Rule: ruleConvention}}
	}
	if nick == "" {
		return advice("昵称为空，应为“真实姓名-律所简称”")
	}
	if firm == "" {
		return advice("未设置律所简称，无法核对昵称；请在设置中填写律所简称")
	}
	at := strings.Index(nick, firm)
	if at < 0 {
		return advice(fmt.Sprintf("昵称“%s”未包含律所简称“%s”，应为“真实姓名-%s”", nick, firm, firm))
	}
	before, after := nick[:at], nick[at+len(firm):]
	var out []Finding
	name, sepOK := "", false
	switch {
	case strings.TrimSpace(before) != "" && strings.TrimSpace(after) == "":
		name = strings.TrimRight(before, Separators)
		sepOK = name != before
	case strings.TrimSpace(after) != "" && strings.TrimSpace(before) == "":
		name = strings.TrimLeft(after, Separators)
		sepOK = name != after
		out = append(out, advice("律所简称应放在姓名之后，如“张三-"+firm+"”")...)
	case strings.TrimSpace(before) == "" && strings.TrimSpace(after) == "":
		return advice("昵称只有律所简称，缺少真实姓名")
	default:
		return advice(fmt.Sprintf("昵称“%s”在律所简称前后都有内容，应为“真实姓名-%s”", nick, firm))
	}
	if !sepOK {
		out = append(out, advice("姓名与律所简称之间应有分隔符（- · | 丨 或空格）")...)
	}
	name = strings.TrimSuffix(strings.TrimSpace(name), "律师")
	if msg := checkRealName(name); msg != "" {
		out = append(out, advice(msg)...)
	}
	return out
}

// checkRealName returns what is wrong with the name part, or "".
// A Chinese name is 2–4 characters; names of ethnic minorities or foreigners
// may be longer and contain the separator dot ·.
func checkRealName(name string) string {
	if name == "" {
		return "昵称缺少真实姓名"
	}
	han, latin := 0, 0
	for _, r := range name {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r < utf8.RuneSelf && unicode.IsLetter(r):
			latin++
		case r == '·' || r == ' ':
		default:
			return fmt.Sprintf("姓名部分“%s”应为真实姓名，不含表情、数字或符号", name)
		}
	}
	if han > 0 && latin > 0 {
		return fmt.Sprintf("姓名部分“%s”混用汉字和字母，应为真实姓名", name)
	}
	if han == 1 || (han > 4 && !strings.Contains(name, "·")) {
		return fmt.Sprintf("姓名部分“%s”不像真实姓名（通常为2–4个汉字）", name)
	}
	return ""
}

func checkSignature(sig string) []Finding {
	if sig == "" {
		return []Finding{{Field: "签名", Level: LevelAdvice, Message: "签名为空，建议写明执业领域，如“专注婚姻家事、劳动争议”", Rule: rulePracticeArea}}
	}
	for _, area := range PracticeAreas {
		if strings.Contains(sig, area) {
			return nil
		}
	}
	return []Finding{{Field: "签名", Level: LevelAdvice,
		Message: "签名未写明执业领域，建议写明如“" + strings.Join(PracticeAreas[:6], "、") + "”等", Rule: rulePracticeArea}}
}

// marketing reports every forbidden publicity word in text.
func marketing(field, text string) []Finding {
	var out []Finding
	compact := harmlessPhrases.Replace(strings.ReplaceAll(text, " ", ""))
	for _, mr := range marketingRules {
		var found []string
		for _, w := range mr.words {
			if strings.Contains(compact, w) {
				found = append(found, w)
			}
		}
		if len(found) > 0 {
			out = append(out, Finding{Field: field, Level: mr.level, Rule: mr.rule,
				Message: fmt.Sprintf("%s含“%s”，属于%s，请删除", field, strings.Join(found, "”“"), mr.what)})
		}
	}
	// Any 胜诉率 claim (胜诉率100%, 胜诉率高达95%) invites unreasonable expectations.
	if strings.Contains(compact, "胜诉率") {
		out = append(out, Finding{Field: field, Level: LevelViolation, Rule: ruleExpectation,
			Message: field + "宣传胜诉率，可能使公众产生不合理期望，请删除"})
	}
	return out
}
