package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// runWithInput runs the command line with stdin through the cobra root.
func runWithInput(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	root := newRoot()
	root.SetArgs(args)
	var out, errOut bytes.Buffer
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&errOut)
	if err := root.ExecuteContext(context.Background()); err != nil {
		return out.String(), err.Error(), 1
	}
	return out.String(), errOut.String(), 0
}

// TestRedactJSONCategories: redact --json gives every finding its category
// and legal reason, as check-post --json does, and marks the poster's own
// details as 本人信息.
func TestRedactJSONCategories(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "absent") // no data folder: no client book
	text := "当事人吴敏确诊中度抑郁，女儿朵朵今年8岁，银行卡 6222 0202 0000 0000 000 已冻结。联系本所王律师 13900001111。"
	out, errOut, code := runWithInput(t, text, "--data", dir, "redact", "--json", "--own", "13900001111")
	if code != 0 {
		t.Fatalf("redact --json: %s", errOut)
	}
	var res struct {
		Style    string `json:"style"`
		Redacted string `json:"redacted"`
		Findings []struct {
			Type, Label, Category, Text string
			LegalBasis                  string `json:"legal_basis"`
			Sensitive, Own              bool
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	byText := map[string]int{}
	for i, f := range res.Findings {
		byText[f.Text] = i
	}
	want := []struct{ text, category, basis string }{
		{"吴敏", "个人信息·姓名", "第二十五条"},
		{"中度抑郁", "敏感个人信息·医疗健康", "第二十八条"},
		{"朵朵", "个人信息·姓名", "律师法"},
		{"8岁", "敏感个人信息·未成年人", "第三十一条"},
	}
	for _, w := range want {
		i, ok := byText[w.text]
		if !ok {
			t.Errorf("no finding %q in %s", w.text, out)
			continue
		}
		f := res.Findings[i]
		if f.Category != w.category || !strings.Contains(f.LegalBasis, w.basis) || f.Label == "" {
			t.Errorf("%q: category %q basis %q, want %q and a basis citing %s", w.text, f.Category, f.LegalBasis, w.category, w.basis)
		}
		if f.Sensitive != strings.HasPrefix(w.category, "敏感") {
			t.Errorf("%q: sensitive %v", w.text, f.Sensitive)
		}
	}
	own, ok := byText["13900001111"]
	if !ok || !res.Findings[own].Own || res.Findings[own].Category != "本人信息·手机号" || res.Findings[own].LegalBasis != "" {
		t.Errorf("own phone: %+v", res.Findings)
	}
	if strings.Contains(res.Redacted, "吴敏") || strings.Contains(res.Redacted, "中度抑郁") || !strings.Contains(res.Redacted, "13900001111") {
		t.Errorf("redacted text: %s", res.Redacted)
	}
	// Nothing found: an empty list, not null.
	out, _, code = runWithInput(t, "《民法典》第六百八十条。", "--data", dir, "redact", "--json")
	if code != 0 || !strings.Contains(out, `"findings": []`) {
		t.Errorf("clean text: %d %s", code, out)
	}
}
