package postcheck

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/redact"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		mustFix   bool
		kinds     []string
		redacted  string
		formatHas string
	}{
		{
			name:      "personal data and repealed law",
			text:      "原告张伟的手机号13812345678。根据《合同法》第五十二条，合同无效。",
			mustFix:   true,
			kinds:     []string{"person", "mobile", "repealed_law", "missing_disclaimer"},
			redacted:  "原告张某的手机号【手机号】。根据《合同法》第五十二条，合同无效。",
			formatHas: "必须修改",
		},
		{
			name:      "clean notice",
			text:      "明天上午十点开会，请准时参加。",
			kinds:     nil,
			redacted:  "明天上午十点开会，请准时参加。",
			formatHas: "检查通过",
		},
		{
			name:      "warnings only",
			text:      "根据最新司法解释，您可以主张赔偿。以上仅供参考，不构成法律意见。",
			kinds:     []string{"unsourced_policy"},
			redacted:  "根据最新司法解释，您可以主张赔偿。以上仅供参考，不构成法律意见。",
			formatHas: "请核实来源",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Check(tt.text, redact.Options{})
			if rep.MustFix() != tt.mustFix {
				t.Errorf("MustFix = %v, want %v", rep.MustFix(), tt.mustFix)
			}
			var kinds []string
			for _, f := range rep.Findings {
				kinds = append(kinds, f.Kind)
				if f.Message == "" || f.Start < 0 || f.End > len(tt.text) {
					t.Errorf("bad finding %+v", f)
				}
			}
			if strings.Join(kinds, ",") != strings.Join(tt.kinds, ",") {
				t.Errorf("kinds = %v, want %v", kinds, tt.kinds)
			}
			if rep.Redacted != tt.redacted {
				t.Errorf("redacted = %q, want %q", rep.Redacted, tt.redacted)
			}
			if out := FormatText(rep); !strings.Contains(out, tt.formatHas) {
				t.Errorf("FormatText lacks %q:\n%s", tt.formatHas, out)
			}
		})
	}
}

func TestKnownNamesAndJSON(t *testing.T) {
	rep := Check("请把合同发给Tom Lee确认。", redact.Options{KnownNames: []redact.KnownName{{Name: "Tom Lee"}}})
	if !rep.MustFix() || len(rep.Findings) != 1 || rep.Findings[0].Severity != MustFix {
		t.Fatalf("findings = %+v", rep.Findings)
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Findings[0].Kind != "person" || !strings.Contains(string(data), `"severity":"must_fix"`) || back.Redacted != rep.Redacted {
		t.Errorf("JSON round trip: %s", data)
	}
}

// FuzzCheck: spans of every finding lie in the text on rune boundaries, the
// redacted text is valid UTF-8, and the poster's own details never become a
// finding that must be fixed.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"原告张伟诉被告王芳，他老婆孙美玲确诊中度抑郁，女儿朵朵今年8岁。",
		"合同法第二百一十一条；《民事诉讼法》第一百六十四条；年利率24%受保护。",
		"加微信wxid_abc123，QQ：12345678，社保号320102199003071234。", "", "第条", "《》",
	} {
		f.Add(s, "张伟")
	}
	Check("预热", redact.Options{}) // load the dictionary before the workers' deadline starts
	f.Fuzz(func(t *testing.T, text, own string) {
		if !utf8.ValidString(text) {
			return
		}
		rep := Check(text, redact.Options{Own: []string{own}})
		for _, fd := range rep.Findings {
			if fd.Start < 0 || fd.End > len(text) || fd.Start > fd.End || !utf8.RuneStart(text[min(fd.Start, len(text)-1):][0]) && fd.Start < len(text) {
				t.Fatalf("bad span %+v in %q", fd, text)
			}
			if fd.Category == "" || fd.Message == "" {
				t.Fatalf("finding without category or message: %+v", fd)
			}
			if own != "" && fd.Text == own && fd.Severity == MustFix && isPersonalKind(fd.Kind) {
				t.Fatalf("own detail %q must be fixed: %+v", own, fd)
			}
		}
		if !utf8.ValidString(rep.Redacted) {
			t.Fatalf("invalid UTF-8 in redacted text")
		}
	})
}
