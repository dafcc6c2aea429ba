// Package postcheck owns the check a lawyer runs before posting a text to a
// client or a group: personal data that must be redacted, a missing
// disclaimer, citations of repealed or renumbered law, and unsourced claims
// about "the latest" rules. It combines redact and lawref into one report.
package postcheck

import (
	"fmt"
	"strings"

	"github.com/lvxin/lvxin/internal/lawref"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/redact"
)

// Severity says whether a finding blocks posting.
type Severity string

const (
	MustFix Severity = "must_fix" // 必须修改：the CLI exits 1
	Warning Severity = "warning"  // 提示：worth a look, does not block
	Own     Severity = "own"      // 本人信息：the poster's own details, allowed
)

// Label is the severity's name in the UI.
func (s Severity) Label() string {
	switch s {
	case MustFix:
		return "必须修改"
	case Own:
		return "本人信息"
	}
	return "提示"
}

// Finding is one problem in the checked text. Start and End are byte offsets.
type Finding struct {
	Severity Severity `json:"severity"`
	Kind     string   `json:"kind"` // a redact.Type or a lawref.Kind
	// Category is what the finding is, for users: 敏感个人信息·医疗健康,
	// 个人信息·姓名, 法规引用·已废止 ….
	Category string `json:"category"`
	// LegalBasis is the legal reason the finding matters (the article of
	// the 个人信息保护法 or 律师法; for citations, the repealing act).
	LegalBasis string `json:"legal_basis,omitempty"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Text       string `json:"text,omitempty"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion,omitempty"`
	Source     string `json:"source,omitempty"`
}

// Report is the result of Check.
type Report struct {
	Findings []Finding `json:"findings"`
	// Redacted is the text with personal data replaced by pseudonyms.
	Redacted string `json:"redacted"`
}

// MustFix reports whether any finding must be fixed before posting.
func (r Report) MustFix() bool {
	for _, f := range r.Findings {
		if f.Severity == MustFix {
			return true
		}
	}
	return false
}

// mustFixConfidence is the confidence from which personal data blocks
// posting; weaker guesses are warnings.
const mustFixConfidence = 0.7

// Check examines text before it is posted.
func Check(text string, opts redact.Options) Report {
	redacted, pii := redact.Redact(text, redact.StylePseudonym, opts)
	rep := Report{Redacted: redacted, Findings: []Finding{}}
	for _, p := range pii {
		f := Finding{
			Severity: MustFix, Kind: string(p.Type), Category: p.Type.Category(), LegalBasis: p.Type.LegalBasis(),
			Start: p.Start, End: p.End, Text: p.Text,
			Message: fmt.Sprintf("包含%s“%s”，发送前请脱敏（可信度 %.0f%%）。", p.Type.Label(), p.Text, p.Confidence*100),
		}
		switch {
		case p.Own:
			f.Severity, f.Category, f.LegalBasis = Own, "本人信息·"+p.Type.Label(), ""
			f.Message = fmt.Sprintf("“%s”是您本人或本所的信息（专业形象资料），可以公开。", p.Text)
		case p.Confidence < mustFixConfidence:
			f.Severity = Warning
		}
		rep.Findings = append(rep.Findings, f)
	}
	for _, is := range lawref.Check(text) {
		sev := Warning
		if is.MustFix {
			sev = MustFix
		}
		rep.Findings = append(rep.Findings, Finding{
			Severity: sev, Kind: string(is.Kind), Category: is.Kind.Category(), LegalBasis: is.Source,
			Start: is.Start, End: is.End, Text: is.Text,
			Message: is.Message, Suggestion: is.Suggestion, Source: is.Source,
		})
	}
	return rep
}

// FormatText renders a report for the terminal, in Chinese.
func FormatText(r Report) string {
	var b strings.Builder
	mustFix, warnings, own := 0, 0, 0
	for _, f := range r.Findings {
		switch f.Severity {
		case MustFix:
			mustFix++
		case Own:
			own++
		default:
			warnings++
		}
	}
	if mustFix+warnings == 0 {
		b.WriteString("检查通过：未发现个人信息、失效法规或缺少免责声明的问题。\n")
	} else {
		fmt.Fprintf(&b, "检查结果：%d 项必须修改，%d 项提示。\n", mustFix, warnings)
	}
	if own > 0 {
		fmt.Fprintf(&b, "另有 %d 处本人信息（专业形象资料中的姓名、律所、电话等），可以公开。\n", own)
	}
	for i, f := range r.Findings {
		fmt.Fprintf(&b, "%d. [%s] %s %s\n", i+1, f.Severity.Label(), f.Category, f.Message)
		if f.Suggestion != "" {
			fmt.Fprintf(&b, "   建议：%s\n", f.Suggestion)
		}
		if f.LegalBasis != "" {
			fmt.Fprintf(&b, "   依据：%s\n", f.LegalBasis)
		}
	}
	if r.MustFix() {
		b.WriteString("\n脱敏后的文本（化名）：\n")
		b.WriteString(r.Redacted)
		b.WriteString("\n")
	}
	return b.String()
}

// OwnDetails lists the poster's own details from the 专业形象 profile (name,
// nickname, firm, phones, e-mail, WeChat id, licence number): findings that
// are one of them are 本人信息, allowed in the post and left unredacted.
func OwnDetails(p model.LawyerProfile) []string {
	var out []string
	for _, v := range []string{p.Name, p.Nickname, p.FirmAbbrev, p.FirmName, p.Phone, p.WorkPhone, p.Email, p.WeChatID, p.LicenseNumber} {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
