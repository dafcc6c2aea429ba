// Package postcheck owns the check a lawyer runs before posting a text to a
// client or a group: personal data that must be redacted, a missing
// disclaimer, citations of repealed or renumbered law, and unsourced claims
// about "the latest" rules. It combines redact and lawref into one report.
package postcheck

import (
	"fmt"
	"strings"

	"github.com/lvxin/lvxin/internal/lawref"
	"github.com/lvxin/lvxin/internal/redact"
)

// Severity says whether a finding blocks posting.
type Severity string

const (
	MustFix Severity = "must_fix" // 必须修改：the CLI exits 1
	Warning Severity = "warning"  // 提示：worth a look, does not block
)

// Finding is one problem in the checked text. Start and End are byte offsets.
type Finding struct {
	Severity   Severity `json:"severity"`
	Kind       string   `json:"kind"` // a redact.Type or a lawref.Kind
	Start      int      `json:"start"`
	End        int      `json:"end"`
	Text       string   `json:"text,omitempty"`
	Message    string   `json:"message"`
	Suggestion string   `json:"suggestion,omitempty"`
	Source     string   `json:"source,omitempty"`
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
		sev := MustFix
		if p.Confidence < mustFixConfidence {
			sev = Warning
		}
		rep.Findings = append(rep.Findings, Finding{
			Severity: sev, Kind: string(p.Type), Start: p.Start, End: p.End, Text: p.Text,
			Message: fmt.Sprintf("包含%s“%s”，发送前请脱敏（可信度 %.0f%%）。", p.Type.Label(), p.Text, p.Confidence*100),
		})
	}
	for _, is := range lawref.Check(text) {
		rep.Findings = append(rep.Findings, Finding{
			Severity: Warning, Kind: string(is.Kind), Start: is.Start, End: is.End, Text: is.Text,
			Message: is.Message, Suggestion: is.Suggestion, Source: is.Source,
		})
	}
	return rep
}

// FormatText renders a report for the terminal, in Chinese.
func FormatText(r Report) string {
	var b strings.Builder
	mustFix, warnings := 0, 0
	for _, f := range r.Findings {
		if f.Severity == MustFix {
			mustFix++
		} else {
			warnings++
		}
	}
	if len(r.Findings) == 0 {
		b.WriteString("检查通过：未发现个人信息、失效法规或缺少免责声明的问题。\n")
	} else {
		fmt.Fprintf(&b, "检查结果：%d 项必须修改，%d 项提示。\n", mustFix, warnings)
	}
	for i, f := range r.Findings {
		label := "提示"
		if f.Severity == MustFix {
			label = "必须修改"
		}
		fmt.Fprintf(&b, "%d. [%s] %s\n", i+1, label, f.Message)
		if f.Suggestion != "" {
			fmt.Fprintf(&b, "   建议：%s\n", f.Suggestion)
		}
		if f.Source != "" {
			fmt.Fprintf(&b, "   依据：%s\n", f.Source)
		}
	}
	if r.MustFix() {
		b.WriteString("\n脱敏后的文本（化名）：\n")
		b.WriteString(r.Redacted)
		b.WriteString("\n")
	}
	return b.String()
}
