// Package testutil holds helpers shared by careersbot's tests: a log sink
// safe for concurrent writers and a runner that starts an adapter and
// checks that it stops when its context ends.
package testutil

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/careersbot/careersbot/bot"
)

// SyncBuffer is a log sink safe for concurrent writes.
type SyncBuffer struct {
	mu  sync.Mutex // protects buf
	buf bytes.Buffer
}

// Write appends p.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// RunAdapter runs a in the background until the test ends, then cancels
// it and fails the test if Run returns an error or takes longer than wait
// to return.
func RunAdapter(tb testing.TB, a bot.Adapter, wait time.Duration) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	tb.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("Run: %v", err)
			}
		case <-time.After(wait):
			tb.Errorf("Run did not return after cancel")
		}
	})
}
