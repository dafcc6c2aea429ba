package chatexport

import (
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// WeChatMsg (留痕, LC044/WeChatMsg) writes one CSV per chat, UTF-8 with BOM:
//
//	localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender
//
// TalkerId is the chat's row id in the local database, Type/SubType WeChat's
// message type, IsSender 1 for own messages, CreateTime Unix seconds, StrTime
// the same instant as local time, and Remark/NickName/Sender describe the
// sender of the row (the contact, a group member, or the exporting account).
// The file does not say whether the chat is a group: it becomes one when a
// second person other than the exporting account speaks.

var wechatMsgCSVColumns = []string{"localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "StrContent", "StrTime", "Sender"}

func (p *parser) parseWeChatMsgCSV(r io.Reader) error {
	t, err := p.openCSV(r, wechatMsgCSVColumns)
	if err != nil {
		return err
	}
	cols := weChatMsgColumns{
		typ: t.index("Type"), sub: t.index("SubType"), isSender: t.index("IsSender"),
		createTime: t.index("CreateTime"), talker: t.index("TalkerId"), sender: t.index("Sender"),
		nickname: t.index("NickName"), remark: t.index("Remark"), content: t.index("StrContent"),
		localID: t.index("localId"),
	}
	for {
		ok, err := t.next()
		if err != nil || !ok {
			return err
		}
		if err := t.checkUTF8(); err != nil {
			return err
		}
		if err := p.weChatMsgRow(t, &cols); err != nil {
			return err
		}
	}
}

// weChatMsgColumns holds the column positions, looked up once per file.
type weChatMsgColumns struct {
	typ, sub, isSender, createTime, talker, sender, nickname, remark, content, localID int
}

func (p *parser) weChatMsgRow(t *csvTable, cols *weChatMsgColumns) error {
	typ, err := strconv.ParseInt(t.field(cols.typ), 10, 64)
	if err != nil {
		return p.errorf(t.lineOf("Type"), "Type 不是有效的消息类型编号：%q", t.get("Type"))
	}
	var sub int64
	if s := t.field(cols.sub); s != "" {
		if sub, err = strconv.ParseInt(s, 10, 64); err != nil {
			return p.errorf(t.lineOf("SubType"), "SubType 不是整数：%q", s)
		}
	}
	isSender, err := parseFlag(t.field(cols.isSender))
	if err != nil {
		return p.errorf(t.lineOf("IsSender"), "IsSender 应为 0 或 1：%q", t.get("IsSender"))
	}
	sentAt, err := p.weChatMsgTime(t, t.field(cols.createTime))
	if err != nil {
		return err
	}

	convKey := p.opts.ConversationKey
	if convKey == "" {
		talker := t.field(cols.talker)
		if talker == "" {
			return p.errorf(t.lineOf("TalkerId"), "TalkerId 为空，无法确定所属会话（可在导入时指定会话）")
		}
		convKey = "wechatmsg:" + talker
	}
	cs := p.conversation(convKey, model.ConversationDirect, p.opts.ConversationTitle)

	senderID := t.field(cols.sender)
	who := model.Participant{WxID: senderID, Nickname: t.field(cols.nickname), Remark: t.field(cols.remark), IsSelf: isSender}
	content := classifyWeChat(typ, sub, t.field(cols.content))
	if senderID != "" && content.kind != model.MessageSystem {
		cs.participant(who)
		p.weChatMsgNameConversation(cs, who)
	}
	msg := &model.Message{
		SentAt:     sentAt,
		SenderWxID: senderID,
		SenderName: firstNonEmpty(who.Remark, who.Nickname),
		IsSelf:     isSender,
		Kind:       content.kind,
		Text:       content.text,
		Attachment: content.att,
		SourceLine: t.line,
		Source:     model.SourcePosition{Seq: parseSeq(t.field(cols.localID))},
	}
	return p.send(cs, msg)
}

// weChatMsgNameConversation keeps the conversation's kind and title up to
// date as participants are discovered.
func (p *parser) weChatMsgNameConversation(cs *convState, who model.Participant) {
	if p.opts.ConversationTitle != "" {
		if cs.otherParties() > 1 {
			cs.conv.Kind = model.ConversationGroup
		}
		return
	}
	switch {
	case cs.conv.Kind == model.ConversationDirect && cs.otherParties() > 1:
		cs.conv.Kind = model.ConversationGroup
		cs.conv.Title = strings.TrimSuffix(filepath.Base(p.name), filepath.Ext(p.name))
	case cs.conv.Kind == model.ConversationDirect && cs.conv.Title == "" && !who.IsSelf:
		cs.conv.Title = firstNonEmpty(who.Remark, who.Nickname, who.WxID)
	}
}

// weChatMsgTime reads CreateTime (Unix seconds), or StrTime if CreateTime is
// empty.
func (p *parser) weChatMsgTime(t *csvTable, createTime string) (time.Time, error) {
	if s := createTime; s != "" {
		sec, err := parseUnix(s)
		if err != nil {
			return time.Time{}, p.errorf(t.lineOf("CreateTime"), "CreateTime 不是有效的时间戳：%q", s)
		}
		return sec, nil
	}
	s := t.get("StrTime")
	at, err := time.ParseInLocation(time.DateTime, s, p.loc)
	if err != nil {
		return time.Time{}, p.errorf(t.lineOf("StrTime"), "CreateTime 为空，StrTime 也不是“2006-01-02 15:04:05”格式的时间：%q", s)
	}
	return at, nil
}

// parseUnix reads a Unix timestamp in seconds, or in milliseconds when it has
// 13 or more digits.
func parseUnix(s string) (time.Time, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, strconv.ErrSyntax
	}
	if n >= 1e12 {
		return time.UnixMilli(n), nil
	}
	return time.Unix(n, 0), nil
}

// parseSeq reads an export's own sequence number; anything but a positive
// integer means the record has none (0).
func parseSeq(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// parseFlag reads the 0/1 flags of CSV exports ("True"/"False" as Python
// writes booleans are accepted too).
func parseFlag(s string) (bool, error) {
	switch strings.TrimSpace(s) {
	case "1", "True", "true":
		return true, nil
	case "0", "False", "false", "":
		return false, nil
	}
	return false, strconv.ErrSyntax
}
