package model

import "time"

// ConversationKind says whether a conversation is one-to-one or a group chat.
type ConversationKind string

// Conversation kinds.
const (
	ConversationDirect ConversationKind = "direct"
	ConversationGroup  ConversationKind = "group"
)

// Participant is one person in a conversation as the export shows them.
type Participant struct {
	WxID     string // 微信号 or wxid_… (WeCom: userid / external_userid)
	Nickname string // 昵称
	Remark   string // 备注名
	Avatar   string // avatar URL or local file reference, if the export has one
	IsSelf   bool   // the account that produced the export
	// ContactID is the client-book contact a user mapped this participant
	// to (0: not mapped); ContactName is that contact's name.
	ContactID   int64
	ContactName string
}

// DisplayName is how a participant is named to a reader: the mapped
// contact, else the remark, the nickname or the id; "未知" when the export
// named nobody.
func (p Participant) DisplayName() string {
	for _, n := range []string{p.ContactName, p.Remark, p.Nickname, p.WxID} {
		if n != "" {
			return n
		}
	}
	return "未知"
}

// Conversation is a one-to-one chat or a group chat.
type Conversation struct {
	ID           int64
	Key          string // stable key from the export: talker wxid or chat room id
	Kind         ConversationKind
	Title        string // group name or the other party's display name
	Participants []Participant
}

// MessageKind classifies a chat message.
type MessageKind string

// Message kinds. Media whose bytes are not in the export are kept as
// references (Attachment.Ref) and never dropped.
const (
	MessageText    MessageKind = "text"
	MessageImage   MessageKind = "image"
	MessageVoice   MessageKind = "voice"
	MessageVideo   MessageKind = "video"
	MessageFile    MessageKind = "file"
	MessageLink    MessageKind = "link"
	MessageSticker MessageKind = "sticker"
	MessageSystem  MessageKind = "system"
	MessageRevoke  MessageKind = "revoke"
	MessageOther   MessageKind = "other"
)

// Attachment is a media item a message refers to.
type Attachment struct {
	Name   string // file name as in the export
	Ref    string // path or URL as written in the export
	BlobID string // SHA-256 of the bytes in the blob store, once stored
	Size   int64
}

// Message is one chat message.
type Message struct {
	ID             int64
	Key            string // stable de-duplication key, same across re-imports and overlapping exports
	ConversationID int64
	SentAt         time.Time // UTC
	SenderWxID     string
	SenderName     string
	IsSelf         bool
	Kind           MessageKind
	Text           string // text content, or a description for media and system messages
	Attachment     *Attachment
	SourceLine     int   // line (or record) in the source file, for error reports and court printouts
	ImportID       int64 // the import (model.ChatImport) that stored it; 0 before it is stored
	Source         SourcePosition
}

// SourcePosition is where a message sits in its source export, so a court
// printout can mark where the source itself is incomplete.
type SourcePosition struct {
	Seq    int64 // the export's own sequence number (WeChatMsg localId, chatlog seq, PyWxDump id, WeCom seq); 0: none
	Record int   // physical record number in the file, 1-based (skipped records count too)
	// GapMissing is how many sequence numbers are missing between the
	// previous record of the same conversation in the file (sequence
	// GapPrevSeq) and this one, after taking away the records of other
	// conversations the file has in between; 0: no jump.
	GapMissing int64
	GapPrevSeq int64
}

// SkippedRecord is a well-formed record an import did not turn into a
// message, and why.
type SkippedRecord struct {
	Record int
	Line   int
	Reason string
}

// ChatImport records one imported export file and what it brought.
type ChatImport struct {
	ID         int64
	FileName   string
	Format     string
	SHA256     string // of the export file as imported (kept in the blob store)
	Size       int64
	ClientID   int64 // 0 when not assigned
	MatterID   int64 // 0 when not assigned
	New        int   // messages added
	Duplicate  int   // messages already present (re-import, overlapping export)
	Skipped    int   // parts of the file that produced no message (see the parser's reasons)
	ImportedAt time.Time
	ImportedBy string
	SelfWxID   string // the exporting account, when the importer named it
}

// ConversationSummary is a conversation with its extent, for lists.
type ConversationSummary struct {
	Conversation // Title is the name users gave it, else the export's title
	// ExportTitle is the title the export files gave the conversation
	// (imports keep it current); Renamed reports a user-given name.
	ExportTitle string
	Renamed     bool
	ClientID    int64
	MatterID    int64
	Messages    int
	FirstAt     time.Time
	LastAt      time.Time
	// LastMessageID orders the chat list (message ids are time-ordered).
	LastMessageID int64
}

// ChatArchive records one monthly encrypted archive (归档).
type ChatArchive struct {
	ID         int64
	Month      string // YYYY-MM
	Recipients []string
	BlobSHA256 string // SHA-256 of the encrypted archive (in the blob store when produced by the server)
	Size       int64
	Messages   int
	CreatedAt  time.Time
	CreatedBy  string
}
