package redact

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

var (
	segOnce   sync.Once
	segmenter gse.Segmenter
	segErr    error
)

// loadSegmenter loads gse's embedded simplified-Chinese dictionary once.
// After loading, the segmenter is only read, so concurrent use is safe.
func loadSegmenter() error {
	segOnce.Do(func() {
		segmenter.SkipLog = true
		segErr = segmenter.LoadDictEmbed("zh_s")
	})
	return segErr
}

// token is one word of segmented text with its byte span in the whole input.
type token struct {
	start, end int
	text, pos  string
	runes      int
	han        bool // every rune is a Han character
}

// chunkSize bounds the text handed to gse at once (it copies its input into
// rune slices), so memory stays flat on large inputs.
const chunkSize = 4096

// segment splits text into words. It cuts the text at sentence punctuation
// or line breaks near chunkSize so that no word is split.
func segment(text string) []token {
	if loadSegmenter() != nil {
		return nil
	}
	toks := make([]token, 0, len(text)/5) // about one word per 5 bytes of Chinese
	for base := 0; base < len(text); {
		end := chunkEnd(text, base)
		for _, s := range segmenter.Segment([]byte(text[base:end])) {
			t := token{start: base + s.Start(), end: base + s.End(), pos: s.Token().Pos()}
			t.text = text[t.start:t.end]
			t.runes = utf8.RuneCountInString(t.text)
			t.han = isHan(t.text)
			toks = append(toks, t)
		}
		base = end
	}
	return toks
}

// chunkEnd returns where the chunk starting at base should end.
func chunkEnd(text string, base int) int {
	if len(text)-base <= chunkSize {
		return len(text)
	}
	limit := base + chunkSize
	if i := strings.LastIndexAny(text[base:limit], "\n。！？；"); i > 0 {
		_, size := utf8.DecodeRuneInString(text[base+i:])
		return base + i + size
	}
	for limit > base && !utf8.RuneStart(text[limit]) {
		limit--
	}
	return limit
}

func isHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

// freq returns the dictionary frequency of a word, 0 when unknown.
func freq(word string) float64 {
	f, _, ok := segmenter.Find(word)
	if !ok {
		return 0
	}
	return f
}
