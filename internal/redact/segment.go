package redact

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

var (
	segOnce sync.Once
	dict    *segDict
	segErr  error
	// tokDist is gse's path cost of each dictionary token (log2 of the total
	// frequency minus log2 of the token's), computed as gse computes it.
	tokDist []float32
	// tokPos is each dictionary token's part-of-speech tag, kept apart from
	// gse's large Token values so that reading it stays in cache.
	tokPos []string
	// tokUnits is each dictionary token's length in units. gse places a
	// match by the token's length, not by the path walked in the trie:
	// the two differ when the text holds a NUL byte, which the trie (cedar)
	// reads as the end of a key, so "公\x00" finds the token "公".
	tokUnits []uint8
)

// loadSegmenter loads the compact form of gse's embedded simplified-Chinese
// dictionary (dict.go) once. After loading, the dictionary is only read, so
// concurrent use is safe.
func loadSegmenter() error {
	segOnce.Do(func() { dict, segErr = loadDict() })
	return segErr
}

// token is one word of segmented text with its byte span in the whole input.
type token struct {
	start, end int
	text, pos  string
	id         int32 // index in gse's dictionary, -1 for a character it lacks
	runes      int
	han        bool // every rune is a Han character
}

// pseudoDist is gse's cost of a character that is not in the dictionary.
const pseudoDist = 32

// segScratch holds the buffers of one segmentation, reused through a pool so
// that segmenting a large text allocates nothing per word.
type segScratch struct {
	units []int    // byte offsets of the units (characters or alphanumeric runs), plus the end
	lower []byte   // the text with ASCII letters lowered, as gse's dictionary keys are
	cells []dpCell // shortest path ending at each unit
	toks  []token
}

// dpCell records the best word ending at a unit: its cost from the start of
// the text, the dictionary token (-1 for a pseudo word) and its unit count.
type dpCell struct {
	dist  float32
	tok   int32
	units int32
}

var scratchPool = sync.Pool{New: func() any { return new(segScratch) }}

// segmentInto splits text into words exactly as gse's Segmenter.Segment does
// (the same dictionary, units, path costs and tie-breaking), but works on the
// string directly with reused buffers instead of allocating a slice per
// character and a token per unknown character. The words are appended to
// s.toks with offsets shifted by base; the result aliases s.toks.
func segmentInto(s *segScratch, text string, base int) []token {
	if text == "" || loadSegmenter() != nil {
		return s.toks
	}
	maxUnits := dict.maxUnits

	// Units: one per character, except runs of Latin letters and digits
	// (characters of at most two bytes), which form one unit, lowered.
	s.units = s.units[:0]
	s.lower = append(s.lower[:0], text...)
	inAlnum := false
	for i := 0; i < len(text); {
		r, size := decodeAt(text, i)
		alnum := size <= 2 && (unicode.IsLetter(r) || unicode.IsNumber(r))
		if !alnum || !inAlnum {
			s.units = append(s.units, i)
		}
		if alnum && 'A' <= r && r <= 'Z' {
			s.lower[i] += 'a' - 'A'
		}
		inAlnum = alnum
		i += size
	}
	n := len(s.units)
	s.units = append(s.units, len(text))

	if cap(s.cells) < n {
		s.cells = make([]dpCell, n)
	}
	cells := s.cells[:n]
	clear(cells)
	for cur := 0; cur < n; cur++ {
		var baseDist float32
		if cur > 0 {
			baseDist = cells[cur-1].dist
		}
		found, firstUnits := 0, 0
		look := dict.start()
		for j := cur; j < n && j-cur < maxUnits; j++ {
			res, val := dict.extend(&look, s.lower[s.units[j]:s.units[j+1]])
			if res == lookNoKey {
				break
			}
			if res == lookNoVal {
				continue
			}
			units := int(tokUnits[val])
			if units < 1 || cur+units > n {
				continue // gse would index past its units; never seen with the embedded dictionary
			}
			if found == 0 {
				firstUnits = units
			}
			found++
			relax(&cells[cur+units-1], baseDist+tokDist[val], int32(val), int32(units))
		}
		if found == 0 || firstUnits > 1 {
			relax(&cells[cur], baseDist+pseudoDist, -1, 1)
		}
	}

	// Walk the best path back from the end, then reverse it.
	first := len(s.toks)
	for end := n - 1; end >= 0; {
		c := cells[end]
		first := end - int(c.units) + 1
		t := token{start: s.units[first], end: s.units[end+1], id: c.tok, pos: "x"}
		if c.tok >= 0 {
			t.pos = tokPos[c.tok]
		}
		t.text = text[t.start:t.end]
		t.runes = utf8.RuneCountInString(t.text)
		t.han = isHan(t.text)
		t.start += base
		t.end += base
		s.toks = append(s.toks, t)
		end = first - 1
	}
	for i, j := first, len(s.toks)-1; i < j; i, j = i+1, j-1 {
		s.toks[i], s.toks[j] = s.toks[j], s.toks[i]
	}
	return s.toks
}

// relax is gse's updateJumper: keep the cheaper path, the first one on a tie.
func relax(c *dpCell, dist float32, tok, units int32) {
	if c.dist == 0 || c.dist > dist {
		c.dist, c.tok, c.units = dist, tok, units
	}
}

func isHan(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			continue
		}
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

// freq returns the dictionary frequency of a segmented word, 0 when unknown.
func freq(t token) float64 {
	if t.id < 0 {
		return 0
	}
	return float64(dict.freq[t.id])
}

// Preload loads the segmentation dictionary now (tens of milliseconds),
// so that the first check of a running server does not pay for it; serve
// calls it in the background at start-up.
func Preload() error { return loadSegmenter() }
