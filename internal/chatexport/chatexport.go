package chatexport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
	_ "time/tzdata" // Asia/Shanghai must load on machines without a zoneinfo database

	"github.com/lvxin/lvxin/internal/model"
)

// Format names one export format.
type Format string

// The supported formats.
const (
	FormatWeChatMsgCSV  Format = "wechatmsg-csv"
	FormatWeChatMsgTXT  Format = "wechatmsg-txt"
	FormatChatlogJSON   Format = "chatlog-json"
	FormatChatlogCSV    Format = "chatlog-csv"
	FormatPyWxDumpCSV   Format = "pywxdump-csv"
	FormatWeComJSON     Format = "wecom-json"
	FormatForwardedText Format = "forwarded-text"
)

// Formats lists every supported format, in the order Detect tries them.
func Formats() []Format {
	return []Format{
		FormatWeChatMsgCSV, FormatWeChatMsgTXT, FormatChatlogJSON, FormatChatlogCSV,
		FormatPyWxDumpCSV, FormatWeComJSON, FormatForwardedText,
	}
}

// Sentinel errors.
var (
	// ErrUnknownFormat: Detect does not recognise the input, or Parse got a
	// format name it does not know.
	ErrUnknownFormat = errors.New("无法识别的聊天记录格式")
	// ErrMalformed: the input is of the format but broken; see *ParseError.
	ErrMalformed = errors.New("chatexport: malformed input")
)

// ParseError reports malformed input at a physical line of a file.
type ParseError struct {
	File   string // file name as given to Parse
	Line   int    // 1-based physical line (CSV records with quoted newlines count every line)
	Reason string // Simplified Chinese, names the field and what was expected
}

func (e *ParseError) Error() string {
	if e.Line <= 0 {
		return fmt.Sprintf("%s：%s", e.File, e.Reason)
	}
	return fmt.Sprintf("%s 第 %d 行：%s", e.File, e.Line, e.Reason)
}

// Unwrap makes errors.Is(err, ErrMalformed) true.
func (e *ParseError) Unwrap() error { return ErrMalformed }

// Options tell Parse what the file itself does not say.
type Options struct {
	// SelfWxID and SelfName identify the account that made the export, for
	// formats that do not mark own messages (WeCom, chatlog CSV, TXT formats).
	SelfWxID string
	SelfName string
	// Location is the time zone of local times in the file; nil means
	// Asia/Shanghai.
	Location *time.Location
	// ConversationKey and ConversationTitle name the conversation for formats
	// whose files hold one chat without naming it (WeChatMsg CSV/TXT,
	// forwarded text). Empty: derived from the file.
	ConversationKey   string
	ConversationTitle string
	// RefsOnly: the caller reads only the messages' attachment references
	// (the import's pass that looks for media files), so messages get no
	// Key.
	RefsOnly bool
}

// Skip is a well-formed part of the input that produced no message.
type Skip struct {
	Record int // physical record number: messages and skips are numbered together from 1
	Line   int
	Reason string
}

// SeqName names the export's own sequence number that a format carries in
// model.Message.Source.Seq ("" when the format has none).
func SeqName(f Format) string {
	switch f {
	case FormatWeChatMsgCSV:
		return "localId"
	case FormatChatlogJSON, FormatWeComJSON:
		return "seq"
	case FormatPyWxDumpCSV:
		return "id"
	}
	return ""
}

// SeqSharedAcrossChats reports whether a format's sequence numbers all the
// messages of the account (or of the enterprise, for WeCom) rather than one
// conversation: a jump in one conversation's numbers may then be messages
// of other conversations that the export does not contain.
func SeqSharedAcrossChats(f Format) bool {
	return f == FormatWeChatMsgCSV || f == FormatPyWxDumpCSV || f == FormatWeComJSON
}

// maxSkips bounds Stats.Skipped; SkippedTotal keeps counting past it.
const maxSkips = 1000

// Stats summarises one Parse call.
type Stats struct {
	Messages      int
	Conversations int
	Kinds         map[model.MessageKind]int // messages per kind
	Skipped       []Skip                    // the first 1000 skips
	SkippedTotal  int
}

// EmitFunc receives each parsed message. conv is the same pointer for every
// message of one conversation. Returning an error stops Parse with it.
type EmitFunc func(conv *model.Conversation, msg *model.Message) error

// Parse reads one export of the given format from r and calls emit for every
// message in file order. name is the file name used in error messages (and,
// for WeChatMsg TXT and forwarded text, to name the conversation when neither
// the file nor opts does). A malformed file yields a *ParseError; emit's own
// errors and ctx's are returned as they are.
func Parse(ctx context.Context, r io.Reader, name string, format Format, opts Options, emit EmitFunc) (Stats, error) {
	p := newParser(ctx, name, opts, emit)
	br := stripBOM(r)
	var err error
	switch format {
	case FormatWeChatMsgCSV:
		err = p.parseWeChatMsgCSV(br)
	case FormatWeChatMsgTXT:
		err = p.parseWeChatMsgTXT(br)
	case FormatChatlogJSON:
		err = p.parseChatlogJSON(br)
	case FormatChatlogCSV:
		err = p.parseChatlogCSV(br)
	case FormatPyWxDumpCSV:
		err = p.parsePyWxDumpCSV(br)
	case FormatWeComJSON:
		err = p.parseWeComJSON(br)
	case FormatForwardedText:
		err = p.parseForwardedText(br)
	default:
		return p.stats, fmt.Errorf("%w：不支持的格式 %q（支持：%v）", ErrUnknownFormat, format, Formats())
	}
	p.stats.Conversations = len(p.convs)
	return p.stats, err
}
