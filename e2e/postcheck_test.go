package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRedactAndCheckPostCLI(t *testing.T) {
	text := "当事人张三，身份证号11010519491231002X，手机 138-0013-8000，邮箱 zhangsan@example.com。\n"
	out, errOut, code := runCLI(t, text, "redact", "--style", "mask")
	if code != 0 {
		t.Fatalf("redact: %d %s", code, errOut)
	}
	for _, leaked := range []string{"11010519491231002X", "138-0013-8000", "zhangsan@example.com", "张三"} {
		if strings.Contains(out, leaked) {
			t.Errorf("mask output still contains %q: %s", leaked, out)
		}
	}
	if !strings.Contains(out, "张*") {
		t.Errorf("mask style should keep the surname: %s", out)
	}
	out, _, code = runCLI(t, text, "redact", "--json")
	var res struct {
		Findings []struct {
			Type       string  `json:"type"`
			Start      int     `json:"start"`
			End        int     `json:"end"`
			Confidence float64 `json:"confidence"`
		} `json:"findings"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Findings) < 4 {
		t.Fatalf("redact --json: %d %s", code, out)
	}
	out, _, code = runCLI(t, text, "redact", "--style", "pseudonym")
	if code != 0 || !strings.Contains(out, "张某") {
		t.Fatalf("pseudonym: %s", out)
	}

	// check-post: exit 1 when something must be fixed, 0 when clean.
	out, _, code = runCLI(t, text, "check-post")
	if code != 1 || !strings.Contains(out, "必须修改") {
		t.Fatalf("check-post on personal data: exit %d\n%s", code, out)
	}
	out, _, code = runCLI(t, "引用《婚姻法》第三十二条。以上仅供参考。", "check-post", "--json")
	var rep struct {
		MustFix  bool `json:"must_fix"`
		Findings []struct {
			Severity, Kind, Message string
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || rep.MustFix || len(rep.Findings) == 0 || !strings.Contains(rep.Findings[0].Message, "民法典") {
		t.Fatalf("repealed law is a warning, not a blocker: exit %d %s", code, out)
	}
	_, errOut, code = runCLI(t, "\xff\xfe bad", "check-post")
	if code != 2 || !strings.Contains(errOut, "UTF-8") {
		t.Fatalf("invalid UTF-8: %d %s", code, errOut)
	}
}
