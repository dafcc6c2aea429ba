package blob

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback asks the kernel to start writing a range of f's dirty
// pages to disk without waiting for it. An error is ignored: the range is
// then written by the final fsync, as it would have been anyway.
func startWriteback(f *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}

// waitWriteback waits until a range of f has been written to disk (data
// only; the final fsync still flushes the metadata and the disk's cache).
func waitWriteback(f *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(f.Fd()), off, n,
		unix.SYNC_FILE_RANGE_WAIT_BEFORE|unix.SYNC_FILE_RANGE_WRITE|unix.SYNC_FILE_RANGE_WAIT_AFTER)
}

// syncData makes f's data written so far durable, the disk's cache
// included. An error is ignored: the final fsync reports it.
func syncData(f *os.File) { _ = unix.Fdatasync(int(f.Fd())) }
