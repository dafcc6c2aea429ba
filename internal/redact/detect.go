package redact

import (
	"runtime"
	"sort"
	"strings"
	"unicode/utf8"
)

// nameFloor is the lowest confidence at which a name, organisation or
// address is reported; below it precision on the corpus drops sharply.
const nameFloor = 0.6

// Detect returns the personal data in text, sorted by position, without
// overlaps (where candidates overlap, a known name beats a structured
// identifier, which beats the longer name, organisation or address).
func Detect(text string, opts Options) []Finding {
	return detectWith(text, opts, nil)
}

// detectWith is Detect with an optional prebuilt known-name matcher.
func detectWith(text string, opts Options, known *knownMatcher) []Finding {
	if text == "" {
		return nil
	}
	scan := text
	if !utf8.ValidString(text) {
		scan = blankInvalid(text)
	}
	// About one finding per 100 bytes in dense texts: reserving room up
	// front saves copying the candidates over and over as they grow.
	cands := make([]Finding, 0, len(text)/100+8)
	if known == nil && len(opts.KnownNames) > 0 {
		known = newKnownMatcher(opts.KnownNames)
	}
	if known != nil {
		cands = known.find(scan, cands)
	}
	triggers := findTriggers(scan)
	cands = scanStructured(scan, cands)
	cands = scanAccounts(scan, triggers, cands)
	cands = scanCaseNumbers(scan, cands)
	cands = scanWords(scan, cands)
	cands = dropNewsSubjects(scan, triggers, cands)
	cands = dropPublicNames(scan, cands)
	cands = scanSensitive(scan, triggers, cands)

	kept := resolve(cands)
	out := kept[:0]
	own := newOwnSet(opts.Own)
	for _, f := range kept {
		if f.Confidence < opts.MinConfidence || (!f.Type.Structured() && f.Confidence < nameFloor) {
			continue
		}
		f.Text = text[f.Start:f.End]
		f.Own = own.has(f)
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// chunkSize bounds the text segmented at once, so that the word buffers
// stay small and are reused on large inputs.
const chunkSize = 4096

// parallelMin is the smallest text whose chunks scanWords shares between
// two goroutines: below it (a post, a message) the hand-over costs more
// than it saves.
const parallelMin = 64 << 10

// scanWords segments the text chunk by chunk (cut after sentence
// punctuation) and looks for names, organisations and addresses in each.
// The chunks are independent (every scanner looks only within its chunk),
// so a long text's chunks are cut in two at the chunk boundary nearest the
// middle and the halves scanned at once on two cores; the findings are the
// serial ones, in the same order. About four fifths of the redaction's
// time is spent here.
func scanWords(text string, out []Finding) []Finding {
	if len(text) < parallelMin || runtime.GOMAXPROCS(0) < 2 {
		return scanChunks(text, 0, len(text), out)
	}
	mid := 0
	for mid < len(text)/2 {
		mid = chunkEnd(text, mid) // the boundaries the serial loop makes
	}
	var second []Finding
	var failed any
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { failed = recover() }() // re-raised in the caller's goroutine
		second = scanChunks(text, mid, len(text), nil)
	}()
	out = scanChunks(text, 0, mid, out)
	<-done
	if failed != nil {
		panic(failed)
	}
	return append(out, second...)
}

// scanChunks scans the chunks of text from offset from (a chunk boundary)
// up to offset to (a chunk boundary, or the end).
func scanChunks(text string, from, to int, out []Finding) []Finding {
	s := scratchPool.Get().(*segScratch)
	defer scratchPool.Put(s)
	for base := from; base < to; {
		end := chunkEnd(text, base)
		chunk := text[base:end]
		toks := segmentClauses(s, chunk)
		from := len(out)
		out = scanPersons(chunk, toks, out)
		out = scanReferences(chunk, toks, out)
		out = repeatNames(chunk, out, from)
		out = scanOrgs(chunk, toks, out)
		out = scanAddresses(chunk, toks, out)
		for i := from; i < len(out); i++ {
			out[i].Start += base
			out[i].End += base
		}
		base = end
	}
	return out
}

// repeatNames adds the other occurrences, in the same chunk, of the names
// found in it (out[from:]): once a sentence has shown that 孙瑶 is a
// person, 孙瑶今年十岁 later on is the same person even where the words
// around it alone would not say so. References (李总) and one-character
// names are left to their own rules.
func repeatNames(chunk string, out []Finding, from int) []Finding {
	to := len(out)
	if to == from {
		return out
	}
	taken := make([]span, 0, to-from)
	starts := make(map[int]int, to-from) // start -> end of the findings so far
	for _, f := range out[from:to] {
		taken = append(taken, span{f.Start, f.End})
		starts[f.Start] = f.End
	}
	seen := make(map[string]bool, to-from)
	var names []string
	var conf []float64
	for i := from; i < to; i++ {
		f := out[i]
		name := chunk[f.Start:f.End]
		if f.Type != TypePerson || f.Confidence < 0.7 || seen[name] || utf8.RuneCountInString(name) < 2 || refOf(name) != "" {
			continue
		}
		seen[name] = true
		names = append(names, name)
		conf = append(conf, f.Confidence)
	}
	for k, occ := range occurrences(chunk, names) {
		name := names[k]
		for _, s := range occ {
			e := s + len(name)
			if end, ok := starts[s]; ok && end == e || overlapsAny(taken, s, e) {
				continue // most occurrences are findings already: skip the scan over all spans
			}
			out = append(out, Finding{Type: TypePerson, Start: s, End: e, Text: name, Confidence: conf[k]})
			taken = append(taken, span{s, e})
		}
	}
	return out
}

// occurrences returns, for each of names (valid UTF-8, not empty), the
// starts of its occurrences in text from left to right, each search going
// on after the previous match as strings.Index in a loop would. It makes
// one pass over text for all the names: a strings.Index loop per name
// stops at every byte equal to the name's first one, and in Chinese text
// most characters share a handful of lead bytes, so a chunk with twenty
// names was read twenty times at a few bytes per step (a sixth of the
// redaction time on the post corpus).
func occurrences(text string, names []string) [][]int {
	occ := make([][]int, len(names))
	if len(names) == 0 {
		return occ
	}
	var filter [16]uint64 // first runes of the names, by their low 10 bits
	byFirst := make(map[rune][]int, len(names))
	for k, name := range names {
		r, _ := decodeAt(name, 0)
		filter[r>>6&15] |= 1 << (r & 63)
		byFirst[r] = append(byFirst[r], k)
	}
	next := make([]int, len(names)) // where each name's search goes on
	for i := 0; i < len(text); {
		r, size := decodeAt(text, i)
		if filter[r>>6&15]&(1<<(r&63)) != 0 {
			for _, k := range byFirst[r] {
				if i >= next[k] && strings.HasPrefix(text[i:], names[k]) {
					occ[k] = append(occ[k], i)
					next[k] = i + len(names[k])
				}
			}
		}
		i += size
	}
	return occ
}

func overlapsAny(spans []span, s, e int) bool {
	for _, sp := range spans {
		if s < sp.end && sp.start < e {
			return true
		}
	}
	return false
}

// clauseEnds end the pieces segmented separately. gse has no word across
// them, so segmenting piece by piece gives the same words as the whole.
const clauseEnds = "，。；！？\n"

// segmentClauses segments the clauses of text that may hold a name, an
// organisation or an address; every other clause becomes one opaque token
// (tag "x", not Han), which no scanner looks into.
func segmentClauses(s *segScratch, text string) []token {
	s.toks = s.toks[:0]
	for start := 0; start < len(text); {
		end := len(text)
		if i, size := indexClauseEnd(text[start:]); i >= 0 {
			end = start + i + size
		}
		clause := text[start:end]
		if mayHoldWords(clause) {
			segmentInto(s, clause, start)
		} else {
			s.toks = append(s.toks, token{start: start, end: end, text: clause, pos: "x", id: -1, runes: utf8.RuneCountInString(clause)})
		}
		start = end
	}
	return s.toks
}

// indexClauseEnd returns the offset and size of the first of clauseEnds in
// text, or -1. strings.IndexAny with a set of non-ASCII characters decodes
// each rune and looks it up in the set, a twentieth of the redaction's
// time; here the lead byte says how far to step, and only the lead bytes of
// the full-width punctuation (EF, E3) and '\n' are looked at.
func indexClauseEnd(text string) (int, int) {
	for i := 0; i < len(text); {
		switch b := text[i]; {
		case b == '\n':
			return i, 1
		case b < utf8.RuneSelf:
			i++
		case b == 0xEF || b == 0xE3:
			if i+3 <= len(text) && strings.Contains(clauseEnds, text[i:i+3]) {
				return i, 3
			}
			_, size := decodeAt(text, i)
			i += size
		default:
			_, size := decodeAt(text, i)
			i += size
		}
	}
	return -1, 0
}

// mayHoldWords reports whether clause has a surname character followed by
// another Han character, a doubled Han character (a pet name such as 朵朵),
// or an organisation suffix or address marker.
func mayHoldWords(clause string) bool {
	prevName := false
	var prev rune
	for i := 0; i < len(clause); {
		r, size := decodeAt(clause, i)
		i += size
		if prevName && r >= hanFirst && r <= hanLast && classOf(r)&classStop == 0 || r == prev && isHanRune(r) && !strings.ContainsRune(notNicknames, r) {
			return true
		}
		prevName = mayStartName(r)
		prev = r
	}
	if i, _ := orgFinder.find(clause, 0); i >= 0 {
		return true
	}
	i, _ := addressFinder.find(clause, 0)
	return i >= 0
}

// chunkEnd returns where the chunk starting at base should end: after the
// last sentence end or line break within chunkSize bytes, or failing that at
// a character boundary.
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

// blankInvalid replaces every byte of an invalid UTF-8 sequence by a space,
// so offsets into the copy are offsets into the original.
func blankInvalid(text string) string {
	b := []byte(text)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			b[i] = ' '
		}
		i += size
	}
	return string(b)
}

// group orders candidate kinds for overlap resolution.
func group(f Finding) int {
	switch {
	case f.Confidence >= 1:
		return 0
	case f.Type.Structured():
		return 1
	}
	return 2
}

// resolve removes overlaps: candidates are clustered by overlap and, within
// a cluster, accepted greedily by group, then length, then confidence.
func resolve(cands []Finding) []Finding {
	sort.Slice(cands, func(a, b int) bool {
		if cands[a].Start != cands[b].Start {
			return cands[a].Start < cands[b].Start
		}
		return cands[a].End > cands[b].End
	})
	var out []Finding
	for i := 0; i < len(cands); {
		j, end := i+1, cands[i].End
		for j < len(cands) && cands[j].Start < end {
			if cands[j].End > end {
				end = cands[j].End
			}
			j++
		}
		out = append(out, pick(cands[i:j])...)
		i = j
	}
	return out
}

func pick(cluster []Finding) []Finding {
	if len(cluster) == 1 {
		return cluster
	}
	order := append([]Finding(nil), cluster...)
	sort.SliceStable(order, func(a, b int) bool {
		fa, fb := order[a], order[b]
		if group(fa) != group(fb) {
			return group(fa) < group(fb)
		}
		if la, lb := fa.End-fa.Start, fb.End-fb.Start; la != lb {
			return la > lb
		}
		return fa.Confidence > fb.Confidence
	})
	var kept []Finding
	for _, f := range order {
		overlaps := false
		for _, k := range kept {
			if f.Start < k.End && k.Start < f.End {
				overlaps = true
				break
			}
		}
		if !overlaps {
			kept = append(kept, f)
		}
	}
	sort.Slice(kept, func(a, b int) bool { return kept[a].Start < kept[b].Start })
	return kept
}
