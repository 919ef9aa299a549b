package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/redisstate"
	"github.com/careersbot/careersbot/bot/service"
	"github.com/careersbot/careersbot/config"
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

	var shared *redisstate.Store
	var claims bot.Claims
	if cfg.Redis.Enabled() {
		shared, err = redisstate.Open(ctx, redisstate.Options{URL: cfg.Redis.URL, Log: log})
		if err != nil {
			return fmt.Errorf("CAREERSBOT_REDIS_URL: %w (replicas share state there; unset it to keep state in memory)", err)
		}
		defer shared.Close()
		claims = shared.Claims()
		log.Info("sharing state in redis", "addr", shared.Addr())
	}
	o := serviceOptions(cfg, log, hooks, claims)
	o.Shared = shared
	svc, err := service.New(ctx, o)
	if err != nil {
		return err
	}
	return svc.Run(ctx)
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

// serviceOptions turns the configuration into the runtime's options.
func serviceOptions(cfg config.Config, log *slog.Logger, hooks *serveHooks, claims bot.Claims) service.Options {
	o := service.Options{
		Addr:             cfg.Addr,
		KB:               cfg.KB,
		Synonyms:         cfg.Answer.Synonyms,
		Threshold:        cfg.Answer.Threshold,
		RecordUnanswered: cfg.Unanswered.Record,
		UnansweredDB:     cfg.Unanswered.DB,
		Version:          Version,
		Log:              log,
		Settings:         cfg,
		Ready:            hooks.ready,
		Reloaded:         hooks.reloaded,
		LoadBase:         hooks.loadBase,
		Backoff:          hooks.backoff,
		Intercept:        hooks.intercept,
	}
	if !cfg.Limit.Off() {
		o.RatePerMinute, o.RateBurst = cfg.Limit.PerMinute, cfg.Limit.Burst
	}
	factories := hooks.adapters
	if factories == nil {
		factories = adapterFactories(claims)
	}
	for _, f := range factories {
		o.Adapters = append(o.Adapters, func(h bot.Handler, log *slog.Logger) (bot.Adapter, error) {
			return f(cfg, h, log)
		})
	}
	return o
}
