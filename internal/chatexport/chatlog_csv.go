package chatexport

import (
	"io"
	"strings"

	"github.com/lvxin/lvxin/internal/model"
)

// chatlog (sjzar/chatlog) exports messages as CSV:
//
//	Time,SenderName,Sender,TalkerName,Talker,Content
//
// Talker is the chat (wxid or …@chatroom), Sender the sender's wxid, Time RFC
// 3339 or local "2006-01-02 15:04:05". There is no type column: media appear
// as placeholders or Markdown links ("![图片](http://…)") and are recognised
// by classifyPlaceholder. Own messages are those whose Sender is
// Options.SelfWxID (or SenderName Options.SelfName) and, in one-to-one chats,
// those whose Sender is not the Talker.

var chatlogCSVColumns = []string{"Time", "SenderName", "Sender", "TalkerName", "Talker", "Content"}

func (p *parser) parseChatlogCSV(r io.Reader) error {
	t, err := p.openCSV(r, chatlogCSVColumns)
	if err != nil {
		return err
	}
	for {
		ok, err := t.next()
		if err != nil || !ok {
			return err
		}
		if err := t.checkUTF8(); err != nil {
			return err
		}
		if err := p.chatlogCSVRow(t); err != nil {
			return err
		}
	}
}

func (p *parser) chatlogCSVRow(t *csvTable) error {
	sentAt, err := p.localOrUnixTime(t.get("Time"))
	if err != nil {
		return p.errorf(t.lineOf("Time"), "Time 不是有效的时间（应为 RFC 3339 或“2006-01-02 15:04:05”）：%q", t.get("Time"))
	}
	talker := t.get("Talker")
	if talker == "" {
		return p.errorf(t.lineOf("Talker"), "Talker 为空，无法确定所属会话")
	}
	kind := model.ConversationDirect
	if strings.HasSuffix(talker, "@chatroom") {
		kind = model.ConversationGroup
	}
	cs := p.conversation(talker, kind, firstNonEmpty(t.get("TalkerName"), talker))
	sender, senderName := t.get("Sender"), t.get("SenderName")
	// In a one-to-one chat everyone but the talker is the exporting account.
	self := p.isSelf(sender, senderName) || (kind == model.ConversationDirect && sender != "" && sender != talker && sender != "系统消息")
	content := classifyPlaceholder(t.get("Content"))
	if sender == "系统消息" { // chatlog's sender for type 10000
		if content.kind != model.MessageRevoke {
			content.kind = model.MessageSystem
		}
		sender = ""
	} else {
		cs.participant(model.Participant{WxID: sender, Nickname: senderName, IsSelf: self})
	}
	return p.send(cs, &model.Message{
		SentAt:     sentAt,
		SenderWxID: sender,
		SenderName: senderName,
		IsSelf:     self,
		Kind:       content.kind,
		Text:       content.text,
		Attachment: content.att,
		SourceLine: t.line,
	})
}
