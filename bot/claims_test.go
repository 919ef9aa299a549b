package bot

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemoryClaims(t *testing.T) {
	ctx := context.Background()
	c := NewMemoryClaims(3)
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	c.now = clk.now
	steps := []struct {
		name string
		do   func() bool
		want bool
	}{
		{"claim a", func() bool { return c.Claim(ctx, time.Minute, "a") }, true},
		{"claim a again", func() bool { return c.Claim(ctx, time.Minute, "a") }, false},
		{"one key held: none taken", func() bool { return c.Claim(ctx, time.Minute, "b", "a") }, false},
		{"b was not taken", func() bool { return c.Claim(ctx, time.Minute, "b", "c") }, true},
		{"c held", func() bool { return c.Claim(ctx, time.Minute, "c") }, false},
		{"released b is free", func() bool { c.Release(ctx, "b"); return c.Claim(ctx, time.Minute, "b") }, true},
		{"done a is not released", func() bool {
			c.Done(ctx, time.Hour, "a")
			c.Release(ctx, "a")
			return c.Claim(ctx, time.Minute, "a")
		}, false},
		{"claims expire", func() bool { clk.advance(2 * time.Minute); return c.Claim(ctx, time.Minute, "b") }, true},
		{"done outlives the claim", func() bool { return c.Claim(ctx, time.Minute, "a") }, false},
		{"empty keys skipped", func() bool { return c.Claim(ctx, time.Minute, "", "") }, true},
		{"the oldest goes when full", func() bool {
			c.Claim(ctx, time.Minute, "x", "y", "z")
			return c.Claim(ctx, time.Minute, "a")
		}, true},
	}
	for _, s := range steps {
		if got := s.do(); got != s.want {
			t.Errorf("%s: got %v, want %v", s.name, got, s.want)
		}
	}
	if n := c.Len(); n > 3 {
		t.Errorf("Len = %d, want at most 3", n)
	}
}

func TestMemoryClaimsConcurrent(t *testing.T) {
	c := NewMemoryClaims(100)
	var wins atomic.Int64
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if c.Claim(context.Background(), time.Minute, "event:Ev1", "msg:C1:1.2") {
				wins.Add(1)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d deliveries won, want exactly 1", wins.Load())
	}
}
