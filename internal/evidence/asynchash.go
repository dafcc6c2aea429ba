package evidence

import (
	"errors"
	"hash"
	"io"
	"sync"
)

const (
	// hashChunk is the size of each read and of each hand-off to the
	// hashing goroutine: 1 MiB keeps system calls and goroutine wake-ups
	// few (128 KiB chunks were not faster on the benchmark machine).
	hashChunk = 1 << 20
	// hashQueue chunks may wait for the hashing goroutine (8 MiB), so a
	// moment without CPU for one side does not stall the other.
	hashQueue = 8
)

// asyncHashReader reads a file once and hashes it in its own goroutine,
// so that a slow digest (SM3) runs on one core while the blob store
// encrypts the same bytes and computes their SHA-256 on the other. Through
// WriteTo (blob.Store.PutFrom) each chunk is read into a buffer of its own,
// handed to the hashing goroutine first and then written to w: both sides
// read the same buffer and nothing is copied; the buffer is reused only
// once the digest is done with it.
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

// next reads the next chunk into a free buffer and hands it to the hashing
// goroutine; the caller may read (never change) it until its next call.
func (a *asyncHashReader) next() ([]byte, error) {
	b := <-a.free
	n, err := io.ReadFull(a.r, b)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	if n == 0 {
		a.free <- b
		return nil, err
	}
	a.ch <- b[:n]
	if err == io.EOF {
		err = nil // the next call says EOF
	}
	return b[:n], err
}

// WriteTo writes the whole file to w while it is being hashed.
func (a *asyncHashReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		b, err := a.next()
		if len(b) > 0 {
			n, werr := w.Write(b)
			total += int64(n)
			if werr != nil {
				return total, werr
			}
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
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
