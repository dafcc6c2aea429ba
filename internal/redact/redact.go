package redact

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redact detects personal data in text and rewrites it in the given style.
// It returns the new text and the findings (spans refer to the input).
//
// Pseudonyms are consistent within one call: the same person always gets the
// same stand-in. A person whose surname no other person in the text shares
// becomes 张某; several people with the surname 张 become 张某甲, 张某乙, …
// in order of first appearance. Organisations become 某公司 (某律师事务所 for
// firms), or 甲公司, 乙公司, … when there are several. Other data become a
// bracketed label such as 【手机号】, numbered (【手机号1】, 【手机号2】) when
// the text holds several different values of that type.
func Redact(text string, style Style, opts Options) (string, []Finding) {
	findings := Detect(text, opts)
	var names map[string]string
	if style == StylePseudonym {
		var others []Finding
		for _, f := range findings {
			if !f.Own {
				others = append(others, f)
			}
		}
		names = pseudonyms(others)
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, f := range findings {
		b.WriteString(text[last:f.Start])
		if f.Own {
			b.WriteString(text[f.Start:f.End]) // the poster's own details stay
			last = f.End
			continue
		}
		switch style {
		case StyleMask:
			b.WriteString(mask(f))
		case StylePseudonym:
			b.WriteString(names[key(f)])
		case StyleRemove:
		}
		last = f.End
	}
	b.WriteString(text[last:])
	return strings.ToValidUTF8(b.String(), "\uFFFD"), findings
}

func key(f Finding) string { return string(f.Type) + "\x00" + f.Text }

var stems = []string{"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"}

// stem returns the i-th distinguishing suffix: 甲…癸, then 11, 12, ….
func stem(i int) string {
	if i < len(stems) {
		return stems[i]
	}
	return strconv.Itoa(i + 1)
}

// pseudonyms assigns every distinct finding its stand-in. A reference
// such as 李总 or 李姐 is the same person as the full name with that surname
// nearest before it (or, failing that, the first after it), and shares its
// stand-in; a child's pet name (朵朵) becomes 小某.
func pseudonyms(findings []Finding) map[string]string {
	names := map[string]string{}
	bySurname := map[string][]string{} // surname -> distinct person texts
	byType := map[Type][]string{}      // other types -> distinct texts
	var orgs, pets []string
	seen := map[string]bool{}
	alias := map[string]string{} // reference text -> full name text
	for i, f := range findings {
		if f.Type != TypePerson || seen[key(f)] {
			continue
		}
		if s := refOf(f.Text); s != "" {
			if full := fullNameFor(findings, i, s); full != "" {
				alias[f.Text] = full
				seen[key(f)] = true
			}
		}
	}
	for _, f := range findings {
		k := key(f)
		if seen[k] {
			continue
		}
		seen[k] = true
		switch {
		case f.Type == TypePerson && (reduplicated(f.Text) || surnameLen(f.Text, false) == 0):
			pets = append(pets, f.Text)
		case f.Type == TypePerson:
			s := surnameOf(f.Text)
			bySurname[s] = append(bySurname[s], f.Text)
		case f.Type == TypeOrg:
			orgs = append(orgs, f.Text)
		default:
			byType[f.Type] = append(byType[f.Type], f.Text)
		}
	}
	for s, people := range bySurname {
		for i, p := range people {
			stand := s + "某"
			if len(people) > 1 || s == "" {
				stand += stem(i)
			}
			names[key(Finding{Type: TypePerson, Text: p})] = stand
		}
	}
	for i, p := range pets {
		stand := "小某"
		if len(pets) > 1 {
			stand += stem(i)
		}
		names[key(Finding{Type: TypePerson, Text: p})] = stand
	}
	for ref, full := range alias {
		names[key(Finding{Type: TypePerson, Text: ref})] = names[key(Finding{Type: TypePerson, Text: full})]
	}
	for i, o := range orgs {
		kind := "公司"
		if strings.Contains(o, "事务所") {
			kind = "律师事务所"
		}
		prefix := "某"
		if len(orgs) > 1 {
			prefix = stem(i)
		}
		names[key(Finding{Type: TypeOrg, Text: o})] = prefix + kind
	}
	for t, values := range byType {
		for i, v := range values {
			label := "【" + t.Label()
			if len(values) > 1 {
				label += strconv.Itoa(i + 1)
			}
			names[key(Finding{Type: t, Text: v})] = label + "】"
		}
	}
	return names
}

// fullNameFor returns the full name with the given surname that the
// reference at findings[i] most likely stands for: the nearest one before
// it, else the first after it; "" when the text names no such person.
func fullNameFor(findings []Finding, i int, surname string) string {
	isFull := func(f Finding) bool {
		return f.Type == TypePerson && refOf(f.Text) == "" && !reduplicated(f.Text) && surnameOf(f.Text) == surname
	}
	for j := i - 1; j >= 0; j-- {
		if isFull(findings[j]) {
			return findings[j].Text
		}
	}
	for j := i + 1; j < len(findings); j++ {
		if isFull(findings[j]) {
			return findings[j].Text
		}
	}
	return ""
}

// surnameOf returns the surname of a Chinese name, "" for other names.
func surnameOf(name string) string {
	if n := surnameLen(name, false); n > 0 && n < len(name) {
		return name[:n]
	}
	if r, size := utf8.DecodeRuneInString(name); unicode.Is(unicode.Han, r) && size < len(name) {
		return name[:size]
	}
	return ""
}

// mask keeps a little of the value and replaces the rest by '*'.
func mask(f Finding) string {
	switch f.Type {
	case TypePerson:
		if reduplicated(f.Text) {
			return "**"
		}
		s := surnameOf(f.Text)
		return s + strings.Repeat("*", utf8.RuneCountInString(f.Text[len(s):]))
	case TypeOrg:
		for _, suf := range orgSuffixes {
			if strings.HasSuffix(f.Text, suf) {
				head := f.Text[:len(f.Text)-len(suf)]
				return strings.Repeat("*", utf8.RuneCountInString(head)) + suf
			}
		}
		return strings.Repeat("*", utf8.RuneCountInString(f.Text))
	case TypeAddress:
		keep := 0
		for _, loc := range adminUnit.FindAllStringIndex(f.Text, 3) {
			if utf8.RuneCountInString(f.Text[keep:loc[0]]) > 4 {
				break
			}
			keep = loc[1]
		}
		return f.Text[:keep] + strings.Repeat("*", utf8.RuneCountInString(f.Text[keep:]))
	case TypeEmail:
		at := strings.LastIndexByte(f.Text, '@')
		if at > 0 {
			return f.Text[:1] + "***" + f.Text[at:]
		}
	case TypeCaseNumber:
		end := strings.LastIndex(f.Text, "号")
		start := end
		for start > 0 && isDigit(f.Text[start-1]) {
			start--
		}
		if end > 0 {
			return f.Text[:start] + strings.Repeat("*", end-start) + f.Text[end:]
		}
	}
	return maskMiddle(f.Text)
}

// maskMiddle keeps the first and last characters of an identifier (3 and 4
// of a long one, as in 138****1234) and keeps separators.
func maskMiddle(s string) string {
	rs := []rune(s)
	n := 0
	for _, r := range rs {
		if r != ' ' && r != '-' && r != '·' {
			n++
		}
	}
	head, tail := 1, 1
	switch {
	case n >= 11:
		head, tail = 3, 4
	case n >= 7:
		head, tail = 2, 2
	}
	var b strings.Builder
	i := 0
	for _, r := range rs {
		if r == ' ' || r == '-' || r == '·' {
			b.WriteRune(r)
			continue
		}
		if i < head || i >= n-tail {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}
