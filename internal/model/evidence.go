package model

import "time"

// EvidenceItem is one preserved file: what the lawyer says about it, its
// digests and its place in the evidence log.
type EvidenceItem struct {
	ID       int64
	LogIndex int64 // position of its entry in the evidence log
	Title    string
	// MatterID links the item to a matter of the client book (0: not
	// linked); it decides who may see the item.
	MatterID int64
	// MatterRef is the matter as text: the linked matter's label, or free
	// text (案号, client) for evidence with no matter yet.
	MatterRef string
	// Source: who provided it, how and when it was collected, on which device.
	SourceProvider string
	SourceMethod   string
	CollectedAt    string // free text, e.g. "2025-03-01 微信聊天导出"
	SourceDevice   string
	Purpose        string // 证明目的
	FormedAt       string // 形成时间, free text
	FileName       string // original file name
	MediaType      string
	SHA256         string // lowercase hex; also the blob's name
	SM3            string // lowercase hex
	Size           int64
	// Warnings are the originality checks' findings, in Chinese.
	Warnings    []string
	AddedByID   int64  // 0 when added from the command line
	AddedBy     string // username or ActorCLI
	AddedAt     time.Time
	Submissions []EvidenceSubmission
}

// Source renders the item's source in one line for lists and exports.
func (e *EvidenceItem) Source() string {
	s := e.SourceProvider
	for _, part := range []string{e.SourceMethod, e.CollectedAt, e.SourceDevice} {
		if part == "" {
			continue
		}
		if s != "" {
			s += "；"
		}
		s += part
	}
	return s
}

// EvidenceSubmission records that an item's digests were submitted to a
// court-connected 存证 platform or a notary.
type EvidenceSubmission struct {
	ID          int64
	ItemID      int64
	Platform    string // platform or notary office
	SubmittedOn string // YYYY-MM-DD
	Reference   string // the platform's certificate or receipt number
	RecordedBy  string
	RecordedAt  time.Time
}
