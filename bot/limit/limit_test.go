package limit

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/careersbot/careersbot/bot"
)

// clock is a manual clock for tests.
type clock struct {
	mu sync.Mutex // protects t
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestAllow(t *testing.T) {
	tests := []struct {
		name  string
		steps []struct {
			advance time.Duration
			key     string
			want    bool
		}
	}{
		{"burst then refill", []struct {
			advance time.Duration
			key     string
			want    bool
		}{
			{0, "a", true}, {0, "a", true}, {0, "a", true}, {0, "a", false},
			{time.Second, "a", true}, {0, "a", false},
		}},
		{"users are independent", []struct {
			advance time.Duration
			key     string
			want    bool
		}{
			{0, "a", true}, {0, "a", true}, {0, "a", true}, {0, "a", false},
			{0, "b", true}, {0, "b", true}, {0, "b", true}, {0, "b", false},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &clock{t: time.Unix(1e9, 0)}
			l := New(rate.Limit(1), 3, WithClock(c.now))
			for i, s := range tc.steps {
				c.add(s.advance)
				if got := l.Allow(s.key); got != s.want {
					t.Fatalf("step %d: Allow(%q) = %v, want %v", i, s.key, got, s.want)
				}
			}
		})
	}
}

func TestBoundedMemory(t *testing.T) {
	t.Run("max users", func(t *testing.T) {
		c := &clock{t: time.Unix(1e9, 0)}
		l := New(rate.Limit(1), 2, WithClock(c.now), WithMaxUsers(100))
		for i := range 1000 {
			l.Allow(fmt.Sprint("user", i))
		}
		if n := l.Users(); n != 100 {
			t.Errorf("Users() = %d, want 100", n)
		}
	})
	t.Run("idle buckets forgotten", func(t *testing.T) {
		c := &clock{t: time.Unix(1e9, 0)}
		l := New(rate.Limit(1), 2, WithClock(c.now))
		for i := range 50 {
			l.Allow(fmt.Sprint("user", i))
		}
		c.add(time.Minute)
		l.Allow("new")
		if n := l.Users(); n != 1 {
			t.Errorf("Users() = %d after every other bucket idled, want 1", n)
		}
	})
	t.Run("evicting keeps the active user limited", func(t *testing.T) {
		c := &clock{t: time.Unix(1e9, 0)}
		l := New(rate.Limit(1), 1, WithClock(c.now), WithMaxUsers(2))
		l.Allow("busy")
		l.Allow("other1")
		if l.Allow("busy") {
			t.Fatal("second question allowed with burst 1")
		}
		l.Allow("other2") // evicts other1, the least recently used
		if l.Allow("busy") {
			t.Error("busy user's bucket was evicted although it was the most recent")
		}
	})
}

func TestMiddleware(t *testing.T) {
	var calls atomic.Int32
	inner := bot.HandlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
		calls.Add(1)
		return bot.Reply{Question: m.Text, Answered: true, Intent: "overview"}
	})
	c := &clock{t: time.Unix(1e9, 0)}
	h := bot.Chain(inner, New(PerMinute(60), 2, WithClock(c.now)).Middleware())
	ctx := context.Background()
	tests := []struct {
		name       string
		msg        bot.Message
		wantIntent string
	}{
		{"first", bot.Message{Adapter: "slack", User: "U1", Text: "q"}, "overview"},
		{"second", bot.Message{Adapter: "slack", User: "U1", Text: "q"}, "overview"},
		{"third is limited", bot.Message{Adapter: "slack", User: "U1", Text: "q"}, Intent},
		{"same id on another adapter", bot.Message{Adapter: "discord", User: "U1", Text: "q"}, "overview"},
		{"no user is never limited 1", bot.Message{Adapter: "terminal", Text: "q"}, "overview"},
		{"no user is never limited 2", bot.Message{Adapter: "terminal", Text: "q"}, "overview"},
		{"no user is never limited 3", bot.Message{Adapter: "terminal", Text: "q"}, "overview"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := h.Handle(ctx, tc.msg)
			if r.Intent != tc.wantIntent {
				t.Errorf("intent = %q, want %q", r.Intent, tc.wantIntent)
			}
			if r.Intent == Intent && (r.Answered || r.Text != Text || r.Question != "q" || r.Sources == nil) {
				t.Errorf("limited reply = %+v", r)
			}
		})
	}
	if n := calls.Load(); n != 6 {
		t.Errorf("inner handler called %d times, want 6", n)
	}
}

func TestConcurrent(t *testing.T) {
	l := New(rate.Limit(1e-6), 5) // effectively no refill during the test
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if l.Allow("shared") {
					allowed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if n := allowed.Load(); n != 5 {
		t.Errorf("%d allowed from 200 concurrent tries, want the burst of 5", n)
	}
}

func BenchmarkAllow(b *testing.B) {
	l := New(rate.Limit(1e9), 10)
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			l.Allow(fmt.Sprint(i % 1000))
			i++
		}
	})
}
