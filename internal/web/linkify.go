package web

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/lvxin/lvxin/internal/phishing"
)

// The link checker of message text (chat archive, inbox): built once, with
// the built-in protected domains.
var (
	linkCheckerOnce sync.Once
	linkChecker     *phishing.Checker
)

func messageLinkChecker() *phishing.Checker {
	linkCheckerOnce.Do(func() {
		c, err := phishing.New()
		if err != nil {
			panic("phishing.New without firm domains failed: " + err.Error())
		}
		linkChecker = c
	})
	return linkChecker
}

// LinkifyMessage renders a message's text as HTML for any page that shows
// messages (the chat archive, the inbox): the text escaped; genuine links
// clickable (opening in a new tab, no referrer); and when a link is
// phishing or suspicious (internal/phishing), a Chinese warning with the
// reasons above the text, and that link shown defanged (hxxp, [.]) and not
// clickable: a click on 显示原链接 reveals the warning again and the real
// link, which the user then opens deliberately. No script is involved.
// Registered for templates as "linkify".
func LinkifyMessage(text string) template.HTML {
	results := messageLinkChecker().CheckText(text)
	if len(results) == 0 {
		return template.HTML(template.HTMLEscapeString(text))
	}
	var b strings.Builder
	writeLinkWarning(&b, results)
	b.WriteString(`<span class="message-body">`)
	pos := 0
	for _, r := range results {
		if r.Start < pos || r.End > len(text) || r.Start >= r.End {
			continue
		}
		b.WriteString(template.HTMLEscapeString(text[pos:r.Start]))
		raw := text[r.Start:r.End]
		href := linkHref(raw)
		switch {
		case r.Verdict != phishing.Safe:
			b.WriteString(`<span class="risky-link" data-verdict="` + string(r.Verdict) + `"><code class="defanged">`)
			b.WriteString(template.HTMLEscapeString(phishing.Defang(raw)))
			b.WriteString(`</code><details class="link-reveal"><summary>显示原链接</summary><span class="link-confirm">`)
			b.WriteString(template.HTMLEscapeString("此链接被判为" + r.Verdict.Label() + "（" + strconv.Itoa(r.Score) + " 分），可能冒充官方网站骗取账号、验证码或钱款。请先通过官方电话或官网核实，不要输入任何密码或验证码。"))
			if href != "" {
				b.WriteString(` <a class="danger" rel="noopener noreferrer nofollow" target="_blank" href="`)
				b.WriteString(template.HTMLEscapeString(href))
				b.WriteString(`">我已了解风险，仍要打开</a>`)
			}
			b.WriteString(`</span></details></span>`)
		case href != "":
			b.WriteString(`<a class="message-link" rel="noopener noreferrer nofollow" target="_blank" href="`)
			b.WriteString(template.HTMLEscapeString(href))
			b.WriteString(`">` + template.HTMLEscapeString(raw) + `</a>`)
		default:
			b.WriteString(template.HTMLEscapeString(raw))
		}
		pos = r.End
	}
	b.WriteString(template.HTMLEscapeString(text[pos:]))
	b.WriteString(`</span>`)
	return template.HTML(b.String())
}

// LinkWarning is the warning line of a message with risky links alone, for
// pages that show an excerpt of the message (search results); "" when no
// link is risky. Registered for templates as "linkwarning".
func LinkWarning(text string) template.HTML {
	var b strings.Builder
	writeLinkWarning(&b, messageLinkChecker().CheckText(text))
	return template.HTML(b.String())
}

// DefangExcerpt renders an excerpt of a message (a search fragment) with
// every link in it that is not an official domain defanged and no link
// clickable, when the whole message has a risky link; otherwise the text
// escaped. Registered for templates as "defangexcerpt".
func DefangExcerpt(excerpt, whole string) template.HTML {
	if !hasRiskyLink(whole) {
		return template.HTML(template.HTMLEscapeString(excerpt))
	}
	var b strings.Builder
	pos := 0
	for _, r := range messageLinkChecker().CheckText(excerpt) {
		if r.Start < pos || r.End > len(excerpt) || r.Start >= r.End {
			continue
		}
		b.WriteString(template.HTMLEscapeString(excerpt[pos:r.Start]))
		raw := excerpt[r.Start:r.End]
		if r.Official == "" {
			b.WriteString(`<code class="defanged">` + template.HTMLEscapeString(phishing.Defang(raw)) + `</code>`)
		} else {
			b.WriteString(template.HTMLEscapeString(raw))
		}
		pos = r.End
	}
	b.WriteString(template.HTMLEscapeString(excerpt[pos:]))
	return template.HTML(b.String())
}

func hasRiskyLink(text string) bool {
	for _, r := range messageLinkChecker().CheckText(text) {
		if r.Verdict != phishing.Safe {
			return true
		}
	}
	return false
}

func writeLinkWarning(b *strings.Builder, results []phishing.Result) {
	var risky []phishing.Result
	worst := phishing.Suspicious
	for _, r := range results {
		if r.Verdict != phishing.Safe {
			risky = append(risky, r)
			if r.Verdict == phishing.Phishing {
				worst = phishing.Phishing
			}
		}
	}
	if len(risky) == 0 {
		return
	}
	b.WriteString(`<div class="link-warning" role="alert" data-verdict="` + string(worst) + `"><strong>`)
	if worst == phishing.Phishing {
		b.WriteString("⚠ 注意：此消息含疑似钓鱼链接，请勿点击，勿输入密码或验证码。")
	} else {
		b.WriteString("⚠ 注意：此消息含可疑链接，打开前请核实。")
	}
	b.WriteString(`</strong><ul>`)
	for _, r := range risky {
		b.WriteString(`<li>` + template.HTMLEscapeString(phishing.Defang(r.URL)+"（"+r.Verdict.Label()+"，"+strconv.Itoa(r.Score)+" 分）："))
		var reasons []string
		for _, x := range r.Reasons {
			if x.Points > 0 {
				reasons = append(reasons, x.Message)
			}
		}
		b.WriteString(template.HTMLEscapeString(strings.Join(reasons, "；")) + `</li>`)
	}
	b.WriteString(`</ul></div>`)
}

// linkHref is the address a link opens: http and https only (a link written
// without a scheme gets http://, as a browser would); "" for anything else.
func linkHref(raw string) string {
	lower := strings.ToLower(raw)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		if strings.Contains(raw, "://") {
			return ""
		}
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}
