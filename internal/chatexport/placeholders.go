package chatexport

import (
	"strings"

	"github.com/lvxin/lvxin/internal/model"
)

// classifyPlaceholder recognises the placeholders that text exports write
// instead of media ("[图片]", "[文件] 合同.pdf") and the Markdown links that
// chatlog writes ("![图片](http://…)", "[文件|合同.pdf](http://…)"). Anything
// else is text. Revocation notices become MessageRevoke.
func classifyPlaceholder(text string) wechatContent {
	trimmed := strings.TrimSpace(text)
	if strings.HasPrefix(trimmed, "!") || strings.HasPrefix(trimmed, "[") {
		if c, ok := classifyMarkdownMedia(trimmed); ok {
			return c
		}
		for _, ph := range placeholderKinds {
			if rest, ok := strings.CutPrefix(trimmed, ph.prefix); ok {
				c := wechatContent{kind: ph.kind, text: text}
				if rest = strings.TrimSpace(rest); rest != "" && ph.kind == model.MessageFile {
					c.att = &model.Attachment{Name: rest, Ref: rest}
				}
				return c
			}
		}
	}
	if strings.Contains(trimmed, "撤回了一条消息") && len(trimmed) < 120 {
		return wechatContent{kind: model.MessageRevoke, text: text}
	}
	return wechatContent{kind: model.MessageText, text: text}
}

var placeholderKinds = []struct {
	prefix string
	kind   model.MessageKind
}{
	{"[图片]", model.MessageImage},
	{"[语音]", model.MessageVoice},
	{"[视频]", model.MessageVideo},
	{"[动画表情]", model.MessageSticker},
	{"[表情包]", model.MessageSticker},
	{"[GIF表情]", model.MessageSticker},
	{"[文件]", model.MessageFile},
	{"[链接]", model.MessageLink},
	{"[聊天记录]", model.MessageOther},
	{"[名片]", model.MessageOther},
	{"[位置]", model.MessageOther},
	{"[转账]", model.MessageOther},
	{"[红包]", model.MessageOther},
	{"[语音通话]", model.MessageOther},
	{"[视频通话]", model.MessageOther},
}

// markdownMedia maps the labels of chatlog's Markdown media links.
var markdownMedia = map[string]model.MessageKind{
	"图片": model.MessageImage,
	"视频": model.MessageVideo,
	"语音": model.MessageVoice,
	"文件": model.MessageFile,
	"链接": model.MessageLink,
}

// classifyMarkdownMedia reads "![图片](url)", "[语音](url)" and
// "[文件|name](url)".
func classifyMarkdownMedia(s string) (wechatContent, bool) {
	body := strings.TrimPrefix(s, "!")
	if !strings.HasPrefix(body, "[") || !strings.HasSuffix(body, ")") {
		return wechatContent{}, false
	}
	label, rest, ok := strings.Cut(body[1:], "](")
	if !ok {
		return wechatContent{}, false
	}
	url := rest[:len(rest)-1]
	kindName, name, _ := strings.Cut(label, "|")
	kind, ok := markdownMedia[kindName]
	if !ok || url == "" || strings.ContainsAny(url, " \n") {
		return wechatContent{}, false
	}
	return wechatContent{kind: kind, text: s, att: &model.Attachment{Name: name, Ref: url}}, true
}
