package redact

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// addressPattern matches administrative units, a road or estate, and the
// house, building and room numbers. It runs only on clauses that contain a
// road or estate marker, so the text is not scanned by it as a whole.
var addressPattern = regexp.MustCompile(
	`(?:\p{Han}{2,10}?(?:省|自治区|特别行政区|市|自治州|地区|盟|区|县|旗|街道|镇|乡))*` +
		`\p{Han}{1,12}?(?:大道|大街|路|街|巷|弄|胡同|小区|花园|大厦|公寓|家园|广场|村)` +
		`(?:\d+(?:-\d+)?(?:号院|号|弄|组))?` +
		`(?:\p{Han}{0,8}?[0-9A-Za-z]+(?:-\d+)?(?:号楼|栋|幢|座|单元|层|楼|室|号|户))*`)

var adminUnit = regexp.MustCompile(`(?:省|自治区|市|自治州|区|县|旗|街道|镇|乡)`)

var addressMarkers = []string{"路", "街", "巷", "弄", "胡同", "小区", "花园", "大厦", "公寓", "家园", "广场", "村", "大道"}

// institutionWords show a match is the place of a public body, not a person.
var institutionWords = []string{"法院", "检察院", "仲裁委", "公安局", "派出所", "政府", "管理局", "税务局", "监狱", "看守所"}

// addressLead are words that may precede an address and are not part of it.
var addressLead = []string{"住所地", "住址", "地址", "住在", "位于", "家住", "居住", "现住", "住", "在", "到", "至", "寄往", "寄到", "搬到", "搬至", "送达", "为", "是", "于", "从", "去"}

// scanAddresses finds postal addresses.
func scanAddresses(text string, toks []token, out []Finding) []Finding {
	done := -1
	for off := 0; off < len(text); {
		i, m := addressFinder.find(text, off)
		if i < 0 {
			break
		}
		off = i + len(m)
		if i < done {
			continue
		}
		cs, ce := clauseBounds(text, i)
		done = ce
		for _, loc := range addressPattern.FindAllStringIndex(text[cs:ce], -1) {
			start, end := cs+loc[0], cs+loc[1]
			start = trimAddressLead(text, toks, start, end)
			s := text[start:end]
			hasNumber := strings.ContainsAny(s, "0123456789")
			admin := adminUnit.FindStringIndex(strings.ReplaceAll(s, "小区", "")) != nil
			if !hasNumber && (!admin || utf8.RuneCountInString(s) <= 3) || containsAny(s, institutionWords) || start >= end {
				continue
			}
			conf := 0.85
			if !hasNumber {
				conf = 0.7
			}
			out = append(out, Finding{Type: TypeAddress, Start: start, End: end, Text: s, Confidence: conf})
		}
	}
	return out
}

// clauseBounds returns the clause around i, delimited by punctuation.
func clauseBounds(text string, i int) (int, int) {
	const stops = "，。；：！？、,;:!?\n\t （）()“”\""
	lo := max(0, i-300) // clauses are short; bound the look-back
	s := strings.LastIndexAny(text[lo:i], stops)
	if s < 0 {
		s = lo
		for s < i && !utf8.RuneStart(text[s]) {
			s++
		}
	} else {
		s += lo
		_, size := utf8.DecodeRuneInString(text[s:])
		s += size
	}
	hi := min(len(text), i+300)
	for hi < len(text) && !utf8.RuneStart(text[hi]) {
		hi++
	}
	e := strings.IndexAny(text[i:hi], stops)
	if e < 0 {
		e = hi
	} else {
		e += i
	}
	return s, e
}

// trimAddressLead drops leading words such as 住在, 位于 and verbs or
// pronouns that the leftmost match swallowed.
func trimAddressLead(text string, toks []token, start, end int) int {
	k := sort.Search(len(toks), func(i int) bool { return toks[i].end > start })
	// An address starts at its first place name when it has one.
	for j := k; j < len(toks) && toks[j].end <= end; j++ {
		if toks[j].pos == "ns" && toks[j].start >= start {
			return toks[j].start
		}
	}
	for ; k < len(toks) && toks[k].end <= end; k++ {
		t := toks[k]
		if t.start < start {
			continue
		}
		lead := inList(t.text, addressLead) || inList(t.text, roleWords)
		switch t.pos {
		case "v", "p", "r", "d", "c", "uj", "ul", "u", "f", "t", "vd", "m":
			lead = lead || !adminUnit.MatchString(t.text)
		}
		if !lead {
			return t.start
		}
		start = t.end
	}
	return start
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

var addressFinder = newWordFinder(addressMarkers)
