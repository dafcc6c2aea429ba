// Package conflict owns conflict-of-interest checking (利益冲突检索) as pure
// matching: the normalised key of a person's or organisation's name, an
// in-memory index of candidates (contacts and matter parties) built once,
// and the check of a query party against it, with the reason for each hit.
//
// The matching rule: names are compared by their normalised key exactly,
// never by substring. Normalising folds full-width to half-width, traditional
// to simplified characters, drops spaces and punctuation, company-form
// suffixes (有限公司, 股份有限公司, (集团) …) and moves a region written as
// a prefix or in brackets (北京某某科技 / 某某(北京)科技) into its own field.
// So 张三 never hits 张三丰 and 北京某某科技 never hits 北京某某网络科技; a
// same core with a different or missing region, or a head office and its
// branch, is reported separately as a weaker "similar" hit. Identifiers
// (统一社会信用代码, 身份证号, phone) that are equal are the strongest hits.
package conflict

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Key is the normalised form of a name.
type Key struct {
	Core   string // the name without region, legal form, spaces or punctuation
	Region string // canonical region from a prefix or brackets, e.g. 北京; "" if none
	Branch string // branch part, e.g. 北京分公司; "" for a head office or a person
	Form   string // the legal form that was stripped, e.g. 有限公司 (informational)
	Org    bool   // the name carries a legal form or branch suffix

	// What normalising had to bridge; used to explain a hit.
	Trad, Width, Case, Punct, RegionInBrackets bool
}

// String is the exact-match key: equal strings mean the same name.
func (k Key) String() string {
	if k.Core == "" {
		return ""
	}
	return k.Region + "|" + k.Core + "|" + k.Branch
}

// Empty reports whether the name had nothing to match on.
func (k Key) Empty() bool { return k.Core == "" }

// Normalize computes the key of a person's or organisation's name.
func Normalize(name string) Key {
	var k Key
	s := strings.TrimSpace(name)
	if folded := width.Fold.String(s); folded != s {
		k.Width = true
		s = folded
	}
	if lower := strings.ToLower(s); lower != s {
		k.Case = true
		s = lower
	}
	table := t2s()
	s = strings.Map(func(r rune) rune {
		if out, ok := table[r]; ok {
			k.Trad = true
			return out
		}
		return r
	}, s)

	s = k.takeBrackets(s)
	s = k.stripLatinForms(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return r
		}
		k.Punct = true
		return -1
	}, s)

	head, branch := splitBranch(s)
	if branch != "" {
		k.Org = true
		if region, n := matchRegion(branch); n > 0 && n < len(branch) {
			branch = region + branch[n:]
		}
		k.Branch = branch
		s = head
	}
	s = k.stripForms(s)
	if k.Org && k.Region == "" {
		if region, n := matchRegion(s); n > 0 && utf8.RuneCountInString(s[n:]) >= 2 {
			k.Region = region
			s = s[n:]
		}
	}
	k.Core = s
	return k
}

// bracketReplacer turns the other bracket shapes into ( ); full-width （ ）
// are already half-width after width.Fold.
var bracketReplacer = strings.NewReplacer("【", "(", "】", ")", "〔", "(", "〕", ")", "[", "(", "]", ")")

// takeBrackets removes bracketed parts: a region goes to k.Region, a legal
// form to k.Form, anything else stays in the name without its brackets.
func (k *Key) takeBrackets(s string) string {
	s = bracketReplacer.Replace(s)
	var out strings.Builder
	for {
		open := strings.IndexByte(s, '(')
		if open < 0 {
			break
		}
		closeAt := strings.IndexByte(s[open:], ')')
		if closeAt < 0 {
			break
		}
		inner := strings.TrimSpace(s[open+1 : open+closeAt])
		out.WriteString(s[:open])
		s = s[open+closeAt+1:]
		if region, n := matchRegion(inner); n == len(inner) && n > 0 {
			k.Region = region
			k.RegionInBrackets = true
			k.Org = true
			continue
		}
		if bracketForms[inner] {
			k.Form = inner + k.Form
			k.Org = true
			continue
		}
		out.WriteString(inner)
	}
	out.WriteString(s)
	return out.String()
}

// stripLatinForms drops trailing Latin legal-form words ("co., ltd.").
// It works on words, before punctuation is removed, so "costco" keeps its "co".
func (k *Key) stripLatinForms(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(words) < 2 {
		return s
	}
	n := len(words)
	for n > 1 && latinForms[words[n-1]] {
		n--
	}
	if n == len(words) {
		return s
	}
	k.Org = true
	k.Form = strings.Join(words[n:], " ")
	// Cut s after the last kept word, keeping its inner spacing.
	cut := 0
	for i := 0; i < n; i++ {
		cut += strings.Index(s[cut:], words[i]) + len(words[i])
	}
	return s[:cut]
}

// stripForms drops Chinese legal-form suffixes from the end, repeatedly, as
// long as at least two characters of name remain.
func (k *Key) stripForms(s string) string {
	for changed := true; changed; {
		changed = false
		for _, form := range companyForms {
			rest, ok := strings.CutSuffix(s, form)
			// "有限公司" alone is no name: never strip 公司 from it and leave 有限.
			if ok && utf8.RuneCountInString(rest) >= 2 && !strings.HasSuffix(rest, "有限") && !strings.HasSuffix(rest, "股份") {
				s = rest
				k.Form = form + k.Form
				k.Org = true
				changed = true
				break
			}
		}
	}
	return s
}

// splitBranch splits 某某科技有限公司北京分公司 into the head office and the
// branch part; it returns s and "" when s is not a branch name.
func splitBranch(s string) (head, branch string) {
	for _, suffix := range branchSuffixes {
		if !strings.HasSuffix(s, suffix) {
			continue
		}
		before := s[:len(s)-len(suffix)]
		cut := -1
		for _, marker := range headMarkers {
			if i := strings.LastIndex(before, marker); i >= 0 && i+len(marker) > cut {
				cut = i + len(marker)
			}
		}
		if cut <= 0 || utf8.RuneCountInString(s[:cut]) < 4 {
			return s, ""
		}
		return s[:cut], s[cut:]
	}
	return s, ""
}

// matchRegion reports the canonical region at the start of s and how many
// bytes of s it spans (with 市/省/自治区), or 0 when s does not start with one.
func matchRegion(s string) (string, int) {
	for _, region := range regionsByLength {
		if !strings.HasPrefix(s, region) {
			continue
		}
		n := len(region)
		for _, suffix := range regionSuffixes {
			if strings.HasPrefix(s[n:], suffix) {
				n += len(suffix)
				break
			}
		}
		return region, n
	}
	return "", 0
}
