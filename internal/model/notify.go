package model

import "time"

// Notification is one entry of a user's notification centre.
type Notification struct {
	ID, UserID                  int64
	Kind                        string // one of the Notify* constants
	Title                       string // short Chinese line, e.g. "期限今日到期：上诉期"
	Body                        string
	Link                        string    // path inside lvxin, e.g. "/matters/12"
	MatterID                    int64     // 0 when not about a matter; the bell hides it from users who may not see the matter
	CreatedAt, ReadAt, PushedAt time.Time // zero = not yet
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
