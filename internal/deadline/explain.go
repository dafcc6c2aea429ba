package deadline

import (
	"fmt"
	"strings"
)

// Explain renders r as a readable Chinese multi-line text for the CLI: the
// headline, the numbered steps, then warnings and notes.
func Explain(r Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s（%s）\n", r.RuleName, r.Rule)
	fmt.Fprintf(&b, "起算日：%s    期间：%s    届满日：%s（%s）\n", r.From, r.Period, r.Due, r.Due.WeekdayName())
	fmt.Fprintf(&b, "法律依据：%s\n", r.Statute)
	if r.CountingStatute != "" {
		fmt.Fprintf(&b, "期间计算：%s\n", r.CountingStatute)
	}
	if r.Provisional {
		b.WriteString("【暂定】所依赖年份的放假安排尚未公布。\n")
	}
	b.WriteString("计算过程：\n")
	for i, s := range r.Steps {
		fmt.Fprintf(&b, "  %d. %s\n", i+1, s)
	}
	if len(r.Warnings) > 0 {
		b.WriteString("注意：\n")
		for _, w := range r.Warnings {
			fmt.Fprintf(&b, "  ! %s\n", w)
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("提示：\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	return b.String()
}
