package slack

import (
	"sync"
	"time"
)

// pool runs answers in the background with bounded concurrency, so that
// deliveries are acknowledged at once however many arrive, and a burst
// cannot run more than workers handlers and Web API calls at a time.
// At most maxQueued jobs exist at once (running or waiting); beyond that Go
// refuses, rather than letting memory grow without limit.
type pool struct {
	sem       chan struct{} // one token per running job
	maxQueued int

	mu   sync.Mutex    // protects n and idle
	n    int           // jobs running or waiting
	idle chan struct{} // closed while n == 0
}

func newPool(workers, maxQueued int) *pool {
	idle := make(chan struct{})
	close(idle)
	return &pool{sem: make(chan struct{}, workers), maxQueued: maxQueued, idle: idle}
}

// Go runs f when a worker is free. It returns false, without running f,
// when too many jobs are already waiting.
func (p *pool) Go(f func()) bool {
	p.mu.Lock()
	if p.n >= p.maxQueued {
		p.mu.Unlock()
		return false
	}
	if p.n == 0 {
		p.idle = make(chan struct{})
	}
	p.n++
	p.mu.Unlock()

	go func() {
		defer p.done()
		p.sem <- struct{}{}
		defer func() { <-p.sem }()
		f()
	}()
	return true
}

func (p *pool) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n--
	if p.n == 0 {
		close(p.idle)
	}
}

// Wait waits until no job is running or waiting, or for d to pass; it
// reports whether the pool went idle.
func (p *pool) Wait(d time.Duration) bool {
	p.mu.Lock()
	idle := p.idle
	p.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-idle:
		return true
	case <-t.C:
		return false
	}
}
