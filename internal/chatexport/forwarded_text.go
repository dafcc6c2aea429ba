package chatexport

import (
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/model"
)

// Forwarded chat records (合并转发的聊天记录) pasted as text. WeChat's copy of
// such a record looks like
//
//	张三和李四的聊天记录
//
//	张三 2024-03-01 10:00
//	您好，合同我看过了
//
//	李四 2024-03-01 10:02
//	[图片]
//
// Accepted:
//   - an optional title line ending in "的聊天记录" ("张三和李四的聊天记录",
//     "群聊的聊天记录"); "群聊的聊天记录" makes the conversation a group;
//   - optional date lines, alone or framed by dashes
//     ("—————  2024-03-01  —————", "2024年3月1日"), which set the date for
//     headers that carry only a time;
//   - message headers "NAME DATE TIME" or "NAME TIME", NAME and the time
//     separated by spaces or a tab, where DATE is 2024-03-01, 2024/3/1,
//     2024年3月1日 or 3月1日 (year from the last date line) and TIME is 10:00
//     or 10:00:05; a header with only a time must follow a blank line or a
//     date line and needs an earlier date;
//   - content: every line up to the next header, blank lines at either end
//     dropped; placeholders like "[图片]" mark media.
//
// Lines before the first header other than the title and date lines are
// reported as skipped. The record has minute resolution and no ids: keys
// are hashes (see the package documentation).

func (p *parser) parseForwardedText(r io.Reader) error {
	f := &forwardedState{p: p}
	sc := newLineScanner(r)
	prevBlank := true
	for sc.scan() {
		line := sc.text()
		if err := p.checkUTF8(sc.line, "文本", line); err != nil {
			return err
		}
		if err := f.line(sc.line, line, prevBlank); err != nil {
			return err
		}
		prevBlank = strings.TrimSpace(line) == ""
	}
	if err := p.scanErr(sc); err != nil {
		return err
	}
	if f.blocks == nil {
		return nil
	}
	return f.blocks.flush()
}

type forwardedState struct {
	p         *parser
	title     string
	seenText  bool        // a non-blank line was read
	date      time.Time   // from the last date line or full header, zero if none
	afterDate bool        // the previous non-blank line was a date line
	blocks    *textBlocks // nil until the first header
}

func (f *forwardedState) line(lineNo int, line string, prevBlank bool) error {
	trimmed := strings.TrimSpace(line)
	if trimmed == "" {
		if f.blocks != nil && f.blocks.cur != nil {
			f.blocks.lines = append(f.blocks.lines, "")
		}
		return nil
	}
	first := !f.seenText
	f.seenText = true
	if first && strings.HasSuffix(trimmed, "聊天记录") {
		f.title = trimmed
		return nil
	}
	if y, m, d, ok := parseDateLine(trimmed); ok {
		if y == 0 {
			y = f.date.Year()
		}
		if y > 0 {
			f.date = time.Date(y, time.Month(m), d, 0, 0, 0, 0, f.p.loc)
			f.afterDate = true
			return nil
		}
	}
	allowTimeOnly := prevBlank || f.afterDate || f.blocks == nil || f.blocks.cur == nil
	name, at, ok, err := f.header(lineNo, trimmed, allowTimeOnly)
	if err != nil {
		return err
	}
	f.afterDate = false
	if ok {
		if f.blocks == nil {
			f.blocks = &textBlocks{p: f.p, cs: f.conversation()}
		}
		if err := f.blocks.flush(); err != nil {
			return err
		}
		f.blocks.start(lineNo, at, name)
		return nil
	}
	if f.blocks == nil || f.blocks.cur == nil {
		f.p.skip(lineNo, "第一条消息之前的内容，不属于任何消息："+truncate(trimmed, 40))
		return nil
	}
	f.blocks.lines = append(f.blocks.lines, line)
	return nil
}

func (f *forwardedState) conversation() *convState {
	base := strings.TrimSuffix(filepath.Base(f.p.name), filepath.Ext(f.p.name))
	title := firstNonEmpty(f.p.opts.ConversationTitle, f.title, base)
	key := f.p.opts.ConversationKey
	if key == "" {
		key = "forwarded:" + firstNonEmpty(f.title, base)
	}
	kind := model.ConversationDirect
	if strings.HasPrefix(f.title, "群聊") {
		kind = model.ConversationGroup
	}
	return f.p.conversation(key, kind, title)
}

// header splits "NAME [DATE] TIME". It fails (ok false) for lines of another
// shape, and returns an error for a header whose date cannot be known.
func (f *forwardedState) header(lineNo int, s string, allowTimeOnly bool) (name string, at time.Time, ok bool, err error) {
	cut := strings.LastIndexAny(s, " \t")
	if cut <= 0 {
		return "", time.Time{}, false, nil
	}
	hour, minute, sec, ok := parseClock(s[cut+1:])
	if !ok {
		return "", time.Time{}, false, nil
	}
	rest := strings.TrimRight(s[:cut], " \t")
	y, m, d, hasDate := 0, 0, 0, false
	if dateCut := strings.LastIndexAny(rest, " \t"); dateCut > 0 {
		if y, m, d, hasDate = parseDate(rest[dateCut+1:]); hasDate {
			rest = strings.TrimRight(rest[:dateCut], " \t")
		}
	}
	name = rest
	if name == "" || utf8.RuneCountInString(name) > 64 {
		return "", time.Time{}, false, nil
	}
	switch {
	case hasDate && y == 0 && f.date.IsZero():
		return "", time.Time{}, false, f.p.errorf(lineNo, "消息时间“%s”没有年份，前文也没有日期行，无法确定日期", s[len(name):])
	case hasDate && y == 0:
		y = f.date.Year()
	case !hasDate && !allowTimeOnly:
		return "", time.Time{}, false, nil
	case !hasDate && f.date.IsZero():
		return "", time.Time{}, false, f.p.errorf(lineNo, "消息时间“%s”只有时刻，前文没有日期行，无法确定日期", s[len(name):])
	case !hasDate:
		y, m, d = f.date.Year(), int(f.date.Month()), f.date.Day()
	}
	at = time.Date(y, time.Month(m), d, hour, minute, sec, 0, f.p.loc)
	if at.Month() != time.Month(m) || at.Day() != d {
		return "", time.Time{}, false, f.p.errorf(lineNo, "日期不存在：%d-%02d-%02d", y, m, d)
	}
	f.date = time.Date(y, time.Month(m), d, 0, 0, 0, 0, f.p.loc)
	return name, at, true, nil
}

// parseDateLine reads a line that is only a date, possibly framed by dashes.
func parseDateLine(s string) (y, m, d int, ok bool) {
	s = strings.Trim(s, " \t-—－─=_")
	return parseDate(s)
}

// parseDate reads 2024-03-01, 2024/3/1, 2024年3月1日 or 3月1日 (y = 0).
func parseDate(s string) (y, m, d int, ok bool) {
	var parts []string
	if strings.Contains(s, "月") {
		s = strings.TrimSuffix(s, "日")
		var yearPart string
		if before, after, found := strings.Cut(s, "年"); found {
			yearPart, s = before, after
		}
		monthPart, dayPart, found := strings.Cut(s, "月")
		if !found {
			return 0, 0, 0, false
		}
		parts = []string{yearPart, monthPart, dayPart}
	} else {
		sep := "-"
		if strings.Contains(s, "/") {
			sep = "/"
		}
		parts = strings.Split(s, sep)
		if len(parts) != 3 {
			return 0, 0, 0, false
		}
	}
	nums := [3]int{}
	for i, part := range parts {
		if part == "" && i == 0 {
			continue // no year
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 || len(part) > 4 {
			return 0, 0, 0, false
		}
		nums[i] = n
	}
	y, m, d = nums[0], nums[1], nums[2]
	if (parts[0] != "" && (y < 1990 || y > 2200)) || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// parseClock reads 10:00 or 10:00:05.
func parseClock(s string) (hour, minute, sec int, ok bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, 0, false
	}
	var nums [3]int
	for i, part := range parts {
		if len(part) < 1 || len(part) > 2 || (i > 0 && len(part) != 2) {
			return 0, 0, 0, false
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return 0, 0, 0, false
		}
		nums[i] = n
	}
	if nums[0] > 23 || nums[1] > 59 || nums[2] > 59 {
		return 0, 0, 0, false
	}
	return nums[0], nums[1], nums[2], true
}
