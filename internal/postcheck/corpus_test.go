package postcheck

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/redact"
)

// post is one labelled post of testdata/posts.
type post struct {
	id, kind string
	own      []string
	text     string
	gold     []goldItem
}

type goldItem struct {
	kind       string // a redact.Type, or "own"
	start, end int
	text       string
}

var goldMark = regexp.MustCompile(`\[\[([a-z_]+)\|([^\]]+)\]\]`)

// loadPosts reads a labelled post file (format: testdata/posts/tuning.txt).
func loadPosts(t testing.TB, path string) []post {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var posts []post
	var lines []string
	flush := func() {
		if len(posts) == 0 {
			return
		}
		p := &posts[len(posts)-1]
		raw := strings.Join(lines, "\n")
		var b strings.Builder
		last := 0
		for _, m := range goldMark.FindAllStringSubmatchIndex(raw, -1) {
			b.WriteString(raw[last:m[0]])
			kind, val := raw[m[2]:m[3]], raw[m[4]:m[5]]
			p.gold = append(p.gold, goldItem{kind: kind, start: b.Len(), end: b.Len() + len(val), text: val})
			b.WriteString(val)
			last = m[1]
		}
		b.WriteString(raw[last:])
		p.text = b.String()
		lines = nil
	}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "=== "):
			flush()
			fields := strings.Fields(line[4:])
			if len(fields) != 2 {
				t.Fatalf("%s:%d: want \"=== ID kind\", got %q", path, n, line)
			}
			posts = append(posts, post{id: fields[0], kind: fields[1]})
		case strings.HasPrefix(line, "own: "):
			if len(posts) == 0 {
				t.Fatalf("%s:%d: own line before the first post", path, n)
			}
			posts[len(posts)-1].own = strings.Split(line[5:], "|")
		case strings.TrimSpace(line) != "":
			lines = append(lines, line)
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return posts
}

// exactSpan says whether a type's findings must match the gold span
// exactly; for the others (boundaries are a matter of judgement) type and
// an overlap of at least half the union suffice.
func exactSpan(kind string) bool {
	switch redact.Type(kind) {
	case redact.TypeOrg, redact.TypeAddress, redact.TypeHealth, redact.TypeMinor, redact.TypeWhereabout:
		return false
	}
	return true
}

func spanMatch(kind string, gs, ge, fs, fe int) bool {
	if exactSpan(kind) {
		return gs == fs && ge == fe
	}
	inter := min(ge, fe) - max(gs, fs)
	union := max(ge, fe) - min(gs, fs)
	return inter > 0 && 2*inter >= union
}

type tally struct{ tp, fp, fn int }

func (s tally) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s tally) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

// corpusScore is the result of checking every post of a part.
type corpusScore struct {
	byCategory map[string]*tally
	mustFix    tally // recall: gold items flagged 必须修改; fp: 必须修改 personal findings matching nothing
	overall    tally // every personal finding (必须修改 or 提示) against every gold item
	ownAlarms  int   // the poster's own details reported as a client's
	log        []string
}

func scorePosts(posts []post) corpusScore {
	sc := corpusScore{byCategory: map[string]*tally{}}
	cat := func(kind string) *tally {
		c := redact.Type(kind).Category()
		if sc.byCategory[c] == nil {
			sc.byCategory[c] = &tally{}
		}
		return sc.byCategory[c]
	}
	for _, p := range posts {
		rep := Check(p.text, redact.Options{Own: p.own})
		var pii []Finding
		for _, f := range rep.Findings {
			if f.Severity != Own && isPersonalKind(f.Kind) {
				pii = append(pii, f)
			}
		}
		used := make([]bool, len(pii))
		for _, g := range p.gold {
			if g.kind == "own" {
				continue
			}
			hit := -1
			for i, f := range pii {
				if !used[i] && f.Kind == g.kind && spanMatch(g.kind, g.start, g.end, f.Start, f.End) {
					hit = i
					break
				}
			}
			if hit < 0 {
				cat(g.kind).fn++
				sc.overall.fn++
				sc.mustFix.fn++
				sc.log = append(sc.log, fmt.Sprintf("%s: missed %s %q", p.id, g.kind, g.text))
				continue
			}
			used[hit] = true
			cat(g.kind).tp++
			sc.overall.tp++
			if pii[hit].Severity == MustFix {
				sc.mustFix.tp++
			} else {
				sc.mustFix.fn++
				sc.log = append(sc.log, fmt.Sprintf("%s: %s %q only a warning", p.id, g.kind, g.text))
			}
		}
		for i, f := range pii {
			if used[i] {
				continue
			}
			cat(f.Kind).fp++
			sc.overall.fp++
			if f.Severity == MustFix {
				sc.mustFix.fp++
			}
			for _, g := range p.gold {
				if g.kind == "own" && f.Start < g.end && g.start < f.End {
					sc.ownAlarms++
				}
			}
			sc.log = append(sc.log, fmt.Sprintf("%s: false %s %q (%s)", p.id, f.Kind, f.Text, f.Severity))
		}
	}
	return sc
}

func isPersonalKind(kind string) bool {
	for _, t := range redact.AllTypes {
		if string(t) == kind {
			return true
		}
	}
	return false
}

func (sc corpusScore) table() string {
	var rows []string
	for c, s := range sc.byCategory {
		rows = append(rows, fmt.Sprintf("| %s | %d | %d | %d | %.3f | %.3f |", c, s.tp+s.fn, s.tp, s.fp, s.precision(), s.recall()))
	}
	sort.Strings(rows)
	return "| 类别 | gold | tp | fp | precision | recall |\n|---|---|---|---|---|---|\n" + strings.Join(rows, "\n") +
		fmt.Sprintf("\n| **全部个人信息** | %d | %d | %d | %.3f | %.3f |", sc.overall.tp+sc.overall.fn, sc.overall.tp, sc.overall.fp, sc.overall.precision(), sc.overall.recall()) +
		fmt.Sprintf("\n| **必须修改** | %d | %d | %d | %.3f | %.3f |", sc.mustFix.tp+sc.mustFix.fn, sc.mustFix.tp, sc.mustFix.fp, sc.mustFix.precision(), sc.mustFix.recall()) +
		fmt.Sprintf("\n本人信息误报：%d", sc.ownAlarms)
}

// Thresholds per part, set at what the checker reached (docs/REDACTION.md).
// Each held-out part was written before the detector change it scores and
// scored once untouched (first figures, must-fix recall / overall
// precision: heldout 0.886/0.948, heldout2 0.884/0.958, heldout3
// 0.944/0.983, heldout4 0.955/0.938, heldout5 0.844/0.943, heldout6
// 0.868/0.964, heldout7 0.874/0.965, heldout8 0.933/1.000, heldout9
// 0.952/0.952); after that it was used for tuning. heldout10.txt, written
// after the last detector change, is still held out: its threshold is its
// first and only score (0.963/1.000). The thresholds of the other parts are
// their figures after the last change. A change that scores below fails.
var thresholds = map[string]struct{ mustFixRecall, precision float64 }{
	"tuning.txt":    {mustFixRecall: 0.99, precision: 0.99},
	"heldout.txt":   {mustFixRecall: 0.97, precision: 0.99},
	"heldout2.txt":  {mustFixRecall: 0.99, precision: 0.99},
	"heldout3.txt":  {mustFixRecall: 0.99, precision: 0.99},
	"heldout4.txt":  {mustFixRecall: 0.99, precision: 0.99},
	"heldout5.txt":  {mustFixRecall: 0.94, precision: 0.99},
	"heldout6.txt":  {mustFixRecall: 0.98, precision: 0.98},
	"heldout7.txt":  {mustFixRecall: 0.96, precision: 0.98},
	"heldout8.txt":  {mustFixRecall: 0.98, precision: 0.99},
	"heldout9.txt":  {mustFixRecall: 0.98, precision: 0.98},
	"heldout10.txt": {mustFixRecall: 0.96, precision: 0.99}, // held out: its first and only scoring
}

// TestPostCorpus scores the checker on the labelled posts, tuning and
// held-out parts separately, and prints per-category precision and recall.
func TestPostCorpus(t *testing.T) {
	total := 0
	for _, part := range []string{"tuning.txt", "heldout.txt", "heldout2.txt", "heldout3.txt", "heldout4.txt", "heldout5.txt", "heldout6.txt", "heldout7.txt", "heldout8.txt", "heldout9.txt", "heldout10.txt"} {
		posts := loadPosts(t, "testdata/posts/"+part)
		total += len(posts)
		sc := scorePosts(posts)
		for _, l := range sc.log {
			t.Log(part, l)
		}
		t.Logf("%s: %d posts\n%s", part, len(posts), sc.table())
		th := thresholds[part]
		if r := sc.mustFix.recall(); r < th.mustFixRecall {
			t.Errorf("%s: must-fix recall %.3f, want >= %.3f", part, r, th.mustFixRecall)
		}
		if p := sc.overall.precision(); p < th.precision {
			t.Errorf("%s: overall precision %.3f, want >= %.3f", part, p, th.precision)
		}
		if sc.ownAlarms > 0 {
			t.Errorf("%s: %d of the poster's own details reported as a client's", part, sc.ownAlarms)
		}
	}
	if total < 200 {
		t.Errorf("corpus has %d posts, want at least 200", total)
	}
}
