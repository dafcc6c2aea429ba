package web

import (
	"strings"
	"testing"
)

func TestMessageTextDefangs(t *testing.T) {
	got := string(messageText(`看 https://a.example.com/x?y=1&z=<b> 和 t.cn/abc，还有"引号"`))
	for _, want := range []string{`hxxps://a[.]example[.]com/x?y=1&amp;z=`, `t[.]cn/abc`, `&lt;b&gt;`, `&#34;引号&#34;`} {
		if !strings.Contains(got, want) {
			t.Errorf("messageText = %s\nwant it to contain %s", got, want)
		}
	}
	if strings.Contains(got, "<a") || strings.Contains(got, "https://") {
		t.Errorf("a clickable or intact link: %s", got)
	}
}

// FuzzMessageText: client text never yields markup of its own and never
// an intact http(s) link.
func FuzzMessageText(f *testing.F) {
	for _, s := range []string{"https://example.com", "<script>alert(1)</script>", "访问 www.例子.cn/登录", "HTTP://X.Y", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := string(messageText(s))
		rest := strings.ReplaceAll(strings.ReplaceAll(out, `<span class="defanged-link" title="链接已停用：请勿直接打开，核实来源后再复制访问">`, ""), "</span>", "")
		if strings.ContainsAny(rest, "<>") {
			t.Fatalf("markup from %q: %s", s, out)
		}
	})
}
