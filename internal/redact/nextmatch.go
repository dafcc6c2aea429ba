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

// find returns the earliest position >= off in text where a word starts and
// the longest word there, or -1 and "".
func (wf *wordFinder) find(text string, off int) (int, string) {
	for i := off; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
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
