package model

import "time"

// Case group member types.
const (
	MemberStaff    = "staff"    // a member of the firm's WeCom
	MemberExternal = "external" // a WeChat user outside the firm
)

// CaseGroup is a WeCom customer group (案件群) synced into lvxin.
type CaseGroup struct {
	ID          int64
	ChatID      string
	Name        string
	OwnerUserID string // the owner's WeCom userid
	LawyerID    int64  // the owner as a lvxin user; 0 when unknown
	MatterID    int64  // 0 while not linked to a matter
	Members     []CaseGroupMember
	DismissedAt time.Time // zero while the group exists
	SyncedAt    time.Time
}

// CaseGroupMember is one member of a case group.
type CaseGroupMember struct {
	MemberID string // WeCom userid or external_userid
	Type     string // MemberStaff or MemberExternal
	Name     string
	// Kept: the lawyer confirmed the member belongs (e.g. a party's
	// representative), so the member review no longer lists it.
	Kept bool
}

// GroupNotice is an important notice posted into a case group, confirmed
// read by each member on a public page addressed by Token.
type GroupNotice struct {
	ID        int64
	GroupID   int64
	Title     string
	Body      string
	Token     string
	CreatedBy int64
	CreatedAt time.Time
	Reads     []NoticeRead
}

// NoticeRead is one member's 确认已读.
type NoticeRead struct {
	Name        string
	ConfirmedAt time.Time
}
