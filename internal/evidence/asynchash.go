package evidence

import (
	"hash"
	"sync"
)

// asyncChunk is the hand-off size between the reading goroutine and the
// hashing goroutine: large enough that channel operations cost nothing.
const asyncChunk = 1 << 20

// asyncHash hashes what is written to it in its own goroutine, so that a
// slow digest (SM3) runs on one core while the blob store encrypts and
// computes SHA-256 on the other; the file is still read only once. Bytes
// are copied into one of three 1 MiB buffers, so the caller's buffer can be
// reused at once.
type asyncHash struct {
	h    hash.Hash
	ch   chan []byte
	free chan []byte
	cur  []byte
	done chan struct{}
	once sync.Once
	sum  []byte
}

func newAsyncHash(h hash.Hash) *asyncHash {
	a := &asyncHash{h: h, ch: make(chan []byte, 2), free: make(chan []byte, 3), done: make(chan struct{})}
	for range 3 {
		a.free <- make([]byte, 0, asyncChunk)
	}
	a.cur = <-a.free
	go func() {
		for b := range a.ch {
			a.h.Write(b)
			a.free <- b[:0]
		}
		close(a.done)
	}()
	return a
}

// Write never fails.
func (a *asyncHash) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(cap(a.cur)-len(a.cur), len(p))
		a.cur = append(a.cur, p[:k]...)
		p = p[k:]
		if len(a.cur) == cap(a.cur) {
			a.ch <- a.cur
			a.cur = <-a.free
		}
	}
	return n, nil
}

// Sum waits for the hashing goroutine and returns the digest. It also ends
// the goroutine, so call it (or Close) on every path.
func (a *asyncHash) Sum() []byte {
	a.once.Do(func() {
		if len(a.cur) > 0 {
			a.ch <- a.cur
		}
		close(a.ch)
		<-a.done
		a.sum = a.h.Sum(nil)
	})
	return a.sum
}

// Close ends the goroutine.
func (a *asyncHash) Close() { a.Sum() }
