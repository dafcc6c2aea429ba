package chatexport

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// chatlog (sjzar/chatlog) exports a JSON array of messages:
//
//	{"seq":1709258400000,"time":"2024-03-01T10:00:00+08:00","talker":"wxid_…",
//	 "talkerName":"张三","isChatRoom":false,"sender":"wxid_…","senderName":"张三",
//	 "isSelf":false,"type":1,"subType":0,"content":"…","contents":{…}}
//
// seq is the database sort key (10-digit timestamp + 3-digit sequence),
// type/subType WeChat's message type, contents media details (md5, title,
// url …). System messages have sender "系统消息".

type chatlogMessage struct {
	Seq        int64          `json:"seq"`
	Time       string         `json:"time"`
	Talker     string         `json:"talker"`
	TalkerName string         `json:"talkerName"`
	IsChatRoom bool           `json:"isChatRoom"`
	Sender     string         `json:"sender"`
	SenderName string         `json:"senderName"`
	IsSelf     bool           `json:"isSelf"`
	Type       int64          `json:"type"`
	SubType    int64          `json:"subType"`
	Content    string         `json:"content"`
	Contents   map[string]any `json:"contents"`
}

func (p *parser) parseChatlogJSON(r io.Reader) error {
	p.seqInSecond = true
	stream := p.newJSONStream(r)
	for {
		raw, line, ok, err := stream.next()
		if err != nil || !ok {
			return err
		}
		var m chatlogMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return stream.fieldError(line, raw, err)
		}
		if err := p.chatlogMessage(&m, line); err != nil {
			return err
		}
	}
}

func (p *parser) chatlogMessage(m *chatlogMessage, line int) error {
	sentAt, err := time.Parse(time.RFC3339Nano, m.Time)
	if err != nil {
		return p.errorf(line, "time 不是 RFC 3339 格式的时间：%q", m.Time)
	}
	if m.Talker == "" {
		return p.errorf(line, "talker 为空，无法确定所属会话")
	}
	kind := model.ConversationDirect
	if m.IsChatRoom {
		kind = model.ConversationGroup
	}
	cs := p.conversation(m.Talker, kind, firstNonEmpty(m.TalkerName, m.Talker))

	content := classifyChatlogContent(m)
	m.IsSelf = m.IsSelf || p.isSelf(m.Sender, m.SenderName)
	sender := m.Sender
	if m.Type == wxTypeSystem || sender == "系统消息" {
		sender = ""
	} else if sender != "" {
		cs.participant(model.Participant{WxID: sender, Nickname: m.SenderName, IsSelf: m.IsSelf})
	}
	msg := &model.Message{
		SentAt:     sentAt,
		SenderWxID: sender,
		SenderName: m.SenderName,
		IsSelf:     m.IsSelf,
		Kind:       content.kind,
		Text:       content.text,
		Attachment: content.att,
		SourceLine: line,
		Source:     model.SourcePosition{Seq: max(m.Seq, 0)},
	}
	if m.Seq > 0 {
		msg.Key = "chatlog:" + m.Talker + ":" + strconv.FormatInt(m.Seq, 10)
	}
	return p.send(cs, msg)
}

// classifyChatlogContent maps chatlog's already decoded message: content is
// text (or XML for types chatlog did not decode), contents holds md5, title,
// url, desc for media.
func classifyChatlogContent(m *chatlogMessage) wechatContent {
	str := func(key string) string {
		if v, ok := m.Contents[key]; ok && v != nil {
			if s, ok := v.(string); ok {
				return s
			}
			return fmt.Sprint(v)
		}
		return ""
	}
	c := classifyWeChat(m.Type, m.SubType, m.Content)
	title, url, md5 := str("title"), str("url"), str("md5")
	switch c.kind {
	case model.MessageImage, model.MessageVideo, model.MessageVoice, model.MessageSticker, model.MessageFile:
		ref := firstNonEmpty(str("imgfile"), str("videofile"), str("voice"), str("path"))
		if ref == "" && md5 != "" {
			ref = refMD5 + md5
		}
		if ref != "" {
			c.att = &model.Attachment{Name: title, Ref: ref}
		}
		if c.kind == model.MessageFile && title != "" {
			c.text = "[文件] " + title
		}
	case model.MessageLink:
		if c.att == nil && url != "" {
			c.att = &model.Attachment{Name: title, Ref: url}
			c.text = joinNonEmpty("\n", joinNonEmpty("\n", title, str("desc")), url)
		}
	case model.MessageOther:
		if m.Type == wxTypeApp && title != "" && c.text == m.Content {
			c.text = joinNonEmpty("\n", title, url)
		}
	}
	return c
}
