package contactio

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/model"
)

// Header is the exact column row of CSV and XLSX contact files.
var Header = []string{"名称", "类型", "微信号", "手机", "邮箱", "单位", "统一社会信用代码", "标签"}

// Sentinel errors of file import; a *RowError wraps one of them or a field
// validation error.
var (
	ErrBadHeader = errors.New("表头不正确")
	ErrEmptyName = errors.New("名称为空")
	ErrBadKind   = errors.New("类型不正确")
	ErrDuplicate = errors.New("重复的联系人")
	ErrTooLong   = errors.New("内容过长")
	ErrBadTag    = errors.New("标签不正确")
	ErrEncoding  = errors.New("文件不是 UTF-8 编码")
)

// RowError says which file, row and column an import failed on.
type RowError struct {
	File   string
	Row    int    // 1-based as a spreadsheet shows it; the header is row 1
	Column string // column name from Header; "" for the whole row
	Err    error
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s 第%d行：%v", e.File, e.Row, e.Err)
	}
	return fmt.Sprintf("%s 第%d行“%s”列：%v", e.File, e.Row, e.Column, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// tagSeparator separates several tags in the 标签 column.
const tagSeparator = ";"

// maxCell bounds a cell, in characters; longer content is a mistake.
const maxCell = 500

// formulaPrefixes start a cell that Excel would run as a formula. Export
// writes such cells with a leading apostrophe (OWASP's CSV-injection advice)
// and import removes it again, so a round trip stays lossless.
const formulaPrefixes = "=+-@"

// lineBreaks turns CR LF and a lone CR inside a cell into LF: encoding/csv
// writes LF as CRLF and drops a lone CR, so only LF survives a round trip.
var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n")

func escapeFormula(s string) string {
	if s != "" && strings.ContainsRune(formulaPrefixes, rune(s[0])) {
		return "'" + s
	}
	return s
}

func unescapeFormula(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaPrefixes, rune(s[1])) {
		return s[1:]
	}
	return s
}

// checkHeader compares the first row with Header exactly (cells trimmed).
func checkHeader(file string, row []string) error {
	got := make([]string, len(row))
	for i, c := range row {
		got[i] = strings.TrimSpace(c)
	}
	if strings.Join(got, ",") != strings.Join(Header, ",") {
		return &RowError{File: file, Row: 1, Err: fmt.Errorf("%w：应为 %s，实为 %s", ErrBadHeader, strings.Join(Header, ","), strings.Join(got, ","))}
	}
	return nil
}

// rowParser turns data rows into contacts and remembers what it has seen to
// report duplicates.
type rowParser struct {
	file       string
	byName     map[string]int // kind + name → row
	byUSCC     map[string]int
	byWeChatID map[string]int
}

func newRowParser(file string) *rowParser {
	return &rowParser{file: file, byName: map[string]int{}, byUSCC: map[string]int{}, byWeChatID: map[string]int{}}
}

// blank reports whether every cell is empty (trailing rows Excel leaves).
func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// parse validates one data row, numbered as a spreadsheet numbers it.
func (p *rowParser) parse(rowNum int, cells []string) (model.Contact, error) {
	var c model.Contact
	fail := func(col string, err error) (model.Contact, error) {
		return model.Contact{}, &RowError{File: p.file, Row: rowNum, Column: col, Err: err}
	}
	if len(cells) > len(Header) && !blank(cells[len(Header):]) {
		return fail("", fmt.Errorf("%w：应有%d列，实有%d列", ErrBadHeader, len(Header), len(cells)))
	}
	v := make([]string, len(Header))
	for i := range v {
		if i < len(cells) {
			v[i] = unescapeFormula(strings.TrimSpace(lineBreaks.Replace(cells[i])))
		}
		if n := utf8.RuneCountInString(v[i]); n > maxCell {
			return fail(Header[i], fmt.Errorf("%w：%d个字符，最多%d个", ErrTooLong, n, maxCell))
		}
		if !utf8.ValidString(v[i]) {
			return fail(Header[i], fmt.Errorf("%w：该单元格含无效字符", ErrEncoding))
		}
	}
	c.Name, c.WeChatID, c.Phone, c.Email, c.Organization, c.USCC = v[0], v[2], v[3], v[4], v[5], v[6]
	if c.Name == "" {
		return fail("名称", ErrEmptyName)
	}
	switch v[1] {
	case model.ContactPerson.Label():
		c.Kind = model.ContactPerson
	case model.ContactOrg.Label():
		c.Kind = model.ContactOrg
	default:
		return fail("类型", fmt.Errorf("%w：应为“个人”或“机构”，实为 %q", ErrBadKind, v[1]))
	}
	if c.USCC != "" {
		if err := ValidUSCC(c.USCC); err != nil {
			return fail("统一社会信用代码", err)
		}
	}
	if c.Phone != "" {
		if err := ValidPhone(c.Phone); err != nil {
			return fail("手机", err)
		}
	}
	if c.Email != "" {
		if err := ValidEmail(c.Email); err != nil {
			return fail("邮箱", err)
		}
	}
	for _, tag := range strings.Split(v[7], tagSeparator) {
		if tag = strings.TrimSpace(tag); tag != "" {
			c.Tags = append(c.Tags, tag)
		}
	}

	nameKey := string(c.Kind) + "\x00" + c.Name
	if first, ok := p.byName[nameKey]; ok {
		return fail("名称", fmt.Errorf("%w：与第%d行同名（%s）", ErrDuplicate, first, c.Name))
	}
	p.byName[nameKey] = rowNum
	if c.USCC != "" {
		if first, ok := p.byUSCC[c.USCC]; ok {
			return fail("统一社会信用代码", fmt.Errorf("%w：与第%d行的统一社会信用代码相同", ErrDuplicate, first))
		}
		p.byUSCC[c.USCC] = rowNum
	}
	if c.WeChatID != "" {
		if first, ok := p.byWeChatID[c.WeChatID]; ok {
			return fail("微信号", fmt.Errorf("%w：与第%d行的微信号相同", ErrDuplicate, first))
		}
		p.byWeChatID[c.WeChatID] = rowNum
	}
	return c, nil
}

// parseTable checks the header row and parses all data rows; the whole file
// fails on the first bad row.
func parseTable(file string, rows [][]string) ([]model.Contact, error) {
	if len(rows) == 0 {
		return nil, &RowError{File: file, Row: 1, Err: fmt.Errorf("%w：文件为空，缺少表头", ErrBadHeader)}
	}
	if err := checkHeader(file, rows[0]); err != nil {
		return nil, err
	}
	p := newRowParser(file)
	var out []model.Contact
	for i, cells := range rows[1:] {
		if blank(cells) {
			continue
		}
		c, err := p.parse(i+2, cells)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// record is the row written for a contact, in Header order. CSV cells that
// Excel would run as formulas are escaped; XLSX text cells need no escaping.
func record(c model.Contact, escape bool) ([]string, error) {
	for _, tag := range c.Tags {
		if strings.Contains(tag, tagSeparator) {
			return nil, fmt.Errorf("%w：联系人“%s”的标签 %q 含分隔符“;”", ErrBadTag, c.Name, tag)
		}
	}
	if !c.Kind.Valid() {
		return nil, fmt.Errorf("%w：联系人“%s”的类型 %q", ErrBadKind, c.Name, c.Kind)
	}
	row := []string{c.Name, c.Kind.Label(), c.WeChatID, c.Phone, c.Email, c.Organization, c.USCC, strings.Join(c.Tags, tagSeparator)}
	for i := range row {
		row[i] = lineBreaks.Replace(row[i])
		if escape {
			row[i] = escapeFormula(row[i])
		}
	}
	return row, nil
}
