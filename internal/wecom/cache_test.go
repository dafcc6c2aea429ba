package wecom

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for the cache tests.
type fakeClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = c.at.Add(d)
}

func TestMemoryCacheRemembersForTTL(t *testing.T) {
	clock := &fakeClock{at: time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)}
	cache, err := NewMemoryCache(10, 10*time.Minute, clock.now)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := cache.Remember(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := cache.Remember(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	clock.advance(10*time.Minute - time.Second)
	if err := cache.Remember(ctx, "a"); !errors.Is(err, ErrSeen) {
		t.Fatalf("a within TTL: %v, want ErrSeen", err)
	}
	clock.advance(time.Second)
	if got := cache.Len(); got != 0 {
		t.Fatalf("Len after TTL = %d, want 0", got)
	}
	if err := cache.Remember(ctx, "a"); err != nil {
		t.Fatalf("a after TTL: %v", err)
	}
	if err := cache.Remember(ctx, "a"); !errors.Is(err, ErrSeen) {
		t.Fatalf("a remembered again: %v, want ErrSeen", err)
	}
}

func TestMemoryCacheIsBoundedAndFailsClosed(t *testing.T) {
	clock := &fakeClock{at: time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)}
	cache, err := NewMemoryCache(3, time.Minute, clock.now)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 3 {
		if err := cache.Remember(ctx, fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
		clock.advance(10 * time.Second)
	}
	if err := cache.Remember(ctx, "3"); !errors.Is(err, ErrCacheFull) {
		t.Fatalf("fourth key: %v, want ErrCacheFull", err)
	}
	// A full cache still recognises what it holds: nothing was forgotten early.
	if err := cache.Remember(ctx, "0"); !errors.Is(err, ErrSeen) {
		t.Fatalf("key 0 in a full cache: %v, want ErrSeen", err)
	}
	// Key 0 expires first and frees one slot.
	clock.advance(31 * time.Second)
	if err := cache.Remember(ctx, "3"); err != nil {
		t.Fatalf("after key 0 expired: %v", err)
	}
	if err := cache.Remember(ctx, "4"); !errors.Is(err, ErrCacheFull) {
		t.Fatalf("fifth key: %v, want ErrCacheFull", err)
	}
	if got := cache.Len(); got != 3 {
		t.Fatalf("Len = %d, want 3", got)
	}
}

// A clock stepping back never makes the cache forget a key early.
func TestMemoryCacheClockStepsBack(t *testing.T) {
	clock := &fakeClock{at: time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)}
	cache, err := NewMemoryCache(10, time.Minute, clock.now)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := cache.Remember(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	clock.advance(-time.Hour)
	if err := cache.Remember(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Hour + 30*time.Second)
	if err := cache.Remember(ctx, "a"); !errors.Is(err, ErrSeen) {
		t.Fatalf("a: %v, want ErrSeen", err)
	}
}

func TestMemoryCacheConcurrentRememberAdmitsOnce(t *testing.T) {
	cache, err := NewMemoryCache(1000, time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	fresh := 0
	for range 16 {
		wg.Go(func() {
			for k := range 50 {
				if cache.Remember(context.Background(), fmt.Sprint("nonce-", k)) == nil {
					mu.Lock()
					fresh++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if fresh != 50 {
		t.Fatalf("%d keys admitted, want 50", fresh)
	}
}

func TestMemoryCacheRefusals(t *testing.T) {
	if _, err := NewMemoryCache(0, time.Minute, nil); !errors.Is(err, ErrConfig) {
		t.Errorf("max 0: %v", err)
	}
	if _, err := NewMemoryCache(1, 0, nil); !errors.Is(err, ErrConfig) {
		t.Errorf("ttl 0: %v", err)
	}
	cache, err := NewMemoryCache(1, time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := cache.Remember(ctx, "a"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	if cache.Len() != 0 {
		t.Error("a cancelled Remember recorded its key")
	}
}
