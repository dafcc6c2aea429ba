package redact

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// segdict.bin.gz is gse's embedded simplified-Chinese dictionary in a
// compact form written by ./gendict: the keys sorted, with frequencies,
// tags and unit counts. Loading it takes tens of milliseconds where gse's
// own text dictionary takes about two seconds, which a one-line `lvxin
// redact` would otherwise pay.
//
//go:embed segdict.bin.gz
var segdictGz []byte

// segDict is the loaded dictionary. A word's id is its index in the sorted
// keys.
type segDict struct {
	keys     string   // all keys, concatenated in byte order
	off      []uint32 // key i is keys[off[i]:off[i+1]]
	freq     []float32
	tag      []uint8
	tagNames []string
	maxUnits int
	// hanRange[r-hanFirst] is the range of keys starting with the Han
	// character r, so that a lookup starts without a search.
	hanRange []keyRange
	// The keys that start with a Han character and go on with a
	// three-byte character, by their first two characters: for Han
	// character c, second[secondAt[c]:secondAt[c+1]] lists the second
	// characters (packed, ascending) and secondRange the keys of each.
	// Finding the second character of a word is the most frequent step of
	// segmentation, and the first character's keys can run to thousands.
	secondAt    []uint32
	second      []uint32
	secondRange []keyRange
	// byteRange[b] is the range of keys starting with byte b.
	byteRange [256]keyRange
}

type keyRange struct{ lo, hi uint32 }

var errDict = errors.New("分词词典损坏")

// loadDict reads the embedded compact dictionary and fills the per-word
// tables (tokDist, tokPos, tokUnits) as gse's path costs.
func loadDict() (*segDict, error) {
	zr, err := gzip.NewReader(bytes.NewReader(segdictGz))
	if err != nil {
		return nil, fmt.Errorf("%w：%v", errDict, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%w：%v", errDict, err)
	}
	r := dictReader{b: raw}
	if string(r.next(8)) != "lvxseg1\n" {
		return nil, fmt.Errorf("%w：格式标记不对", errDict)
	}
	n := int(r.u32())
	d := &segDict{maxUnits: int(r.u32())}
	total := math.Float64frombits(r.u64())
	ntags := int(r.next(1)[0])
	for range ntags {
		l := int(r.next(1)[0])
		d.tagNames = append(d.tagNames, string(r.next(l)))
	}
	d.keys = string(r.next(int(r.u32())))
	d.off = make([]uint32, n+1)
	for i := range d.off {
		d.off[i] = r.u32()
	}
	d.freq = make([]float32, n)
	for i := range d.freq {
		d.freq[i] = math.Float32frombits(r.u32())
	}
	d.tag = r.next(n)
	units := r.next(n)
	if r.err || len(r.b) != 0 || int(d.off[n]) != len(d.keys) {
		return nil, fmt.Errorf("%w：长度不符", errDict)
	}
	for _, t := range d.tag {
		if int(t) >= len(d.tagNames) {
			return nil, fmt.Errorf("%w：词性编号越界", errDict)
		}
	}
	logTotal := float32(math.Log2(total))
	tokDist = make([]float32, n)
	tokPos = make([]string, n)
	tokUnits = units
	d.hanRange = make([]keyRange, hanLast-hanFirst+1)
	for i := range n {
		tokDist[i] = logTotal - float32(math.Log2(float64(d.freq[i])))
		tokPos[i] = d.tagNames[d.tag[i]]
		k := d.keys[d.off[i]:d.off[i+1]]
		br := &d.byteRange[k[0]]
		if br.hi == 0 {
			br.lo = uint32(i)
		}
		br.hi = uint32(i + 1)
		if len(k) >= 3 {
			if c := hanAt(k); c >= 0 {
				hr := &d.hanRange[c]
				if hr.hi == 0 {
					hr.lo = uint32(i)
				}
				hr.hi = uint32(i + 1)
			}
		}
	}
	d.buildSecond()
	return d, nil
}

// buildSecond fills the second-character table from the sorted keys in
// one pass.
func (d *segDict) buildSecond() {
	d.secondAt = make([]uint32, len(d.hanRange)+1)
	for c, hr := range d.hanRange {
		d.secondAt[c] = uint32(len(d.second))
		for i := int(hr.lo); i < int(hr.hi); i++ {
			k := d.keys[d.off[i]:d.off[i+1]]
			if len(k) < 6 || k[3] < 0xE0 {
				continue
			}
			u := next3(d.keys, int(d.off[i])+3, int(d.off[i+1]))
			if n := len(d.second); n > int(d.secondAt[c]) && d.second[n-1] == u {
				d.secondRange[n-1].hi = uint32(i + 1)
				continue
			}
			d.second = append(d.second, u)
			d.secondRange = append(d.secondRange, keyRange{uint32(i), uint32(i + 1)})
		}
	}
	d.secondAt[len(d.hanRange)] = uint32(len(d.second))
}

// hanAt returns the index in hanRange of the Han character (U+4E00-U+9FFF)
// s starts with, -1 for any other start.
func hanAt(s string) int {
	if len(s) < 3 || s[0] < 0xE4 || s[0] > 0xE9 {
		return -1
	}
	r := rune(s[0]&0x0F)<<12 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F)
	if s[1]&0xC0 != 0x80 || s[2]&0xC0 != 0x80 || r < hanFirst || r > hanLast {
		return -1
	}
	return int(r - hanFirst)
}

type dictReader struct {
	b   []byte
	err bool
}

func (r *dictReader) next(n int) []byte {
	if n < 0 || n > len(r.b) {
		r.err = true
		r.b = nil
		return make([]byte, max(n, 0))
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

func (r *dictReader) u32() uint32 { return binary.LittleEndian.Uint32(r.next(4)) }
func (r *dictReader) u64() uint64 { return binary.LittleEndian.Uint64(r.next(8)) }

// The results of extending a lookup by one unit, as gse's trie answers.
const (
	lookNoKey = iota // no word starts with the bytes so far: stop extending
	lookNoVal        // words start with them, but they are not a word
	lookVal          // they are a word
)

// lookup is a lookup in progress: the range of keys that start with the
// bytes consumed so far. It answers as gse's trie (vcaesar/cedar in its
// reduced form) does, including for a NUL byte, which the trie reads as
// the end of a key: a NUL after a word that has longer words finds the
// word, and any byte after that NUL finds nothing.
type lookup struct {
	lo, hi   int
	depth    int
	terminal int // after a NUL: the word it found, -1 before
	han      int // the first character's index in hanRange, -1 when it is not Han
}

func (d *segDict) start() lookup { return lookup{lo: 0, hi: len(d.off) - 1, terminal: -1, han: -1} }

// extendChar is extend for a three-byte UTF-8 unit at depth > 0. The
// three bytes after the prefix are compared as one number (a key with
// fewer left, which is an ASCII or two-byte character, compares lower, as
// it does byte by byte).
func (d *segDict) extendChar(l *lookup, unit []byte) (int, int) {
	want := uint32(unit[0])<<16 | uint32(unit[1])<<8 | uint32(unit[2])
	if l.depth == 3 && l.han >= 0 {
		// The second character of a word that starts with a Han one.
		from, to := int(d.secondAt[l.han]), int(d.secondAt[l.han+1])
		second := d.second[from:to]
		lo, hi := 0, len(second) // sort.Search, without its call per step
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if second[m] < want {
				lo = m + 1
			} else {
				hi = m
			}
		}
		j := from + lo
		if j == to || d.second[j] != want {
			return lookNoKey, 0
		}
		r := d.secondRange[j]
		l.lo, l.hi, l.depth = int(r.lo), int(r.hi), 6
		if d.keyLen(l.lo) == l.depth {
			return lookVal, l.lo
		}
		return lookNoVal, 0
	}
	start := l.lo
	if l.lo < l.hi && d.keyLen(l.lo) == l.depth {
		start++ // the prefix itself is a word: every later key is longer
	}
	keys, off, depth := d.keys, d.off, l.depth
	lo, hi := start, l.hi
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if next3(keys, int(off[m])+depth, int(off[m+1])) < want {
			lo = m + 1
		} else {
			hi = m
		}
	}
	first := lo
	hi = l.hi
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if next3(keys, int(off[m])+depth, int(off[m+1])) <= want {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if first == lo {
		return lookNoKey, 0
	}
	l.lo, l.hi = first, lo
	l.depth += 3
	if d.keyLen(l.lo) == l.depth {
		return lookVal, l.lo
	}
	return lookNoVal, 0
}

// next3 packs keys[from:end] (at most three bytes, zero-padded) into a
// number that orders as the bytes do.
func next3(keys string, from, end int) uint32 {
	switch end - from {
	case 0:
		return 0
	case 1:
		return uint32(keys[from]) << 16
	case 2:
		return uint32(keys[from])<<16 | uint32(keys[from+1])<<8
	}
	return uint32(keys[from])<<16 | uint32(keys[from+1])<<8 | uint32(keys[from+2])
}

// keyLen returns the length of key i.
func (d *segDict) keyLen(i int) int { return int(d.off[i+1] - d.off[i]) }

// extend consumes unit and returns the lookup result and the word id.
func (d *segDict) extend(l *lookup, unit []byte) (int, int) {
	i := 0
	if l.depth == 0 && len(unit) == 3 {
		if c := hanAt(string(unit)); c >= 0 {
			hr := d.hanRange[c]
			if hr.lo == hr.hi {
				return lookNoKey, 0
			}
			l.lo, l.hi, l.depth, l.han = int(hr.lo), int(hr.hi), 3, c
			i = 3
		}
	}
	if l.depth == 0 && i == 0 && len(unit) > 0 && unit[0] != 0 {
		br := d.byteRange[unit[0]]
		if br.lo == br.hi {
			return lookNoKey, 0
		}
		l.lo, l.hi, l.depth = int(br.lo), int(br.hi), 1
		i = 1
	}
	if i == 0 && l.depth > 0 && l.terminal < 0 && len(unit) == 3 && unit[0] >= 0xE0 {
		// A three-byte character after the first: narrow the range on
		// all three bytes with one pair of binary searches instead of a
		// pair per byte (what the loop below does; the result is the
		// same, as keys are UTF-8 and none ends inside a character).
		return d.extendChar(l, unit)
	}
	for ; i < len(unit); i++ {
		c := unit[i]
		if l.terminal >= 0 {
			return lookNoKey, 0
		}
		exact := l.lo < l.hi && d.keyLen(l.lo) == l.depth
		if c == 0 {
			if !exact || l.hi-l.lo == 1 {
				return lookNoKey, 0
			}
			l.terminal = l.lo
			continue
		}
		start := l.lo
		if exact {
			start++
		}
		// First key in [start, hi) whose byte at depth is >= c, then the
		// first whose byte is > c: every key there is longer than depth.
		lo, hi := start, l.hi
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if d.keys[int(d.off[m])+l.depth] < c {
				lo = m + 1
			} else {
				hi = m
			}
		}
		first := lo
		hi = l.hi
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if d.keys[int(d.off[m])+l.depth] <= c {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if first == lo {
			return lookNoKey, 0
		}
		l.lo, l.hi = first, lo
		l.depth++
	}
	if l.terminal >= 0 {
		return lookVal, l.terminal
	}
	if d.keyLen(l.lo) == l.depth {
		return lookVal, l.lo
	}
	return lookNoVal, 0
}
