package web

import (
	"strings"
	"testing"
)

// TestInboxMessageRendering: the message centre renders a client message
// as the chat archive does, and its list preview flags a risky message,
// defangs the link and links nothing.
func TestInboxMessageRendering(t *testing.T) {
	text := "短信说传票未签收，要登录 court-gov-cn.top/login 查看；法院平台 https://zxfw.court.gov.cn/zxfw/index.html 也有 <b>"
	if got, want := messageText(text), LinkifyMessage(text); got != want {
		t.Errorf("messageText differs from the chat archive's rendering:\n%s\n%s", got, want)
	}
	preview := string(messagePreview(text))
	for _, want := range []string{`<span class="tag bad link-flag" data-verdict="phishing">⚠ 疑似钓鱼链接</span>`, "court-gov-cn[.]top/login", "https://zxfw.court.gov.cn/zxfw/index.html", "&lt;b&gt;"} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q:\n%s", want, preview)
		}
	}
	if strings.Contains(preview, "<a ") || strings.Contains(preview, "court-gov-cn.top") {
		t.Errorf("preview links or shows the phishing link:\n%s", preview)
	}
	suspicious := string(messagePreview("付款链接 https://pay.evil-example.com/login?id=7"))
	if !strings.Contains(suspicious, "⚠ 可疑链接") || !strings.Contains(suspicious, "pay[.]evil-example[.]com") {
		t.Errorf("suspicious preview:\n%s", suspicious)
	}
	if got := string(messagePreview("明天 9 点开庭，见 https://www.court.gov.cn/ <好>")); got != "明天 9 点开庭，见 https://www.court.gov.cn/ &lt;好&gt;" {
		t.Errorf("safe preview: %q", got)
	}
}
