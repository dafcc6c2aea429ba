package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// runRoot runs the CLI in-process with stdin and returns stdout and the
// exit code main would use.
func runRoot(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	root := newRoot()
	var out bytes.Buffer
	root.SetArgs(args)
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&out)
	err := root.Execute()
	if err == nil {
		return out.String(), 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return out.String() + ee.msg, ee.code
	}
	return out.String() + err.Error(), 1
}

func TestCheckLinkCLI(t *testing.T) {
	sms := "【北京市朝阳区人民法院】您有一份电子送达文书，请点击https://zxfw.court.gov.cn/zxfw/#/wssd?qdbh=A1查看。\n" +
		"【法院通知】您有传票未签收，请登录court-gov-cn.top/login，逾期冻结账户。\n"

	// Text output: each URL with its verdict, score and Chinese reasons; exit 1.
	out, code := runRoot(t, sms, "check-link")
	if code != 1 {
		t.Fatalf("a phishing link must exit 1, got %d:\n%s", code, out)
	}
	for _, want := range []string{"未见异常（0 分）  https://zxfw.court.gov.cn/", "官方域名：court.gov.cn", "钓鱼（100 分）  court-gov-cn.top/login", "（+70）", "共 2 个网址：钓鱼 1，可疑 0，未见异常 1。"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// --json: one object per URL with url, verdict, score, reasons.
	out, code = runRoot(t, sms, "check-link", "--json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 1 || len(lines) != 2 {
		t.Fatalf("--json: exit %d, %d lines:\n%s", code, len(lines), out)
	}
	var res struct {
		URL     string `json:"url"`
		Verdict string `json:"verdict"`
		Score   int    `json:"score"`
		Reasons []struct {
			Code, Message string
			Points        int
		} `json:"reasons"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &res); err != nil || res.URL != "court-gov-cn.top/login" || res.Verdict != "phishing" || res.Score != 100 || len(res.Reasons) < 2 {
		t.Fatalf("--json line 2: %v %+v", err, res)
	}

	// Arguments instead of stdin; only official links: exit 0.
	out, code = runRoot(t, "", "check-link", "https://www.12368.gov.cn/", "www.icbc.com.cn")
	if code != 0 || !strings.Contains(out, "共 2 个网址：钓鱼 0，可疑 0，未见异常 2。") {
		t.Fatalf("official links: exit %d\n%s", code, out)
	}
	// A shortener alone is suspicious: exit 1.
	if out, code = runRoot(t, "", "check-link", "详情 t.cn/A6aBcD"); code != 1 || !strings.Contains(out, "可疑") {
		t.Fatalf("shortener: exit %d\n%s", code, out)
	}
	// No URL at all.
	if out, code = runRoot(t, "您的传票已送达，请按时到庭。", "check-link"); code != 0 || !strings.Contains(out, "未发现网址") {
		t.Fatalf("no URL: exit %d\n%s", code, out)
	}
	// --protect: the firm's domain is official, its lookalike is not.
	out, code = runRoot(t, "", "check-link", "--protect", "lvshi.com.cn", "https://www.lvshi.com.cn/ lvshi-wssd.top")
	if code != 1 || !strings.Contains(out, "本所域名") || !strings.Contains(out, "钓鱼") {
		t.Fatalf("--protect: exit %d\n%s", code, out)
	}
	if out, code = runRoot(t, "", "check-link", "--protect", "not a domain", "x.com"); code != 2 || !strings.Contains(out, "not a domain") {
		t.Fatalf("bad --protect: exit %d\n%s", code, out)
	}
	if out, code = runRoot(t, "\xff\xfe", "check-link"); code != 2 || !strings.Contains(out, "UTF-8") {
		t.Fatalf("invalid UTF-8: exit %d\n%s", code, out)
	}
}

// TestLinksCheckCLI: `lvxin links check` is the same check as check-link:
// URLs as arguments, one JSON object per URL, exit 0 when all are safe.
func TestLinksCheckCLI(t *testing.T) {
	out, code := runRoot(t, "", "links", "check", "--json", "https://www.court.gov.cn/", "http://12368-gov.com/sd", "t.cn/A6aBcD")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 1 || len(lines) != 3 {
		t.Fatalf("exit %d, %d lines:\n%s", code, len(lines), out)
	}
	want := []struct{ url, verdict string }{{"https://www.court.gov.cn/", "safe"}, {"http://12368-gov.com/sd", "phishing"}, {"t.cn/A6aBcD", "suspicious"}}
	for i, line := range lines {
		var r struct {
			URL     string            `json:"url"`
			Verdict string            `json:"verdict"`
			Score   *int              `json:"score"`
			Reasons []json.RawMessage `json:"reasons"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if r.URL != want[i].url || r.Verdict != want[i].verdict || r.Score == nil || len(r.Reasons) == 0 {
			t.Errorf("line %d: %s", i+1, line)
		}
	}
	if out, code := runRoot(t, "", "links", "check", "https://zxfw.court.gov.cn/"); code != 0 || !strings.Contains(out, "官方域名") {
		t.Fatalf("official only: exit %d\n%s", code, out)
	}
	if out, code := runRoot(t, "", "links", "check", "--protect", "not a domain", "x.cn"); code != 2 {
		t.Fatalf("bad --protect: exit %d\n%s", code, out)
	}
}
