package bot

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// ContextStore keeps each conversation's context (its last topic and
// intent) for a time after its last message. The Bot keeps it in memory
// (NewMemoryContexts); replicas share it (Redis, see bot/redisstate) so
// that a follow-up landing on another replica keeps its context.
//
// The methods return no error: a store that cannot reach its shared
// server falls back to local state rather than fail a reply.
type ContextStore interface {
	// Load returns the context of key, or the zero Context when there is
	// none or it has expired.
	Load(ctx context.Context, key string) Context
	// Save sets the context of key, active now.
	Save(ctx context.Context, key string, c Context)
	// Touch marks a remembered conversation as active now without changing
	// its context (a "thanks" keeps the topic alive).
	Touch(ctx context.Context, key string)
}

// MemoryContexts is a ContextStore in memory: a bounded, least recently
// used table with a time limit. It is safe for concurrent use.
type MemoryContexts struct {
	size int
	ttl  time.Duration
	now  func() time.Time

	mu    sync.Mutex               // protects convs and order
	convs map[string]*list.Element // conversation key -> element of order
	order *list.List               // *conv, most recently used first
}

type conv struct {
	key  string
	ctx  Context
	seen time.Time
}

var _ ContextStore = (*MemoryContexts)(nil)

// Default bounds of remembered conversations.
const (
	DefaultConversations = 10000
	DefaultContextTTL    = 30 * time.Minute
)

// NewMemoryContexts returns a store of at most size conversations, each
// forgotten ttl after its last message (the defaults for values <= 0).
func NewMemoryContexts(size int, ttl time.Duration) *MemoryContexts {
	return newMemoryContexts(size, ttl, time.Now)
}

func newMemoryContexts(size int, ttl time.Duration, now func() time.Time) *MemoryContexts {
	if size <= 0 {
		size = DefaultConversations
	}
	if ttl <= 0 {
		ttl = DefaultContextTTL
	}
	return &MemoryContexts{size: size, ttl: ttl, now: now, convs: make(map[string]*list.Element), order: list.New()}
}

// Load implements ContextStore.
func (s *MemoryContexts) Load(_ context.Context, key string) Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.convs[key]
	if !ok {
		return Context{}
	}
	c := e.Value.(*conv)
	if s.now().Sub(c.seen) > s.ttl {
		s.order.Remove(e)
		delete(s.convs, key)
		return Context{}
	}
	return c.ctx
}

// Touch implements ContextStore.
func (s *MemoryContexts) Touch(_ context.Context, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.convs[key]; ok {
		e.Value.(*conv).seen = s.now()
		s.order.MoveToFront(e)
	}
}

// Save implements ContextStore.
func (s *MemoryContexts) Save(_ context.Context, key string, ic Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if e, ok := s.convs[key]; ok {
		c := e.Value.(*conv)
		c.ctx, c.seen = ic, now
		s.order.MoveToFront(e)
		return
	}
	s.convs[key] = s.order.PushFront(&conv{key: key, ctx: ic, seen: now})
	for s.order.Len() > s.size {
		last := s.order.Back()
		s.order.Remove(last)
		delete(s.convs, last.Value.(*conv).key)
	}
	// Drop expired conversations from the cold end while we hold the lock.
	for last := s.order.Back(); last != nil; last = s.order.Back() {
		c := last.Value.(*conv)
		if now.Sub(c.seen) <= s.ttl {
			break
		}
		s.order.Remove(last)
		delete(s.convs, c.key)
	}
}

// Forget drops the context of one conversation.
func (s *MemoryContexts) Forget(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.convs[key]; ok {
		s.order.Remove(e)
		delete(s.convs, key)
	}
}

// Len reports how many conversations are remembered.
func (s *MemoryContexts) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.convs)
}
