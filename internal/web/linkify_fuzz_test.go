package web

import (
	"regexp"
	"strings"
	"testing"
)

// ourTags are the only tags LinkifyMessage writes.
var ourTags = regexp.MustCompile(`</?(div|strong|ul|li|span|code|details|summary|a)( [^<>]*)?>`)

var hrefAttr = regexp.MustCompile(`href="([^"]*)"`)

// FuzzLinkifyMessage: whatever a chat message holds, the rendered HTML has
// only the helper's own tags (the text is escaped), every link opens http
// or https, and a risky link never appears as a link outside the reveal.
func FuzzLinkifyMessage(f *testing.F) {
	for _, s := range []string{
		"【法院通知】您有传票未签收，请登录court-gov-cn.top/login查看",
		"请登录 https://zxfw.court.gov.cn/zxfw/ 查看",
		`<script>alert(1)</script> http://a.top/"><img src=x onerror=alert(1)>`,
		"javascript://x.cn/%0aalert(1) http://[::1]:80/ t.cn/abc",
		"https://www.icbc.com.cn@evil.top/ ａｌｉｐａｙ.com xn--80ak6aa92e.com",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		out := string(LinkifyMessage(text))
		rest := ourTags.ReplaceAllString(out, "")
		if strings.ContainsAny(rest, "<>") {
			t.Fatalf("unescaped markup in %q:\n%s", text, out)
		}
		for _, m := range hrefAttr.FindAllStringSubmatch(out, -1) {
			if !strings.HasPrefix(m[1], "http://") && !strings.HasPrefix(m[1], "https://") {
				t.Fatalf("href %q from %q", m[1], text)
			}
		}
		// Outside the reveal (<details>…</details>) no risky link is an anchor.
		for _, part := range strings.Split(out, `<span class="risky-link"`)[1:] {
			before, _, _ := strings.Cut(part, "<details")
			if strings.Contains(before, "<a ") {
				t.Fatalf("risky link clickable before the reveal: %s", out)
			}
		}
	})
}
