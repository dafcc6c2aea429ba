package phishing

import "testing"

// TestDrillBankAgreesWithChecker: every lure in the drill carries a link
// the checker flags, every genuine notice only official links.
func TestDrillBankAgreesWithChecker(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range drillBank {
		res := c.CheckText(q.Text)
		if len(res) == 0 {
			t.Errorf("%s: no link found in %q", q.Key, q.Text)
			continue
		}
		for _, r := range res {
			if q.Lure && r.Verdict == Safe {
				t.Errorf("%s: lure link %s scored safe (%d)", q.Key, r.URL, r.Score)
			}
			if !q.Lure && r.Verdict != Safe {
				t.Errorf("%s: genuine link %s scored %s (%d): %+v", q.Key, r.URL, r.Verdict, r.Score, r.Reasons)
			}
		}
		if q.Tell == "" {
			t.Errorf("%s: no explanation", q.Key)
		}
	}
}

func TestDrillDrawAndGrade(t *testing.T) {
	a, b := NewDrill(42), NewDrill(42)
	if len(a) != DrillSize {
		t.Fatalf("drill has %d questions", len(a))
	}
	lures, seen := 0, map[string]bool{}
	for i := range a {
		if a[i].Key != b[i].Key {
			t.Fatal("the same seed gave different drills")
		}
		if seen[a[i].Key] {
			t.Fatalf("question %s twice", a[i].Key)
		}
		seen[a[i].Key] = true
		if a[i].Lure {
			lures++
		}
	}
	if lures != DrillSize/2 {
		t.Fatalf("%d lures of %d", lures, DrillSize)
	}
	differs := false
	for seed := uint64(1); seed < 20 && !differs; seed++ {
		differs = NewDrill(seed)[0].Key != a[0].Key
	}
	if !differs {
		t.Fatal("seeds do not change the drill")
	}
	// All right; then one lure judged genuine and one notice judged a lure,
	// and one unanswered.
	answers := map[int]string{}
	for i, q := range a {
		answers[i] = map[bool]string{true: "lure", false: "genuine"}[q.Lure]
	}
	if g := GradeDrill(42, answers); g.Correct != DrillSize || len(g.Wrong) != 0 {
		t.Fatalf("all right: %+v", g)
	}
	var lureAt, genuineAt = -1, -1
	for i, q := range a {
		if q.Lure && lureAt < 0 {
			lureAt = i
		} else if !q.Lure && genuineAt < 0 {
			genuineAt = i
		}
	}
	answers[lureAt], answers[genuineAt] = "genuine", "lure"
	last := DrillSize - 1
	for last == lureAt || last == genuineAt {
		last--
	}
	delete(answers, last)
	g := GradeDrill(42, answers)
	if g.Correct != DrillSize-3 || g.MissedLures+g.FalseAlarms != 3 || g.MissedLures < 1 || g.FalseAlarms < 1 || !g.Wrong[lureAt] || !g.Wrong[genuineAt] || !g.Wrong[last] {
		t.Fatalf("grade: %+v", g)
	}
}
