package contactio

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/lvxin/lvxin/internal/model"
)

// Card is one vCard 3.0 (RFC 2426) entry. Empty fields are left out.
//
// The encoder is hand-written: the format is a dozen lines, and writing it
// here keeps the exact choices phones need (CRLF, 75-octet folding that never
// splits a UTF-8 character, TYPE=CELL) under test instead of behind a
// dependency; github.com/emersion/go-vcard parses the output in the tests.
type Card struct {
	FormattedName string    // FN, required
	Name          [5]string // N: family; given; additional; prefix; suffix
	Org           string    // ORG
	Title         string    // TITLE
	Cell          string    // TEL;TYPE=CELL
	Work          string    // TEL;TYPE=WORK,VOICE
	Email         string    // EMAIL;TYPE=INTERNET
	URL           string    // URL
	Note          string    // NOTE; may hold several lines
	Categories    []string  // CATEGORIES
	Company       bool      // the card is an organisation (X-ABShowAs:COMPANY for Apple devices)
}

// compoundSurnames are two-character family names; any other Chinese name's
// family name is its first character.
var compoundSurnames = []string{
	"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
	"长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "申屠",
}

// SplitName splits a person's name into family and given name: 欧阳娜娜 →
// 欧阳, 娜娜; 张三 → 张, 三; "John Smith" → Smith, John.
func SplitName(name string) (family, given string) {
	name = strings.TrimSpace(name)
	if fields := strings.Fields(name); len(fields) > 1 {
		return fields[len(fields)-1], strings.Join(fields[:len(fields)-1], " ")
	}
	if utf8.RuneCountInString(name) < 2 || name[0] < utf8.RuneSelf {
		return name, ""
	}
	for _, s := range compoundSurnames {
		if rest, ok := strings.CutPrefix(name, s); ok && rest != "" {
			return s, rest
		}
	}
	_, size := utf8.DecodeRuneInString(name)
	return name[:size], name[size:]
}

// ContactCard maps a contact to its card: 微信号 and 统一社会信用代码 go into
// NOTE, tags into CATEGORIES.
func ContactCard(c model.Contact) Card {
	card := Card{FormattedName: c.Name, Cell: c.Phone, Email: c.Email, Categories: c.Tags}
	if c.Kind == model.ContactOrg {
		card.Org, card.Company = c.Name, true
	} else {
		family, given := SplitName(c.Name)
		card.Name = [5]string{family, given}
		card.Org = c.Organization
	}
	var note []string
	if c.WeChatID != "" {
		note = append(note, "微信号："+c.WeChatID)
	}
	if c.USCC != "" {
		note = append(note, "统一社会信用代码："+c.USCC)
	}
	card.Note = strings.Join(note, "\n")
	return card
}

// WriteVCard writes one vCard 3.0 entry per contact, as one .vcf file.
func WriteVCard(w io.Writer, contacts []model.Contact) error {
	for _, c := range contacts {
		if _, err := w.Write(EncodeVCard(ContactCard(c))); err != nil {
			return err
		}
	}
	return nil
}

// EncodeVCard renders one card with CRLF line ends, escaped values and lines
// folded at 75 octets.
func EncodeVCard(c Card) []byte {
	var b bytes.Buffer
	line := func(s string) { fold(&b, s) }
	line("BEGIN:VCARD")
	line("VERSION:3.0")
	line("FN:" + escapeText(c.FormattedName))
	parts := make([]string, len(c.Name))
	for i, p := range c.Name {
		parts[i] = escapeText(p)
	}
	line("N:" + strings.Join(parts, ";"))
	if c.Org != "" {
		line("ORG:" + escapeText(c.Org))
	}
	if c.Title != "" {
		line("TITLE:" + escapeText(c.Title))
	}
	if c.Cell != "" {
		line("TEL;TYPE=CELL:" + escapeText(c.Cell))
	}
	if c.Work != "" {
		line("TEL;TYPE=WORK,VOICE:" + escapeText(c.Work))
	}
	if c.Email != "" {
		line("EMAIL;TYPE=INTERNET:" + escapeText(c.Email))
	}
	if c.URL != "" {
		line("URL:" + escapeText(c.URL))
	}
	if c.Note != "" {
		line("NOTE:" + escapeText(c.Note))
	}
	if len(c.Categories) > 0 {
		cats := make([]string, len(c.Categories))
		for i, cat := range c.Categories {
			cats[i] = escapeText(cat)
		}
		line("CATEGORIES:" + strings.Join(cats, ","))
	}
	if c.Company {
		line("X-ABShowAs:COMPANY")
	}
	line("END:VCARD")
	return b.Bytes()
}

// escapeText escapes a text value per RFC 2426 section 4: backslash, comma,
// semicolon and newline.
var textEscaper = strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

func escapeText(s string) string { return textEscaper.Replace(s) }

// maxLine is the longest line in octets, excluding CRLF (RFC 2425 section 5.8.1).
const maxLine = 75

// fold writes s as one logical line: physical lines of at most 75 octets,
// continuation lines starting with a space, never splitting a UTF-8 sequence.
func fold(b *bytes.Buffer, s string) {
	limit := maxLine
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = maxLine - 1 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
