package model

import "time"

// DocumentClass is how confidential a document sent to a client is.
type DocumentClass string

// Document classifications. Confidential documents and trade secrets go
// only to recipients with a signed NDA on record for the matter.
const (
	ClassOrdinary     DocumentClass = "ordinary"     // 普通
	ClassConfidential DocumentClass = "confidential" // 保密
	ClassTradeSecret  DocumentClass = "trade_secret" // 商业秘密
)

// DocumentClasses lists the classifications in display order.
var DocumentClasses = []DocumentClass{ClassOrdinary, ClassConfidential, ClassTradeSecret}

// Valid reports whether c is a known classification.
func (c DocumentClass) Valid() bool {
	return c == ClassOrdinary || c == ClassConfidential || c == ClassTradeSecret
}

// NeedsNDA reports whether a document of this class may only go to a
// recipient with a signed NDA on record.
func (c DocumentClass) NeedsNDA() bool { return c == ClassConfidential || c == ClassTradeSecret }

// Label is the classification's name in the UI.
func (c DocumentClass) Label() string {
	switch c {
	case ClassOrdinary:
		return "普通"
	case ClassConfidential:
		return "保密"
	case ClassTradeSecret:
		return "商业秘密"
	}
	return string(c)
}

// Document is a file of a matter kept to be sent to its clients
// (文件安全传输). The file is a blob, encrypted at rest, named by SHA256.
type Document struct {
	ID             int64
	MatterID       int64
	Title          string
	FileName       string
	MediaType      string
	Classification DocumentClass
	SHA256         string
	Size           int64
	UploadedByID   int64
	UploadedBy     string
	UploadedAt     time.Time
}

// NDA is a signed non-disclosure agreement (保密协议) on record for one
// recipient of one matter, with the signed copy as a blob.
type NDA struct {
	ID           int64
	MatterID     int64
	Recipient    string // the person or organisation who signed
	SignedOn     string // YYYY-MM-DD
	FileName     string
	SHA256       string
	Size         int64
	RecordedByID int64
	RecordedBy   string
	RecordedAt   time.Time
}

// Delivery is one expiring, single-recipient link to a document.
type Delivery struct {
	ID         int64
	DocumentID int64
	MatterID   int64
	Recipient  string
	NDAID      int64  // the NDA that allowed it; 0 for an ordinary document
	NonceHash  string // SHA-256 of the token's random part
	CodeHash   string // HMAC of the access code; "" when none
	Watermark  bool
	// FileSHA256 and FileSize are what the recipient downloads: the
	// document itself, or its copy watermarked with the recipient's name.
	FileSHA256        string
	FileSize          int64
	IssuedByID        int64
	IssuedBy          string
	SentAt            time.Time
	ExpiresAt         time.Time
	RevokedAt         time.Time // zero while live
	RevokedBy         string
	FirstOpenedAt     time.Time
	FirstDownloadedAt time.Time
	ConfirmedAt       time.Time // 确认收悉; zero until confirmed
	ConfirmedName     string    // the name the recipient confirmed with
	CodeFailures      int       // consecutive wrong access codes
	CodeLockedUntil   time.Time
	RemindedAt        time.Time // when the unconfirmed reminder went out
	EvidenceID        int64     // the proof of service preserved as evidence; 0 when not yet
}

// Live reports whether the link still opens at now.
func (d *Delivery) Live(now time.Time) bool { return d.RevokedAt.IsZero() && now.Before(d.ExpiresAt) }

// DeliveryEvent kinds.
const (
	DeliveryOpened     = "open"
	DeliveryDownloaded = "download"
	DeliveryBadCode    = "bad_code"
	DeliveryConfirmed  = "confirm"
	DeliveryRevoked    = "revoke"
)

// DeliveryEvent is one open, download, wrong code, confirmation or
// revocation of a link, with where it came from.
type DeliveryEvent struct {
	ID         int64
	DeliveryID int64
	Kind       string
	At         time.Time
	IP         string
	UserAgent  string
	Detail     string
}

// Label is the event's name in the UI.
func (e DeliveryEvent) Label() string {
	switch e.Kind {
	case DeliveryOpened:
		return "打开链接"
	case DeliveryDownloaded:
		return "下载文件"
	case DeliveryBadCode:
		return "访问码错误"
	case DeliveryConfirmed:
		return "确认收悉"
	case DeliveryRevoked:
		return "撤回链接"
	}
	return e.Kind
}
