package model

import "time"

// Notification is one entry of a user's notification centre (the bell).
// Workflows post them; the web shows them; a pusher may also deliver them
// to the phone (WeCom app message).
type Notification struct {
	ID     int64
	UserID int64
	Kind   string // one of the Notify* constants
	Title  string // short Chinese line, e.g. "期限今日到期：上诉期"
	Body   string
	Link   string // a path inside lvxin, e.g. "/matters/12"
	// MatterID is the matter the notification is about (0 when none).
	// The bell hides it from a user who may no longer see that matter.
	MatterID int64
	// DedupKey, when set, makes posting idempotent per user: a second
	// notification with the same key is dropped (periodic jobs use it).
	DedupKey  string
	CreatedAt time.Time
	ReadAt    time.Time // zero while unread
	PushedAt  time.Time // zero until pushed to the phone
}

// Notification kinds.
const (
	NotifyDeadlineDue         = "deadline.due"
	NotifyCalendarChanged     = "calendar.changed"
	NotifyAssigned            = "assigned"
	NotifyReceiptConfirmed    = "delivery.confirmed"
	NotifyDeliveryUnconfirmed = "delivery.unconfirmed"
	NotifyUrgentMessage       = "inbox.urgent"
	NotifyInboxMessage        = "inbox.message"
	NotifySecurity            = "security"
)

// NotifyKindLabel is the kind's name in the UI.
func NotifyKindLabel(kind string) string {
	switch kind {
	case NotifyDeadlineDue:
		return "期限到期"
	case NotifyCalendarChanged:
		return "日历变更"
	case NotifyAssigned:
		return "分配给我"
	case NotifyReceiptConfirmed:
		return "已确认收悉"
	case NotifyDeliveryUnconfirmed:
		return "未确认收悉"
	case NotifyUrgentMessage:
		return "紧急消息"
	case NotifyInboxMessage:
		return "新消息"
	case NotifySecurity:
		return "安全"
	}
	return "通知"
}
