package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/redisstate"
	"github.com/careersbot/careersbot/bot/service"
	"github.com/careersbot/careersbot/config"
	"github.com/careersbot/careersbot/knowledge"
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
	return h
}

func (m *Main) serveCommand() *cobra.Command {
	var kb kbPaths
	var addr string
	var logJSON bool
	c := &cobra.Command{
		Use:   "serve",
		Short: "Run the HTTP API and every configured chat adapter",
		Long: `Runs the HTTP API (GET /healthz, GET /metrics, POST /v1/ask), the web chat
at / (with /widget.js), the team console at /team (when CAREERSBOT_TEAM_TOKEN is
set) and every chat adapter whose credentials are set, until SIGINT or SIGTERM
(docs/serve.md).
SIGHUP, or a change to a --kb file or directory, reloads the knowledge base.

Settings come from the environment (SLACK_BOT_TOKEN, CAREERSBOT_ADDR ...; the
table is docs/environment.md) and, optionally, a YAML file (--config) with the
same names as keys; the environment wins, and flags win over both.

Exits 1 with one message if a setting is wrong, the knowledge cannot be loaded,
the address is taken, or Slack or Discord refuses a token for good.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return m.runServe(c.Context(), kb, addr, logJSON)
		},
	}
	c.Flags().Var(&kb, "kb", "knowledge file or directory (repeatable; default CAREERSBOT_KB, else the embedded page)")
	c.Flags().StringVar(&addr, "addr", "", "listen address (default CAREERSBOT_ADDR, else :8080)")
	c.Flags().BoolVar(&logJSON, "log-json", false, "log JSON lines instead of text (default CAREERSBOT_LOG_FORMAT)")
	return c
}

// runServe is `careersbot serve`.
func (m *Main) runServe(ctx context.Context, kb kbPaths, addr string, logJSON bool) error {
	hooks := hooksFrom(ctx)
	cfg, err := m.settings()
	if err != nil {
		return err
	}
	if addr != "" {
		cfg.Addr = addr
	}
	if len(kb) > 0 {
		cfg.KB = kb
	}
	if logJSON {
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
	proxies, _ := config.ParseProxies(cfg.TrustedProxies) // checked by Validate
	o := service.Options{
		Addr:             cfg.Addr,
		KB:               cfg.KB,
		Synonyms:         cfg.Answer.Synonyms,
		Threshold:        cfg.Answer.Threshold,
		RecordUnanswered: cfg.Unanswered.Record,
		UnansweredDB:     cfg.Unanswered.DB,
		TeamToken:        cfg.Web.TeamToken,
		AllowedOrigins:   cfg.Web.AllowedOrigins,
		TrustedProxies:   proxies,
		Version:          version(),
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
