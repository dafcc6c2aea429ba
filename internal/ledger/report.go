package ledger

import (
	"fmt"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/calendar"
)

// Check names what a Finding checked; tests and callers match on it.
type Check string

// The checks made by Log.Verify and VerifyBundle.
const (
	CheckEntry      Check = "entry"      // leaf bytes, index and leaf hash of one entry
	CheckTree       Check = "tree"       // recomputed root against a checkpoint
	CheckSignature  Check = "signature"  // checkpoint signature against the log key
	CheckKey        Check = "key"        // log.vkey against the trusted key
	CheckTimestamp  Check = "timestamp"  // RFC 3161 timestamp over the checkpoint
	CheckFile       Check = "file"       // file bytes against the entry's digests
	CheckSums       Check = "sha256sums" // SHA256SUMS against the files
	CheckProof      Check = "proof"      // inclusion proof against the checkpoint
	CheckStructure  Check = "structure"  // bundle members present and consistent
	CheckCheckpoint Check = "checkpoint" // checkpoint format and size
	CheckItem       Check = "item"       // an entry's evidence record in the workbench
	CheckCoverage   Check = "coverage"   // every entry covered by a signed checkpoint
)

// Finding is one pass or fail line of a report.
type Finding struct {
	Check  Check
	Item   string // what was checked, e.g. "files/000003-合同.pdf" or "条目 3"
	Index  int64  // entry index concerned, or -1
	OK     bool
	Reason string // Chinese, for people

	// Warning marks a finding that does not fail the check but limits what
	// it proves (no trusted timestamp); OK stays true.
	Warning bool
}

// Report is the outcome of Log.Verify or VerifyBundle.
type Report struct {
	Findings []Finding
	// VerifiedSize is the log size Log.Verify recomputed up to.
	VerifiedSize uint64
}

// OK reports whether there was something to check and every check passed.
func (r Report) OK() bool {
	return len(r.Findings) > 0 && len(r.Failures()) == 0
}

// Failures returns the failed findings.
func (r Report) Failures() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if !f.OK {
			out = append(out, f)
		}
	}
	return out
}

// Warnings returns the findings that passed with a warning.
func (r Report) Warnings() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.OK && f.Warning {
			out = append(out, f)
		}
	}
	return out
}

// Untimestamped reports whether the report warns that there is no trusted
// timestamp.
func (r Report) Untimestamped() bool {
	for _, f := range r.Warnings() {
		if f.Check == CheckTimestamp {
			return true
		}
	}
	return false
}

// String renders one line per finding: "通过", "警告" or "失败", the item,
// the reason; then the conclusion, which says "校验通过（无可信时间戳）"
// rather than an unqualified pass when no timestamp proves a time.
func (r Report) String() string {
	var b strings.Builder
	for _, f := range r.Findings {
		mark := "通过"
		switch {
		case !f.OK:
			mark = "失败"
		case f.Warning:
			mark = "警告"
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\n", mark, f.Item, f.Reason)
	}
	switch {
	case r.OK() && r.Untimestamped():
		b.WriteString("结论：校验通过（无可信时间戳）——文件与签名日志中的摘要一致，但没有任何第三方时间证明\n")
	case r.OK() && len(r.Warnings()) > 0:
		fmt.Fprintf(&b, "结论：校验通过（%d 项警告）\n", len(r.Warnings()))
	case r.OK() && r.has(CheckTimestamp):
		b.WriteString("结论：全部校验通过（含可信时间戳）\n")
	case r.OK():
		b.WriteString("结论：全部校验通过\n")
	default:
		fmt.Fprintf(&b, "结论：校验未通过（%d 项失败）\n", len(r.Failures()))
	}
	return b.String()
}

func (r Report) has(check Check) bool {
	for _, f := range r.Findings {
		if f.Check == check {
			return true
		}
	}
	return false
}

func (r *Report) pass(check Check, item string, index int64, reason string) {
	r.Findings = append(r.Findings, Finding{Check: check, Item: item, Index: index, OK: true, Reason: reason})
}

func (r *Report) warn(check Check, item string, index int64, reason string) {
	r.Findings = append(r.Findings, Finding{Check: check, Item: item, Index: index, OK: true, Warning: true, Reason: reason})
}

func (r *Report) fail(check Check, item string, index int64, reason string) {
	r.Findings = append(r.Findings, Finding{Check: check, Item: item, Index: index, OK: false, Reason: reason})
}

// shanghai is China Standard Time (UTC+8, no daylight saving); a fixed zone
// so the binary does not depend on the system's tzdata.
var shanghai = calendar.Shanghai

// formatShanghai renders an instant for Chinese readers.
func formatShanghai(t time.Time) string {
	return t.In(shanghai).Format("2006-01-02 15:04:05") + "（北京时间）"
}
