package model

import (
	"fmt"
	"time"
)

// ContactKind says whether a contact is a natural person or an organisation.
type ContactKind string

// Contact kinds.
const (
	ContactPerson ContactKind = "person"
	ContactOrg    ContactKind = "org"
)

// Valid reports whether k is a known contact kind.
func (k ContactKind) Valid() bool { return k == ContactPerson || k == ContactOrg }

// Label is the kind's name in the UI and in CSV/XLSX files.
func (k ContactKind) Label() string {
	switch k {
	case ContactPerson:
		return "个人"
	case ContactOrg:
		return "机构"
	}
	return string(k)
}

// Contact is one entry of the client book (联系人): a person or an organisation
// the firm has dealt with, whether or not it became a client.
type Contact struct {
	ID                  int64
	Kind                ContactKind
	Name                string
	WeChatID            string // 微信号
	WeComExternalUserID string // 企业微信 external_userid
	Phone               string
	Email               string
	Organization        string // 单位
	USCC                string // 统一社会信用代码 (organisations)
	IDNumber            string // 居民身份证号 (persons)
	Notes               string
	Source              string // how the contact came in: import file, WeCom, manual ...
	Avatar              string // avatar URL or blob reference
	Tags                []string
	Starred             bool
	LastReviewedAt      time.Time // zero when never reviewed
	ReviewedBy          int64     // user id of the last reviewer; 0 when never reviewed
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// MatterType is the kind of work a matter is.
type MatterType string

// Matter types.
const (
	MatterCivil          MatterType = "民事"
	MatterCommercial     MatterType = "商事"
	MatterLabor          MatterType = "劳动"
	MatterAdministrative MatterType = "行政"
	MatterCriminal       MatterType = "刑事"
	MatterNonLitigation  MatterType = "非诉"
	MatterRetainer       MatterType = "常年法律顾问"
)

// MatterTypes lists every matter type in display order.
var MatterTypes = []MatterType{
	MatterCivil, MatterCommercial, MatterLabor, MatterAdministrative,
	MatterCriminal, MatterNonLitigation, MatterRetainer,
}

// Valid reports whether t is a known matter type.
func (t MatterType) Valid() bool {
	for _, known := range MatterTypes {
		if t == known {
			return true
		}
	}
	return false
}

// Label is the type's name in the UI (the stored value is already Chinese).
func (t MatterType) Label() string { return string(t) }

// MatterStatus is where a matter stands in its life:
// 咨询 → 委托 → 办理中 → 结案 → 归档.
type MatterStatus string

// Matter statuses, in life-cycle order.
const (
	MatterConsulting MatterStatus = "consulting"
	MatterEngaged    MatterStatus = "engaged"
	MatterInProgress MatterStatus = "in_progress"
	MatterClosed     MatterStatus = "closed"
	MatterArchived   MatterStatus = "archived"
)

// MatterStatuses lists every status in life-cycle order.
var MatterStatuses = []MatterStatus{
	MatterConsulting, MatterEngaged, MatterInProgress, MatterClosed, MatterArchived,
}

// Valid reports whether s is a known status.
func (s MatterStatus) Valid() bool { return s.Rank() >= 0 }

// Rank is the status's position in the life cycle (0 for 咨询), or -1 when unknown.
func (s MatterStatus) Rank() int {
	for i, known := range MatterStatuses {
		if s == known {
			return i
		}
	}
	return -1
}

// Label is the status's name in the UI.
func (s MatterStatus) Label() string {
	switch s {
	case MatterConsulting:
		return "咨询"
	case MatterEngaged:
		return "委托"
	case MatterInProgress:
		return "办理中"
	case MatterClosed:
		return "结案"
	case MatterArchived:
		return "归档"
	}
	return string(s)
}

// Matter is a case or a piece of non-contentious work (案件/事项).
type Matter struct {
	ID            int64
	Title         string
	Type          MatterType
	CaseNumber    string // 案号, normalised by internal/casenum; empty when none yet
	Court         string
	Status        MatterStatus
	EngagedOn     time.Time // zero when not engaged yet
	ClosedOn      time.Time // zero while open
	LeadLawyerID  int64
	AssistantIDs  []int64
	SharedWithIDs []int64
	Parties       []Party
	CreatedAt     time.Time
}

// PartyRole is a party's side in a matter.
type PartyRole string

// Party roles.
const (
	PartyClient   PartyRole = "client"   // 委托人
	PartyOpposing PartyRole = "opposing" // 对方当事人
	PartyThird    PartyRole = "third"    // 第三人
	PartyOther    PartyRole = "other"    // 其他
)

// Valid reports whether r is a known party role.
func (r PartyRole) Valid() bool {
	return r == PartyClient || r == PartyOpposing || r == PartyThird || r == PartyOther
}

// Label is the role's name in the UI.
func (r PartyRole) Label() string {
	switch r {
	case PartyClient:
		return "委托人"
	case PartyOpposing:
		return "对方当事人"
	case PartyThird:
		return "第三人"
	case PartyOther:
		return "其他"
	}
	return string(r)
}

// Party is a person or organisation taking part in a matter (当事人).
type Party struct {
	ID        int64
	MatterID  int64
	ContactID int64 // 0 when the party is not in the client book
	Name      string
	Kind      ContactKind
	Role      PartyRole
	USCC      string
	IDNumber  string
	Phone     string
}

// Consultation is one consultation (咨询) with a prospective or existing client.
type Consultation struct {
	ID        int64
	ContactID int64
	LawyerID  int64
	Channel   string // 微信, 企业微信, 电话, 面谈 ...
	Topic     string
	Source    string // how the person found the firm
	Free      bool
	StartedAt time.Time
	EndedAt   time.Time // zero while ongoing
	MatterID  int64     // the matter it was converted into; 0 when not converted
}

// ConflictDecision records what the firm decided after a conflict check.
type ConflictDecision string

// Conflict decisions. A waiver needs a written reason.
const (
	ConflictNone     ConflictDecision = "no-conflict"
	ConflictWaived   ConflictDecision = "waived"
	ConflictDeclined ConflictDecision = "declined"
)

// Valid reports whether d is a known decision.
func (d ConflictDecision) Valid() bool {
	return d == ConflictNone || d == ConflictWaived || d == ConflictDeclined
}

// NeedsReason reports whether the decision must carry a written reason.
func (d ConflictDecision) NeedsReason() bool { return d == ConflictWaived }

// Label is the decision's name in the UI.
func (d ConflictDecision) Label() string {
	switch d {
	case ConflictNone:
		return "无冲突"
	case ConflictWaived:
		return "存在冲突，已豁免"
	case ConflictDeclined:
		return "存在冲突，拒绝委托"
	}
	return string(d)
}

// LawyerProfile is a lawyer's professional identity (专业形象): the WeChat
// nickname and signature the firm's conventions are checked against, and
// what the lawyer's contact card shows.
type LawyerProfile struct {
	UserID        int64
	Name          string // real name as on the card
	Nickname      string // 微信昵称
	Signature     string // 个性签名
	FirmAbbrev    string // 律所简称, e.g. 某某律所
	FirmName      string // full firm name, e.g. 北京市某某律师事务所
	Title         string // 律师, 合伙人 ...
	Phone         string
	WorkPhone     string
	Email         string
	WeChatID      string
	LicenseNumber string // 执业证号
	PracticeAreas []string
	UpdatedAt     time.Time // zero when never saved
}

// Ref is the label that names a matter wherever a record points to it
// (deadlines, evidence, the matter picker): "#<id> <案号> <title>". The
// evidence log records it when a file is preserved under the matter.
func (m *Matter) Ref() string {
	if m.CaseNumber != "" {
		return fmt.Sprintf("#%d %s %s", m.ID, m.CaseNumber, m.Title)
	}
	return fmt.Sprintf("#%d %s", m.ID, m.Title)
}
