package web

import (
	"html/template"
	"strings"

	"github.com/lvxin/lvxin/internal/phishing"
)

// messageText renders the text of an incoming client message: every link
// (found by internal/phishing) is shown defanged and not clickable, e.g.
// hxxps://example[.]com/pay, until a later check scores it. It is the one
// place message links are rendered, so that scoring can extend it.
func messageText(text string) template.HTML {
	var b strings.Builder
	last := 0
	for _, l := range phishing.Extract(text) {
		if l.Start < last || l.End > len(text) || l.Start >= l.End {
			continue
		}
		b.WriteString(template.HTMLEscapeString(text[last:l.Start]))
		b.WriteString(`<span class="defanged-link" title="链接已停用：请勿直接打开，核实来源后再复制访问">`)
		b.WriteString(template.HTMLEscapeString(Defang(l.URL)))
		b.WriteString(`</span>`)
		last = l.End
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(b.String())
}

// Defang makes a URL unclickable and unlinkable by chat and mail programs:
// http → hxxp, and every dot of the host in brackets.
func Defang(u string) string {
	lower := strings.ToLower(u)
	rest, scheme := u, ""
	for _, s := range []string{"https://", "http://"} {
		if strings.HasPrefix(lower, s) {
			scheme, rest = "hxxp"+s[4:], u[len(s):]
			break
		}
	}
	host, path := rest, ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		host, path = rest[:i], rest[i:]
	}
	return scheme + strings.ReplaceAll(host, ".", "[.]") + path
}
