package slack

import "sync"

// seenCache remembers the most recent keys (event ids, message timestamps)
// so that Slack's retries of one event get one reply. It is bounded: when
// full, the oldest key is forgotten. Slack retries within minutes, long
// before a few thousand newer events push a key out.
type seenCache struct {
	mu   sync.Mutex          // protects keys, ring and next
	keys map[string]struct{} // keys present in ring
	ring []string            // insertion order; ring[next] is the oldest once full
	next int
}

func newSeenCache(size int) *seenCache {
	if size < 1 {
		size = 1
	}
	return &seenCache{keys: make(map[string]struct{}, size), ring: make([]string, 0, size)}
}

// firstTime reports whether none of keys has been seen, and records them
// all, in one step under the lock: of two deliveries of the same event
// racing each other, exactly one gets true. Empty keys are skipped.
func (c *seenCache) firstTime(keys ...string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		if _, ok := c.keys[k]; ok && k != "" {
			return false
		}
	}
	for _, k := range keys {
		if k == "" {
			continue
		}
		if _, ok := c.keys[k]; ok { // repeated within keys
			continue
		}
		if len(c.ring) < cap(c.ring) {
			c.ring = append(c.ring, k)
		} else {
			delete(c.keys, c.ring[c.next])
			c.ring[c.next] = k
			c.next = (c.next + 1) % len(c.ring)
		}
		c.keys[k] = struct{}{}
	}
	return true
}

// len reports how many keys are remembered.
func (c *seenCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.keys)
}
