package chatexport

import (
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/lvxin/lvxin/internal/model"
)

// WeChatMsg (留痕) TXT export: one chat per file, each message a block
//
//	2024-03-01 10:00:00 张三
//	content line 1
//	content line 2
//	(blank line)
//
// A header is "YYYY-MM-DD HH:MM:SS name" at the start of the file or after a
// blank line; everything up to the next header is the content (blank lines
// inside it are kept, trailing ones dropped). Media appear as placeholders
// ("[图片]"). The file names no ids: the conversation key is
// Options.ConversationKey or the file's base name, senders are matched by
// display name, and own messages are those by Options.SelfName or "我".

func (p *parser) parseWeChatMsgTXT(r io.Reader) error {
	base := strings.TrimSuffix(filepath.Base(p.name), filepath.Ext(p.name))
	key := p.opts.ConversationKey
	if key == "" {
		key = "wechatmsg-txt:" + base
	}
	cs := p.conversation(key, model.ConversationDirect, firstNonEmpty(p.opts.ConversationTitle, base))
	b := &textBlocks{p: p, cs: cs}
	sc := newLineScanner(r)
	prevBlank := true
	for sc.scan() {
		line := sc.text()
		if err := p.checkUTF8(sc.line, "文本", line); err != nil {
			return err
		}
		blank := strings.TrimSpace(line) == ""
		if prevBlank || b.cur == nil {
			if at, name, ok := p.parseTXTHeader(line); ok {
				if err := b.flush(); err != nil {
					return err
				}
				b.start(sc.line, at, name)
				prevBlank = false
				continue
			}
		}
		switch {
		case b.cur != nil:
			b.lines = append(b.lines, line)
		case !blank:
			p.skip(sc.line, "第一条消息之前的内容，不属于任何消息："+truncate(line, 40))
		}
		prevBlank = blank
	}
	if err := p.scanErr(sc); err != nil {
		return err
	}
	return b.flush()
}

// parseTXTHeader reads "2006-01-02 15:04:05 name".
func (p *parser) parseTXTHeader(line string) (time.Time, string, bool) {
	if len(line) < 21 || line[19] != ' ' || !looksLikeDateTime(line[:19]) {
		return time.Time{}, "", false
	}
	name := strings.TrimSpace(line[20:])
	if name == "" {
		return time.Time{}, "", false
	}
	at, err := time.ParseInLocation(time.DateTime, line[:19], p.loc)
	if err != nil {
		return time.Time{}, "", false
	}
	return at, name, true
}

// looksLikeDateTime checks the "dddd-dd-dd dd:dd:dd" shape without a regexp.
func looksLikeDateTime(s string) bool {
	const shape = "dddd-dd-dd dd:dd:dd"
	if len(s) != len(shape) {
		return false
	}
	for i := range len(shape) {
		if shape[i] == 'd' {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		} else if s[i] != shape[i] {
			return false
		}
	}
	return true
}

// textBlocks collects the content lines of the message being read in the
// text formats and emits it when the next header (or the end) comes.
type textBlocks struct {
	p     *parser
	cs    *convState
	cur   *model.Message
	lines []string
}

func (b *textBlocks) start(line int, at time.Time, name string) {
	self := b.p.isSelf("", name) || name == "我"
	b.cur = &model.Message{SentAt: at, SenderName: name, IsSelf: self, SourceLine: line}
	b.lines = b.lines[:0]
	b.cs.participant(model.Participant{Nickname: name, IsSelf: self})
	b.cs.groupIfCrowded()
}

func (b *textBlocks) flush() error {
	if b.cur == nil {
		return nil
	}
	for len(b.lines) > 0 && strings.TrimSpace(b.lines[len(b.lines)-1]) == "" {
		b.lines = b.lines[:len(b.lines)-1]
	}
	for len(b.lines) > 0 && strings.TrimSpace(b.lines[0]) == "" {
		b.lines = b.lines[1:]
	}
	content := classifyPlaceholder(strings.Join(b.lines, "\n"))
	msg := b.cur
	b.cur = nil
	msg.Kind, msg.Text, msg.Attachment = content.kind, content.text, content.att
	return b.p.send(b.cs, msg)
}

// truncate shortens s to n runes for messages.
func truncate(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}
