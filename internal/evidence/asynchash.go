package evidence

import (
	"hash"
	"io"
	"sync"
)

const (
	// hashChunk is the size of each hand-off to the hashing goroutine:
	// 1 MiB keeps goroutine wake-ups few.
	hashChunk = 1 << 20
	// readPiece is the size of each read: a piece is encrypted and
	// digested right after it is read, while it is still in the cache.
	readPiece = 64 << 10
	// hashQueue chunks may wait for the hashing goroutine (8 MiB), so a
	// moment without CPU for one side does not stall the other.
	hashQueue = 8
)

// asyncHashReader reads a file once and hashes it in its own goroutine,
// so that a slow digest (SM3) runs on one core while the blob store
// encrypts the same bytes and computes their SHA-256 on the other. Through
// WriteTo (blob.Store.PutFrom) the file is read into buffers of its own,
// written to w piece by piece and then handed to the hashing goroutine:
// both sides read the same buffer and nothing is copied; a buffer is reused
// only once the digest is done with it.
type asyncHashReader struct {
	r    io.Reader
	h    hash.Hash
	ch   chan []byte
	free chan []byte
	done chan struct{}
	once sync.Once
	sum  []byte
}

func newAsyncHashReader(r io.Reader, h hash.Hash) *asyncHashReader {
	a := &asyncHashReader{r: r, h: h, ch: make(chan []byte, hashQueue), free: make(chan []byte, hashQueue),
		done: make(chan struct{})}
	for range hashQueue {
		a.free <- make([]byte, hashChunk)
	}
	go func() {
		for b := range a.ch {
			a.h.Write(b)
			a.free <- b[:cap(b)]
		}
		close(a.done)
	}()
	return a
}

// WriteTo writes the whole file to w while it is being hashed. Each buffer
// is filled readPiece bytes at a time and every piece goes to w at once,
// while it is still in the CPU's cache (w encrypts it and computes its
// SHA-256); the full buffer then goes to the hashing goroutine.
func (a *asyncHashReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		b := <-a.free
		n := 0
		var rerr error
		for n < len(b) && rerr == nil {
			var k int
			k, rerr = a.r.Read(b[n:min(n+readPiece, len(b))])
			if k > 0 {
				written, werr := w.Write(b[n : n+k])
				total += int64(written)
				if werr != nil {
					a.free <- b
					return total, werr
				}
				n += k
			}
		}
		if n > 0 {
			a.ch <- b[:n]
		} else {
			a.free <- b
		}
		if rerr == io.EOF {
			return total, nil
		}
		if rerr != nil {
			return total, rerr
		}
	}
}

// Sum waits for the hashing goroutine and returns the digest of what was
// read. It also ends the goroutine, so call it (or Close) on every path.
func (a *asyncHashReader) Sum() []byte {
	a.once.Do(func() {
		close(a.ch)
		<-a.done
		a.sum = a.h.Sum(nil)
	})
	return a.sum
}

// Close ends the goroutine.
func (a *asyncHashReader) Close() { a.Sum() }
