package redact

import (
	"strings"
	"testing"
)

// TestSegmentMatchesGse checks that the allocation-free segmenter splits
// text exactly as gse's own Segment does, with the same tags.
func TestSegmentMatchesGse(t *testing.T) {
	segmenter := loadRef(t)
	texts := []string{
		"", "a", "ABC公司123号", "Hello, World！B超检查3D打印", "原告张伟诉被告王芳，电话138 1234 5678。",
		"２０２３年ｅｍａｉｌ：zhang@163.COM", "\xff\xfe不是UTF-8", "ελληνικά кириллица 한국어 にほんご",
	}
	for _, s := range loadCorpus(t) {
		texts = append(texts, s.text)
	}
	texts = append(texts, strings.Join(texts, "\n"))
	var s segScratch
	for _, text := range texts {
		s.toks = s.toks[:0]
		got := segmentInto(&s, text, 0)
		want := segmenter.Segment([]byte(text))
		if len(got) != len(want) {
			t.Fatalf("%q: %d words, gse %d", text, len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			if g.start != w.Start() || g.end != w.End() || g.pos != w.Token().Pos() {
				t.Fatalf("%q word %d: %q/%s at %d-%d, gse %q/%s at %d-%d", text, i,
					g.text, g.pos, g.start, g.end, text[w.Start():w.End()], w.Token().Pos(), w.Start(), w.End())
			}
		}
	}
}

// TestNoWordAcrossClauseEnds backs segmentClauses: when no dictionary word
// contains a clause end, segmenting clause by clause cannot split a word.
func TestNoWordAcrossClauseEnds(t *testing.T) {
	segmenter := loadRef(t)
	for _, tk := range segmenter.Dict.Tokens {
		if w := tk.Text(); len(w) > 1 && strings.ContainsAny(w, clauseEnds) {
			t.Errorf("dictionary word %q contains a clause end", w)
		}
	}
}

func FuzzSegment(f *testing.F) {
	f.Add("原告张伟诉被告王芳，电话138 1234 5678。")
	f.Add("ABC公司123号B超3D打印")
	f.Add("公\x00司\x00")
	segmenter := loadRef(f)
	f.Fuzz(func(t *testing.T, text string) {
		var s segScratch
		got := segmentInto(&s, text, 0)
		want := segmenter.Segment([]byte(text))
		if len(got) != len(want) {
			t.Fatalf("%d words, gse %d", len(got), len(want))
		}
		for i, w := range want {
			if got[i].start != w.Start() || got[i].end != w.End() || got[i].pos != w.Token().Pos() {
				t.Fatalf("word %d: %d-%d/%s, gse %d-%d/%s", i, got[i].start, got[i].end, got[i].pos, w.Start(), w.End(), w.Token().Pos())
			}
		}
	})
}
