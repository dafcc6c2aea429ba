package redact

import (
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTokenAtMatchesBinarySearch holds the galloping tokenAt to a plain
// sort.Search over token lists of every shape: contiguous or with gaps,
// short and long tokens, offsets before, inside and after them.
func TestTokenAtMatchesBinarySearch(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for round := 0; round < 3000; round++ {
		n := r.IntN(40)
		toks := make([]token, n)
		pos := r.IntN(5)
		for i := range toks {
			pos += r.IntN(3) // a gap, sometimes
			w := 1 + r.IntN(4)
			if r.IntN(10) == 0 {
				w = 50 + r.IntN(300) // an opaque clause
			}
			toks[i] = token{start: pos, end: pos + w}
			pos += w
		}
		for off := -2; off <= pos+2; off++ {
			want := sort.Search(len(toks), func(i int) bool { return toks[i].end > off })
			if got := tokenAt(toks, off); got != want {
				t.Fatalf("round %d, offset %d over %v: tokenAt = %d, want %d", round, off, toks, got, want)
			}
		}
	}
}

// TestTokenAtOnSegmentedText checks the same on a real segmentation.
func TestTokenAtOnSegmentedText(t *testing.T) {
	s := scratchPool.Get().(*segScratch)
	defer scratchPool.Put(s)
	text := "原告张伟诉被告王芳民间借贷纠纷一案，联系电话13812345678。北京市朝阳区人民法院判决被告支付货款。"
	toks := segmentClauses(s, text)
	for off := 0; off <= len(text); off++ {
		want := sort.Search(len(toks), func(i int) bool { return toks[i].end > off })
		if got := tokenAt(toks, off); got != want {
			t.Fatalf("offset %d: tokenAt = %d, want %d", off, got, want)
		}
	}
}

// FuzzHotPaths holds the hand-written scanners of the hot paths to the
// library functions they replace, on any input, valid UTF-8 or not.
func FuzzHotPaths(f *testing.F) {
	for _, s := range []string{"", "原告张伟，诉被告。王芳；", "a\nb！c？", "\xef\xbc", "\xe3\x80\x82x", "（2023）京01民初1号", "\xef(", "ab\xe4\xb8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.IndexAny(s, clauseEnds)
		got, size := indexClauseEnd(s)
		if !utf8.ValidString(s) {
			// On invalid text (never given to the scanners) only a found
			// end must be a real one.
			if got >= 0 && (size == 0 || !strings.Contains(clauseEnds, s[got:got+size])) {
				t.Fatalf("%q: end at %d is not a clause end", s, got)
			}
			return
		}
		if got != want {
			t.Fatalf("%q: indexClauseEnd = %d, strings.IndexAny = %d", s, got, want)
		}
		if got >= 0 {
			if _, w := utf8.DecodeRuneInString(s[got:]); w != size {
				t.Fatalf("%q: size %d, want %d", s, size, w)
			}
		}
		for i := 0; i < len(s); i++ {
			r, n := decodeAt(s, i)
			wr, wn := utf8.DecodeRuneInString(s[i:])
			if r != wr || n != wn {
				t.Fatalf("%q at %d: decodeAt = %q/%d, utf8 = %q/%d", s, i, r, n, wr, wn)
			}
		}
	})
}

// TestScanCaseNumbersMatchesIndexAny holds the two-cursor bracket search
// to the strings.IndexAny loop it replaced.
func TestScanCaseNumbersMatchesIndexAny(t *testing.T) {
	ref := func(text string) []Finding {
		var out []Finding
		for off := 0; off < len(text); {
			i := strings.IndexAny(text[off:], "(（")
			if i < 0 {
				return out
			}
			i += off
			off = i + 1
			if m := caseNumber.FindStringIndex(text[i:]); m != nil {
				end := i + m[1]
				out = append(out, Finding{Type: TypeCaseNumber, Start: i, End: end, Text: text[i:end], Confidence: 0.95})
				off = end
			}
		}
		return out
	}
	parts := []string{"(2023)京0105民初1234号", "（2021）沪01民终88号", "(", "（", "）", "案号", "abc", "(2020", "（2019）粤03执1号、", "\n"}
	r := rand.New(rand.NewPCG(3, 5))
	for round := 0; round < 2000; round++ {
		var b strings.Builder
		for n := r.IntN(12); n > 0; n-- {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		text := b.String()
		got, want := scanCaseNumbers(text, nil), ref(text)
		if len(got) != len(want) {
			t.Fatalf("%q: %v, want %v", text, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%q: %v, want %v", text, got, want)
			}
		}
	}
}

// TestOccurrencesMatchesIndexLoop holds the one-pass search to a
// strings.Index loop per name, names overlapping themselves and each other.
func TestOccurrencesMatchesIndexLoop(t *testing.T) {
	pieces := []string{"张伟", "张", "伟", "王芳", "芳芳", "欧阳娜娜", "娜", "，", "a", "张张", "李建华", "李"}
	r := rand.New(rand.NewPCG(9, 4))
	for round := 0; round < 3000; round++ {
		var b strings.Builder
		for n := r.IntN(30); n > 0; n-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		var names []string
		for n := 1 + r.IntN(4); n > 0; n-- {
			names = append(names, pieces[r.IntN(len(pieces))])
		}
		got := occurrences(text, names)
		for k, name := range names {
			var want []int
			for off := 0; off < len(text); {
				j := strings.Index(text[off:], name)
				if j < 0 {
					break
				}
				want = append(want, off+j)
				off += j + len(name)
			}
			if len(got[k]) != len(want) {
				t.Fatalf("%q in %q: %v, want %v", name, text, got[k], want)
			}
			for i := range want {
				if got[k][i] != want[i] {
					t.Fatalf("%q in %q: %v, want %v", name, text, got[k], want)
				}
			}
		}
	}
}

// TestScanWordsHalvesMatchSerial: the two-goroutine scan of a long text
// finds exactly what one pass over its chunks finds, in the same order,
// on the post corpus repeated and cut at arbitrary places.
func TestScanWordsHalvesMatchSerial(t *testing.T) {
	var b strings.Builder
	for _, s := range loadCorpus(t) {
		b.WriteString(s.text)
		b.WriteByte('\n')
	}
	posts := b.String()
	r := rand.New(rand.NewPCG(5, 8))
	for round := 0; round < 6; round++ {
		var t2 strings.Builder
		for t2.Len() < parallelMin+r.IntN(3*parallelMin) {
			from := r.IntN(len(posts))
			for !utf8.RuneStart(posts[from]) {
				from--
			}
			t2.WriteString(posts[from:])
		}
		text := t2.String()
		got := scanWords(text, nil)
		want := scanChunks(text, 0, len(text), nil)
		if len(got) != len(want) {
			t.Fatalf("round %d (%d bytes): %d findings in halves, %d serially", round, len(text), len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("round %d: finding %d is %+v in halves, %+v serially", round, i, got[i], want[i])
			}
		}
	}
}
