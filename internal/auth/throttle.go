package auth

import (
	"sync"
	"time"
)

// ipThrottle limits login attempts per client address with a token bucket
// kept in memory: a burst of Burst attempts, refilled at one per Interval.
// Account lockout (in the database) covers a slow attack spread over many
// addresses; this covers a fast one from one address.
type ipThrottle struct {
	mu       sync.Mutex
	burst    float64
	interval time.Duration
	buckets  map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newIPThrottle(burst int, interval time.Duration) *ipThrottle {
	return &ipThrottle{burst: float64(burst), interval: interval, buckets: map[string]*bucket{}}
}

// allow takes one attempt from ip's bucket and reports whether it had one.
func (t *ipThrottle) allow(ip string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, ok := t.buckets[ip]
	if !ok {
		if len(t.buckets) > 100000 {
			t.prune(now)
		}
		b = &bucket{tokens: t.burst, last: now}
		t.buckets[ip] = b
	}
	b.tokens += now.Sub(b.last).Seconds() / t.interval.Seconds()
	if b.tokens > t.burst {
		b.tokens = t.burst
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (t *ipThrottle) prune(now time.Time) {
	full := time.Duration(t.burst) * t.interval
	for ip, b := range t.buckets {
		if now.Sub(b.last) > full {
			delete(t.buckets, ip)
		}
	}
}
