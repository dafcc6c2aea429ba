// Command gendict writes segdict.bin.gz, the compact form of gse's embedded
// simplified-Chinese dictionary that the redact package loads instead of
// gse's text dictionary (which takes about 2 s to parse and insert into
// its trie). Run it after changing the gse version:
//
//	go run ./internal/redact/gendict > internal/redact/segdict.bin.gz
//
// The format (little-endian, gzip-compressed) is read by dict.go:
//
//	"lvxseg1\n"
//	uint32 keys, uint32 longest word in units, float64 total frequency
//	uint8 tag count, then each tag as uint8 length + bytes
//	uint32 key bytes, then the keys (sorted bytewise, concatenated)
//	(keys+1) uint32 key offsets
//	keys float32 frequencies, keys uint8 tag indexes, keys uint8 unit counts
//
// The keys are the byte strings gse inserts into its trie, each once; the
// segmenter's tests compare its words with gse's own Segment.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"log"
	"math"
	"os"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

type entry struct {
	key   string
	freq  float32
	tag   string
	units uint8
}

func main() {
	var seg gse.Segmenter
	seg.SkipLog = true
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		log.Fatal(err)
	}
	d := seg.Dict
	var entries []entry
	for i := range d.Tokens {
		tk := &d.Tokens[i]
		key := tk.Text()
		// Keep only the token a lookup of its key reaches (gse keeps the
		// first of duplicate keys).
		if val, _, err := d.Value([]byte(key)); err != nil || val != i {
			continue
		}
		if strings.IndexByte(key, 0) >= 0 || key == "" {
			log.Fatalf("key %q: empty or holds a NUL byte", key)
		}
		f := tk.Freq()
		if float64(float32(f)) != f {
			log.Fatalf("key %q: frequency %v does not fit a float32", key, f)
		}
		entries = append(entries, entry{key: key, freq: float32(f), tag: tk.Pos(), units: uint8(min(countUnits(key), math.MaxUint8))})
	}
	sort.Slice(entries, func(a, b int) bool { return entries[a].key < entries[b].key })

	tags := map[string]uint8{}
	var tagList []string
	for _, e := range entries {
		if _, ok := tags[e.tag]; !ok {
			if len(tagList) == 255 {
				log.Fatal("more than 255 tags")
			}
			tags[e.tag] = uint8(len(tagList))
			tagList = append(tagList, e.tag)
		}
	}

	zw, err := gzip.NewWriterLevel(os.Stdout, gzip.BestCompression)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(zw)
	le := binary.LittleEndian
	put := func(v any) {
		if err := binary.Write(w, le, v); err != nil {
			log.Fatal(err)
		}
	}
	w.WriteString("lvxseg1\n")
	put(uint32(len(entries)))
	put(uint32(d.MaxTokenLen()))
	put(d.TotalFreq())
	put(uint8(len(tagList)))
	for _, t := range tagList {
		put(uint8(len(t)))
		w.WriteString(t)
	}
	total := 0
	for _, e := range entries {
		total += len(e.key)
	}
	put(uint32(total))
	for _, e := range entries {
		w.WriteString(e.key)
	}
	off := uint32(0)
	for _, e := range entries {
		put(off)
		off += uint32(len(e.key))
	}
	put(off)
	for _, e := range entries {
		put(e.freq)
	}
	for _, e := range entries {
		put(tags[e.tag])
	}
	for _, e := range entries {
		put(e.units)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "%d keys, %d key bytes, %d tags\n", len(entries), total, len(tagList))
}

// countUnits counts units as the segmenter splits text: one per character,
// one per run of Latin letters and digits.
func countUnits(s string) int {
	n, inAlnum := 0, false
	for _, r := range s {
		alnum := utf8.RuneLen(r) <= 2 && (unicode.IsLetter(r) || unicode.IsNumber(r))
		if !alnum || !inAlnum {
			n++
		}
		inAlnum = alnum
	}
	return n
}
