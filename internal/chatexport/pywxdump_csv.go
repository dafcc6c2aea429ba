package chatexport

import (
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// PyWxDump (xaoyaoo/PyWxDump) writes chats as CSV:
//
//	id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime
//
// room_name is the chat (StrTalker: a wxid, or …@chatroom for groups),
// talker the sender's wxid (older versions write "我" for the exporting
// account), type_name a Chinese label (文本, 图片, 语音, 视频, 文件, 系统通知,
// 撤回消息 …), msg the text or a description, src the path of a media file,
// CreateTime local time "2006-01-02 15:04:05". MsgSvrID is WeChat's server
// message id and becomes the key.

var pyWxDumpColumns = []string{"MsgSvrID", "type_name", "is_sender", "talker", "room_name", "msg", "CreateTime"}

// pyWxDumpKinds maps type_name labels; unlisted labels become MessageOther.
var pyWxDumpKinds = map[string]model.MessageKind{
	"文本":       model.MessageText,
	"引用回复":     model.MessageText,
	"图片":       model.MessageImage,
	"语音":       model.MessageVoice,
	"视频":       model.MessageVideo,
	"动画表情":     model.MessageSticker,
	"表情":       model.MessageSticker,
	"GIF表情":    model.MessageSticker,
	"文件":       model.MessageFile,
	"卡片式链接":    model.MessageLink,
	"链接":       model.MessageLink,
	"分享":       model.MessageLink,
	"小程序":      model.MessageLink,
	"系统通知":     model.MessageSystem,
	"系统消息":     model.MessageSystem,
	"拍一拍":      model.MessageSystem,
	"邀请入群":     model.MessageSystem,
	"撤回消息":     model.MessageRevoke,
	"合并转发聊天记录": model.MessageOther,
}

func (p *parser) parsePyWxDumpCSV(r io.Reader) error {
	t, err := p.openCSV(r, pyWxDumpColumns)
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
		if err := p.pyWxDumpRow(t); err != nil {
			return err
		}
	}
}

func (p *parser) pyWxDumpRow(t *csvTable) error {
	isSender, err := parseFlag(t.get("is_sender"))
	if err != nil {
		return p.errorf(t.lineOf("is_sender"), "is_sender 应为 0 或 1：%q", t.get("is_sender"))
	}
	sentAt, err := p.localOrUnixTime(t.get("CreateTime"))
	if err != nil {
		return p.errorf(t.lineOf("CreateTime"), "CreateTime 不是“2006-01-02 15:04:05”格式的时间：%q", t.get("CreateTime"))
	}
	room := t.get("room_name")
	if room == "" {
		return p.errorf(t.lineOf("room_name"), "room_name 为空，无法确定所属会话")
	}
	kind := model.ConversationDirect
	if strings.HasSuffix(room, "@chatroom") {
		kind = model.ConversationGroup
	}
	cs := p.conversation(room, kind, room)

	sender := t.get("talker")
	if isSender && (sender == "我" || sender == "") {
		sender = p.opts.SelfWxID
	}
	typeName := t.get("type_name")
	text := t.get("msg")
	msgKind, known := pyWxDumpKinds[typeName]
	if !known {
		msgKind = model.MessageOther
		text = joinNonEmpty(" ", "["+typeName+"]", text)
	}
	if text == "" && msgKind != model.MessageText {
		text = "[" + typeName + "]"
	}
	if msgKind != model.MessageSystem && sender != "" {
		cs.participant(model.Participant{WxID: sender, IsSelf: isSender})
	}
	msg := &model.Message{
		SentAt:     sentAt,
		SenderWxID: sender,
		IsSelf:     isSender,
		Kind:       msgKind,
		Text:       text,
		SourceLine: t.line,
		Source:     model.SourcePosition{Seq: parseSeq(t.get("id"))},
	}
	if src := strings.TrimSpace(t.get("src")); src != "" {
		msg.Attachment = &model.Attachment{Name: path.Base(strings.ReplaceAll(src, `\`, "/")), Ref: src}
	}
	if id := strings.TrimSpace(t.get("MsgSvrID")); id != "" && id != "0" {
		if _, err := strconv.ParseUint(id, 10, 64); err != nil {
			return p.errorf(t.lineOf("MsgSvrID"), "MsgSvrID 不是数字：%q", id)
		}
		msg.Key = "wxsvr:" + id
	}
	return p.send(cs, msg)
}

// localOrUnixTime reads "2006-01-02 15:04:05" in the configured zone, or a
// Unix timestamp.
func (p *parser) localOrUnixTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if at, err := time.ParseInLocation(time.DateTime, s, p.loc); err == nil {
		return at, nil
	}
	if at, err := time.Parse(time.RFC3339, s); err == nil {
		return at, nil
	}
	return parseUnix(s)
}
