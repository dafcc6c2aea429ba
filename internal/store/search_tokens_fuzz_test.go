package store

import (
	"slices"
	"testing"
)

// FuzzQueryTokenGroups: a typed search term's tokens, group by group, are
// tokens a message holding the term has in the index (so leaving some of a
// group's bigrams out of the MATCH, sparseTokens, never loses a message
// that the exact check keeps), every group of two or more is the bigrams of
// one CJK run, and QueryTokens is the groups' tokens, each once.
func FuzzQueryTokenGroups(f *testing.F) {
	for _, seed := range []string{"律师费", "劳动合同法第3条", "Word文档 2024年", "合同法律", "ｗｏｒｄ律师", "。！", "", "A股", "한국어 テスト", "a-b_c"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, term string) {
		indexed := indexTokens(nil, " "+term+" ")
		var flat []string
		for _, g := range queryTokenGroups(term) {
			if len(g) == 0 {
				t.Fatalf("%q: an empty group", term)
			}
			for _, tok := range g {
				if !slices.Contains(indexed, tok) {
					t.Fatalf("%q: query token %q is not among the index tokens %q of a message holding the term", term, tok, indexed)
				}
			}
			if len(g) > 1 {
				for i := 1; i < len(g); i++ {
					a, b := []rune(g[i-1]), []rune(g[i])
					if len(a) != 2 || len(b) != 2 || a[1] != b[0] || !isCJK(a[0]) || !isCJK(b[1]) {
						t.Fatalf("%q: group %q is not the bigrams of one CJK run", term, g)
					}
				}
			}
			flat = append(flat, g...)
		}
		if got := QueryTokens(term); !slices.Equal(got, uniqueTokens(flat)) {
			t.Fatalf("%q: QueryTokens %q, groups %q", term, got, flat)
		}
	})
}
