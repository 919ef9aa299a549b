package service

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/engine"
	"github.com/careersbot/careersbot/intents"
)

// supervise runs a until ctx is done, restarting it with exponential
// backoff (and jitter) whenever it fails or returns early. A panic counts
// as a failure. Other adapters and the HTTP API are unaffected, unless a
// fails for good (bot.IsFatal: a token the platform refuses): then
// supervise returns the error, which stops the service.
func (s *Service) supervise(ctx context.Context, a bot.Adapter) error {
	log := s.log // adapters add their own "adapter" key to their lines
	delay := s.o.Backoff
	for {
		started := time.Now()
		err := runSafely(ctx, a)
		if ctx.Err() != nil {
			return nil
		}
		if bot.IsFatal(err) {
			// Not logged: the caller says it once, as serve's exit message.
			return err
		}
		if err == nil {
			err = errors.New("stopped without an error")
		}
		if time.Since(started) > backoffMax {
			delay = s.o.Backoff // it had been running well: start over
		}
		wait := delay/2 + rand.N(delay/2+1)
		log.Error("adapter failed; restarting", "adapter", a.Name(), "err", err, "retry_in", wait.Round(time.Millisecond))
		s.metrics.AdapterRestarted(a.Name())
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		delay = min(delay*2, backoffMax)
	}
}

func runSafely(ctx context.Context, a bot.Adapter) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return a.Run(ctx)
}

// reloadLoop reloads the knowledge base on SIGHUP and when a --kb path
// changes, until ctx is done. The signal and the watches were set up in
// New, before the service said it was ready, so no change is missed.
func (s *Service) reloadLoop(ctx context.Context) {
	var events <-chan fsnotify.Event
	var errs <-chan error
	if s.watch != nil {
		events, errs = s.watch.w.Events, s.watch.w.Errors
	}
	debounce := time.NewTimer(time.Hour)
	debounce.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.hup:
			s.log.Info("SIGHUP: reloading knowledge")
			if s.watch != nil {
				s.watch.rearm()
			}
			s.reload()
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if s.watch.relevant(ev) {
				debounce.Reset(reloadDebounce)
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			s.log.Warn("watching knowledge files", "err", err)
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				s.watch.rearm()
				debounce.Reset(reloadDebounce)
			}
		case <-debounce.C:
			s.log.Info("knowledge files changed: reloading")
			s.reload()
		}
	}
}

// reload loads the knowledge base again and swaps it in; on failure the
// old one keeps serving.
func (s *Service) reload() {
	start := time.Now()
	base, err := s.o.LoadBase(s.o.KB)
	var eng bot.Answerer
	var e *intents.Engine
	if err == nil {
		if e, err = BuildEngine(base, s.o.Synonyms, s.o.Threshold); err == nil {
			eng = engine.Adapt(e)
		}
	}
	if err != nil {
		s.metrics.ReloadFailed()
		s.web.reloadFailed(err, time.Now())
		s.log.Error("reload failed; still serving the previous knowledge", "err", err)
		s.o.Reloaded(err)
		return
	}
	s.bot.SetAnswerer(eng)
	s.serving(base, time.Since(start), true)
	cur := s.current.Load()
	s.web.loaded(e, base, cur.took, cur.at, int(s.reloads.Load()))
	s.log.Info("knowledge reloaded", "documents", len(base.Documents), "topics", len(base.Topics),
		"took", time.Since(start).Round(time.Microsecond))
	s.o.Reloaded(nil)
}
