package model

import "time"

// InboxConversation is one client conversation of the message centre: a
// client (external user) writing to a kf account. It belongs to the lawyer
// the kf account is mapped to, and optionally to a matter.
type InboxConversation struct {
	ID             int64
	Channel        string
	OpenKFID       string
	ExternalUserID string
	ContactID      int64 // 0 when no contact of the client book carries the external user id
	MatterID       int64 // 0 while not linked to a matter
	LawyerID       int64 // 0 when no lawyer is mapped (admins see it)
	LastMessageAt  time.Time
	LastText       string
	// WaitingSince is when the oldest unanswered client message arrived;
	// zero when every client message has been answered.
	WaitingSince time.Time
	// AutoReplyPeriod is the start of the working period the last
	// off-hours auto-reply promised: one auto-reply per off-hours period.
	AutoReplyPeriod time.Time
	Unread          int
	CreatedAt       time.Time
}

// Message directions.
const (
	DirectionIn  = "in"
	DirectionOut = "out"
)

// Automatic messages (InboxMessage.Auto).
const (
	AutoOffHours = "off_hours"
)

// Outgoing message states (InboxMessage.Status).
const (
	SendSent   = "sent"
	SendPaused = "paused" // 已暂停: the emergency freeze held it back
	SendFailed = "failed"
)

// InboxMessage is one message of a conversation, in or out.
type InboxMessage struct {
	ID             int64
	ConversationID int64
	Direction      string
	MsgID          string // WeCom's id of an incoming message
	Kind           string
	Text           string
	SentAt         time.Time
	SenderID       int64  // the user who replied; 0 for clients and automatic replies
	Auto           string // "" or AutoOffHours
	Status         string // outgoing: SendSent, SendPaused, SendFailed
	Error          string // why sending failed
	Urgent         bool   // an incoming message with an urgent keyword
}

// InboxResponse is one answered wait: a client wrote at AskedAt and a
// person (not an auto-reply) answered at AnsweredAt, WorkingMinutes of the
// lawyer's working time later.
type InboxResponse struct {
	ConversationID int64
	LawyerID       int64
	AskedAt        time.Time
	AnsweredAt     time.Time
	WorkingMinutes int
}

// KFAccount maps a WeCom kf account to the lawyer whose conversations it
// carries.
type KFAccount struct {
	OpenKFID  string
	Name      string
	LawyerID  int64
	UpdatedAt time.Time
}

// DNDWindow is a daily do-not-disturb window (免打扰), HH:MM to HH:MM in
// Asia/Shanghai; End before Start crosses midnight.
type DNDWindow struct {
	Start, End string
}

// Welcome is a welcome message sent (or held back) for a new external
// contact; WelcomeCode is used once.
type Welcome struct {
	WelcomeCode    string
	StaffUserID    string
	ExternalUserID string
	LawyerID       int64
	Text           string
	Status         string
	Error          string
	At             time.Time
}
