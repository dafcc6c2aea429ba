package wecom

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrSeen is what a Cache answers for a key it still remembers.
var ErrSeen = errors.New("已处理过")

// ErrCacheFull is what a MemoryCache answers when every slot holds a key that
// has not expired yet: it refuses rather than forget a key early, which
// would reopen the replay window.
var ErrCacheFull = errors.New("企业微信回调去重缓存已满，请稍后重试")

// Cache remembers keys (callback nonces, message keys) for a while.
// Remember records key and answers ErrSeen when it was already recorded and
// has not expired. A database-backed Cache can replace MemoryCache so that
// several lvxin processes share what they have seen.
type Cache interface {
	Remember(ctx context.Context, key string) error
}

// MemoryCache is a bounded, time-windowed Cache in memory. Keys expire ttl
// after they were remembered; entries expire in insertion order, so pruning
// is a walk from the front of a queue.
type MemoryCache struct {
	mu      sync.Mutex
	max     int
	ttl     time.Duration
	now     func() time.Time
	expires map[string]time.Time
	queue   []cacheEntry // insertion order, so also expiry order
}

type cacheEntry struct {
	key     string
	expires time.Time
}

// NewMemoryCache returns a cache of at most max keys, each kept for ttl.
// For nonces, ttl must be at least twice the timestamp window: a timestamp
// accepted now stays acceptable until up to 2×window from now.
func NewMemoryCache(max int, ttl time.Duration, now func() time.Time) (*MemoryCache, error) {
	if max < 1 {
		return nil, fmt.Errorf("%w：缓存容量应为正整数，收到 %d", ErrConfig, max)
	}
	if ttl <= 0 {
		return nil, fmt.Errorf("%w：缓存保留时间应为正数，收到 %s", ErrConfig, ttl)
	}
	if now == nil {
		now = time.Now
	}
	return &MemoryCache{max: max, ttl: ttl, now: now, expires: make(map[string]time.Time)}, nil
}

// Remember implements Cache.
func (m *MemoryCache) Remember(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.prune(now)
	if expires, ok := m.expires[key]; ok && now.Before(expires) {
		return ErrSeen
	}
	if len(m.expires) >= m.max {
		return ErrCacheFull
	}
	expires := now.Add(m.ttl)
	m.expires[key] = expires
	m.queue = append(m.queue, cacheEntry{key: key, expires: expires})
	return nil
}

// Len is the number of keys remembered and not yet expired.
func (m *MemoryCache) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.prune(m.now())
	return len(m.expires)
}

// prune drops expired entries from the front of the queue. A clock that
// steps back leaves entries in place until it catches up, never early.
func (m *MemoryCache) prune(now time.Time) {
	i := 0
	for ; i < len(m.queue) && !now.Before(m.queue[i].expires); i++ {
		if m.expires[m.queue[i].key].Equal(m.queue[i].expires) {
			delete(m.expires, m.queue[i].key)
		}
	}
	m.queue = m.queue[i:]
}
