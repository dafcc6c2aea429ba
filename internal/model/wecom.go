package model

import "time"

// WeCom (企业微信) events as the connector hands them to the message centre.
// The connector (internal/wecom) fills them from decrypted callbacks and
// from kf/sync_msg; the consumer never sees WeCom's wire shapes.

// Channels an InboundMessage can come through.
const (
	ChannelKF        = "kf"        // 微信客服, fetched with kf/sync_msg
	ChannelSimulator = "simulator" // lvxin wecom simulate: the message rides in the callback itself
)

// Message kinds of an InboundMessage (WeCom's msgtype values).
const (
	InboundText  = "text"
	InboundImage = "image"
	InboundVoice = "voice"
	InboundVideo = "video"
	InboundFile  = "file"
	InboundEvent = "event" // a kf event (enter_session …); Text holds the event type
	InboundOther = "other"
)

// InboundMessage is one message a client sent the firm.
type InboundMessage struct {
	Channel        string // ChannelKF or ChannelSimulator
	OpenKFID       string // the kf account (open_kfid) the client wrote to
	ExternalUserID string // the client's external_userid
	StaffUserID    string // the firm member's WeCom userid, when known (servicer)
	MsgID          string // WeCom's msgid; unique per message
	SentAt         time.Time
	Kind           string // InboundText, InboundImage …
	Text           string // the text, or a Chinese placeholder such as "[图片]"
	WelcomeCode    string // kf enter_session events carry one (valid 20 s, once)
}

// Changes of a ContactEvent (WeCom's ChangeType values).
const (
	ContactAdded     = "add_external_contact"
	ContactEdited    = "edit_external_contact"
	ContactDeleted   = "del_external_contact"
	ContactDeletedBy = "del_follow_user" // the client deleted the staff member
	ContactHalfAdded = "add_half_external_contact"
	ContactTransfer  = "transfer_fail"
)

// ContactEvent is a change of an external contact (客户联系).
type ContactEvent struct {
	Change         string // ContactAdded …
	StaffUserID    string // the firm member's WeCom userid
	ExternalUserID string
	WelcomeCode    string // add events only: send the welcome message within 20 s, once
	State          string // the 渠道 state of the contact-me QR code, when any
	At             time.Time
}

// GroupEvent is a change of a customer group (客户群).
type GroupEvent struct {
	ChatID       string
	Change       string // create, update, dismiss
	UpdateDetail string // for update: add_member, del_member, change_owner, change_name, change_notice
	JoinScene    int
	QuitScene    int
	MemChangeCnt int
	At           time.Time
}
