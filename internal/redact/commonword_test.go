package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestFrequentWordsAreNotNames puts every frequent two- or three-character
// dictionary word that starts with a surname character and is not tagged as
// a name (应当, 方面, 房屋, 明确 …) right after a role word and at the start
// of a clause, where names are most readily taken, and expects no name.
func TestFrequentWordsAreNotNames(t *testing.T) {
	segmenter := loadRef(t)
	templates := []string{"根据合同，对方%s违约责任。", "被告%s支付货款。", "原告%s，被告不同意。", "%s的问题需要尽快处理。"}
	checked := 0
	for _, tk := range segmenter.Dict.Tokens {
		w := tk.Text()
		if n := utf8.RuneCountInString(w); n < 2 || n > 3 || !isHan(w) || tk.Freq() < 300 || nameTag(tk.Pos()) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(w); !mayStartName(r) {
			continue
		}
		checked++
		for _, tmpl := range templates {
			s := strings.Replace(tmpl, "%s", w, 1)
			at := strings.Index(s, w)
			for _, f := range Detect(s, Options{}) {
				if f.Type == TypePerson && f.Start == at {
					t.Errorf("%q (%s, %.0f): name %q", s, tk.Pos(), tk.Freq(), f.Text)
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d words checked; dictionary not loaded?", checked)
	}
}
