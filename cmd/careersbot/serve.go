package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
	"golang.org/x/sync/errgroup"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/httpapi"
	"github.com/careersbot/careersbot/bot/limit"
	"github.com/careersbot/careersbot/bot/unanswered"
	"github.com/careersbot/careersbot/config"
	"github.com/careersbot/careersbot/intents"
	"github.com/careersbot/careersbot/knowledge"
)

const serveUsage = `Usage: careersbot serve [--config FILE] [--kb PATH]... [--addr ADDR] [--log-json]

Runs the HTTP API (GET /healthz, GET /metrics, POST /v1/ask) and every chat
adapter whose credentials are set, until SIGINT or SIGTERM. SIGHUP, or a
change to a --kb file, reloads the knowledge base.

Settings come from the environment (SLACK_BOT_TOKEN, CAREERSBOT_ADDR, ...;
see docs/serve.md) and, optionally, a YAML file with the same names as
keys; the environment wins, and flags win over both.

Flags:
`

// Shutdown budget: SIGINT/SIGTERM to return within 10 s.
const (
	shutdownHTTP   = 7 * time.Second // replies in flight get this long
	shutdownTotal  = 9 * time.Second // then adapters are abandoned
	recorderFlush  = 500 * time.Millisecond
	reloadDebounce = 200 * time.Millisecond
	backoffMax     = time.Minute
)

// serveHooks let tests watch and steer serve in-process; the zero value is
// what production uses.
type serveHooks struct {
	ready    func(addr net.Addr) // called once listening
	reloaded func(err error)     // called after every reload attempt
	// Replacements, when set.
	adapters  []adapterFactory
	loadBase  func(paths []string) (*knowledge.Base, error)
	backoff   time.Duration  // first adapter retry delay
	intercept bot.Middleware // runs just inside logging, around everything else
}

type serveHooksKey struct{}

// withServeHooks returns ctx carrying hooks for runServe.
func withServeHooks(ctx context.Context, h *serveHooks) context.Context {
	return context.WithValue(ctx, serveHooksKey{}, h)
}

func hooksFrom(ctx context.Context) *serveHooks {
	h, _ := ctx.Value(serveHooksKey{}).(*serveHooks)
	if h == nil {
		h = &serveHooks{}
	}
	if h.ready == nil {
		h.ready = func(net.Addr) {}
	}
	if h.reloaded == nil {
		h.reloaded = func(error) {}
	}
	if h.adapters == nil {
		h.adapters = adapterFactories
	}
	if h.loadBase == nil {
		h.loadBase = loadBase
	}
	if h.backoff <= 0 {
		h.backoff = time.Second
	}
	return h
}

// runServe is `careersbot serve`.
func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.newFlagSet("serve", serveUsage)
	configPath := fs.String("config", "", "YAML config `file` (keys are the environment variable names)")
	var kb kbPaths
	fs.Var(&kb, "kb", "knowledge file or directory (repeatable; default CAREERSBOT_KB, else the embedded page)")
	addr := fs.String("addr", "", "listen address (default CAREERSBOT_ADDR, else :8080)")
	logJSON := fs.Bool("log-json", false, "log JSON lines instead of text (default CAREERSBOT_LOG_FORMAT)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return usagef("serve takes no arguments, got %q", fs.Arg(0))
	}
	hooks := hooksFrom(ctx)

	lookup := func(k string) (string, bool) { v := m.Getenv(k); return v, v != "" }
	cfg, err := config.Load(lookup, *configPath)
	if err != nil {
		return fmt.Errorf("invalid configuration: %w", err)
	}
	if *addr != "" {
		cfg.Addr = *addr
	}
	if len(kb) > 0 {
		cfg.KB = kb
	}
	if *logJSON {
		cfg.Log.Format = "json"
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("invalid configuration: %w", err)
	}
	log := newLogger(m.Stderr, cfg.Log)

	s := &server{cfg: cfg, log: log, hooks: hooks}
	return s.run(ctx)
}

// newLogger returns the slog logger serve writes to stderr.
func newLogger(w io.Writer, c config.Log) *slog.Logger {
	level, _ := config.LogLevel(c.Level)
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// server is one run of serve.
type server struct {
	cfg     config.Config
	log     *slog.Logger
	hooks   *serveHooks
	bot     *bot.Bot
	metrics *httpapi.Metrics

	current  atomic.Pointer[loaded] // the knowledge base being served
	reloads  atomic.Int64
	adapters []bot.Adapter
}

// loaded describes a knowledge base in service.
type loaded struct {
	docs, topics int
	took         time.Duration
	at           time.Time
}

func (s *server) run(ctx context.Context) error {
	start := time.Now()
	base, err := s.hooks.loadBase(s.cfg.KB)
	if err != nil {
		return fmt.Errorf("load knowledge: %w", err)
	}
	engine, err := buildEngine(base, s.cfg.Answer.Synonyms, s.cfg.Answer.Threshold)
	if err != nil {
		return fmt.Errorf("build answering engine: %w", err)
	}
	s.bot = bot.New(engine)
	s.metrics = httpapi.NewMetrics(Version)
	s.serving(base, time.Since(start), false)

	var rec *unanswered.Recorder
	var store *unanswered.Store
	if s.cfg.Unanswered.Record {
		store, err = unanswered.Open(ctx, s.cfg.Unanswered.DB)
		if err != nil {
			return fmt.Errorf("%w (set CAREERSBOT_UNANSWERED_DB to a writable file, or CAREERSBOT_UNANSWERED_RECORD=false)", err)
		}
		defer store.Close()
		rec = unanswered.NewRecorder(store, s.log.With("component", "unanswered"))
		defer func() {
			fctx, cancel := context.WithTimeout(context.Background(), recorderFlush)
			defer cancel()
			if err := rec.Close(fctx); err != nil {
				s.log.Warn("unanswered questions not all written at shutdown", "err", err)
			}
		}()
		s.metrics.WatchUnanswered(rec.Stats)
	}

	mw := []bot.Middleware{logQuestions(s.log)}
	if s.hooks.intercept != nil {
		mw = append(mw, s.hooks.intercept)
	}
	mw = append(mw, s.metrics.Middleware())
	retryAfter := time.Duration(0)
	if !s.cfg.Limit.Off() {
		mw = append(mw, limit.New(limit.PerMinute(s.cfg.Limit.PerMinute), s.cfg.Limit.Burst).Middleware())
		retryAfter = s.cfg.Limit.Interval()
	}
	if rec != nil {
		mw = append(mw, rec.Middleware())
	}
	handler := bot.Chain(s.bot, mw...)

	for _, f := range s.hooks.adapters {
		a, err := f(s.cfg, handler, s.log)
		if err != nil {
			return fmt.Errorf("set up adapter: %w", err)
		}
		if a != nil {
			s.adapters = append(s.adapters, a)
		}
	}
	s.metrics.WatchAdapters(s.adapters)

	api, err := httpapi.New(httpapi.Options{
		Handler:    handler,
		Health:     s.health,
		Metrics:    s.metrics,
		Adapters:   s.adapters,
		Log:        s.log.With("component", "http"),
		RetryAfter: retryAfter,
	})
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.With("component", "http").Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	// Reload triggers, before anyone can be told we are ready.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	w, err := s.watch()
	if err != nil {
		s.log.Warn("not watching knowledge files; reload with SIGHUP", "err", err)
	}
	if w != nil {
		defer w.close()
	}

	names := make([]string, len(s.adapters))
	for i, a := range s.adapters {
		names[i] = a.Name()
	}
	cur := s.current.Load()
	s.log.Info("serving", "addr", ln.Addr().String(), "version", Version, "documents", cur.docs,
		"adapters", names, "unanswered_db", dbName(s.cfg.Unanswered), "config", s.cfg)
	s.hooks.ready(ln.Addr())

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve HTTP: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), shutdownHTTP)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			s.log.Warn("replies still in flight at shutdown deadline; closing", "err", err)
			srv.Close()
		}
		return nil
	})
	for _, a := range s.adapters {
		g.Go(func() error { s.runAdapter(gctx, a); return nil })
	}
	g.Go(func() error { s.reloadLoop(gctx, hup, w); return nil })

	done := make(chan error, 1)
	go func() { done <- g.Wait() }()
	select {
	case err = <-done:
	case <-gctx.Done():
		s.log.Info("shutting down: finishing replies in flight")
		select {
		case err = <-done:
		case <-time.After(shutdownTotal):
			s.log.Warn("shutdown deadline passed; leaving adapters that have not stopped")
		}
	}
	if err != nil {
		return err
	}
	s.log.Info("stopped")
	return nil
}

func dbName(u config.Unanswered) string {
	if !u.Record {
		return "off"
	}
	return config.RedactURL(u.DB)
}

// serving makes base's description current and updates the metrics.
func (s *server) serving(base *knowledge.Base, took time.Duration, reload bool) {
	if base.LoadTime > 0 {
		took = base.LoadTime
	}
	l := &loaded{docs: len(base.Documents), topics: len(base.Topics), took: took, at: time.Now()}
	s.current.Store(l)
	if reload {
		s.reloads.Add(1)
	}
	s.metrics.Loaded(l.docs, l.at, reload)
}

func (s *server) health() httpapi.Health {
	l := s.current.Load()
	h := httpapi.Health{
		Status:    "ok",
		Version:   Version,
		Documents: l.docs,
		Topics:    l.topics,
		LoadTime:  l.took.Seconds(),
		LoadedAt:  l.at.UTC(),
		Reloads:   int(s.reloads.Load()),
		Adapters:  map[string]bool{},
	}
	for _, a := range s.adapters {
		c, ok := a.(bot.Connector)
		h.Adapters[a.Name()] = !ok || c.Connected()
	}
	return h
}

// logQuestions logs one line per question: adapter, intent, answered,
// confidence, latency. Never the text, the user or the conversation.
func logQuestions(log *slog.Logger) bot.Middleware {
	return func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
			start := time.Now()
			r := next.Handle(ctx, m)
			log.LogAttrs(ctx, slog.LevelInfo, "question",
				slog.String("adapter", m.Adapter),
				slog.String("intent", r.Intent),
				slog.Bool("answered", r.Answered),
				slog.Float64("confidence", r.Confidence),
				slog.Duration("latency", time.Since(start)))
			return r
		})
	}
}

// runAdapter runs a until ctx is done, restarting it with exponential
// backoff (and jitter) whenever it fails or returns early. A panic counts
// as a failure. Other adapters and the HTTP API are unaffected.
func (s *server) runAdapter(ctx context.Context, a bot.Adapter) {
	log := s.log.With("adapter", a.Name())
	delay := s.hooks.backoff
	for {
		started := time.Now()
		err := runSafely(ctx, a)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			err = errors.New("stopped without an error")
		}
		if time.Since(started) > backoffMax {
			delay = s.hooks.backoff // it had been running well: start over
		}
		wait := delay/2 + rand.N(delay/2+1)
		log.Error("adapter failed; restarting", "err", err, "retry_in", wait.Round(time.Millisecond))
		s.metrics.AdapterRestarted(a.Name())
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
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

// reloadLoop reloads the knowledge base on SIGHUP and when a --kb file
// changes, until ctx is done.
// hup and w are set up before serve says it is ready, so no change is missed.
func (s *server) reloadLoop(ctx context.Context, hup <-chan os.Signal, w *watcher) {
	var events <-chan fsnotify.Event
	var errs <-chan error
	if w != nil {
		events, errs = w.w.Events, w.w.Errors
	}
	debounce := time.NewTimer(time.Hour)
	debounce.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			s.log.Info("SIGHUP: reloading knowledge")
			s.reload()
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if w.relevant(ev) {
				debounce.Reset(reloadDebounce)
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			s.log.Warn("watching knowledge files", "err", err)
		case <-debounce.C:
			s.log.Info("knowledge files changed: reloading")
			s.reload()
		}
	}
}

// reload loads the knowledge base again and swaps it in; on failure the
// old one keeps serving.
func (s *server) reload() {
	start := time.Now()
	base, err := s.hooks.loadBase(s.cfg.KB)
	var engine *intents.Engine
	if err == nil {
		engine, err = buildEngine(base, s.cfg.Answer.Synonyms, s.cfg.Answer.Threshold)
	}
	if err != nil {
		s.metrics.ReloadFailed()
		s.log.Error("reload failed; still serving the previous knowledge", "err", err)
		s.hooks.reloaded(err)
		return
	}
	s.bot.SetAnswerer(engine)
	s.serving(base, time.Since(start), true)
	s.log.Info("knowledge reloaded", "documents", len(base.Documents), "topics", len(base.Topics),
		"took", time.Since(start).Round(time.Microsecond))
	s.hooks.reloaded(nil)
}

// watcher watches the --kb paths: the directory of each file (editors
// replace files by renaming, which a watch on the file itself misses) and
// every directory below each directory.
type watcher struct {
	w     *fsnotify.Watcher
	files map[string]bool // watched files, cleaned
	dirs  map[string]bool // directories watched for everything in them
	mu    sync.Mutex      // protects dirs as directories are added
}

func (s *server) watch() (*watcher, error) {
	if len(s.cfg.KB) == 0 {
		return nil, nil // the embedded page never changes
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{w: fw, files: map[string]bool{}, dirs: map[string]bool{}}
	for _, p := range s.cfg.KB {
		p = filepath.Clean(p)
		fi, err := os.Stat(p)
		if err != nil {
			w.close()
			return nil, err
		}
		if !fi.IsDir() {
			w.files[p] = true
			if err := fw.Add(filepath.Dir(p)); err != nil {
				w.close()
				return nil, fmt.Errorf("watch %s: %w", filepath.Dir(p), err)
			}
			continue
		}
		if err := w.addTree(p); err != nil {
			w.close()
			return nil, err
		}
	}
	return w, nil
}

func (w *watcher) addTree(root string) error {
	return filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if err := w.w.Add(path); err != nil {
			return fmt.Errorf("watch %s: %w", path, err)
		}
		w.mu.Lock()
		w.dirs[filepath.Clean(path)] = true
		w.mu.Unlock()
		return nil
	})
}

// relevant reports whether ev touches the knowledge, watching any new
// directory inside a watched tree.
func (w *watcher) relevant(ev fsnotify.Event) bool {
	name := filepath.Clean(ev.Name)
	if ev.Op == fsnotify.Chmod {
		return false
	}
	if w.files[name] {
		return true
	}
	w.mu.Lock()
	inTree := w.dirs[filepath.Dir(name)]
	w.mu.Unlock()
	if !inTree {
		return false
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Stat(name); err == nil && fi.IsDir() {
			_ = w.addTree(name)
		}
	}
	base := filepath.Base(name)
	// Editor droppings: swap files, backups, hidden temporary files.
	if base == "" || base[0] == '.' || base[len(base)-1] == '~' || filepath.Ext(base) == ".swp" {
		return false
	}
	return true
}

func (w *watcher) close() { w.w.Close() }
