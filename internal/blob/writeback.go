package blob

import "os"

// writebackChunk is how much of a new blob may be written before the
// kernel is asked to start writing it to disk.
const writebackChunk = 8 << 20

// writebackWriter writes a temporary blob file and starts the disk writes
// of each chunk of writebackChunk bytes as soon as it is complete (on Linux,
// sync_file_range; elsewhere nothing), after waiting for the chunk before
// it. The disk then works while the rest of the file is still being
// encrypted, and the fsync that must precede the rename (atomicfile.Commit)
// has only the last chunks and the metadata left to write instead of the
// whole file (0.7 s for 1 GB on the benchmark machine). It changes no
// guarantee: the blob is durable only once that fsync returns, as before.
//
// It does not buffer: age hands over whole 64 KiB chunks already (writes
// gathered into larger buffers cost more in copying than they saved in
// system calls).
type writebackWriter struct {
	f       *os.File
	written int64 // bytes written to f so far
	started int64 // bytes whose writeback has been started
	waited  int64 // bytes whose writeback has been waited for
}

func newWritebackWriter(f *os.File) *writebackWriter { return &writebackWriter{f: f} }

func (w *writebackWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.written += int64(n)
	if err != nil {
		return n, err
	}
	for w.written-w.started >= writebackChunk {
		// Wait for the chunk started last time (it has had a whole chunk's
		// time to reach the disk), then start this one. Waiting bounds the
		// dirty pages of one blob at about two chunks.
		if w.started > w.waited {
			waitWriteback(w.f, w.waited, w.started-w.waited)
			w.waited = w.started
		}
		startWriteback(w.f, w.started, writebackChunk)
		w.started += writebackChunk
	}
	return n, nil
}
