package chatexport

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/calendar"
	"github.com/lvxin/lvxin/internal/model"
)

// parser holds what every format's reader shares: the conversations found so
// far, the key counters, the statistics and the callback.
type parser struct {
	ctx   context.Context
	name  string
	opts  Options
	loc   *time.Location
	emit  EmitFunc
	stats Stats
	convs map[string]*convState
	// records counts the physical records so far (messages and skips).
	records int
	// seqInSecond: the sequence is a time sort key (Unix second × 1000 +
	// a counter), so only jumps within one second are gaps.
	seqInSecond bool
}

// convState is one conversation and what Parse needs to extend it.
type convState struct {
	conv         *model.Conversation
	participants map[string]int // index into conv.Participants by wxid, or "\x00"+nickname
	lastSecond   int64          // Unix second of the last hashed message
	prevSeq      int64          // source sequence of the conversation's previous record
	prevRecord   int            // and its record number
	occurrences  map[[sha256.Size]byte]int
	scratch      []byte // reused hash input
}

var shanghai = calendar.Shanghai

func newParser(ctx context.Context, name string, opts Options, emit EmitFunc) *parser {
	loc := opts.Location
	if loc == nil {
		loc = shanghai
	}
	return &parser{
		ctx: ctx, name: name, opts: opts, loc: loc, emit: emit,
		stats: Stats{Kinds: map[model.MessageKind]int{}},
		convs: map[string]*convState{},
	}
}

// errorf builds the *ParseError for a line of the current file.
func (p *parser) errorf(line int, format string, args ...any) error {
	reason := strings.ToValidUTF8(fmt.Sprintf(format, args...), "\uFFFD")
	return &ParseError{File: p.name, Line: line, Reason: reason}
}

// skip records a well-formed part of the input that yields no message.
func (p *parser) skip(line int, reason string) {
	p.records++
	p.stats.SkippedTotal++
	if len(p.stats.Skipped) < maxSkips {
		p.stats.Skipped = append(p.stats.Skipped, Skip{Record: p.records, Line: line, Reason: reason})
	}
}

// conversation returns the conversation with key, creating it on first use.
func (p *parser) conversation(key string, kind model.ConversationKind, title string) *convState {
	cs := p.convs[key]
	if cs == nil {
		cs = &convState{
			conv:         &model.Conversation{Key: key, Kind: kind, Title: title},
			participants: map[string]int{},
		}
		p.convs[key] = cs
		return cs
	}
	if cs.conv.Title == "" {
		cs.conv.Title = title
	}
	if kind == model.ConversationGroup {
		cs.conv.Kind = kind
	}
	return cs
}

// participant adds who to the conversation, or fills in the fields an
// earlier sighting of the same person left empty. People are matched by
// wxid, or by nickname when the format has no wxid.
func (cs *convState) participant(who model.Participant) {
	if who.WxID == "" && who.Nickname == "" {
		return
	}
	id := who.WxID
	if id == "" {
		id = "\x00" + who.Nickname
	}
	i, ok := cs.participants[id]
	if !ok {
		cs.participants[id] = len(cs.conv.Participants)
		cs.conv.Participants = append(cs.conv.Participants, who)
		return
	}
	known := &cs.conv.Participants[i]
	if known.Nickname == "" {
		known.Nickname = who.Nickname
	}
	if known.Remark == "" {
		known.Remark = who.Remark
	}
	if known.Avatar == "" {
		known.Avatar = who.Avatar
	}
	known.IsSelf = known.IsSelf || who.IsSelf
}

// otherParties counts the participants that are not the exporting account.
func (cs *convState) otherParties() int {
	n := 0
	for _, who := range cs.conv.Participants {
		if !who.IsSelf {
			n++
		}
	}
	return n
}

// groupIfCrowded turns a conversation into a group once more than two
// people speak, or more than one besides the exporting account when that
// account is known among the participants.
func (cs *convState) groupIfCrowded() {
	others := cs.otherParties()
	if others > 1 && (others < len(cs.conv.Participants) || others > 2) {
		cs.conv.Kind = model.ConversationGroup
	}
}

// isSelf reports whether wxid or name is the account given in Options.
func (p *parser) isSelf(wxid, name string) bool {
	return (p.opts.SelfWxID != "" && wxid == p.opts.SelfWxID) ||
		(p.opts.SelfName != "" && name == p.opts.SelfName)
}

// send checks a finished message, gives it a key if the format had no id,
// counts it and hands it to the callback.
func (p *parser) send(cs *convState, msg *model.Message) error {
	if msg.Key == "" && !p.opts.RefsOnly {
		msg.Key = cs.hashKey(msg)
	}
	msg.SentAt = msg.SentAt.UTC()
	// JSON formats keep raw objects of unknown types as text; a string that
	// encoding/json passed through undecoded may hold invalid bytes.
	for _, s := range []*string{&msg.Text, &msg.SenderName, &msg.SenderWxID} {
		if !utf8.ValidString(*s) {
			*s = strings.ToValidUTF8(*s, "\uFFFD")
		}
	}
	if a := msg.Attachment; a != nil && !(utf8.ValidString(a.Name) && utf8.ValidString(a.Ref)) {
		a.Name, a.Ref = strings.ToValidUTF8(a.Name, "\uFFFD"), strings.ToValidUTF8(a.Ref, "\uFFFD")
	}
	if msg.Kind == "" {
		msg.Kind = model.MessageOther
	}
	p.records++
	msg.Source.Record = p.records
	p.sequenceGap(cs, &msg.Source)
	p.stats.Messages++
	p.stats.Kinds[msg.Kind]++
	if p.stats.Messages%1024 == 0 {
		if err := p.ctx.Err(); err != nil {
			return err
		}
	}
	return p.emit(cs.conv, msg)
}

// sequenceGap notes in pos how many of the export's own sequence numbers
// are missing before it in its conversation: the jump from the
// conversation's previous record, less the records of other conversations
// (or skipped ones) the file has in between. Files are in sequence order;
// a step backwards is not a gap.
func (p *parser) sequenceGap(cs *convState, pos *model.SourcePosition) {
	seq := pos.Seq
	if seq <= 0 {
		return
	}
	prev, prevRecord := cs.prevSeq, cs.prevRecord
	cs.prevSeq, cs.prevRecord = seq, pos.Record
	if prev <= 0 || seq <= prev+1 {
		return
	}
	if p.seqInSecond && seq/1000 != prev/1000 {
		return
	}
	between := int64(pos.Record - prevRecord - 1)
	if p.seqInSecond {
		between = 0 // a per-conversation counter: other records do not use it
	}
	if missing := seq - prev - 1 - between; missing > 0 {
		pos.GapMissing, pos.GapPrevSeq = missing, prev
	}
}

// hashKey computes the "h:" key described in the package documentation.
func (cs *convState) hashKey(msg *model.Message) string {
	second := msg.SentAt.Unix()
	sender := msg.SenderWxID
	if sender == "" {
		sender = msg.SenderName
	}
	buf := binary.BigEndian.AppendUint64(cs.scratch[:0], uint64(second))
	for _, part := range []string{cs.conv.Key, sender, msg.Text} {
		buf = append(buf, part...)
		buf = append(buf, 0)
	}
	if msg.Attachment != nil {
		buf = append(buf, msg.Attachment.Ref...)
	}
	cs.scratch = buf
	digest := sha256.Sum256(buf)

	if cs.occurrences == nil {
		cs.occurrences = map[[sha256.Size]byte]int{}
	}
	if second != cs.lastSecond {
		clear(cs.occurrences)
		cs.lastSecond = second
	}
	n := cs.occurrences[digest]
	cs.occurrences[digest] = n + 1
	if n > 0 {
		digest = sha256.Sum256(binary.BigEndian.AppendUint64(digest[:], uint64(n)))
	}
	return "h:" + hex.EncodeToString(digest[:16])
}

// stripBOM returns a buffered reader positioned after a UTF-8 byte order
// mark, if the input starts with one.
func stripBOM(r io.Reader) *bufio.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(3); bytes.Equal(head, utf8BOM) {
		br.Discard(3)
	}
	return br
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// checkUTF8 rejects text that is not UTF-8 (typically a GBK export).
func (p *parser) checkUTF8(line int, field, value string) error {
	if utf8.ValidString(value) {
		return nil
	}
	return p.errorf(line, "%s 不是有效的 UTF-8 文本（文件可能是 GBK 编码，请另存为 UTF-8 后再导入）", field)
}

// lineScanner reads text line by line with CRLF removed and a generous
// line length limit; long lines are reported, not truncated.
type lineScanner struct {
	sc   *bufio.Scanner
	line int
}

func newLineScanner(r io.Reader) *lineScanner {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	return &lineScanner{sc: sc}
}

func (s *lineScanner) scan() bool {
	if !s.sc.Scan() {
		return false
	}
	s.line++
	return true
}

func (s *lineScanner) text() string { return strings.TrimSuffix(s.sc.Text(), "\r") }

func (p *parser) scanErr(s *lineScanner) error {
	if err := s.sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return p.errorf(s.line+1, "单行超过 16 MB，不是聊天导出文件")
		}
		return err
	}
	return nil
}
