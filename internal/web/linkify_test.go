package web

import (
	"strings"
	"testing"
)

func TestLinkifyMessage(t *testing.T) {
	phish := string(LinkifyMessage("【法院通知】您有传票未签收，请登录court-gov-cn.top/login查看<b>"))
	for _, want := range []string{`class="link-warning"`, "疑似钓鱼链接", "court-gov-cn[.]top/login", "显示原链接", `href="http://court-gov-cn.top/login"`, "&lt;b&gt;"} {
		if !strings.Contains(phish, want) {
			t.Errorf("phishing message lacks %q:\n%s", want, phish)
		}
	}
	// The only anchor sits inside the closed <details>: nothing is clickable
	// before the user opens it.
	if strings.Count(phish, "<a ") != 1 || strings.Index(phish, "<a ") < strings.Index(phish, "<details") {
		t.Errorf("phishing link clickable outside the reveal:\n%s", phish)
	}
	court := string(LinkifyMessage("北京市朝阳区人民法院：您的案件开庭传票已送达，请登录 https://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index 查看。"))
	if strings.Contains(court, "link-warning") || strings.Contains(court, "defanged") {
		t.Errorf("genuine court link flagged:\n%s", court)
	}
	if !strings.Contains(court, `<a class="message-link" rel="noopener noreferrer nofollow" target="_blank" href="https://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index">`) {
		t.Errorf("genuine court link not a link:\n%s", court)
	}
	if got := string(LinkifyMessage("明天 9 点开庭 <不见不散>")); got != "明天 9 点开庭 &lt;不见不散&gt;" {
		t.Errorf("plain text: %q", got)
	}
	if got := string(LinkWarning("请看 https://www.court.gov.cn/")); got != "" {
		t.Errorf("warning for an official link: %q", got)
	}
	whole := "ETC认证失效，请点击 http://etc-renzheng.top/a 重新认证，详见 www.court.gov.cn"
	if got := string(DefangExcerpt("点击 http://etc-renzheng.top/a 重新", whole)); !strings.Contains(got, "hxxp://etc-renzheng[.]top/a") {
		t.Errorf("excerpt not defanged: %q", got)
	}
	if got := string(DefangExcerpt("详见 www.court.gov.cn", whole)); got != "详见 www.court.gov.cn" {
		t.Errorf("official link in excerpt changed: %q", got)
	}
	if got := linkHref("javascript://alert(1)"); got != "" {
		t.Errorf("javascript href: %q", got)
	}
}
