// Package ratelog keeps repeated log lines from one source from filling
// the log: a Limiter lets one line a second through for each key (a client
// address, an endpoint) and counts the ones it holds back, reporting the
// count as "repeated" on the next line it lets through for that key.
//
// It is for lines anyone on the network can cause (unsigned requests, a
// client that hangs up mid-response); lines about the bot's own failures
// are logged in full.
package ratelog

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// maxKeys bounds the keys remembered; past it, keys idle for a while are
// dropped, and if that is not enough the table starts afresh (at worst a
// few more lines get through).
const maxKeys = 10000

// Limiter is safe for concurrent use. The zero value is not usable; call New.
type Limiter struct {
	every time.Duration
	now   func() time.Time

	mu   sync.Mutex // protects keys
	keys map[string]*state
}

type state struct {
	last       time.Time // when a line last got through
	suppressed int       // lines held back since
}

// New returns a Limiter letting one line through per key per every
// (one second if every is 0).
func New(every time.Duration) *Limiter {
	if every <= 0 {
		every = time.Second
	}
	return &Limiter{every: every, now: time.Now, keys: map[string]*state{}}
}

// WithClock replaces time.Now (tests).
func (l *Limiter) WithClock(now func() time.Time) *Limiter { l.now = now; return l }

// Log logs msg with args at level to log, unless a line with the same key
// got through less than a second ago; then it only counts it.
func (l *Limiter) Log(ctx context.Context, log *slog.Logger, level slog.Level, key, msg string, args ...any) {
	if !log.Enabled(ctx, level) {
		return
	}
	n, ok := l.allow(key)
	if !ok {
		return
	}
	if n > 0 {
		args = append(args, "repeated", n)
	}
	log.Log(ctx, level, msg, args...)
}

// allow reports whether a line for key may go out now and how many were
// held back before it.
func (l *Limiter) allow(key string) (int, bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.keys[key]
	if !ok {
		if len(l.keys) >= maxKeys {
			l.prune(now)
		}
		l.keys[key] = &state{last: now}
		return 0, true
	}
	if now.Sub(s.last) < l.every {
		s.suppressed++
		return 0, false
	}
	n := s.suppressed
	s.last, s.suppressed = now, 0
	return n, true
}

// prune drops keys idle for a minute, or all of them if none are.
// l.mu must be held.
func (l *Limiter) prune(now time.Time) {
	for k, s := range l.keys {
		if now.Sub(s.last) > time.Minute {
			delete(l.keys, k)
		}
	}
	if len(l.keys) >= maxKeys {
		l.keys = map[string]*state{}
	}
}
