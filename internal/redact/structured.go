package redact

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Structured identifiers are found by one hand-written pass over ASCII
// alphanumeric runs instead of a dozen regular expressions over the whole
// text: each run is classified once (checksums decide), which keeps the
// throughput above 10 MB/s. Regular expressions are used only anchored at the
// few places a cheap trigger points to (an '@', an opening bracket).

// scanStructured appends the structured findings of text to out.
func scanStructured(text string, out []Finding) []Finding {
	out = scanEmails(text, out)
	n := len(text)
	for i := 0; i < n; {
		if !isAlnum(text[i]) || (i > 0 && isAlnum(text[i-1])) {
			i++
			continue
		}
		groups := collectGroups(text, i)
		out = classifyGroups(text, groups, out)
		i = groups[len(groups)-1].end
	}
	return out
}

type span struct{ start, end int }

// collectGroups returns the alphanumeric groups starting at i that are joined
// by a single space or '-' (as in "138 1234 5678" or "6222-0212-...").
func collectGroups(text string, i int) []span {
	var groups []span
	for {
		j := i
		for j < len(text) && isAlnum(text[j]) {
			j++
		}
		groups = append(groups, span{i, j})
		if len(groups) >= 8 || j+1 >= len(text) || (text[j] != ' ' && text[j] != '-') || !isDigit(text[j+1]) || !isDigit(text[j-1]) {
			return groups
		}
		i = j + 1
	}
}

// classifyGroups tries, from each group, the longest sequence of joined
// groups that forms a known identifier.
func classifyGroups(text string, groups []span, out []Finding) []Finding {
	for a := 0; a < len(groups); {
		matched := false
		for b := len(groups) - 1; b >= a; b-- {
			start, end := groups[a].start, groups[b].end
			if f, ok := classifyRun(text, start, end, b > a); ok {
				out = append(out, f)
				a = b + 1
				matched = true
				break
			}
		}
		if !matched {
			if f, ok := plateAt(text, groups[a].start); ok {
				out = append(out, f)
			}
			a++
		}
	}
	return out
}

// classifyRun decides what text[start:end] is, if anything.
func classifyRun(text string, start, end int, separated bool) (Finding, bool) {
	raw := text[start:end]
	compact := raw
	if separated {
		compact = strings.NewReplacer(" ", "", "-", "").Replace(raw)
	}
	mk := func(t Type, conf float64) (Finding, bool) {
		return Finding{Type: t, Start: start, End: end, Text: raw, Confidence: conf}, true
	}
	digits := allDigits(compact)
	switch {
	case len(compact) == 18 && validIDCard18(compact):
		return mk(TypeIDCard, 0.99)
	case len(compact) == 18 && !separated && validUSCC(compact):
		return mk(TypeUSCC, 0.99)
	case digits && len(compact) == 15 && !separated && validIDCard15(compact):
		return mk(TypeIDCard, 0.8)
	case digits && len(compact) >= 16 && len(compact) <= 19 && luhnValid(compact):
		if strings.HasPrefix(compact, "62") || contextBefore(text, start, bankWords) {
			return mk(TypeBankCard, 0.97)
		}
		return mk(TypeBankCard, 0.9)
	case digits && len(compact) == 11 && compact[0] == '1' && compact[1] >= '3':
		return mk(TypeMobile, 0.95)
	case digits && len(compact) == 13 && strings.HasPrefix(compact, "861") && compact[3] >= '3':
		if start > 0 && text[start-1] == '+' {
			start--
			raw = text[start:end]
		}
		return mk(TypeMobile, 0.95)
	case digits && isLandline(raw, compact, separated):
		return mk(TypeLandline, 0.9)
	case digits && (len(compact) == 7 || len(compact) == 8) && !separated:
		// "(010)12345678" or "（0755）8888 7777": area code in brackets.
		if s := bracketAreaCode(text, start); s >= 0 {
			return Finding{Type: TypeLandline, Start: s, End: end, Text: text[s:end], Confidence: 0.9}, true
		}
		if len(compact) == 8 && contextBefore(text, start, taiwanPermitWords) {
			return mk(TypePermit, 0.9)
		}
	case !digits && !separated:
		return classifyCode(text, start, end)
	}
	return Finding{}, false
}

// isLandline accepts 0AA-NNNNNNNN / 0AAA-NNNNNNN(N) with or without the dash.
func isLandline(raw, compact string, separated bool) bool {
	if len(compact) < 10 || compact[0] != '0' || compact[1] == '0' {
		return false
	}
	area := 4
	if compact[1] == '1' || compact[1] == '2' {
		area = 3
	}
	rest := len(compact) - area
	if rest != 7 && rest != 8 || area == 3 && rest != 8 {
		return false
	}
	if separated {
		// The only separator must follow the area code, or split the local number.
		return raw[area] == '-' || raw[area] == ' '
	}
	return true
}

// bracketAreaCode returns the start of "(0xx)" or "（0xxx）" just before i, or -1.
func bracketAreaCode(text string, i int) int {
	head := strings.TrimRight(text[:i], " ")
	var open string
	switch {
	case strings.HasSuffix(head, ")"):
		head, open = head[:len(head)-1], "("
	case strings.HasSuffix(head, "）"):
		head, open = head[:len(head)-len("）")], "（"
	default:
		return -1
	}
	for k := 3; k <= 4; k++ {
		if len(head) < k+len(open) {
			continue
		}
		code := head[len(head)-k:]
		if allDigits(code) && code[0] == '0' && strings.HasSuffix(head[:len(head)-k], open) {
			return len(head) - k - len(open)
		}
	}
	return -1
}

var (
	passportStrict = regexp.MustCompile(`^(?:[EG]\d{8}|E[A-HJ-NP-Z]\d{7})$`)
	passportLoose  = regexp.MustCompile(`^[A-Z]{1,2}\d{6,8}$`)
	permitHKMacao  = regexp.MustCompile(`^(?:C\d{8}|C[A-HJ-NP-Z]\d{7}|W\d{8})$`)
	permitHome     = regexp.MustCompile(`^[HM]\d{8}(?:\d{2})?$`)
	permitTaiwan   = regexp.MustCompile(`^(?:L\d{8}|\d{10}[A-Z]?)$`)
)

var (
	bankWords         = []string{"卡号", "银行卡", "账号", "帐号", "账户", "卡"}
	passportWords     = []string{"护照"}
	permitWords       = []string{"通行证", "回乡证", "台胞证", "往来"}
	taiwanPermitWords = []string{"台胞证", "台湾居民来往大陆通行证", "通行证"}
)

// classifyCode handles runs mixing letters and digits.
func classifyCode(text string, start, end int) (Finding, bool) {
	raw := text[start:end]
	mk := func(t Type, conf float64) (Finding, bool) {
		return Finding{Type: t, Start: start, End: end, Text: raw, Confidence: conf}, true
	}
	switch {
	case passportStrict.MatchString(raw):
		return mk(TypePassport, 0.9)
	case permitHKMacao.MatchString(raw), permitHome.MatchString(raw):
		return mk(TypePermit, 0.9)
	case permitTaiwan.MatchString(raw) && (contextBefore(text, start, permitWords) || contextAfter(text, end, permitWords)):
		return mk(TypePermit, 0.9)
	case passportLoose.MatchString(raw) && (contextBefore(text, start, passportWords) || contextAfter(text, end, passportWords)):
		return mk(TypePassport, 0.85)
	}
	return Finding{}, false
}

// contextAfter reports whether one of words occurs in the 24 bytes (about
// 8 Chinese characters) after i (持L12345678号往来台湾通行证).
func contextAfter(text string, i int, words []string) bool {
	to := min(len(text), i+24)
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to--
	}
	window := text[i:to]
	for _, w := range words {
		if strings.Contains(window, w) {
			return true
		}
	}
	return false
}

// contextBefore reports whether one of words occurs in the 36 bytes (about
// 12 Chinese characters) before i.
func contextBefore(text string, i int, words []string) bool {
	from := i - 36
	if from < 0 {
		from = 0
	}
	for from > 0 && !utf8.RuneStart(text[from]) {
		from++
	}
	window := text[from:i]
	for _, w := range words {
		if strings.Contains(window, w) {
			return true
		}
	}
	return false
}

// plateProvinces are the first characters of Chinese licence plates.
const plateProvinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"

// plateAt recognises a licence plate whose letter starts at i and whose
// province character precedes it: 京A12345, 粤B·D12345 (new energy, 8 chars).
func plateAt(text string, i int) (Finding, bool) {
	prov, size := utf8.DecodeLastRuneInString(text[:i])
	if size <= 1 || !strings.ContainsRune(plateProvinces, prov) {
		return Finding{}, false
	}
	c := text[i]
	if c < 'A' || c > 'Z' || c == 'I' || c == 'O' {
		return Finding{}, false
	}
	j := i + 1
	if r, sz := utf8.DecodeRuneInString(text[j:]); r == '·' || r == '•' || r == '・' || r == ' ' {
		j += sz
	}
	k := j
	hasDigit := false
	for k < len(text) && k-j < 7 && (isDigit(text[k]) || (text[k] >= 'A' && text[k] <= 'Z')) {
		hasDigit = hasDigit || isDigit(text[k])
		k++
	}
	tail := k - j
	if !hasDigit || tail < 5 || tail > 6 || (k < len(text) && isAlnum(text[k])) {
		return Finding{}, false
	}
	if r, sz := utf8.DecodeRuneInString(text[k:]); tail == 5 && strings.ContainsRune("挂学警港澳领", r) {
		k += sz
	}
	start := i - size
	return Finding{Type: TypePlate, Start: start, End: k, Text: text[start:k], Confidence: 0.9}, true
}

var emailLocal = regexp.MustCompile(`[A-Za-z0-9._%+\-]+$`)
var emailDomain = regexp.MustCompile(`^[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}`)

// scanEmails finds addresses around each '@'.
func scanEmails(text string, out []Finding) []Finding {
	for off := 0; ; {
		at := strings.IndexByte(text[off:], '@')
		if at < 0 {
			return out
		}
		at += off
		off = at + 1
		localStart := at - 64
		if localStart < 0 {
			localStart = 0
		}
		loc := emailLocal.FindStringIndex(text[localStart:at])
		dom := emailDomain.FindStringIndex(text[at+1:])
		if loc == nil || dom == nil {
			continue
		}
		start, end := localStart+loc[0], at+1+dom[1]
		out = append(out, Finding{Type: TypeEmail, Start: start, End: end, Text: text[start:end], Confidence: 0.99})
		off = end
	}
}

var caseNumber = regexp.MustCompile(`^[（(]\s?(?:19|20)\d{2}\s?[）)]\s?\p{Han}{1,6}?\d{0,6}\p{Han}{1,6}\d{1,6}(?:之\d{1,3})?号`)

// scanCaseNumbers finds 案号 such as (2023)京0105民初1234号 or （2021）最高法民申12号.
func scanCaseNumbers(text string, out []Finding) []Finding {
	// The next '(' and the next '（', each found with a fast substring
	// search and looked for again only once passed: strings.IndexAny with a
	// non-ASCII set decodes every rune (a twentieth of the redaction time).
	half, full := -1, -1
	for off := 0; off < len(text); {
		if half < off && half != len(text) {
			half = nextAt(text, off, "(")
		}
		if full < off && full != len(text) {
			full = nextAt(text, off, "（")
		}
		i := min(half, full)
		if i == len(text) {
			return out
		}
		off = i + 1
		if m := caseNumber.FindStringIndex(text[i:]); m != nil {
			end := i + m[1]
			out = append(out, Finding{Type: TypeCaseNumber, Start: i, End: end, Text: text[i:end], Confidence: 0.95})
			off = end
		}
	}
	return out
}

// nextAt returns the offset of the first sep in text at or after off, or
// len(text).
func nextAt(text string, off int, sep string) int {
	if i := strings.Index(text[off:], sep); i >= 0 {
		return off + i
	}
	return len(text)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}
