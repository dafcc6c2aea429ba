package archive

import (
	"html/template"
	"strings"

	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/model"
)

// htmlMessage is one line of the readable archive page.
type htmlMessage struct {
	Time     string
	Name     string
	WxID     string
	Remark   string
	Avatar   string // http(s) URL, shown as an image
	Initial  string
	Self     bool
	Kind     string
	Text     string
	File     string
	FileName string
}

type htmlPage struct {
	Month        string
	Title        string
	Kind         string
	Participants []model.Participant
	Sources      []archiveSource
	Messages     []htmlMessage
}

// KindLabel names a message kind in the UI.
func KindLabel(k model.MessageKind) string {
	switch k {
	case model.MessageText:
		return "文字"
	case model.MessageImage:
		return "图片"
	case model.MessageVoice:
		return "语音"
	case model.MessageVideo:
		return "视频"
	case model.MessageFile:
		return "文件"
	case model.MessageLink:
		return "链接"
	case model.MessageSticker:
		return "表情"
	case model.MessageSystem:
		return "系统消息"
	case model.MessageRevoke:
		return "撤回"
	}
	return "其他"
}

func initial(name string) string {
	r, _ := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError {
		return "?"
	}
	return string(r)
}

func htmlData(c archiveConversation, month string) htmlPage {
	people := map[string]model.Participant{}
	for _, p := range c.Participants {
		people[p.WxID] = p
	}
	p := htmlPage{Month: month, Title: c.Title, Kind: "单聊", Participants: c.Participants, Sources: c.Sources}
	if c.Kind == model.ConversationGroup {
		p.Kind = "群聊"
	}
	for _, m := range c.Messages {
		who := people[m.SenderWxID]
		name := m.SenderName
		if name == "" {
			name = who.Nickname
		}
		hm := htmlMessage{Time: m.SentAt.In(Shanghai).Format("2006-01-02 15:04:05"), Name: name, WxID: m.SenderWxID,
			Remark: who.Remark, Initial: initial(name), Self: m.IsSelf, Kind: KindLabel(m.Kind), Text: m.Text, File: m.File}
		if strings.HasPrefix(who.Avatar, "https://") || strings.HasPrefix(who.Avatar, "http://") {
			hm.Avatar = who.Avatar
		}
		if m.Attachment != nil {
			hm.FileName = m.Attachment.Name
		}
		p.Messages = append(p.Messages, hm)
	}
	return p
}

// conversationHTML is the self-contained page of one conversation in an
// archive (no scripts; styles inline since it is opened from disk).
var conversationHTML = template.Must(template.New("conversation").Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Title}} · {{.Month}} 聊天记录</title>
<style>
body{font-family:"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:52em;margin:2em auto;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2em .6em;text-align:left}
.msg{display:flex;gap:.6em;margin:.6em 0;border-bottom:1px solid #eee;padding-bottom:.4em}
.av{width:2.4em;height:2.4em;border-radius:.3em;background:#7a9;color:#fff;display:flex;align-items:center;justify-content:center;flex:none}
.av img{width:2.4em;height:2.4em;border-radius:.3em}
.who{color:#555;font-size:.9em}.self .av{background:#58a}.text{white-space:pre-wrap;margin-top:.2em}
.kind{font-size:.8em;border:1px solid #999;border-radius:.2em;padding:0 .3em;margin-left:.4em}
</style></head><body>
<h1>{{.Title}}</h1>
<p>{{.Kind}} · {{.Month}} 月归档 · 共 {{len .Messages}} 条消息</p>
<h2>参与人</h2>
<table><tr><th>昵称</th><th>微信号</th><th>备注名</th><th></th></tr>
{{range .Participants}}<tr><td>{{.Nickname}}</td><td>{{.WxID}}</td><td>{{.Remark}}</td><td>{{if .IsSelf}}导出账号{{end}}</td></tr>
{{end}}</table>
<h2>来源文件</h2>
<ul>{{range .Sources}}<li>{{.FileName}}（{{.Format}}）SHA-256：<code>{{.SHA256}}</code></li>{{end}}</ul>
<h2>消息</h2>
{{range .Messages}}<div class="msg{{if .Self}} self{{end}}">
<div class="av">{{if .Avatar}}<img src="{{.Avatar}}" alt="{{.Initial}}">{{else}}{{.Initial}}{{end}}</div>
<div><div class="who">{{.Time}} · <strong>{{.Name}}</strong> · 微信号 {{.WxID}}{{if .Remark}} · 备注 {{.Remark}}{{end}}{{if ne .Kind "文字"}}<span class="kind">{{.Kind}}</span>{{end}}</div>
<div class="text">{{.Text}}</div>{{if .File}}<div>附件：<a href="../../{{.File}}">{{.FileName}}</a></div>{{else if .FileName}}<div>附件（仅引用，未随导出文件提供）：{{.FileName}}</div>{{end}}</div>
</div>
{{end}}</body></html>
`))
