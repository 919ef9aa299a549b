package bot

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// Claims de-duplicates deliveries: a Slack event and its retries, a Discord
// interaction and its replays. An adapter claims a delivery's keys before it
// answers, marks them done once the reply has been sent, and releases them
// when sending failed for good, so that the platform's next retry is
// answered rather than ignored. One process keeps claims in memory
// (NewMemoryClaims); replicas share them (Redis, see bot/redisstate).
//
// The methods return no error: an implementation that cannot reach its
// shared store falls back to local state, because a reply must never be
// lost to a shared-state failure.
type Claims interface {
	// Claim takes every key, in order, for ttl. It reports true when it
	// got them all; false when one was claimed or done already, in which
	// case it holds none of them.
	Claim(ctx context.Context, ttl time.Duration, keys ...string) bool
	// Done marks keys as answered for ttl: a Claim of any of them fails
	// until then.
	Done(ctx context.Context, ttl time.Duration, keys ...string)
	// Release gives up claims this process took and has not marked done.
	Release(ctx context.Context, keys ...string)
}

// DefaultClaims bounds the keys NewMemoryClaims keeps by default.
const DefaultClaims = 20000

// MemoryClaims is Claims in one process's memory: a bounded table of keys,
// each forgotten when its time is up or when the table is full and it is
// the oldest. It is safe for concurrent use.
type MemoryClaims struct {
	size int
	now  func() time.Time

	mu    sync.Mutex               // protects keys and order
	keys  map[string]*list.Element // key -> element of order
	order *list.List               // *claimEntry, oldest first
}

type claimEntry struct {
	key     string
	done    bool
	expires time.Time
}

var _ Claims = (*MemoryClaims)(nil)

// NewMemoryClaims returns an empty table of at most size keys (DefaultClaims
// when size <= 0).
func NewMemoryClaims(size int) *MemoryClaims {
	if size <= 0 {
		size = DefaultClaims
	}
	return &MemoryClaims{size: size, now: time.Now, keys: make(map[string]*list.Element), order: list.New()}
}

// Claim implements Claims. Empty keys are skipped; all of it happens under
// one lock, so of two deliveries racing each other exactly one wins.
func (c *MemoryClaims) Claim(_ context.Context, ttl time.Duration, keys ...string) bool {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		if k != "" && c.live(k, now) != nil {
			return false
		}
	}
	for _, k := range keys {
		if k != "" && c.live(k, now) == nil {
			c.put(k, false, now, ttl)
		}
	}
	return true
}

// Done implements Claims.
func (c *MemoryClaims) Done(_ context.Context, ttl time.Duration, keys ...string) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		if k != "" {
			c.put(k, true, now, ttl)
		}
	}
}

// Release implements Claims: keys still claimed (not done) are forgotten.
func (c *MemoryClaims) Release(_ context.Context, keys ...string) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		if e := c.live(k, now); e != nil && !e.Value.(*claimEntry).done {
			c.order.Remove(e)
			delete(c.keys, k)
		}
	}
}

// Len reports how many keys are held (some may have expired unnoticed).
func (c *MemoryClaims) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.keys)
}

// live returns k's element when it is held and not expired, dropping it
// when expired. c.mu must be held.
func (c *MemoryClaims) live(k string, now time.Time) *list.Element {
	e, ok := c.keys[k]
	if !ok {
		return nil
	}
	if !now.Before(e.Value.(*claimEntry).expires) {
		c.order.Remove(e)
		delete(c.keys, k)
		return nil
	}
	return e
}

// put sets k, newest in the table, and keeps the table within its bound.
// c.mu must be held.
func (c *MemoryClaims) put(k string, done bool, now time.Time, ttl time.Duration) {
	if e, ok := c.keys[k]; ok {
		c.order.Remove(e)
	}
	c.keys[k] = c.order.PushBack(&claimEntry{key: k, done: done, expires: now.Add(ttl)})
	for c.order.Len() > c.size {
		c.drop(c.order.Front())
	}
	// Expired keys at the old end go while we hold the lock.
	for f := c.order.Front(); f != nil && !now.Before(f.Value.(*claimEntry).expires); f = c.order.Front() {
		c.drop(f)
	}
}

func (c *MemoryClaims) drop(e *list.Element) {
	c.order.Remove(e)
	delete(c.keys, e.Value.(*claimEntry).key)
}
