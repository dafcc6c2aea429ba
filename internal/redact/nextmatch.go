package redact

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// wordFinder finds the next occurrence of any of a fixed set of words in one
// forward pass over the text: a table says which characters start a word,
// and only there are the words starting with that character compared.
type wordFinder struct {
	starts  []bool // indexed by rune, for the Basic Multilingual Plane
	byFirst map[rune][]string
}

func newWordFinder(words []string) *wordFinder {
	wf := &wordFinder{starts: make([]bool, 0x10000), byFirst: map[rune][]string{}}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if r >= 0x10000 {
			panic("redact: word finder supports BMP characters only: " + w)
		}
		wf.starts[r] = true
		wf.byFirst[r] = append(wf.byFirst[r], w)
	}
	for _, ws := range wf.byFirst {
		sort.SliceStable(ws, func(a, b int) bool { return len(ws[a]) > len(ws[b]) })
	}
	return wf
}

// at returns the longest word starting at text[i:], or "".
func (wf *wordFinder) at(text string, i int) string {
	if i >= len(text) {
		return ""
	}
	if r, _ := decodeAt(text, i); r < 0x10000 && wf.starts[r] {
		for _, w := range wf.byFirst[r] {
			if strings.HasPrefix(text[i:], w) {
				return w
			}
		}
	}
	return ""
}

// decodeAt decodes the rune at text[i], i < len(text). ASCII and the
// three-byte sequences of the Han characters are decoded inline, as
// utf8.DecodeRuneInString leaves every multi-byte rune to a call that
// showed up as a tenth of the redaction's time; every other sequence, and
// an invalid or cut one, goes to the library and so decodes the same.
func decodeAt(text string, i int) (rune, int) {
	b := text[i]
	if b < utf8.RuneSelf {
		return rune(b), 1
	}
	if b&0xF0 == 0xE0 && i+2 < len(text) {
		c1, c2 := text[i+1], text[i+2]
		if c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			if r := rune(b&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F); r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
				return r, 3
			}
		}
	}
	return utf8.DecodeRuneInString(text[i:])
}

// find returns the earliest position >= off in text where a word starts and
// the longest word there, or -1 and "".
func (wf *wordFinder) find(text string, off int) (int, string) {
	for i := off; i < len(text); {
		r, size := decodeAt(text, i)
		if r < 0x10000 && wf.starts[r] {
			for _, w := range wf.byFirst[r] {
				if strings.HasPrefix(text[i:], w) {
					return i, w
				}
			}
		}
		i += size
	}
	return -1, ""
}
