// Package limit is careersbot's per-user rate limit: a token bucket for
// each user (golang.org/x/time/rate), kept in a bounded, least recently
// used table, as a bot.Middleware that answers politely instead of passing
// the question on when a user asks too fast. Replicas share one bucket per
// user through another Store (Redis, see bot/redisstate).
package limit

import (
	"container/list"
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/careersbot/careersbot/bot"
)

// Intent is the intent of the reply sent to a user who asks too fast, as
// the JSON reply shows it. Programs test bot.Reply.Status
// (bot.StatusRateLimited), not this: the question was not tried, so it is
// not recorded as unanswered.
const Intent = "rate_limited"

// Text is the polite reply to a user who asks too fast.
const Text = "You're asking questions faster than I can keep up with. Please wait a few seconds and ask again."

// DefaultMaxUsers bounds the table of buckets.
const DefaultMaxUsers = 100000

// Limiter limits each user (adapter and user id) to a token bucket of
// burst questions, refilled at r a second. It is safe for concurrent use.
type Limiter struct {
	r        rate.Limit
	burst    int
	maxUsers int
	idle     time.Duration // a bucket idle this long is full again: forget it
	now      func() time.Time

	mu    sync.Mutex               // protects users and order
	users map[string]*list.Element // key -> element of order
	order *list.List               // *entry, most recently used first
}

type entry struct {
	key  string
	lim  *rate.Limiter
	seen time.Time
}

// Option configures a Limiter.
type Option func(*Limiter)

// WithMaxUsers bounds how many users' buckets are kept; the least recently
// active are dropped first (dropping a bucket only ever gives its user a
// fresh, full one, so memory is bounded at a small cost in strictness).
func WithMaxUsers(n int) Option {
	return func(l *Limiter) {
		if n > 0 {
			l.maxUsers = n
		}
	}
}

// WithClock replaces time.Now (tests).
func WithClock(now func() time.Time) Option { return func(l *Limiter) { l.now = now } }

// New returns a Limiter allowing burst questions at once and r a second
// after that. r must be positive and burst at least 1.
func New(r rate.Limit, burst int, opts ...Option) *Limiter {
	if burst < 1 {
		burst = 1
	}
	l := &Limiter{
		r:        r,
		burst:    burst,
		maxUsers: DefaultMaxUsers,
		now:      time.Now,
		users:    make(map[string]*list.Element),
		order:    list.New(),
	}
	for _, o := range opts {
		o(l)
	}
	// The time to refill a whole bucket, plus a margin: after that an
	// unused bucket is indistinguishable from a new one.
	if r > 0 {
		l.idle = time.Duration(float64(burst)/float64(r)*float64(time.Second)) + time.Second
	}
	return l
}

// PerMinute is a convenience for rate.Limit from questions a minute.
func PerMinute(n float64) rate.Limit { return rate.Limit(n / 60) }

// Allow reports whether key may ask now, spending a token if so.
func (l *Limiter) Allow(key string) bool {
	if l.r == rate.Inf {
		return true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	var e *entry
	if el, ok := l.users[key]; ok {
		e = el.Value.(*entry)
		e.seen = now
		l.order.MoveToFront(el)
	} else {
		e = &entry{key: key, lim: rate.NewLimiter(l.r, l.burst), seen: now}
		l.users[key] = l.order.PushFront(e)
		l.evict(now)
	}
	return e.lim.AllowN(now, 1)
}

// evict drops buckets over the bound and buckets idle long enough to be
// full again, from the cold end. l.mu must be held.
func (l *Limiter) evict(now time.Time) {
	for l.order.Len() > l.maxUsers {
		l.remove(l.order.Back())
	}
	for last := l.order.Back(); last != nil; last = l.order.Back() {
		if now.Sub(last.Value.(*entry).seen) <= l.idle {
			break
		}
		l.remove(last)
	}
}

func (l *Limiter) remove(el *list.Element) {
	l.order.Remove(el)
	delete(l.users, el.Value.(*entry).key)
}

// Users reports how many buckets are kept.
func (l *Limiter) Users() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.users)
}

// Store decides whether a user may ask now, spending a token if so.
// *Limiter keeps the buckets in memory; replicas share them in Redis.
type Store interface {
	AllowUser(ctx context.Context, key string) bool
}

var _ Store = (*Limiter)(nil)

// AllowUser implements Store.
func (l *Limiter) AllowUser(_ context.Context, key string) bool { return l.Allow(key) }

// Middleware returns a bot.Middleware that answers with the polite Text
// (Intent, Answered false) when m's user has no token left. Messages
// without a user (a terminal) are not limited. Keys combine the adapter and
// the user, so ids from different platforms never share a bucket.
func (l *Limiter) Middleware() bot.Middleware { return Middleware(l) }

// Middleware is (*Limiter).Middleware for any Store.
func Middleware(s Store) bot.Middleware {
	return func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
			if m.User == "" || s.AllowUser(ctx, m.Adapter+"\x00"+m.User) {
				return next.Handle(ctx, m)
			}
			return Reply(m)
		})
	}
}

// Reply is the reply to a message that was rate limited.
func Reply(m bot.Message) bot.Reply {
	return bot.Reply{
		Question:    bot.Truncate(m.Text, bot.MaxQuestion),
		Answered:    false,
		Intent:      Intent,
		Text:        Text,
		Sources:     []bot.Source{},
		Suggestions: []string{},
		Status:      bot.StatusRateLimited,
	}
}
