package chatexport

import (
	"html"
	"strconv"
	"strings"

	"github.com/lvxin/lvxin/internal/model"
)

// WeChat's numeric message types (the Type column of the MSG table) as the
// WeChatMsg and chatlog exports carry them.
const (
	wxTypeText     = 1
	wxTypeImage    = 3
	wxTypeVoice    = 34
	wxTypeCard     = 42
	wxTypeVideo    = 43
	wxTypeSticker  = 47
	wxTypeLocation = 48
	wxTypeApp      = 49
	wxTypeCall     = 50
	wxTypeSystem   = 10000
	wxTypeSysXML   = 10002 // system message as XML, mostly <revokemsg>
)

// Sub types of wxTypeApp (appmsg <type>).
const (
	wxAppShare       = 4
	wxAppLink        = 5
	wxAppFile        = 6
	wxAppGIF         = 8
	wxAppForward     = 19 // merged forward (合并转发)
	wxAppMiniProgram = 33
	wxAppMiniProg2   = 36
	wxAppChannels    = 51
	wxAppQuote       = 57
	wxAppPat         = 62
	wxAppTransfer    = 2000
	wxAppRedPacket   = 2001
)

// wechatContent is what a WeChat type and its raw content turn into.
type wechatContent struct {
	kind model.MessageKind
	text string
	att  *model.Attachment
}

// classifyWeChat maps a WeChat type, sub type and the raw StrContent to a
// message kind, a readable text and, for media, a reference. Unknown types
// become MessageOther with the raw content.
func classifyWeChat(typ, sub int64, content string) wechatContent {
	switch typ {
	case wxTypeText:
		return wechatContent{kind: model.MessageText, text: content}
	case wxTypeImage:
		return mediaContent(model.MessageImage, "[图片]", content, prefixed(refMD5, xmlAttr(content, "img", "md5")), "")
	case wxTypeVoice:
		return mediaContent(model.MessageVoice, "[语音]", content, prefixed(refClientMsgID, xmlAttr(content, "voicemsg", "clientmsgid")), "")
	case wxTypeVideo:
		return mediaContent(model.MessageVideo, "[视频]", content, prefixed(refMD5, xmlAttr(content, "videomsg", "md5")), "")
	case wxTypeSticker:
		return mediaContent(model.MessageSticker, "[动画表情]", content, xmlAttr(content, "emoji", "cdnurl"), "")
	case wxTypeCard:
		name := xmlAttr(content, "msg", "nickname")
		return wechatContent{kind: model.MessageOther, text: "[名片] " + firstNonEmpty(name, content)}
	case wxTypeLocation:
		place := xmlAttr(content, "location", "poiname")
		if label := xmlAttr(content, "location", "label"); label != "" {
			place = joinNonEmpty(" ", place, label)
		}
		return wechatContent{kind: model.MessageOther, text: "[位置] " + firstNonEmpty(place, content)}
	case wxTypeCall:
		return wechatContent{kind: model.MessageOther, text: joinNonEmpty(" ", "[语音/视频通话]", stripXMLTags(content))}
	case wxTypeApp:
		return classifyAppMessage(sub, content)
	case wxTypeSystem:
		if strings.Contains(content, "撤回了一条消息") {
			return wechatContent{kind: model.MessageRevoke, text: stripXMLTags(content)}
		}
		return wechatContent{kind: model.MessageSystem, text: stripXMLTags(content)}
	case wxTypeSysXML:
		if strings.Contains(content, "<revokemsg") {
			text := xmlElemText(content, "replacemsg")
			if text == "" {
				text = xmlElemText(content, "revokemsg")
			}
			if text == "" {
				text = "撤回了一条消息"
			}
			return wechatContent{kind: model.MessageRevoke, text: text}
		}
		return wechatContent{kind: model.MessageSystem, text: stripXMLTags(content)}
	}
	return wechatContent{kind: model.MessageOther, text: "[类型 " + strconv.FormatInt(typ, 10) + "] " + content}
}

// classifyAppMessage handles type 49, whose content is an <appmsg> document.
func classifyAppMessage(sub int64, content string) wechatContent {
	if t, err := strconv.ParseInt(xmlElemText(content, "type"), 10, 64); err == nil && t > 0 {
		sub = t // the appmsg's own <type> is authoritative over the SubType column
	}
	title := xmlElemText(content, "title")
	url := xmlElemText(content, "url")
	switch sub {
	case wxAppFile:
		c := mediaContent(model.MessageFile, "[文件] "+title, content, prefixed(refMD5, xmlElemText(content, "md5")), title)
		if c.att != nil {
			c.att.Size, _ = strconv.ParseInt(xmlElemText(content, "totallen"), 10, 64)
		}
		return c
	case wxAppLink, wxAppShare, wxAppMiniProgram, wxAppMiniProg2, wxAppChannels:
		text := joinNonEmpty("\n", title, xmlElemText(content, "des"))
		text = joinNonEmpty("\n", text, url)
		if text == "" {
			text = content
		}
		c := wechatContent{kind: model.MessageLink, text: text}
		if url != "" {
			c.att = &model.Attachment{Name: title, Ref: url}
		}
		return c
	case wxAppGIF:
		return mediaContent(model.MessageSticker, "[动画表情]", content, prefixed(refMD5, xmlElemText(content, "md5")), "")
	case wxAppQuote:
		if title == "" {
			return wechatContent{kind: model.MessageText, text: content}
		}
		quoted := xmlElemText(content, "displayname")
		if q := xmlElemText(content, "content"); q != "" {
			quoted = joinNonEmpty("：", quoted, stripXMLTags(q))
		}
		if quoted != "" {
			return wechatContent{kind: model.MessageText, text: title + "\n「引用 " + quoted + "」"}
		}
		return wechatContent{kind: model.MessageText, text: title}
	case wxAppPat:
		return wechatContent{kind: model.MessageSystem, text: firstNonEmpty(title, content)}
	case wxAppForward:
		return wechatContent{kind: model.MessageOther, text: joinNonEmpty("\n", "[聊天记录] "+title, xmlElemText(content, "des"))}
	case wxAppTransfer:
		return wechatContent{kind: model.MessageOther, text: joinNonEmpty(" ", "[转账]", xmlElemText(content, "feedesc"))}
	case wxAppRedPacket:
		return wechatContent{kind: model.MessageOther, text: joinNonEmpty(" ", "[红包]", title)}
	}
	if title != "" {
		return wechatContent{kind: model.MessageOther, text: joinNonEmpty("\n", "[分享] "+title, url)}
	}
	return wechatContent{kind: model.MessageOther, text: content}
}

// mediaContent builds a media message. The reference is the id the export
// gives (md5, URL...) or, lacking one, the raw content, so media are never
// dropped; with neither the message keeps only its placeholder text.
func mediaContent(kind model.MessageKind, placeholder, content, ref, name string) wechatContent {
	c := wechatContent{kind: kind, text: placeholder}
	switch {
	case ref != "":
	case content != "" && !strings.HasPrefix(strings.TrimSpace(content), "<"):
		ref = content // a path or URL written by the exporting tool
	case content != "":
		ref = refXML + content
	}
	if ref != "" {
		c.att = &model.Attachment{Name: name, Ref: ref}
	}
	return c
}

// prefixed returns prefix+id, or "" for an empty id.
func prefixed(prefix, id string) string {
	if id == "" {
		return ""
	}
	return prefix + id
}

// The helpers below read one element or attribute out of the small XML
// documents WeChat stores in StrContent. They are hand-written because
// encoding/xml costs tens of microseconds per document, which matters at a
// million rows, and only a few known fields are needed; anything they cannot
// find leaves the raw content in the message.

// xmlElemText returns the text of the first <tag>…</tag>, CDATA unwrapped
// and entities decoded.
func xmlElemText(doc, tag string) string {
	start := 0
	for {
		i := strings.Index(doc[start:], "<"+tag)
		if i < 0 {
			return ""
		}
		i += start + 1 + len(tag)
		if i >= len(doc) {
			return ""
		}
		if c := doc[i]; c != '>' && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '/' {
			start = i // a longer tag name with the same prefix
			continue
		}
		gt := strings.IndexByte(doc[i:], '>')
		if gt < 0 || doc[i+gt-1] == '/' {
			return ""
		}
		body := doc[i+gt+1:]
		end := strings.Index(body, "</"+tag+">")
		if end < 0 {
			return ""
		}
		body = strings.TrimSpace(body[:end])
		if strings.HasPrefix(body, "<![CDATA[") && strings.HasSuffix(body, "]]>") {
			return body[len("<![CDATA[") : len(body)-len("]]>")]
		}
		return html.UnescapeString(body)
	}
}

// xmlAttr returns attribute attr of the first <elem …> element.
func xmlAttr(doc, elem, attr string) string {
	i := strings.Index(doc, "<"+elem+" ")
	if i < 0 {
		return ""
	}
	tag := doc[i:]
	if gt := strings.IndexByte(tag, '>'); gt >= 0 {
		tag = tag[:gt]
	}
	for _, quote := range []string{`"`, `'`} {
		needle := " " + attr + "=" + quote
		j := strings.Index(tag, needle)
		if j < 0 {
			continue
		}
		value := tag[j+len(needle):]
		if k := strings.Index(value, quote); k >= 0 {
			return html.UnescapeString(value[:k])
		}
	}
	return ""
}

// stripXMLTags turns a system message that may carry markup into plain text.
func stripXMLTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	inTag := false
	for _, r := range strings.NewReplacer("<![CDATA[", "", "]]>", "").Replace(s) {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	text := strings.TrimSpace(html.UnescapeString(b.String()))
	if text == "" {
		return s
	}
	return text
}

func joinNonEmpty(sep, a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + sep + b
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// The attachment references the parsers make up from an id in the export
// (the file's digest, the voice message's client id, the raw XML) rather
// than take from a path the export names.
const (
	refMD5         = "md5:"
	refClientMsgID = "clientmsgid:"
	refXML         = "xml:"
)

// IsIDRef reports whether an attachment reference is one the parsers made
// up from an id: no file of that name lies next to the export.
func IsIDRef(ref string) bool {
	for _, p := range []string{refMD5, refClientMsgID, refXML} {
		if strings.HasPrefix(ref, p) {
			return true
		}
	}
	return false
}
