// Command digest is the Go side of bench/ledger/run.sh: it generates a test
// file, or times ledger.Digest (SHA-256 and SM3 together) over a file.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/lvxin/lvxin/internal/ledger"
)

func main() {
	gen := flag.String("gen", "", "write a pseudo-random file of -size bytes to this path")
	size := flag.Int64("size", 1<<30, "size of the generated file")
	path := flag.String("digest", "", "time ledger.Digest over this file")
	flag.Parse()
	var err error
	switch {
	case *gen != "":
		err = generate(*gen, *size)
	case *path != "":
		err = digest(*path)
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func generate(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.NewChaCha8([32]byte{'l', 'v', 'x', 'i', 'n'})
	buf := make([]byte, 1<<20)
	for written := int64(0); written < size; written += int64(len(buf)) {
		rng.Read(buf)
		if _, err := w.Write(buf[:min(int64(len(buf)), size-written)]); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func digest(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	d, err := ledger.Digest(f)
	if err != nil {
		return err
	}
	fmt.Printf("seconds: %.3f\nsha256: %s\nsm3: %s\n", time.Since(start).Seconds(), d.SHA256, d.SM3)
	return nil
}
