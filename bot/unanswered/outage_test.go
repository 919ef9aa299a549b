package unanswered

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careersbot/careersbot/internal/testutil"
)

// flaky is a backend that refuses writes while down, and remembers what it
// took.
type flaky struct {
	mu    sync.Mutex // protects down and got
	down  bool
	got   map[string]int // entry id -> times stored
	calls int
}

func (f *flaky) add(_ context.Context, entries []Entry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.down {
		return errors.New("connection refused")
	}
	for _, e := range entries {
		f.got[e.ID]++
	}
	return nil
}
func (f *flaky) since(context.Context, time.Time, int) ([]Entry, error) { return nil, nil }
func (f *flaky) count(context.Context, time.Time) (int, error)          { return 0, nil }
func (f *flaky) close() error                                           { return nil }

func (f *flaky) set(down bool) { f.mu.Lock(); f.down = down; f.mu.Unlock() }
func (f *flaky) stored() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for k, v := range f.got {
		out[k] = v
	}
	return out
}

func until(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// While the database refuses writes the recorder keeps at most its bound,
// dropping the oldest (counted as failed), logs the outage once, and when
// the database is back writes what it kept, each entry once.
func TestRecorderOutageBounded(t *testing.T) {
	f := &flaky{got: map[string]int{}, down: true}
	logs := &testutil.SyncBuffer{}
	var changes []bool
	var mu sync.Mutex
	r := NewRecorder(&Store{b: f, where: "fake"}, slog.New(slog.NewTextHandler(logs, nil)),
		WithRetry(10*time.Millisecond), WithMaxPending(100),
		OnChange(func(up bool) { mu.Lock(); changes = append(changes, up); mu.Unlock() }))
	for i := range 300 {
		r.Record("slack", fmt.Sprintf("question %d", i))
		if i%50 == 49 {
			until(t, func() bool { return r.Pending() >= min(i+1, 100) })
		}
	}
	until(t, func() bool { _, _, failed := r.Stats(); return failed == 200 })
	if r.Up() || r.Pending() != 100 {
		t.Errorf("during the outage: up %v, pending %d; want down, 100", r.Up(), r.Pending())
	}
	f.set(false)
	until(t, func() bool { return r.Up() && r.Pending() == 0 })
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	stored := f.stored()
	if len(stored) != 100 {
		t.Errorf("%d entries stored, want the 100 most recent", len(stored))
	}
	for id, n := range stored {
		if n != 1 {
			t.Errorf("entry %s stored %d times", id, n)
		}
	}
	recorded, dropped, failed := r.Stats()
	if recorded != 100 || dropped != 0 || failed != 200 {
		t.Errorf("stats %d recorded, %d dropped, %d failed; want 100, 0, 200", recorded, dropped, failed)
	}
	if n := strings.Count(logs.String(), "database unreachable"); n != 1 {
		t.Errorf("outage logged %d times:\n%s", n, logs.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(changes) != "[false true]" {
		t.Errorf("changes %v", changes)
	}
}
