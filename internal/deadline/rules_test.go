package deadline

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/lvxin/lvxin/internal/calendar"
)

func TestRulesCatalogue(t *testing.T) {
	required := []string{
		"appeal-judgment", "appeal-ruling", "defense", "evidence-period", "enforcement-application",
		"retrial-application", "limitation-general", "limitation-intl-sale", "labor-arbitration-limitation",
		"labor-award-lawsuit", "admin-reconsideration", "admin-lawsuit", "admin-lawsuit-after-reconsideration",
		"criminal-appeal-judgment", "criminal-appeal-ruling", "preservation-lawsuit", "payment-order-objection",
		"arbitral-award-set-aside", "group-dissolution",
	}
	rules := Rules()
	ids := RuleIDs()
	for _, id := range required {
		if !slices.Contains(ids, id) {
			t.Errorf("catalogue lacks %q", id)
		}
	}
	seen := map[string]bool{}
	for _, r := range rules {
		if seen[r.ID] {
			t.Errorf("duplicate id %q", r.ID)
		}
		seen[r.ID] = true
		if r.Name == "" || r.Statute == "" || r.From == "" || r.Description == "" || r.Period == "" || r.Category == "" {
			t.Errorf("%s has empty fields: %+v", r.ID, r)
		}
		if !strings.Contains(r.Statute, "第") && r.ID != "group-dissolution" {
			t.Errorf("%s statute %q names no article", r.ID, r.Statute)
		}
		if got, ok := Lookup(r.ID); !ok || got != r {
			t.Errorf("Lookup(%q) = %+v, %v", r.ID, got, ok)
		}
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup of an unknown id succeeded")
	}
}

func TestForeignVariants(t *testing.T) {
	want := map[string][2]string{
		"appeal-judgment": {"30日", "民事诉讼法第二百八十六条"},
		"appeal-ruling":   {"30日", "民事诉讼法第二百八十六条"},
		"defense":         {"30日", "民事诉讼法第二百八十五条"},
	}
	for _, r := range Rules() {
		w, ok := want[r.ID]
		if r.HasForeignVariant != ok {
			t.Errorf("%s: HasForeignVariant = %v", r.ID, r.HasForeignVariant)
			continue
		}
		if ok && (r.ForeignPeriod != w[0] || r.ForeignStatute != w[1]) {
			t.Errorf("%s: foreign = %s %s, want %v", r.ID, r.ForeignPeriod, r.ForeignStatute, w)
		}
	}
}

func TestRulePeriods(t *testing.T) {
	want := map[string]string{
		"appeal-judgment": "15日", "appeal-ruling": "10日", "defense": "15日", "evidence-period": "15日",
		"enforcement-application": "2年", "retrial-application": "6个月", "limitation-general": "3年",
		"limitation-longstop": "20年", "limitation-intl-sale": "4年", "labor-arbitration-limitation": "1年",
		"labor-award-lawsuit": "15日", "labor-award-set-aside": "30日", "admin-reconsideration": "60日",
		"admin-lawsuit": "6个月", "admin-lawsuit-after-reconsideration": "15日",
		"criminal-appeal-judgment": "10日", "criminal-appeal-ruling": "5日", "preservation-lawsuit": "30日",
		"payment-order-objection": "15日", "arbitral-award-set-aside": "6个月", "group-dissolution": "15个工作日",
		"admin-appeal-judgment": "15日", "admin-appeal-ruling": "10日", "third-party-revocation": "6个月",
		"execution-objection-lawsuit": "15日", "execution-review": "10日", "extension-application": "10日",
		"guarantee-period": "6个月", "rescission": "1年", "rescission-misunderstanding": "90日", "rescission-longstop": "5年",
	}
	for _, r := range Rules() {
		if r.Period != want[r.ID] {
			t.Errorf("%s: period %q, want %q", r.ID, r.Period, want[r.ID])
		}
	}
	if len(want) != len(Rules()) {
		t.Errorf("catalogue has %d rules, table %d", len(Rules()), len(want))
	}
}

func TestRulesJSON(t *testing.T) {
	b, err := json.Marshal(Rules()[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"id":"appeal-judgment"`, `"name":`, `"statute":`, `"description":`, `"has_foreign_variant":true`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("rule JSON lacks %s: %s", key, b)
		}
	}
}

// Every rule computes on every day of a span covering holidays and the
// provisional year, and the due date is always a working day on or after the
// raw end.
func TestEveryRuleEveryDay(t *testing.T) {
	cal := calendar.Default()
	for _, id := range RuleIDs() {
		for from := d(2024, 12, 1); from.Before(d(2027, 1, 10)); from = from.AddDays(3) {
			for _, foreign := range []bool{false, true} {
				r, err := Compute(cal, id, from, Options{Foreign: foreign})
				if err != nil {
					t.Fatalf("%s %v: %v", id, from, err)
				}
				if !cal.IsWorkday(r.Due) || r.Due.Before(r.RawEnd) || !r.RawEnd.After(from) {
					t.Fatalf("%s %v: raw %v due %v", id, from, r.RawEnd, r.Due)
				}
				if r.Warnings == nil || r.Notes == nil || r.Steps == nil {
					t.Fatalf("%s: nil list", id)
				}
			}
		}
	}
}

func FuzzComputeText(f *testing.F) {
	for _, id := range RuleIDs() {
		f.Add(id, "2025-01-14", false)
	}
	f.Add("defense", "2027-01-01", true)
	f.Add("nope", "2025-01-01", false)
	f.Add("appeal-judgment", "2026-02-30", false)
	f.Add("appeal-judgment", "", true)
	f.Add("limitation-longstop", "2100-12-31", false)
	cal := calendar.Default()
	f.Fuzz(func(t *testing.T, rule, from string, foreign bool) {
		r, err := ComputeText(cal, rule, from, Options{Foreign: foreign})
		if err != nil {
			if !errors.Is(err, ErrUnknownRule) && !errors.Is(err, ErrInvalidStart) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if !cal.IsWorkday(r.Due) || r.Due.Before(r.RawEnd) || !r.RawEnd.After(r.From) {
			t.Fatalf("%s %s: raw %v due %v", rule, from, r.RawEnd, r.Due)
		}
		if Explain(r) == "" {
			t.Fatal("empty explanation")
		}
	})
}
