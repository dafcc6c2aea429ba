package delivery

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lvxin/lvxin/internal/auth"
	"github.com/lvxin/lvxin/internal/model"
	"github.com/lvxin/lvxin/internal/store"
	"github.com/lvxin/lvxin/internal/store/storetest"
)

// noise yields n pseudo-random bytes without holding them.
type noise struct {
	rng *rand.ChaCha8
	n   int64
}

func (r *noise) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	r.rng.Read(p)
	r.n -= int64(len(p))
	return len(p), nil
}

// TestLargeDocumentStreams uploads and downloads a 96 MiB document and
// checks that the heap never grows by more than a small fraction of it:
// the file streams through encryption both ways.
func TestLargeDocumentStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("large file")
	}
	const size = 96 << 20
	clk := &clock{t: time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)}
	storetest.Each(t, clk.now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, t.TempDir(), clk)
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		var peak atomic.Uint64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			var m runtime.MemStats
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}()
		want := sha256.New()
		src := io.TeeReader(&noise{rng: rand.NewChaCha8([32]byte{1}), n: size}, want)
		doc, err := f.svc.Upload(ctx, f.lead, auth.Client{}, DocumentInput{MatterID: f.matter.ID, FileName: "庭审录像.mp4",
			Classification: model.ClassOrdinary}, src)
		if err != nil {
			t.Fatal(err)
		}
		sent, err := f.svc.Send(ctx, f.lead, visitor, SendInput{MatterID: f.matter.ID, DocumentID: doc.ID, Recipient: "甲公司"})
		if err != nil {
			t.Fatal(err)
		}
		_, rc, err := f.svc.Download(ctx, sent.Token, visitor, "")
		if err != nil {
			t.Fatal(err)
		}
		got := sha256.New()
		n, err := io.Copy(got, rc)
		rc.Close()
		close(stop)
		wg.Wait()
		if err != nil || n != size {
			t.Fatalf("downloaded %d bytes: %v", n, err)
		}
		if hex.EncodeToString(got.Sum(nil)) != hex.EncodeToString(want.Sum(nil)) || doc.SHA256 != hex.EncodeToString(want.Sum(nil)) {
			t.Fatal("the downloaded file differs from the upload")
		}
		growth := int64(peak.Load()) - int64(base.HeapInuse)
		t.Logf("96 MiB up and down: heap grew by at most %.1f MiB", float64(growth)/(1<<20))
		if growth > 16<<20 {
			t.Fatalf("heap grew by %d MiB for a %d MiB file: not streamed", growth>>20, size>>20)
		}
	})
}
