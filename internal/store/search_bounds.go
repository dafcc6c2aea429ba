package store

import (
	"context"
	"sync"
	"time"
)

// boundsTTL is how long a search window's bounds are reused. Working them
// out costs a few small queries on message_days (about 0.6 ms at 2,000,000
// messages, more than a search that fills its page), and every search of
// the archive without a date filter asks for the same first window. The
// counts change only when messages are imported or deleted: this process's
// writes drop the cache at once; another process's (a command-line import
// while the server runs) are seen within boundsTTL. A stale window is only
// sized wrongly, never wrong (see searchWindows).
const boundsTTL = 10 * time.Second

// boundsCache remembers recent windows (searchWindows' windowBelow and
// markBelow) by their range and size.
type boundsCache struct {
	mu      sync.Mutex
	gen     uint64 // bumped by every change of message_days in this process
	entries map[boundsKey]boundsEntry
	// PostgreSQL's token buckets (search_buckets.go), newest first, read
	// at bucketsAt in generation bucketsGen. A bucket another process has
	// just added is missing for up to boundsTTL: its range is then walked
	// without a token index (candidateQuery), slower but complete.
	buckets    []tokenBucket
	bucketsGen uint64
	bucketsAt  time.Time
}

type boundsKey struct{ lo, hi, size int64 }

type boundsEntry struct {
	bound, n, markDay int64
	gen               uint64
	at                time.Time
}

// changed drops every remembered window (message_days is being written).
func (c *boundsCache) changed() {
	c.mu.Lock()
	c.gen++
	clear(c.entries)
	c.mu.Unlock()
}

// window returns windowBelow's bound and estimate and markBelow's day for
// the window below hi, from the cache when fresh.
func (db *DB) window(ctx context.Context, lo, hi, size int64) (bound, n, markDay int64, err error) {
	c, key := &db.bounds, boundsKey{lo, hi, size}
	c.mu.Lock()
	e, ok := c.entries[key]
	gen := c.gen
	c.mu.Unlock()
	if ok && e.gen == gen && time.Since(e.at) < boundsTTL {
		return e.bound, e.n, e.markDay, nil
	}
	if bound, n, err = db.windowBelow(ctx, lo, hi, size); err != nil {
		return 0, 0, 0, err
	}
	if bound > -1<<62 && db.dialect == SQLite { // a statement bounded below: stop it at the mark
		if markDay, err = db.markBelow(ctx, bound); err != nil {
			return 0, 0, 0, err
		}
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= 1024 {
		c.entries = map[boundsKey]boundsEntry{}
	}
	c.entries[key] = boundsEntry{bound, n, markDay, gen, time.Now()}
	c.mu.Unlock()
	return bound, n, markDay, nil
}

// allTokenBuckets lists every token bucket, newest first, from the cache
// when fresh.
func (db *DB) allTokenBuckets(ctx context.Context) ([]tokenBucket, error) {
	c := &db.bounds
	c.mu.Lock()
	list, gen, ok := c.buckets, c.gen, c.bucketsGen == c.gen && time.Since(c.bucketsAt) < boundsTTL
	c.mu.Unlock()
	if ok {
		return list, nil
	}
	list, err := queryAll(ctx, db.read(), func(r scanner) (tokenBucket, error) {
		var b tokenBucket
		return b, r.Scan(&b.lo, &b.hi)
	}, "SELECT lo, hi FROM message_token_buckets ORDER BY lo DESC")
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.buckets, c.bucketsGen, c.bucketsAt = list, gen, time.Now()
	}
	c.mu.Unlock()
	return list, nil
}
