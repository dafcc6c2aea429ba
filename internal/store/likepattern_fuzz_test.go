package store

import (
	"strings"
	"testing"
)

// FuzzLikePattern: a typed search term becomes a LIKE pattern in which
// every LIKE wildcard of the input is escaped, so a term never matches
// more than its own characters (brackets of either width aside).
func FuzzLikePattern(f *testing.F) {
	for _, seed := range []string{"（2026）京0105民初100号", "(2026)", "100%", "a_b", `back\slash`, "", "  甲公司  "} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, q string) {
		p := likePattern(q)
		if !strings.HasPrefix(p, "%") || !strings.HasSuffix(p, "%") {
			t.Fatalf("pattern %q is not anchored by %%", p)
		}
		inner := []rune(p[1 : len(p)-1])
		for i := 0; i < len(inner); i++ {
			switch inner[i] {
			case '\\':
				if i+1 >= len(inner) || !strings.ContainsRune(`%_\`, inner[i+1]) {
					t.Fatalf("dangling escape in %q", p)
				}
				i++
			case '%':
				t.Fatalf("unescaped %% in %q (from %q)", p, q)
			}
		}
	})
}

func TestLikePattern(t *testing.T) {
	for q, want := range map[string]string{
		"(2026)京": "%_2026_京%", "100%": `%100\%%`, "a_b": `%a\_b%`, " 甲 ": "%甲%",
	} {
		if got := likePattern(q); got != want {
			t.Errorf("likePattern(%q) = %q, want %q", q, got, want)
		}
	}
}
