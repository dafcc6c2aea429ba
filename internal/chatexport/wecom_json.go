package chatexport

import (
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// WeCom 会话内容存档 messages, as the Finance SDK returns them after
// decryption, one JSON object per line or in a JSON array:
//
//	{"msgid":"CAQQluDa4QUY0On2rYSAgAMgzPrShAE=","action":"send","from":"XuJinSheng",
//	 "tolist":["icefog"],"roomid":"","msgtime":1547087894783,"msgtype":"text",
//	 "text":{"content":"test"}}
//
// action is send, recall (msgtype revoke, revoke.pre_msgid) or switch (an
// enterprise-switch log with time and user, belonging to no chat: reported
// as skipped). roomid names a group chat; otherwise the chat is the pair of
// from and tolist[0]. msgtime is in milliseconds. Media bodies carry a
// sdkfileid, the handle to fetch the bytes through the SDK, kept as
// Attachment.Ref. The archive has ids, not names.

type wecomMessage struct {
	Seq      int64           `json:"seq"` // position in the archive, when the pulling tool keeps it
	MsgID    string          `json:"msgid"`
	Action   string          `json:"action"`
	From     string          `json:"from"`
	ToList   []string        `json:"tolist"`
	RoomID   string          `json:"roomid"`
	MsgTime  int64           `json:"msgtime"`
	MsgType  string          `json:"msgtype"`
	Time     int64           `json:"time"` // switch only
	User     string          `json:"user"` // switch only
	Text     *wecomText      `json:"text"`
	Image    *wecomMedia     `json:"image"`
	Voice    *wecomMedia     `json:"voice"`
	Video    *wecomMedia     `json:"video"`
	File     *wecomMedia     `json:"file"`
	Emotion  *wecomMedia     `json:"emotion"`
	Revoke   *wecomRevoke    `json:"revoke"`
	Agree    *wecomAgreement `json:"agree"`
	Disagree *wecomAgreement `json:"disagree"`
	Link     *wecomLink      `json:"link"`
	Card     *struct {
		CorpName string `json:"corpname"`
		UserID   string `json:"userid"`
	} `json:"card"`
	Location *struct {
		Address string  `json:"address"`
		Title   string  `json:"title"`
		Lat     float64 `json:"latitude"`
		Lng     float64 `json:"longitude"`
	} `json:"location"`
	Weapp *struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		DisplayName string `json:"displayname"`
	} `json:"weapp"`
	ChatRecord *struct {
		Title string `json:"title"`
	} `json:"chatrecord"`
	Mixed *struct {
		Item []struct {
			Type    string `json:"type"`
			Content string `json:"content"` // a JSON document of the item's body
		} `json:"item"`
	} `json:"mixed"`
}

type wecomText struct {
	Content string `json:"content"`
}

type wecomMedia struct {
	MD5Sum     string `json:"md5sum"`
	FileSize   int64  `json:"filesize"`
	VoiceSize  int64  `json:"voice_size"`
	ImageSize  int64  `json:"imagesize"`
	PlayLength int64  `json:"play_length"`
	SdkFileID  string `json:"sdkfileid"`
	FileName   string `json:"filename"`
	FileExt    string `json:"fileext"`
}

type wecomRevoke struct {
	PreMsgID string `json:"pre_msgid"`
}

type wecomAgreement struct {
	UserID    string `json:"userid"`
	AgreeTime int64  `json:"agree_time"`
}

type wecomLink struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	LinkURL     string `json:"link_url"`
}

func (p *parser) parseWeComJSON(r io.Reader) error {
	stream := p.newJSONStream(r)
	for {
		raw, line, ok, err := stream.next()
		if err != nil || !ok {
			return err
		}
		var m wecomMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return stream.fieldError(line, raw, err)
		}
		if err := p.wecomMessage(&m, raw, line); err != nil {
			return err
		}
	}
}

func (p *parser) wecomMessage(m *wecomMessage, raw json.RawMessage, line int) error {
	if m.Action == "switch" {
		p.skip(line, "切换企业日志（用户 "+m.User+"），不属于任何会话")
		return nil
	}
	if m.MsgID == "" {
		return p.errorf(line, "缺少 msgid")
	}
	if m.MsgTime <= 0 {
		return p.errorf(line, "msgtime 缺失或不是有效的毫秒时间戳")
	}
	if m.From == "" {
		return p.errorf(line, "缺少 from（发送者）")
	}
	cs := p.wecomConversation(m)
	cs.participant(model.Participant{WxID: m.From, IsSelf: p.isSelf(m.From, "")})
	for _, to := range m.ToList {
		cs.participant(model.Participant{WxID: to, IsSelf: p.isSelf(to, "")})
	}
	content := classifyWeCom(m, raw)
	return p.send(cs, &model.Message{
		Key:        "wecom:" + m.MsgID,
		SentAt:     time.UnixMilli(m.MsgTime),
		SenderWxID: m.From,
		IsSelf:     p.isSelf(m.From, ""),
		Kind:       content.kind,
		Text:       content.text,
		Attachment: content.att,
		SourceLine: line,
		Source:     model.SourcePosition{Seq: max(m.Seq, 0)},
	})
}

// wecomConversation: a group by roomid, otherwise the sorted pair of ids,
// so both directions of a one-to-one chat land in one conversation.
func (p *parser) wecomConversation(m *wecomMessage) *convState {
	if m.RoomID != "" {
		return p.conversation("wecom:room:"+m.RoomID, model.ConversationGroup, m.RoomID)
	}
	pair := []string{m.From}
	if len(m.ToList) > 0 {
		pair = append(pair, m.ToList[0])
	}
	slices.Sort(pair)
	title := pair[0]
	for _, id := range pair {
		if !p.isSelf(id, "") {
			title = id
		}
	}
	return p.conversation("wecom:direct:"+strings.Join(pair, "|"), model.ConversationDirect, title)
}

// classifyWeCom turns a message body into kind, text and reference.
func classifyWeCom(m *wecomMessage, raw json.RawMessage) wechatContent {
	switch {
	case m.MsgType == "text" && m.Text != nil:
		return wechatContent{kind: model.MessageText, text: m.Text.Content}
	case m.MsgType == "markdown" && m.Text != nil:
		return wechatContent{kind: model.MessageText, text: m.Text.Content}
	case m.MsgType == "image" && m.Image != nil:
		return wecomMediaContent(model.MessageImage, "[图片]", m.Image)
	case m.MsgType == "voice" && m.Voice != nil:
		return wecomMediaContent(model.MessageVoice, "[语音 "+strconv.FormatInt(m.Voice.PlayLength, 10)+" 秒]", m.Voice)
	case m.MsgType == "video" && m.Video != nil:
		return wecomMediaContent(model.MessageVideo, "[视频]", m.Video)
	case m.MsgType == "emotion" && m.Emotion != nil:
		return wecomMediaContent(model.MessageSticker, "[表情]", m.Emotion)
	case m.MsgType == "file" && m.File != nil:
		return wecomMediaContent(model.MessageFile, "[文件] "+m.File.FileName, m.File)
	case m.MsgType == "revoke" && m.Revoke != nil:
		return wechatContent{kind: model.MessageRevoke, text: "撤回了消息 " + m.Revoke.PreMsgID}
	case m.MsgType == "agree" && m.Agree != nil:
		return wechatContent{kind: model.MessageSystem, text: m.Agree.UserID + " 同意会话内容存档"}
	case m.MsgType == "disagree" && m.Disagree != nil:
		return wechatContent{kind: model.MessageSystem, text: m.Disagree.UserID + " 不同意会话内容存档"}
	case m.MsgType == "link" && m.Link != nil:
		text := joinNonEmpty("\n", joinNonEmpty("\n", m.Link.Title, m.Link.Description), m.Link.LinkURL)
		c := wechatContent{kind: model.MessageLink, text: text}
		if m.Link.LinkURL != "" {
			c.att = &model.Attachment{Name: m.Link.Title, Ref: m.Link.LinkURL}
		}
		return c
	case m.MsgType == "weapp" && m.Weapp != nil:
		return wechatContent{kind: model.MessageLink, text: joinNonEmpty("\n", "[小程序] "+m.Weapp.DisplayName+" "+m.Weapp.Title, m.Weapp.Description)}
	case m.MsgType == "card" && m.Card != nil:
		return wechatContent{kind: model.MessageOther, text: "[名片] " + m.Card.CorpName + " " + m.Card.UserID}
	case m.MsgType == "location" && m.Location != nil:
		return wechatContent{kind: model.MessageOther, text: "[位置] " + joinNonEmpty(" ", m.Location.Title, m.Location.Address)}
	case m.MsgType == "chatrecord" && m.ChatRecord != nil:
		return wechatContent{kind: model.MessageOther, text: "[聊天记录] " + m.ChatRecord.Title + "\n" + string(raw)}
	case m.MsgType == "mixed" && m.Mixed != nil:
		return classifyWeComMixed(m)
	}
	// Unknown or body-less types keep the whole raw object.
	return wechatContent{kind: model.MessageOther, text: "[" + m.MsgType + "] " + string(raw)}
}

func wecomMediaContent(kind model.MessageKind, text string, media *wecomMedia) wechatContent {
	ref := media.SdkFileID
	if ref == "" && media.MD5Sum != "" {
		ref = refMD5 + media.MD5Sum
	}
	size := max(media.FileSize, media.VoiceSize, media.ImageSize)
	c := wechatContent{kind: kind, text: text}
	if ref != "" {
		c.att = &model.Attachment{Name: media.FileName, Ref: ref, Size: size}
	}
	return c
}

// classifyWeComMixed joins the items of a mixed (图文混排) message. Its text
// parts become the text; media parts are listed by their sdkfileid so none
// is dropped, and the first becomes the attachment.
func classifyWeComMixed(m *wecomMessage) wechatContent {
	c := wechatContent{kind: model.MessageText}
	var parts []string
	for _, item := range m.Mixed.Item {
		var body wecomMedia
		var text wecomText
		switch item.Type {
		case "text":
			if json.Unmarshal([]byte(item.Content), &text) == nil {
				parts = append(parts, text.Content)
				continue
			}
		case "image", "file", "video", "voice", "emotion":
			if json.Unmarshal([]byte(item.Content), &body) == nil {
				media := wecomMediaContent(model.MessageImage, "["+item.Type+"]", &body)
				if media.att != nil {
					parts = append(parts, "["+item.Type+" "+media.att.Ref+"]")
					if c.att == nil {
						c.att = media.att
					}
					continue
				}
			}
		}
		parts = append(parts, "["+item.Type+"] "+item.Content)
	}
	c.text = strings.Join(parts, "\n")
	return c
}
