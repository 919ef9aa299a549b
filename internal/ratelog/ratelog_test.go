package ratelog

import (
	"bytes"
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	now := time.Unix(1000, 0)
	l := New(time.Second).WithClock(func() time.Time { return now })
	ctx := context.Background()
	for range 100 {
		l.Log(ctx, log, slog.LevelWarn, "10.0.0.1", "request refused", "reason", "bad signature")
	}
	l.Log(ctx, log, slog.LevelWarn, "10.0.0.2", "request refused")
	if n := strings.Count(buf.String(), "request refused"); n != 2 {
		t.Fatalf("%d lines for 101 refusals from 2 sources in one second, want 2:\n%s", n, buf.String())
	}
	now = now.Add(time.Second)
	l.Log(ctx, log, slog.LevelWarn, "10.0.0.1", "request refused")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[2], "repeated=99") {
		t.Errorf("the next line does not carry the count of the 99 held back:\n%s", buf.String())
	}
	now = now.Add(time.Second)
	l.Log(ctx, log, slog.LevelWarn, "10.0.0.1", "request refused")
	if last := lines[len(lines)-1]; strings.Contains(strings.Split(strings.TrimSpace(buf.String()), "\n")[3], "repeated") {
		t.Errorf("a count after no repeats: %s", last)
	}
	// Disabled levels cost nothing and count nothing.
	l.Log(ctx, log, slog.LevelDebug, "quiet", "not shown")
	if strings.Contains(buf.String(), "not shown") {
		t.Error("a debug line was logged at info level")
	}
}

func TestLimiterBounded(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	l := New(time.Second)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range maxKeys {
				l.Log(context.Background(), log, slog.LevelError, strconv.Itoa(g)+"-"+strconv.Itoa(i), "x")
			}
		}()
	}
	wg.Wait()
	l.mu.Lock()
	n := len(l.keys)
	l.mu.Unlock()
	if n > maxKeys {
		t.Errorf("%d keys kept, bound is %d", n, maxKeys)
	}
}
