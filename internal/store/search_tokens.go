package store

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The search index holds every CJK character on its own and every pair of
// adjacent CJK characters (bigram), plus lower-cased runs of other letters
// and digits as whole words. A one-character query looks up its character,
// a longer one the bigrams it is made of (all must be present), and the
// candidates are then checked for the exact substring, so phrase queries
// are exact and a bigram that straddles two separate runs never shows up as
// a false match. See docs/SEARCH.md for the measurements behind this.

// isCJK reports characters indexed one by one and in pairs: Han, kana and
// Hangul, which are written without spaces between words.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// isWordRune reports characters that belong to a Latin (or other
// space-separated) word. It matches what SQLite's unicode61 tokenizer keeps
// as token characters (letters, numbers, private use), so the token string
// written to FTS5 splits exactly where the Go tokens end.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

// indexTokens appends the index tokens of text to dst, in text order.
func indexTokens(dst []string, text string) []string {
	var prev string // previous CJK character while inside a CJK run
	word := -1      // start of the current word, -1 outside words
	for i, r := range text {
		cjk := isCJK(r)
		if word >= 0 && (cjk || !isWordRune(r)) {
			dst = append(dst, lowerWord(text[word:i]))
			word = -1
		}
		switch {
		case cjk:
			size := utf8.RuneLen(r)
			ch := text[i : i+size]
			if prev != "" {
				dst = append(dst, text[i-len(prev):i+size])
			}
			dst = append(dst, ch)
			prev = ch
		case isWordRune(r):
			prev = ""
			if word < 0 {
				word = i
			}
		default:
			prev = ""
		}
	}
	if word >= 0 {
		dst = append(dst, lowerWord(text[word:]))
	}
	return dst
}

// lowerWord lower-cases a word the way SQLite's lower() does for ASCII and
// unicode61 does for the rest.
func lowerWord(s string) string { return strings.ToLower(s) }

// uniqueTokens removes repeated tokens (PostgreSQL's array needs each once).
func uniqueTokens(tokens []string) []string {
	seen := make(map[string]struct{}, len(tokens))
	out := tokens[:0:0]
	for _, t := range tokens {
		if _, ok := seen[t]; !ok {
			seen[t] = struct{}{}
			out = append(out, t)
		}
	}
	return out
}

// QueryTokens are the index tokens that a message containing term must
// have: its single character for a one-character CJK run, the bigrams of
// a longer run, and each word. Empty when the term has no letter or digit.
func QueryTokens(term string) []string {
	var out []string
	for _, g := range queryTokenGroups(term) {
		out = append(out, g...)
	}
	return uniqueTokens(out)
}
