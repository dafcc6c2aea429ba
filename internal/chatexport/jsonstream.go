package chatexport

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// lineCounter passes bytes through and remembers where newlines are, so a
// byte offset reported by encoding/json can be turned into a line number
// without keeping the input. Offsets are asked for in increasing order;
// newlines before the last asked offset are folded into a count.
type lineCounter struct {
	r        io.Reader
	read     int64   // bytes passed through so far
	newlines []int64 // offsets of newlines not yet folded
	folded   int     // newlines before newlines[0]
}

func (c *lineCounter) Read(buf []byte) (int, error) {
	n, err := c.r.Read(buf)
	for i := 0; i < n; {
		j := bytes.IndexByte(buf[i:n], '\n')
		if j < 0 {
			break
		}
		c.newlines = append(c.newlines, c.read+int64(i+j))
		i += j + 1
	}
	c.read += int64(n)
	return n, err
}

// lineAt returns the 1-based line of byte offset off.
func (c *lineCounter) lineAt(off int64) int {
	k := 0
	for k < len(c.newlines) && c.newlines[k] < off {
		k++
	}
	c.folded += k
	c.newlines = c.newlines[k:]
	return c.folded + 1
}

// jsonStream yields the objects of a JSON array, or of a sequence of JSON
// values (one object per line, as WeCom archives are often stored), as raw
// bytes with the line each starts on.
type jsonStream struct {
	p       *parser
	lines   *lineCounter
	dec     *json.Decoder
	inArray bool
	started bool
}

func (p *parser) newJSONStream(r io.Reader) *jsonStream {
	lc := &lineCounter{r: r}
	return &jsonStream{p: p, lines: lc, dec: json.NewDecoder(lc)}
}

// next returns the next value; ok is false at the end.
func (s *jsonStream) next() (raw json.RawMessage, line int, ok bool, err error) {
	if !s.started {
		s.started = true
		tok, err := s.peekDelim()
		if err == io.EOF {
			return nil, 0, false, s.p.errorf(1, "文件为空")
		}
		if err != nil {
			return nil, 0, false, err
		}
		if tok == '[' {
			if _, err := s.dec.Token(); err != nil {
				return nil, 0, false, s.jsonError(err)
			}
			s.inArray = true
		}
	}
	if s.inArray {
		if !s.dec.More() {
			if _, err := s.dec.Token(); err != nil { // the closing ]
				return nil, 0, false, s.jsonError(err)
			}
			if _, err := s.dec.Token(); err != io.EOF {
				return nil, 0, false, s.p.errorf(s.lines.lineAt(s.dec.InputOffset()), "JSON 数组结束后还有多余内容")
			}
			return nil, 0, false, nil
		}
	}
	if err := s.dec.Decode(&raw); err != nil {
		if err == io.EOF && !s.inArray {
			return nil, 0, false, nil
		}
		return nil, 0, false, s.jsonError(err)
	}
	start := s.dec.InputOffset() - int64(len(raw))
	line = s.lines.lineAt(start)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, line, false, s.p.errorf(line, "应为 JSON 对象（{…}），实际为：%.40s", raw)
	}
	return raw, line, true, nil
}

// peekDelim returns the first non-space byte without consuming it:
// json.Decoder has no Peek, but More skips leading white space and Buffered
// then starts at that byte.
func (s *jsonStream) peekDelim() (byte, error) {
	if !s.dec.More() {
		return 0, io.EOF
	}
	var first [1]byte
	if n, _ := s.dec.Buffered().Read(first[:]); n == 0 {
		return 0, io.EOF
	}
	return first[0], nil
}

// jsonError turns a decoder error into a *ParseError with the line.
func (s *jsonStream) jsonError(err error) error {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return s.p.errorf(s.lines.lineAt(syntax.Offset), "JSON 语法错误：%s", syntax.Error())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
		return s.p.errorf(s.lines.lineAt(s.lines.read), "JSON 在文件末尾意外结束（文件可能不完整）")
	}
	return err
}

// fieldError turns an Unmarshal error of one object into a *ParseError.
func (s *jsonStream) fieldError(line int, raw json.RawMessage, err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		l := line + bytes.Count(raw[:min(int(typeErr.Offset), len(raw))], []byte{'\n'})
		return s.p.errorf(l, "字段 %s 的类型不对：应为 %s，实际为 JSON %s", typeErr.Field, typeErr.Type, typeErr.Value)
	}
	return s.p.errorf(line, "JSON 对象无法解析：%v", err)
}
