package evidence

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/emmansun/gmsm/sm3"
)

// The reader hands every byte to w and to the digest, in order, whatever
// the sizes of the source's reads.
func TestAsyncHashReader(t *testing.T) {
	for _, size := range []int{0, 1, hashChunk - 1, hashChunk, hashChunk + 1, 3*hashChunk + 4321, hashQueue*hashChunk + 77} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i*31 + i/hashChunk)
		}
		want := sm3.Sum(data)
		for name, src := range map[string]io.Reader{
			"whole": bytes.NewReader(data),
			"half":  iotest.HalfReader(bytes.NewReader(data)),
		} {
			a := newAsyncHashReader(src, sm3.New())
			var out bytes.Buffer
			n, err := a.WriteTo(&out)
			if err != nil || n != int64(size) || !bytes.Equal(out.Bytes(), data) {
				t.Fatalf("%d bytes, %s: wrote %d, %v", size, name, n, err)
			}
			if got := a.Sum(); !bytes.Equal(got, want[:]) {
				t.Fatalf("%d bytes, %s: SM3 %x, want %x", size, name, got, want)
			}
			a.Close() // a second call is harmless
		}
	}
}

type failingWriter struct{ after int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after <= 0 {
		return 0, errors.New("disk full")
	}
	w.after--
	return len(p), nil
}

// Errors of the source and of the writer end WriteTo, and the hashing
// goroutine still ends on Close.
func TestAsyncHashReaderErrors(t *testing.T) {
	data := make([]byte, 5*hashChunk)
	a := newAsyncHashReader(bytes.NewReader(data), sha256.New())
	if _, err := a.WriteTo(&failingWriter{after: 2}); err == nil || err.Error() != "disk full" {
		t.Fatalf("writer error: %v", err)
	}
	a.Close()
	boom := errors.New("read failed")
	a = newAsyncHashReader(io.MultiReader(bytes.NewReader(data[:hashChunk+5]), iotest.ErrReader(boom)), sha256.New())
	if n, err := a.WriteTo(io.Discard); !errors.Is(err, boom) || n != hashChunk+5 {
		t.Fatalf("reader error: %d, %v", n, err)
	}
	a.Close()
}
