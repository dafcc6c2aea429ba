package redact

import (
	"sync"
	"testing"

	"github.com/go-ego/gse"
)

// gse's own segmenter and dictionary, the reference the compact dictionary
// (dict.go, written by ./gendict) and the segmenter must agree with.
var (
	refOnce sync.Once
	refSeg  gse.Segmenter
	refErr  error
)

func loadRef(t testing.TB) *gse.Segmenter {
	t.Helper()
	refOnce.Do(func() {
		refSeg.SkipLog = true
		refErr = refSeg.LoadDictEmbed("zh_s")
	})
	if refErr != nil {
		t.Fatal(refErr)
	}
	if err := loadSegmenter(); err != nil {
		t.Fatal(err)
	}
	return &refSeg
}

// TestCompactDictMatchesGse: every word of gse's dictionary is found in the
// compact one with the same frequency, tag and unit count, and nothing else
// is (the file is current with the gse version in go.mod).
func TestCompactDictMatchesGse(t *testing.T) {
	ref := loadRef(t)
	n := 0
	for i := range ref.Dict.Tokens {
		tk := &ref.Dict.Tokens[i]
		key := tk.Text()
		if val, _, err := ref.Dict.Value([]byte(key)); err != nil || val != i {
			continue // a duplicate key gse does not reach
		}
		n++
		look := dict.start()
		var res, id int
		for j := 0; j < len(key); {
			_, size := decodeUnit(key[j:])
			res, id = dict.extend(&look, []byte(key[j:j+size]))
			j += size
		}
		if res != lookVal {
			t.Fatalf("%q missing from the compact dictionary", key)
		}
		if float64(dict.freq[id]) != tk.Freq() || tokPos[id] != tk.Pos() {
			t.Fatalf("%q: freq %v tag %s, gse %v %s", key, dict.freq[id], tokPos[id], tk.Freq(), tk.Pos())
		}
	}
	if n != len(tokDist) {
		t.Fatalf("compact dictionary has %d words, gse reaches %d: run go run ./internal/redact/gendict", len(tokDist), n)
	}
}

// decodeUnit returns the first byte-level piece of s (one UTF-8 character),
// enough for walking a key.
func decodeUnit(s string) (rune, int) {
	for i := 1; i < len(s); i++ {
		if s[i]&0xC0 != 0x80 {
			return 0, i
		}
	}
	return 0, len(s)
}
