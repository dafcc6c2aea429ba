package redact

import "strings"

// nextFinder returns the earliest occurrence of any of its words at or after
// an offset. It remembers each word's next occurrence, so walking a large
// text costs one pass per word instead of one per call.
type nextFinder struct {
	text  string
	words []string
	next  []int // next occurrence of words[i] at or after the last query; -1 none left
}

func newNextFinder(text string, words []string) *nextFinder {
	nf := &nextFinder{text: text, words: words, next: make([]int, len(words))}
	for i := range nf.next {
		nf.next[i] = -2 // not yet searched
	}
	return nf
}

// find returns the earliest position >= off and the longest word there.
func (nf *nextFinder) find(off int) (int, string) {
	best, bestWord := -1, ""
	for i, w := range nf.words {
		if nf.next[i] == -1 {
			continue
		}
		if nf.next[i] < off {
			j := strings.Index(nf.text[off:], w)
			if j < 0 {
				nf.next[i] = -1
				continue
			}
			nf.next[i] = off + j
		}
		p := nf.next[i]
		if best < 0 || p < best || p == best && len(w) > len(bestWord) {
			best, bestWord = p, w
		}
	}
	return best, bestWord
}
