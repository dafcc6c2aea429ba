package model

import "time"

// InboundMessage is one message a client sent through WeCom (微信客服) or
// the simulator, as the wecom processor hands it to the message centre.
type InboundMessage struct {
	Channel        string // "kf" or "simulator"
	OpenKFID       string // the kf account the client wrote to
	ExternalUserID string // the client's external_userid
	MsgID          string // WeCom's message id (de-duplication)
	SentAt         time.Time
	Kind           string // "text", "image", …
	Text           string
}

// ContactEvent is a change of a staff member's external contacts
// (change_external_contact), e.g. a client added as a contact.
type ContactEvent struct {
	Change         string // "add_external_contact", …
	StaffUserID    string // the staff member's WeCom userid
	ExternalUserID string
	WelcomeCode    string // present on add events when a welcome message may be sent
	At             time.Time
}

// GroupEvent is a change of a customer group (change_external_chat).
type GroupEvent struct {
	ChatID       string
	Change       string // "create", "update", "dismiss"
	UpdateDetail string
	At           time.Time
}
