// Package service is careersbot's runtime, the part of `careersbot serve`
// that is not command-line parsing: it loads the knowledge base and builds
// the answering engine, wraps the core in its middleware (question log,
// metrics, rate limit, unanswered recorder, in that order), serves the HTTP
// API with the adapters' routes and the web pages (bot/web), supervises every chat adapter (restarting
// it with backoff, stopping the service when one fails for good), and
// reloads the knowledge on SIGHUP and when a --kb file or directory
// changes.
//
// With Options.Shared (Redis) the conversation context and the rate limits
// are those every replica shares, and /healthz and
// careersbot_shared_state_up report whether Redis (and a PostgreSQL
// unanswered log) is reachable.
//
// It takes its settings as Options, never from the environment: package
// config reads those and cmd/careersbot hands them over. cmd/loadtest runs
// the same Service in-process.
package service

import (
	"context"
	"errors"
	"fmt"
	stdlog "log"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/engine"
	"github.com/careersbot/careersbot/bot/httpapi"
	"github.com/careersbot/careersbot/bot/limit"
	"github.com/careersbot/careersbot/bot/redisstate"
	"github.com/careersbot/careersbot/bot/unanswered"
	"github.com/careersbot/careersbot/bot/web"
	"github.com/careersbot/careersbot/intents"
	"github.com/careersbot/careersbot/internal/ratelog"
	"github.com/careersbot/careersbot/knowledge"
)

// Shutdown budget: SIGINT/SIGTERM to return within 10 s.
const (
	shutdownHTTP   = 7 * time.Second // replies in flight get this long
	shutdownTotal  = 9 * time.Second // then adapters are abandoned
	recorderFlush  = 500 * time.Millisecond
	reloadDebounce = 200 * time.Millisecond
	backoffMax     = time.Minute
)

// AdapterFactory builds one chat adapter around the service's handler, or
// returns nil, nil when the adapter is not configured.
type AdapterFactory func(h bot.Handler, log *slog.Logger) (bot.Adapter, error)

// Options configure a Service. With only Addr and Threshold set it serves
// the embedded page with no rate limit, no recording and no adapters.
type Options struct {
	Addr      string   // listen address, such as ":8080" or "127.0.0.1:0"
	KB        []string // knowledge files and directories; none for the embedded page
	Synonyms  string   // extra synonyms/intents YAML file, or ""
	Threshold float64  // confidence below which the bot says it doesn't know (intents.DefaultThreshold is usual)

	RatePerMinute float64 // questions a minute per user; 0 for no limit
	RateBurst     int     // questions a user may ask at once

	RecordUnanswered bool   // record fallbacks for `careersbot report unanswered`
	UnansweredDB     string // the SQLite file they go to, or a postgres:// URL replicas share

	// Shared is the state replicas share in Redis (conversation context and
	// rate limits here; the adapters take its Claims). Nil keeps it all in
	// this process's memory.
	Shared *redisstate.Store

	// The web pages: the chat at / and /widget.js always; the team
	// console at /team only with a TeamToken. AllowedOrigins may call
	// /v1/ask from a browser (CORS) and frame the chat page.
	TeamToken      string
	AllowedOrigins []string

	// TrustedProxies are the load balancers in front of the replicas:
	// behind them /v1/ask callers are told apart (rate limits) by
	// X-Forwarded-For.
	TrustedProxies []netip.Prefix

	Version  string       // reported by /healthz and /metrics
	Log      *slog.Logger // nil discards
	Adapters []AdapterFactory
	Settings slog.LogValuer // logged on the "serving" line (redacted settings); may be nil

	// For tests and embedders; zero values are what serve uses.
	Ready     func(addr net.Addr)                           // called once listening and watching
	Reloaded  func(err error)                               // called after every reload attempt
	LoadBase  func(paths []string) (*knowledge.Base, error) // replaces LoadBase
	Backoff   time.Duration                                 // first adapter retry delay (default 1 s)
	Intercept bot.Middleware                                // runs just inside the question log
}

// Service is one run of the runtime. New sets it up; Run serves.
type Service struct {
	o       Options
	log     *slog.Logger
	bot     *bot.Bot
	handler bot.Handler
	metrics *httpapi.Metrics
	api     http.Handler
	ln      net.Listener
	store   *unanswered.Store
	rec     *unanswered.Recorder
	hup     chan os.Signal
	watch   *watcher

	current  atomic.Pointer[loaded] // the knowledge base being served
	reloads  atomic.Int64
	adapters []bot.Adapter
	web      webState // what the web pages show of the knowledge
}

// loaded describes a knowledge base in service.
type loaded struct {
	docs, topics int
	took         time.Duration
	at           time.Time
}

// New loads the knowledge, builds the engine, the middleware and the
// adapters, and listens on o.Addr. Errors name what to fix. Run must be
// called to serve (and to release what New opened).
func New(ctx context.Context, o Options) (_ *Service, err error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.LoadBase == nil {
		o.LoadBase = LoadBase
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Second
	}
	if o.Ready == nil {
		o.Ready = func(net.Addr) {}
	}
	if o.Reloaded == nil {
		o.Reloaded = func(error) {}
	}
	s := &Service{o: o, log: o.Log}
	defer func() {
		if err != nil {
			s.close()
		}
	}()

	start := time.Now()
	base, err := o.LoadBase(o.KB)
	if err != nil {
		return nil, fmt.Errorf("load knowledge: %w", err)
	}
	eng, err := BuildEngine(base, o.Synonyms, o.Threshold)
	if err != nil {
		return nil, fmt.Errorf("build answering engine: %w", err)
	}
	var botOpts []bot.Option
	if o.Shared != nil {
		botOpts = append(botOpts, bot.WithContextStore(o.Shared.Contexts()))
	}
	s.bot = bot.New(engine.Adapt(eng), botOpts...)
	s.metrics = httpapi.NewMetrics(o.Version)
	s.serving(base, time.Since(start), false)
	cur := s.current.Load()
	s.web.loaded(eng, base, cur.took, cur.at, 0)
	if o.Shared != nil {
		s.metrics.WatchShared("redis", o.Shared.Up)
	}

	if o.RecordUnanswered {
		s.store, err = unanswered.Open(ctx, o.UnansweredDB)
		if err != nil {
			hint := "set CAREERSBOT_UNANSWERED_DB to a writable file"
			if unanswered.IsURL(o.UnansweredDB) {
				hint = "check that the PostgreSQL server in CAREERSBOT_UNANSWERED_DB is reachable"
			}
			return nil, fmt.Errorf("CAREERSBOT_UNANSWERED_DB: %w (%s, or CAREERSBOT_UNANSWERED_RECORD=false)", err, hint)
		}
		s.rec = unanswered.NewRecorder(s.store, s.log.With("component", "unanswered"))
		s.metrics.WatchUnanswered(s.rec.Stats)
		if unanswered.IsURL(o.UnansweredDB) {
			s.metrics.WatchShared("postgres", s.rec.Up)
		}
	}

	retryAfter := time.Duration(0)
	var lim limit.Store
	if o.RatePerMinute > 0 {
		if o.Shared != nil {
			lim = o.Shared.Limiter(o.RatePerMinute, o.RateBurst)
		} else {
			lim = limit.New(limit.PerMinute(o.RatePerMinute), o.RateBurst)
		}
		retryAfter = time.Duration(float64(time.Minute) / o.RatePerMinute)
	}
	s.handler = bot.Chain(s.bot, Middleware(s.log, o.Intercept, s.metrics, lim, s.rec)...)

	for _, f := range o.Adapters {
		a, err := f(s.handler, s.log)
		if err != nil {
			return nil, fmt.Errorf("set up adapter: %w", err)
		}
		if a != nil {
			s.adapters = append(s.adapters, a)
		}
	}
	s.metrics.WatchAdapters(s.adapters)

	wo := web.Options{
		Intro:          s.web.intro,
		AllowedOrigins: o.AllowedOrigins,
		TeamToken:      o.TeamToken,
		Knowledge:      s.web.knowledge,
		Try:            web.ExplainerFunc(s.web.explain),
		Log:            s.log.With("component", "web"),
	}
	if s.store != nil {
		wo.Unanswered = s.store
	}
	pages, err := web.New(wo)
	if err != nil {
		return nil, err
	}
	s.api, err = httpapi.New(httpapi.Options{
		Handler:        s.handler,
		Health:         s.health,
		Metrics:        s.metrics,
		Adapters:       s.adapters,
		Log:            s.log.With("component", "http"),
		RetryAfter:     retryAfter,
		AllowedOrigins: o.AllowedOrigins,
		TrustedProxies: o.TrustedProxies,
		Pages:          []httpapi.Router{pages},
	})
	if err != nil {
		return nil, err
	}
	s.ln, err = net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", o.Addr, err)
	}
	// Reload triggers, before anyone can be told we are ready.
	s.hup = make(chan os.Signal, 1)
	signal.Notify(s.hup, syscall.SIGHUP)
	if len(o.KB) > 0 { // the embedded page never changes
		s.watch, err = newWatcher(o.KB, s.log)
		if err != nil {
			s.log.Warn("not watching knowledge files; reload with SIGHUP", "err", err)
			s.watch, err = nil, nil
		}
	}
	return s, nil
}

// Middleware returns the middleware serve wraps the core in, outermost
// first: the question log, then intercept (tests), metrics, the rate limit
// (when lim is not nil: in memory, or shared in Redis) and the unanswered
// recorder (when rec is not nil). A rate-limited question is logged and
// counted but not recorded.
func Middleware(log *slog.Logger, intercept bot.Middleware, m *httpapi.Metrics, lim limit.Store, rec *unanswered.Recorder) []bot.Middleware {
	mw := []bot.Middleware{LogQuestions(log)}
	if intercept != nil {
		mw = append(mw, intercept)
	}
	if m != nil {
		mw = append(mw, m.Middleware())
	}
	if lim != nil {
		mw = append(mw, limit.Middleware(lim))
	}
	if rec != nil {
		mw = append(mw, rec.Middleware())
	}
	return mw
}

// Addr is the address the service listens on.
func (s *Service) Addr() net.Addr { return s.ln.Addr() }

// Handler is the core wrapped in the service's middleware: what the HTTP
// API and the adapters ask.
func (s *Service) Handler() bot.Handler { return s.handler }

// UnansweredStats reports the recorder's counts (all zero when not
// recording).
func (s *Service) UnansweredStats() (recorded, dropped, failed uint64) {
	if s.rec == nil {
		return 0, 0, 0
	}
	return s.rec.Stats()
}

// close releases what New opened, in reverse order.
func (s *Service) close() {
	if s.hup != nil {
		signal.Stop(s.hup)
	}
	if s.watch != nil {
		s.watch.close()
	}
	if s.ln != nil {
		s.ln.Close()
	}
	if s.rec != nil {
		fctx, cancel := context.WithTimeout(context.Background(), recorderFlush)
		defer cancel()
		if err := s.rec.Close(fctx); err != nil {
			s.log.Warn("unanswered questions not all written at shutdown", "err", err)
		}
	}
	if s.store != nil {
		s.store.Close()
	}
}

// Run serves until ctx is done (SIGINT, SIGTERM) or an adapter fails for
// good, then shuts down within 10 s: replies in flight finish, adapters
// that do not stop in time are left. It returns nil after a clean
// shutdown and the error of an adapter that stopped the service.
func (s *Service) Run(ctx context.Context) error {
	defer s.close()
	srv := &http.Server{
		Handler:           s.api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          serverErrorLog(s.log.With("component", "http")),
	}
	names := make([]string, len(s.adapters))
	for i, a := range s.adapters {
		names[i] = a.Name()
	}
	cur := s.current.Load()
	attrs := []any{"addr", s.ln.Addr().String(), "version", s.o.Version, "documents", cur.docs,
		"adapters", names, "unanswered_db", s.dbName()}
	if s.o.Settings != nil {
		attrs = append(attrs, "config", s.o.Settings)
	}
	s.log.Info("serving", attrs...)
	s.o.Ready(s.ln.Addr())

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := srv.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
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
		g.Go(func() error { return s.supervise(gctx, a) })
	}
	g.Go(func() error { s.reloadLoop(gctx); return nil })

	done := make(chan error, 1)
	go func() { done <- g.Wait() }()
	var err error
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

func (s *Service) dbName() string {
	if !s.o.RecordUnanswered {
		return "off"
	}
	return s.store.Path() // a URL's password hidden
}

// serving makes base's description current and updates the metrics.
func (s *Service) serving(base *knowledge.Base, took time.Duration, reload bool) {
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

func (s *Service) health() httpapi.Health {
	l := s.current.Load()
	h := httpapi.Health{
		Status:    "ok",
		Version:   s.o.Version,
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
	if s.o.Shared != nil {
		h.Shared = map[string]bool{"redis": s.o.Shared.Up()}
	}
	if s.rec != nil && unanswered.IsURL(s.o.UnansweredDB) {
		if h.Shared == nil {
			h.Shared = map[string]bool{}
		}
		h.Shared["postgres"] = s.rec.Up()
	}
	for _, up := range h.Shared {
		if !up {
			h.Status = "degraded" // answering from this replica's own state
		}
	}
	return h
}

// Shared is the state shared with other replicas, or nil.
func (s *Service) Shared() *redisstate.Store { return s.o.Shared }

// LogQuestions logs one line per question: adapter, intent, answered,
// confidence, latency. Never the text, the user or the conversation.
func LogQuestions(log *slog.Logger) bot.Middleware {
	return func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
			start := time.Now()
			r := next.Handle(ctx, m)
			attrs := []slog.Attr{
				slog.String("adapter", m.Adapter),
				slog.String("intent", r.Intent),
				slog.Bool("answered", r.Answered),
				slog.Float64("confidence", r.Confidence),
				slog.Duration("latency", time.Since(start)),
			}
			if r.Status != bot.StatusOK {
				attrs = append(attrs, slog.String("status", string(r.Status)))
			}
			log.LogAttrs(ctx, slog.LevelInfo, "question", attrs...)
			return r
		})
	}
}

// LoadBase loads the knowledge base named by paths, or the embedded one.
// A path that is a symlink is loaded from where it points now, so that a
// deploy that swaps a "current" symlink serves the new directory.
func LoadBase(paths []string) (*knowledge.Base, error) {
	defer leanGC()()
	if len(paths) == 0 {
		return knowledge.Default()
	}
	resolved := make([]string, len(paths))
	for i, p := range paths {
		resolved[i] = p
		if fi, err := os.Lstat(p); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			if t, err := filepath.EvalSymlinks(p); err == nil {
				resolved[i] = t
			}
		}
	}
	return knowledge.Load(resolved...)
}

// BuildEngine builds the engine over kb with the embedded intents and
// synonyms, plus the synonyms file if one is named.
func BuildEngine(kb *knowledge.Base, synonyms string, threshold float64) (*intents.Engine, error) {
	e, err := buildEngine(kb, synonyms, threshold)
	if err == nil {
		answerGC()
	}
	return e, err
}

func buildEngine(kb *knowledge.Base, synonyms string, threshold float64) (*intents.Engine, error) {
	defer leanGC()()
	lx, err := intents.DefaultLexicon()
	if err != nil {
		return nil, err
	}
	if synonyms != "" {
		if err := lx.AddFile(synonyms); err != nil {
			return nil, err
		}
	}
	return intents.New(kb, intents.WithLexicon(lx), intents.WithThreshold(threshold))
}

// answerHeapRoom is the least room the collector leaves above the live
// heap once the engine is built. Answering makes a little short-lived
// garbage per question (about 1.5 KB); at Go's default target a small
// base (the embedded page keeps about 3 MB) would be collected every few
// thousand answers, each time marking the whole base, which costs about a
// fifth of the time of an answer. A large base already has room of its
// own size, and is left at the default.
const answerHeapRoom = 32 << 20

// answerGC raises the collector's target so that the heap may grow by at
// least answerHeapRoom above what is live now, unless the operator set
// GOGC, and returns the percentage set.
func answerGC() int {
	if os.Getenv("GOGC") != "" {
		return -1
	}
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	pct := 100
	if s[0].Value.Kind() == metrics.KindUint64 {
		if live := s[0].Value.Uint64(); live > 0 {
			pct = max(pct, int(min(uint64(answerHeapRoom)*100/live, 10_000)))
		}
	}
	debug.SetGCPercent(pct)
	return pct
}

// loadGCPercent is the garbage collector's target while pages are loaded
// and indexed: a load makes much short-lived garbage, and its peak memory
// is what the machine must have room for (10,000 pages: about 330 MB at
// Go's default of 100, 290 MB at 50, for a few per cent more time).
const loadGCPercent = 50

// leanGC lowers the collector's target for a load (never raising one the
// operator set lower, or off, with GOGC) and returns what restores it.
func leanGC() func() {
	old := debug.SetGCPercent(loadGCPercent)
	if old < loadGCPercent { // lower, or off (GOGC=off)
		debug.SetGCPercent(old)
	}
	return func() { debug.SetGCPercent(old) }
}

// serverErrorLog is net/http's error log (TLS handshakes that fail, bad
// requests it refuses itself): lines any client can cause, so each kind
// goes out at most once a second, with a count of the ones held back.
func serverErrorLog(log *slog.Logger) *stdlog.Logger {
	return stdlog.New(limitedWriter{log: log, limit: ratelog.New(time.Second)}, "", 0)
}

type limitedWriter struct {
	log   *slog.Logger
	limit *ratelog.Limiter
}

// digits are left out of a line's key, so one kind of error from many
// addresses and ports counts as one source.
var digits = strings.NewReplacer("0", "", "1", "", "2", "", "3", "", "4", "", "5", "", "6", "", "7", "", "8", "", "9", "")

func (w limitedWriter) Write(p []byte) (int, error) {
	msg := strings.TrimSpace(string(p))
	w.limit.Log(context.Background(), w.log, slog.LevelWarn, digits.Replace(msg), "http server", "err", msg)
	return len(p), nil
}
