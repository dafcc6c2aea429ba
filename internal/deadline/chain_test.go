package deadline

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestChain(t *testing.T) {
	tests := []struct {
		trigger string
		proc    Procedure
		from    string
		foreign bool
		want    map[string]string // title → due
		statute string            // of the first item
	}{
		{"judgment-served", ProcedureCivil, "2026-01-31", false, map[string]string{"上诉期届满": "2026-02-24"}, "民事诉讼法第一百七十一条第一款"},
		{"judgment-served", ProcedureCivil, "2026-09-01", true, map[string]string{"上诉期届满": "2026-10-08"}, "民事诉讼法第二百八十六条"},
		{"judgment-served", ProcedureAdmin, "2025-09-13", false, map[string]string{"上诉期届满": "2025-09-28"}, "行政诉讼法第八十五条"},
		{"judgment-served", ProcedureCriminal, "2026-09-30", false, map[string]string{"上诉、抗诉期届满": "2026-10-10"}, "刑事诉讼法第二百三十条"},
		{"ruling-served", ProcedureCivil, "2025-09-24", false, map[string]string{"裁定上诉期届满": "2025-10-09"}, "民事诉讼法第一百七十一条第二款"},
		{"ruling-served", ProcedureAdmin, "2026-09-21", false, map[string]string{"裁定上诉期届满": "2026-10-08"}, "行政诉讼法第八十五条"},
		{"complaint-served", ProcedureCivil, "2026-02-01", false, map[string]string{
			"答辩期届满": "2026-02-24", "管辖权异议期限（答辩期内）": "2026-02-24", "举证期限（最短期限，以举证通知书为准）": "2026-02-24"}, "民事诉讼法第一百二十八条第一款"},
		{"case-closed", ProcedureCriminal, "2025-09-26", false, map[string]string{"解散案件群": "2025-10-23"}, "本所执业规范"},
	}
	for _, tt := range tests {
		t.Run(tt.trigger+"/"+string(tt.proc), func(t *testing.T) {
			from, _ := time.Parse("2006-01-02", tt.from)
			c, err := Chain(nil, tt.trigger, tt.proc, d(from.Year(), from.Month(), from.Day()), Options{Foreign: tt.foreign})
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Items) != len(tt.want) || c.From.String() != tt.from || c.TriggerName == "" {
				t.Fatalf("chain: %+v", c)
			}
			for _, it := range c.Items {
				if due, ok := tt.want[it.Title]; !ok || it.Result.Due.String() != due {
					t.Errorf("%s: due %s, want %s", it.Title, it.Result.Due, due)
				}
				if it.Why == "" || !strings.Contains(it.Why, "第") && it.Rule != "group-dissolution" {
					t.Errorf("%s: explanation %q names no statute", it.Title, it.Why)
				}
			}
			if !strings.Contains(c.Items[0].Result.Statute, tt.statute) {
				t.Errorf("statute %q, want %q", c.Items[0].Result.Statute, tt.statute)
			}
		})
	}
	if _, err := Chain(nil, "nope", ProcedureCivil, d(2026, 3, 2), Options{}); !errors.Is(err, ErrUnknownTrigger) || !strings.Contains(err.Error(), "judgment-served") {
		t.Errorf("unknown trigger: %v", err)
	}
	if _, err := Chain(nil, "complaint-served", ProcedureCriminal, d(2026, 3, 2), Options{}); !errors.Is(err, ErrUnknownTrigger) || !strings.Contains(err.Error(), "民事诉讼") {
		t.Errorf("trigger without a chain in the procedure: %v", err)
	}
	for _, tr := range Triggers() {
		for _, p := range tr.Procedures() {
			for _, l := range tr.links[p] {
				if _, ok := Lookup(l.Rule); !ok {
					t.Errorf("%s/%s links unknown rule %q", tr.ID, p, l.Rule)
				}
			}
		}
	}
}
