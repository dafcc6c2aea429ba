package inbox

import (
	"strings"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/casenum"
	"github.com/lvxin/lvxin/internal/model"
)

// The case group naming convention (案件群命名规范): 案号 + 当事人 + 事由,
// joined by "-", e.g. "（2024）京0105民初12345号-张三与李四-买卖合同纠纷".
// A matter without a case number yet uses "未立案" in its place.

// NoCaseNumber stands in for the case number of a matter not yet filed.
const NoCaseNumber = "未立案"

// groupNameSeparators may join the three parts.
const groupNameSeparators = "-－—|｜_ 　/"

// maxGroupNameRunes bounds a suggested name (WeCom shows long names cut).
const maxGroupNameRunes = 60

// partiesText names a matter's parties for a group name: the clients, and
// "与" the opposing parties when there are any.
func partiesText(m *model.Matter) string {
	var clients, opposing []string
	for _, p := range m.Parties {
		switch p.Role {
		case model.PartyClient:
			clients = append(clients, p.Name)
		case model.PartyOpposing:
			opposing = append(opposing, p.Name)
		}
	}
	s := strings.Join(clients, "、")
	if len(opposing) > 0 {
		if s != "" {
			s += "与"
		}
		s += strings.Join(opposing, "、")
	}
	return s
}

// causeText is a matter's 事由: its title without the party names the
// name already carries.
func causeText(m *model.Matter) string {
	cause := strings.TrimSpace(m.Title)
	for _, p := range m.Parties {
		if p.Name != "" && cause != p.Name {
			cause = strings.TrimSpace(strings.ReplaceAll(cause, p.Name, ""))
		}
	}
	cause = strings.Trim(cause, "与诉和及、 -—")
	if cause == "" {
		cause = string(m.Type) + "事务"
	}
	return cause
}

// caseNumberText is the case number with full-width brackets, or 未立案.
func caseNumberText(m *model.Matter) string {
	if m.CaseNumber == "" {
		return NoCaseNumber
	}
	return strings.NewReplacer("(", "（", ")", "）").Replace(m.CaseNumber)
}

// GroupName generates the convention's name for a matter's group.
func GroupName(m *model.Matter) string {
	parts := []string{caseNumberText(m)}
	if p := partiesText(m); p != "" {
		parts = append(parts, p)
	}
	parts = append(parts, causeText(m))
	name := strings.Join(parts, "-")
	if r := []rune(name); len(r) > maxGroupNameRunes {
		name = string(r[:maxGroupNameRunes])
	}
	return name
}

// NameCheck is the verdict on a group's name.
type NameCheck struct {
	OK        bool
	Problems  []string // Chinese, one per broken rule
	Suggested string   // the generated name when a matter is known and the name breaks the rule
}

// CheckGroupName validates a group name against the convention; with the
// group's matter (nil when unknown) it also checks that the case number is
// the matter's and that a client of the matter is named.
func CheckGroupName(name string, m *model.Matter) NameCheck {
	var c NameCheck
	name = strings.TrimSpace(name)
	problem := func(s string) { c.Problems = append(c.Problems, s) }
	switch {
	case name == "":
		problem("群名称为空")
	case !utf8.ValidString(name):
		problem("群名称含无效字符")
	default:
		checkParts(name, m, problem)
	}
	c.OK = len(c.Problems) == 0
	if !c.OK && m != nil {
		c.Suggested = GroupName(m)
	}
	return c
}

func checkParts(name string, m *model.Matter, problem func(string)) {
	var rest string
	if strings.HasPrefix(name, NoCaseNumber) {
		rest = strings.TrimPrefix(name, NoCaseNumber)
		if m != nil && m.CaseNumber != "" {
			problem("本案已有案号，群名称应以案号开头，而不是“未立案”")
		}
	} else if i := strings.Index(name, "号"); i < 0 {
		problem("群名称应以案号开头（例如（2024）京0105民初12345号），尚未立案的写“未立案”")
		return
	} else {
		head := name[:i+len("号")]
		rest = name[i+len("号"):]
		for _, suffix := range []string{"之一", "之二", "之三", "之四", "之五"} {
			if strings.HasPrefix(rest, suffix) {
				head, rest = head+suffix, strings.TrimPrefix(rest, suffix)
			}
		}
		cn, err := casenum.Parse(head)
		if err != nil {
			problem("群名称开头的案号“" + head + "”无效：" + err.Error())
		} else if m != nil && m.CaseNumber != "" && cn.String() != m.CaseNumber {
			problem("群名称中的案号与本案案号 " + caseNumberText(m) + " 不一致")
		}
	}
	fields := strings.FieldsFunc(rest, func(r rune) bool { return strings.ContainsRune(groupNameSeparators, r) })
	if len(fields) < 2 {
		problem("案号之后应依次写当事人和事由，用“-”分隔，例如 …号-张三与李四-买卖合同纠纷")
		return
	}
	if m != nil {
		parties := strings.Join(fields[:len(fields)-1], "-")
		named := false
		for _, p := range m.Parties {
			if p.Role == model.PartyClient && p.Name != "" && strings.Contains(parties, p.Name) {
				named = true
			}
		}
		if !named && partiesText(m) != "" {
			problem("群名称中没有本案委托人的名称")
		}
	}
}
