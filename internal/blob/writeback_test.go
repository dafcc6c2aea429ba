package blob

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// A blob of several writeback chunks, written through the writeback
// writer, reads back intact, through Put and through PutFrom alike.
func TestLargePutWithWriteback(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 2*writebackChunk+12345)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	for name, put := range map[string]func() (Ref, error){
		"Put": func() (Ref, error) { return s.Put(context.Background(), bytes.NewReader(data)) },
		"PutFrom": func() (Ref, error) {
			return s.PutFrom(context.Background(), bytes.NewReader(data)) // *bytes.Reader is an io.WriterTo
		},
	} {
		ref, err := put()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rc, err := s.Open(ref.SHA256)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, data) || ref.Size != int64(len(data)) {
			t.Fatalf("%s: read back %d bytes, %v", name, len(got), err)
		}
	}
}

func TestWritebackWriterCountsEveryByte(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := newWritebackWriter(f)
	chunk := bytes.Repeat([]byte{7}, 64<<10+16) // age's chunk size
	// 81 MiB: the writeback of more than syncEvery is waited for.
	const chunks = 1300
	for range chunks {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	w.Wait()
	total := int64(chunks * len(chunk))
	if w.written != total || w.started != total/writebackChunk*writebackChunk || w.waited != w.started-writebackChunk || w.synced < syncEvery {
		t.Fatalf("written %d started %d waited %d synced %d", w.written, w.started, w.waited, w.synced)
	}
	if st, _ := f.Stat(); st.Size() != total {
		t.Fatalf("file has %d bytes, want %d", st.Size(), total)
	}
}

func TestCancelledPutFromStoresNothing(t *testing.T) {
	s, _ := Open(t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.PutFrom(ctx, bytes.NewReader([]byte("x"))); err == nil {
		t.Fatal("a cancelled PutFrom succeeded")
	}
	if left, _ := os.ReadDir(filepath.Join(s.root, "tmp")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}
