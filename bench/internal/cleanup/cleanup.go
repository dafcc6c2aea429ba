// Package cleanup undoes what a benchmark started (a `lvxin serve` child,
// a temporary data folder) however the benchmark ends: normally, through
// Fail, or on Ctrl-C / SIGTERM. A deferred call alone is skipped by
// os.Exit and by a signal, which left servers running and folders behind.
package cleanup

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

var (
	mu      sync.Mutex
	fns     []func()
	started sync.Once
)

// Add registers f to run at the end, after the functions added later.
func Add(f func()) {
	started.Do(func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
		go func() {
			s := <-ch
			Run()
			fmt.Fprintf(os.Stderr, "interrupted (%v)\n", s)
			os.Exit(130)
		}()
	})
	mu.Lock()
	defer mu.Unlock()
	fns = append(fns, f)
}

// Run runs the registered functions once, the last added first.
func Run() {
	mu.Lock()
	list := fns
	fns = nil
	mu.Unlock()
	for i := len(list) - 1; i >= 0; i-- {
		list[i]()
	}
}

// Fail prints "prefix: message" to stderr, cleans up and exits 1.
func Fail(prefix, format string, args ...any) {
	fmt.Fprintf(os.Stderr, prefix+": "+format+"\n", args...)
	Run()
	os.Exit(1)
}
