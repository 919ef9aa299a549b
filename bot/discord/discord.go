// Package discord implements careersbot's Discord adapter with
// github.com/bwmarrin/discordgo: the gateway (mentions, direct messages and
// interactions), the /careers slash command with autocomplete and suggestion
// buttons, and the HTTP interactions endpoint POST /discord/interactions.
//
// The gateway runs when a bot token is set; the HTTP endpoint is mounted when
// an application public key is set. Either is enough. Every message the
// adapter sends carries allowed_mentions with an empty parse list, so nothing
// a user types can make the bot ping anyone. Signed interactions whose
// timestamp is more than five minutes from now are refused, and each
// interaction id is answered once (Config.Claims, shared by replicas).
package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/internal/ratelog"
)

// DefaultBaseURL is where Discord's REST API lives.
const DefaultBaseURL = "https://discord.com"

// Default timings.
const (
	// DefaultDeferAfter is how long an interaction waits for its answer
	// before it is deferred (type 5) and the answer is edited in later.
	// Discord allows 3 seconds for the first response.
	DefaultDeferAfter = 2 * time.Second

	replyTimeout    = 30 * time.Second // one answer, from question to message sent
	maxClockSkew    = 5 * time.Minute  // signed interactions further from now are refused
	claimTTL        = time.Hour        // an interaction id is remembered this long (tokens last 15 minutes)
	shutdownTimeout = 10 * time.Second // replies in flight at shutdown
	candidateTTL    = 5 * time.Minute  // autocomplete candidates from the handler
	maxBackoff      = time.Minute      // between failed gateway connections
)

// Config is what the Discord adapter needs. BotToken enables the gateway,
// PublicKey the HTTP interactions endpoint; at least one must be set.
type Config struct {
	BotToken  string // bot token, with or without the "Bot " prefix
	PublicKey string // application public key, 64 hex characters
	BaseURL   string // REST base, default https://discord.com (a stand-in or proxy)
	GuildID   string // register the command in this guild instead of globally
	AppID     string // application id; learnt from READY when empty

	// Candidates returns the topics and example questions autocomplete
	// chooses from. When nil the adapter asks the handler "help" now and
	// then and uses the reply's suggestions.
	Candidates func() []string

	// DeferAfter is how long an interaction waits for its answer before it
	// is deferred; zero means DefaultDeferAfter.
	DeferAfter time.Duration

	// Claims makes sure each interaction id is answered once; replicas
	// share one (Redis). Nil keeps them in this process's memory.
	Claims bot.Claims
}

// Adapter connects a bot.Handler to Discord.
type Adapter struct {
	cfg        Config
	h          bot.Handler
	log        *slog.Logger
	pub        ed25519.PublicKey  // nil when HTTP interactions are off
	session    *discordgo.Session // REST client always; gateway when a token is set
	deferAfter time.Duration
	claims     bot.Claims
	now        func() time.Time
	noisy      *ratelog.Limiter // lines any client can cause (unsigned requests)

	running   atomic.Bool
	stopped   atomic.Bool // Run's context is done: no new gateway connections
	connected atomic.Bool
	botID     atomic.Pointer[string] // learnt from READY
	appID     atomic.Pointer[string] // configured, or learnt from READY

	inflight tracker

	candMu    sync.Mutex // protects cands and candsTime
	cands     []string
	candsTime time.Time
}

var (
	_ bot.Adapter      = (*Adapter)(nil)
	_ bot.RouteAdapter = (*Adapter)(nil)
	_ bot.Connector    = (*Adapter)(nil)
)

// New checks cfg and builds an Adapter. It does not connect: Run does.
func New(cfg Config, h bot.Handler, log *slog.Logger) (*Adapter, error) {
	if h == nil {
		return nil, errors.New("discord: no handler")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	token := strings.TrimSpace(cfg.BotToken)
	token = strings.TrimSpace(strings.TrimPrefix(token, "Bot "))
	if token == "" && strings.TrimSpace(cfg.PublicKey) == "" {
		return nil, errors.New("discord: set a bot token (gateway) or a public key (HTTP interactions)")
	}
	if strings.ContainsAny(token, " \t\r\n") {
		return nil, errors.New("discord: the bot token contains spaces")
	}
	cfg.BotToken = token
	a := &Adapter{cfg: cfg, h: h, log: log.With("adapter", "discord"), deferAfter: cfg.DeferAfter,
		noisy: ratelog.New(time.Second), claims: cfg.Claims, now: time.Now}
	if a.claims == nil {
		a.claims = bot.NewMemoryClaims(0)
	}
	if a.deferAfter <= 0 {
		a.deferAfter = DefaultDeferAfter
	}
	if k := strings.TrimSpace(cfg.PublicKey); k != "" {
		b, err := hex.DecodeString(k)
		if err != nil || len(b) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("discord: the public key must be %d hex characters (Developer Portal > General Information > Public Key)", 2*ed25519.PublicKeySize)
		}
		a.pub = ed25519.PublicKey(b)
	}
	for _, id := range []struct{ name, v string }{{"application id", cfg.AppID}, {"guild id", cfg.GuildID}} {
		if id.v != "" && !isSnowflake(id.v) {
			return nil, fmt.Errorf("discord: the %s %q is not a Discord id (digits only)", id.name, id.v)
		}
	}
	if cfg.AppID != "" {
		a.appID.Store(&cfg.AppID)
	}
	client, err := newHTTPClient(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	s, err := discordgo.New("")
	if err != nil {
		return nil, fmt.Errorf("discord: new session: %w", err)
	}
	if token != "" {
		s.Token = "Bot " + token
		s.Identify.Token = s.Token
	}
	s.Client = client
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	s.Dialer = &websocket.Dialer{
		Proxy:            http.ProxyFromEnvironment,
		HandshakeTimeout: 10 * time.Second,
		// discordgo reconnects by itself; once Run is over it must not
		// open a connection nobody will close.
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if a.stopped.Load() {
				return nil, errors.New("discord: adapter stopped")
			}
			return dialer.DialContext(ctx, network, addr)
		},
	}
	s.Identify.Intents = discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages | discordgo.IntentsMessageContent
	s.ShouldReconnectOnError = true
	s.ShouldRetryOnRateLimit = true
	s.StateEnabled = false
	s.SyncEvents = true // the handlers below only filter and then start their own goroutines
	s.LogLevel = discordgo.LogError
	a.session = s
	return a, nil
}

// Name is "discord".
func (a *Adapter) Name() string { return "discord" }

// Connected reports whether the gateway is connected right now.
func (a *Adapter) Connected() bool { return a.connected.Load() }

// Routes mounts POST /discord/interactions when a public key is set.
func (a *Adapter) Routes(mux *http.ServeMux) {
	if a.pub == nil {
		return
	}
	mux.HandleFunc("POST /discord/interactions", a.serveInteractions)
}

// Run connects to the gateway when a bot token is set and blocks until ctx
// is done; then it disconnects and waits for replies in flight. Without a
// token it only waits (the HTTP endpoint does the work).
func (a *Adapter) Run(ctx context.Context) error {
	if !a.running.CompareAndSwap(false, true) {
		return errors.New("discord: adapter already running")
	}
	defer a.inflight.wait(shutdownTimeout)
	stop := context.AfterFunc(ctx, func() { a.stopped.Store(true) })
	defer stop()
	defer a.stopped.Store(true)
	if a.cfg.BotToken == "" {
		a.log.Info("discord HTTP interactions only (no bot token)")
		<-ctx.Done()
		a.inflight.close()
		return nil
	}
	s := a.session
	removers := []func(){
		s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) { a.connected.Store(true) }),
		s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) { a.connected.Store(false) }),
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { a.onReady(ctx, r) }),
		s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) { a.log.Info("discord gateway resumed") }),
		s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { a.onMessage(ctx, m) }),
		s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { a.onInteraction(ctx, i) }),
		s.AddHandler(func(_ *discordgo.Session, rl *discordgo.RateLimit) {
			if rl.TooManyRequests != nil {
				a.log.Warn("discord rate limited; retrying", "retry_after", rl.RetryAfter)
			}
		}),
	}
	defer func() {
		for _, remove := range removers {
			remove()
		}
	}()

	for backoff := time.Second; ; backoff = min(2*backoff, maxBackoff) {
		err := s.Open()
		if err == nil {
			break
		}
		if closeCode(err) == 4014 && s.Identify.Intents&discordgo.IntentsMessageContent != 0 {
			// Mentions and DMs carry their content without the privileged
			// intent, and they are all the bot answers.
			a.log.Warn("discord: the Message Content intent is not enabled for this bot in the Developer Portal; connecting without it (mentions and DMs still work)")
			s.Identify.Intents &^= discordgo.IntentsMessageContent
			continue
		}
		if fatal := fatalGatewayError(err); fatal != nil {
			a.inflight.close()
			return bot.Fatal(fatal)
		}
		a.log.Warn("discord gateway connect failed; retrying", "err", safeError(err), "in", backoff)
		select {
		case <-ctx.Done():
			a.inflight.close()
			return nil
		case <-time.After(backoff):
		}
	}
	a.log.Info("discord gateway connected")
	<-ctx.Done()
	// Stop taking new work first, then close the gateway; replies in
	// flight finish (the deferred wait above).
	a.inflight.close()
	if err := s.Close(); err != nil {
		a.log.Warn("discord gateway close", "err", safeError(err))
	}
	a.connected.Store(false)
	return nil
}

// closeCode is the gateway close code in err, or 0.
func closeCode(err error) int {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return 0
}

// fatalGatewayError turns the gateway close codes that retrying cannot fix
// into an error that says what to do; it returns nil for the rest.
func fatalGatewayError(err error) error {
	if code := closeCode(err); code != 0 {
		switch code {
		case 4004:
			return errors.New("discord: the gateway refused the bot token (close 4004): check DISCORD_BOT_TOKEN")
		case 4013, 4014:
			return fmt.Errorf("discord: the gateway refused the intents (close %d)", code)
		case 4010, 4011, 4012:
			return fmt.Errorf("discord: the gateway refused the connection (close %d)", code)
		}
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return errors.New("discord: Discord refused the bot token (HTTP 401): check DISCORD_BOT_TOKEN")
	}
	return nil
}

// safeError describes err without the request URL: interaction and webhook
// URLs carry tokens.
func safeError(err error) string {
	if err == nil {
		return ""
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + safeError(ue.Err)
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		body := string(re.ResponseBody)
		if len(body) > 200 {
			body = body[:200] + "…"
		}
		return "HTTP " + re.Response.Status + ": " + body
	}
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && rl.TooManyRequests != nil {
		return "rate limited, retry after " + rl.RetryAfter.String()
	}
	return err.Error()
}

// isSnowflake reports whether s looks like a Discord id.
func isSnowflake(s string) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// tracker counts goroutines doing work for Discord, so shutdown can wait
// for replies in flight, and refuses new work once closed.
type tracker struct {
	mu     sync.Mutex // protects closed and orders Add before Wait
	closed bool
	wg     sync.WaitGroup
}

// goTrack runs f in a goroutine unless the tracker is closed; it reports
// whether f was started.
func (t *tracker) goTrack(f func()) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		f()
	}()
	return true
}

func (t *tracker) close() {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
}

// wait closes the tracker and waits up to d for the work started.
func (t *tracker) wait(d time.Duration) {
	t.close()
	done := make(chan struct{})
	go func() { t.wg.Wait(); close(done) }()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
	}
}
