package redact

import (
	"fmt"
	"testing"
	"time"
)

func TestZZLoad(t *testing.T) {
	t0 := time.Now()
	if err := loadSegmenter(); err != nil {
		t.Fatal(err)
	}
	d := segmenter.Dict
	total := 0
	for i := range d.Tokens {
		total += len(d.Tokens[i].Text())
	}
	fmt.Println("load", time.Since(t0), "tokens", len(d.Tokens), "bytes", total, "maxlen", d.MaxTokenLen())
	poss := map[string]int{}
	for i := range tokPos {
		poss[tokPos[i]]++
	}
	fmt.Println("pos tags", len(poss))
}
