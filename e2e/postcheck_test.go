package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
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
	// --own: details the poster may publish (the firm's address) are 本人信息.
	out, _, code = runCLI(t, "本所地址：北京市朝阳区光华路5号。", "check-post", "--json", "--own", "北京市朝阳区光华路5号")
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || rep.MustFix || len(rep.Findings) != 1 || rep.Findings[0].Severity != "own" {
		t.Fatalf("--own: exit %d %s", code, out)
	}
	_, errOut, code = runCLI(t, "\xff\xfe bad", "check-post")
	if code != 2 || !strings.Contains(errOut, "UTF-8") {
		t.Fatalf("invalid UTF-8: %d %s", code, errOut)
	}
}

// TestPostcheckInBrowser: the lawyer saves a 专业形象 profile, then checks a
// post that carries both her own details and a client's sensitive data.
// The page lists each finding with its category and legal reason, marks
// her own details as 本人信息 and keeps them in the redacted text;
// `check-post --user --json` says the same.
func TestPostcheckInBrowser(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			srv := startServer(t, e)
			addUser(t, srv, "lawyer", "张律师", "zhang")
			a := browser(t)
			login(t, a, srv.URL, "zhang", adminPassword)
			run(t, a, "save the profile",
				chromedp.Navigate(srv.URL+"/profile"),
				chromedp.WaitVisible(chromedp.ID("profile-form")),
				chromedp.SetValue(chromedp.ID("p-name"), "张明远"),
				chromedp.SetValue(chromedp.ID("p-nickname"), "张明远-正义律所"),
				chromedp.SetValue(chromedp.ID("p-signature"), "专注婚姻家事、劳动争议"),
				chromedp.SetValue(chromedp.ID("p-firm-abbrev"), "正义律所"),
				chromedp.SetValue(chromedp.ID("p-firm-name"), "北京市正义律师事务所"),
				chromedp.SetValue(chromedp.ID("p-phone"), "13901012345"),
				chromedp.SetValue(chromedp.ID("p-areas"), "婚姻家事、劳动争议"),
				chromedp.Click(chromedp.ID("p-save")),
				chromedp.WaitVisible(chromedp.ID("card-link")),
			)
			post := "正义律所张明远律师：委托人吴敏确诊中度抑郁后被公司辞退，她的女儿朵朵今年8岁。咨询请致电13901012345。"
			run(t, a, "check the post",
				chromedp.Navigate(srv.URL+"/postcheck"),
				chromedp.WaitVisible(chromedp.ID("post-text")),
				chromedp.SetValue(chromedp.ID("post-text"), post),
				chromedp.Click(chromedp.ID("check")),
				chromedp.WaitVisible(chromedp.ID("findings")),
			)
			findings := get(t, a, "findings", chromedp.Text(chromedp.ID("findings")))
			for _, want := range []string{
				"发布前必须修改", "敏感个人信息·医疗健康", "敏感个人信息·未成年人", "个人信息·姓名",
				"《个人信息保护法》第二十八条", "第三十一条", "本人信息",
			} {
				if !strings.Contains(findings, want) {
					t.Errorf("findings lack %q:\n%s", want, findings)
				}
			}
			redacted := get(t, a, "redacted", chromedp.Value(chromedp.ID("redacted")))
			for _, kept := range []string{"正义律所张明远律师", "13901012345"} {
				if !strings.Contains(redacted, kept) {
					t.Errorf("own detail %q was redacted: %s", kept, redacted)
				}
			}
			for _, gone := range []string{"吴敏", "中度抑郁", "朵朵", "8岁"} {
				if strings.Contains(redacted, gone) {
					t.Errorf("client data %q kept: %s", gone, redacted)
				}
			}
			screenshot(t, a, "postcheck-categories")

			out, errOut, code := runCLI(t, post, cliArgs(srv, "check-post", "--json", "--user", "zhang")...)
			var rep struct {
				MustFix  bool `json:"must_fix"`
				Findings []struct {
					Severity, Kind, Category, Text string
					LegalBasis                     string `json:"legal_basis"`
				} `json:"findings"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 || !rep.MustFix {
				t.Fatalf("check-post --user --json: exit %d %v\n%s%s", code, err, out, errOut)
			}
			seen := map[string]string{}
			for _, f := range rep.Findings {
				seen[f.Text] = f.Severity + "|" + f.Category + "|" + f.LegalBasis
			}
			if s := seen["中度抑郁"]; !strings.HasPrefix(s, "must_fix|敏感个人信息·医疗健康|《个人信息保护法》第二十八条") {
				t.Errorf("health finding: %q", s)
			}
			if s := seen["13901012345"]; !strings.HasPrefix(s, "own|本人信息·手机号") {
				t.Errorf("own phone: %q", s)
			}
			if _, errOut, code := runCLI(t, post, cliArgs(srv, "check-post", "--user", "nobody")...); code != 2 || !strings.Contains(errOut, "没有用户 nobody") {
				t.Errorf("unknown --user: exit %d %s", code, errOut)
			}
		})
	}
}
