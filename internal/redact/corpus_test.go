package redact

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// labelled is one corpus sentence with its gold findings.
type labelled struct {
	line int
	text string
	gold []Finding
}

var labelMark = regexp.MustCompile(`\[\[([a-z_]+)\|([^\]]+)\]\]`)

// loadCorpus reads testdata/corpus.txt, stripping the [[type|text]] marks.
func loadCorpus(t testing.TB) []labelled {
	t.Helper()
	f, err := os.Open("testdata/corpus.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var b strings.Builder
		var gold []Finding
		last := 0
		for _, m := range labelMark.FindAllStringSubmatchIndex(line, -1) {
			b.WriteString(line[last:m[0]])
			typ, val := Type(line[m[2]:m[3]]), line[m[4]:m[5]]
			gold = append(gold, Finding{Type: typ, Start: b.Len(), End: b.Len() + len(val), Text: val})
			b.WriteString(val)
			last = m[1]
		}
		b.WriteString(line[last:])
		out = append(out, labelled{line: n, text: b.String(), gold: gold})
	}
	return out
}

// matches decides whether a detected finding counts for a gold one:
// identifiers and person names must match exactly; organisations and
// addresses, whose boundaries are a matter of judgement, must share the type
// and overlap by at least half of their union.
func matches(got, want Finding) bool {
	if got.Type != want.Type {
		return false
	}
	if want.Type != TypeOrg && want.Type != TypeAddress {
		return got.Start == want.Start && got.End == want.End
	}
	inter := min(got.End, want.End) - max(got.Start, want.Start)
	union := max(got.End, want.End) - min(got.Start, want.Start)
	return inter > 0 && 2*inter >= union
}

type score struct{ tp, fp, fn int }

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

// TestCorpusPrecisionRecall measures per-type precision and recall on the
// labelled corpus and enforces the targets in docs/REDACTION.md.
func TestCorpusPrecisionRecall(t *testing.T) {
	corpus := loadCorpus(t)
	if len(corpus) < 200 {
		t.Fatalf("corpus has %d sentences, want at least 200", len(corpus))
	}
	scores := map[Type]*score{}
	for _, typ := range AllTypes {
		scores[typ] = &score{}
	}
	for _, s := range corpus {
		got := Detect(s.text, Options{})
		used := make([]bool, len(got))
		for _, g := range s.gold {
			found := false
			for i, d := range got {
				if !used[i] && matches(d, g) {
					used[i], found = true, true
					break
				}
			}
			if found {
				scores[g.Type].tp++
			} else {
				scores[g.Type].fn++
				t.Logf("line %d: missed %s %q", s.line, g.Type, g.Text)
			}
		}
		for i, d := range got {
			if !used[i] {
				scores[d.Type].fp++
				t.Logf("line %d: false %s %q (%.2f)", s.line, d.Type, d.Text, d.Confidence)
			}
		}
	}
	var report []string
	for _, typ := range AllTypes {
		sc := scores[typ]
		report = append(report, fmt.Sprintf("| %s | %s | %d | %d | %d | %.3f | %.3f |",
			typ, typ.Label(), sc.tp+sc.fn, sc.tp, sc.fp, sc.precision(), sc.recall()))
		switch {
		case typ.Structured():
			if sc.recall() < 1 || sc.precision() < 0.99 {
				t.Errorf("%s: precision %.3f recall %.3f, want >= 0.99 and 1.0", typ, sc.precision(), sc.recall())
			}
		case typ == TypePerson || typ == TypeAddress:
			if sc.recall() < 0.95 {
				t.Errorf("%s: recall %.3f, want >= 0.95", typ, sc.recall())
			}
		}
	}
	sort.Strings(report[:0])
	t.Logf("corpus: %d sentences\n| type | 类型 | gold | tp | fp | precision | recall |\n%s", len(corpus), strings.Join(report, "\n"))
}
