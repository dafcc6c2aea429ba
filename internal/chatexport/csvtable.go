package chatexport

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// csvTable reads a CSV export whose first record names the columns. Columns
// are found by name, so an export with extra or reordered columns still
// parses; the physical line of every record is kept for error reports.
type csvTable struct {
	p       *parser
	r       *csv.Reader
	columns map[string]int
	names   []string // header names by index
	width   int
	record  []string
	line    int // physical line where the current record starts
}

// openCSV reads the header and checks that every required column is there.
func (p *parser) openCSV(r io.Reader, required []string) (*csvTable, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked here, with a clearer message
	cr.ReuseRecord = true
	t := &csvTable{p: p, r: cr, columns: map[string]int{}}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, p.errorf(1, "文件为空，缺少表头")
	}
	if err != nil {
		return nil, t.csvError(err)
	}
	for i, name := range header {
		name = strings.TrimSpace(strings.TrimPrefix(name, "\uFEFF"))
		t.names = append(t.names, name)
		if _, dup := t.columns[name]; !dup {
			t.columns[name] = i
		}
	}
	t.width = len(header)
	for _, name := range required {
		if _, ok := t.columns[name]; !ok {
			return nil, p.errorf(1, "表头缺少列 %s（应为：%s）", name, strings.Join(required, ","))
		}
	}
	return t, nil
}

// next reads the next record; false at the end of the input or on error.
func (t *csvTable) next() (bool, error) {
	rec, err := t.r.Read()
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, t.csvError(err)
	}
	t.record = rec
	t.line, _ = t.r.FieldPos(0)
	if len(rec) == 1 && rec[0] == "" {
		return t.next() // a stray empty line, e.g. at the end of the file
	}
	if len(rec) < t.width {
		return false, t.p.errorf(t.line, "本行有 %d 列，表头有 %d 列", len(rec), t.width)
	}
	return true, nil
}

// get returns the named column of the current record ("" if absent).
func (t *csvTable) get(column string) string {
	i, ok := t.columns[column]
	if !ok {
		return ""
	}
	return t.record[i]
}

// index returns the position of a column, or -1 if the header lacks it.
func (t *csvTable) index(column string) int {
	if i, ok := t.columns[column]; ok {
		return i
	}
	return -1
}

// field returns column i of the current record ("" for i < 0).
func (t *csvTable) field(i int) string {
	if i < 0 {
		return ""
	}
	return t.record[i]
}

// lineOf returns the physical line of a column of the current record.
func (t *csvTable) lineOf(column string) int {
	if i, ok := t.columns[column]; ok {
		line, _ := t.r.FieldPos(i)
		return line
	}
	return t.line
}

// checkUTF8 checks every field of the current record.
func (t *csvTable) checkUTF8() error {
	for i, value := range t.record {
		if utf8.ValidString(value) {
			continue
		}
		name := fmt.Sprintf("第 %d 列", i+1)
		if i < len(t.names) {
			name = t.names[i]
		}
		line, _ := t.r.FieldPos(i)
		return t.p.checkUTF8(line, name, value)
	}
	return nil
}

func (t *csvTable) csvError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	reason := pe.Err.Error()
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		reason = "引号没有闭合，或引号后有多余字符"
	case errors.Is(pe.Err, csv.ErrBareQuote):
		reason = "未加引号的字段中出现了引号"
	case errors.Is(pe.Err, csv.ErrFieldCount):
		reason = "列数与表头不一致"
	}
	return t.p.errorf(pe.Line, "CSV 格式错误（第 %d 列）：%s", pe.Column, reason)
}
