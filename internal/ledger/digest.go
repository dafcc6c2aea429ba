package ledger

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"sync"

	"github.com/emmansun/gmsm/sm3"
)

// Digests are the two digests recorded for every preserved file.
type Digests struct {
	SHA256 string // lowercase hex
	SM3    string // lowercase hex
	Size   int64
}

// parallelMinBytes is the write size from which SHA-256 runs in its own
// goroutine beside SM3; below it the goroutine hand-off costs more than it saves.
const parallelMinBytes = 16 << 10

// digestBufferSize is the read buffer of Digest: large writes keep both cores busy.
const digestBufferSize = 1 << 20

// Digester computes SHA-256 and SM3 of everything written to it. It
// implements io.Writer, so a blob-store write can tee into it. Not safe for
// concurrent use.
type Digester struct {
	sha  hash.Hash
	sm   hash.Hash
	size int64
	wg   sync.WaitGroup
}

// NewDigester returns an empty Digester.
func NewDigester() *Digester {
	return &Digester{sha: sha256.New(), sm: sm3.New()}
}

// Write hashes p with both algorithms; it never fails. Large writes hash
// SHA-256 in a second goroutine while SM3 (the slower one) runs here; both
// finish before Write returns, so p is not retained.
func (d *Digester) Write(p []byte) (int, error) {
	d.size += int64(len(p))
	if len(p) < parallelMinBytes {
		d.sha.Write(p)
		d.sm.Write(p)
		return len(p), nil
	}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		d.sha.Write(p)
	}()
	d.sm.Write(p)
	d.wg.Wait()
	return len(p), nil
}

// Sum returns the digests of everything written so far.
func (d *Digester) Sum() Digests {
	return Digests{
		SHA256: hex.EncodeToString(d.sha.Sum(nil)),
		SM3:    hex.EncodeToString(d.sm.Sum(nil)),
		Size:   d.size,
	}
}

// Digest reads r to the end and returns its digests.
func Digest(r io.Reader) (Digests, error) {
	d := NewDigester()
	if _, err := io.CopyBuffer(d, onlyReader{r}, make([]byte, digestBufferSize)); err != nil {
		return Digests{}, err
	}
	return d.Sum(), nil
}

// onlyReader hides WriterTo/ReaderFrom so io.CopyBuffer really uses our large
// buffer (an *os.File's WriteTo would fall back to 32 KiB reads).
type onlyReader struct{ io.Reader }
