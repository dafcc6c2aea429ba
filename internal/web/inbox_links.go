package web

import (
	"html/template"

	"github.com/lvxin/lvxin/internal/phishing"
)

// messageText renders the text of an incoming client message in the
// message centre exactly as the chat archive renders a message
// (LinkifyMessage): a phishing or suspicious link is flagged with the
// reasons, shown defanged (hxxp, [.]) and not clickable until the user
// reveals it and confirms; a genuine link opens in a new tab.
func messageText(text string) template.HTML {
	return LinkifyMessage(text)
}

// messagePreview renders the latest message of a conversation in the
// inbox list: nothing in it is clickable (the row opens the conversation);
// when the message has a risky link, a 可疑链接 tag leads and every link
// that is not an official domain is defanged.
func messagePreview(text string) template.HTML {
	worst := phishing.Safe
	for _, r := range messageLinkChecker().CheckText(text) {
		if r.Verdict == phishing.Phishing || (r.Verdict == phishing.Suspicious && worst == phishing.Safe) {
			worst = r.Verdict
		}
	}
	if worst == phishing.Safe {
		return template.HTML(template.HTMLEscapeString(text))
	}
	label := "可疑链接"
	if worst == phishing.Phishing {
		label = "疑似钓鱼链接"
	}
	return template.HTML(`<span class="tag bad link-flag" data-verdict="`+string(worst)+`">⚠ `+label+`</span> `) +
		DefangExcerpt(text, text)
}
