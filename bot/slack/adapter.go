// Package slack connects careersbot to Slack with github.com/slack-go/slack.
//
// With an app-level token the adapter holds a Socket Mode connection
// (socketmode), reconnecting with backoff for as long as it runs; with a
// signing secret it serves the Events API, slash commands and interactive
// payloads over HTTP (POST /slack/events, /slack/commands,
// /slack/interactions), every request checked against its v0 signature.
// Both can run at once.
//
// It answers app mentions in the thread of the question, direct messages
// in place and /careers in the command's response, renders replies as
// Block Kit (answer, source, suggestion buttons that ask their question
// when clicked), acknowledges every delivery before answering and
// de-duplicates Slack's retries so that one question gets one reply: a
// delivery is claimed before it is answered (Config.Claims, shared by
// replicas), marked done once the reply is posted, and released when
// posting failed for good, so that Slack's next retry is answered.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/internal/ratelog"
)

// Name is the adapter's name, used as bot.Message.Adapter.
const Name = "slack"

// Config holds what the adapter needs; cmd fills it from the environment.
type Config struct {
	BotToken      string // bot token (xoxb-): every Web API call; required
	AppToken      string // app-level token (xapp-): enables Socket Mode
	SigningSecret string // enables the HTTP endpoints
	APIURL        string // Web API base, default https://slack.com/api/; a final "/" is optional
	InChannel     bool   // /careers answers visible to the whole channel instead of ephemeral
	Workers       int    // answers prepared at once; default 16

	// Claims de-duplicates deliveries; replicas share one (Redis) so that a
	// retry landing on another replica is not answered twice. Nil keeps
	// them in this process's memory.
	Claims bot.Claims
}

const (
	defaultWorkers = 16
	maxQueued      = 10000 // answers waiting for a worker before deliveries are dropped
	seenSize       = 20000 // event ids and message timestamps remembered in memory for de-duplication
	maxBody        = 1 << 20

	// A delivery's claim outlives Slack's retries (at once, after a
	// minute, after five minutes); once answered it is marked done for an
	// hour. A reply that could not be posted releases it, so the next
	// retry is answered.
	claimTTL = 10 * time.Minute
	doneTTL  = time.Hour

	defaultReplyTimeout = 2 * time.Minute // one answer, Web API retries included
	defaultDrain        = 10 * time.Second
	defaultSlashWait    = 2500 * time.Millisecond // Slack wants a command answered within 3 s
	defaultBackoffMin   = time.Second
	defaultBackoffMax   = time.Minute
	httpTimeout         = 30 * time.Second
)

// webAPI is the part of *slack.Client the adapter uses.
type webAPI interface {
	AuthTestContext(ctx context.Context) (*slackgo.AuthTestResponse, error)
	PostMessageContext(ctx context.Context, channelID string, options ...slackgo.MsgOption) (string, string, error)
}

// socketAPI is the part of *socketmode.Client the adapter uses.
type socketAPI interface {
	RunContext(ctx context.Context) error
	AckCtx(ctx context.Context, envelopeID string, payload any) error
	events() <-chan socketmode.Event
}

// socketClient adapts *socketmode.Client to socketAPI.
type socketClient struct{ *socketmode.Client }

func (c socketClient) events() <-chan socketmode.Event { return c.Events }

// Adapter is the Slack adapter. It is safe for concurrent use; Run is
// called once.
type Adapter struct {
	h         bot.Handler
	log       *slog.Logger
	api       webAPI
	socket    socketAPI    // nil without an app token
	secret    string       // signing secret; "" disables the HTTP endpoints
	hooks     *http.Client // posts to response_url
	inChannel bool
	noisy     *ratelog.Limiter // lines any client can cause (unsigned requests)

	claims   bot.Claims
	pool     *pool
	work     context.Context // parent of every answer; outlives request contexts
	stopWork context.CancelFunc

	connected atomic.Bool  // Socket Mode connection up (HTTP only: auth.test passed)
	connects  atomic.Int64 // Socket Mode connections made

	idMu    sync.Mutex // protects botUser; held during auth.test
	botUser string     // the bot's own user id, from auth.test

	// Timings, shortened by tests.
	replyTimeout time.Duration
	drain        time.Duration
	slashWait    time.Duration
	backoffMin   time.Duration
	backoffMax   time.Duration
}

var (
	_ bot.Adapter      = (*Adapter)(nil)
	_ bot.RouteAdapter = (*Adapter)(nil)
	_ bot.Connector    = (*Adapter)(nil)
)

// New checks cfg and builds the adapter with the real slack-go clients. It
// makes no network call; Run does.
func New(cfg Config, h bot.Handler, log *slog.Logger) (*Adapter, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if h == nil {
		return nil, errors.New("slack: no handler")
	}
	apiURL, err := normalizeAPIURL(cfg.APIURL)
	if err != nil {
		return nil, err
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = defaultWorkers
	}
	// Keep a connection per worker alive: the default transport keeps two,
	// and a burst of answers would open and close connections for each post.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = workers
	httpc := &http.Client{Timeout: httpTimeout, Transport: tr}
	opts := []slackgo.Option{
		slackgo.OptionAPIURL(apiURL),
		slackgo.OptionHTTPClient(httpc),
		// After OptionHTTPClient, so that it wraps it: a 429 waits for
		// Retry-After and tries again instead of losing the reply. Only
		// 429s are retried: a post that failed mid-way might have landed.
		slackgo.OptionRetryConfig(slackgo.RetryConfig{
			MaxRetries:         4,
			RetryAfterDuration: 30 * time.Second,
			RetryAfterJitter:   250 * time.Millisecond,
		}),
	}
	if cfg.AppToken != "" {
		opts = append(opts, slackgo.OptionAppLevelToken(cfg.AppToken))
	}
	api := slackgo.New(cfg.BotToken, opts...)
	var sock socketAPI
	if cfg.AppToken != "" {
		sock = socketClient{socketmode.New(api)}
	}
	return newAdapter(cfg, h, log, api, sock, httpc), nil
}

// newAdapter builds an adapter on the given clients (fakes in tests).
func newAdapter(cfg Config, h bot.Handler, log *slog.Logger, api webAPI, sock socketAPI, hooks *http.Client) *Adapter {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = defaultWorkers
	}
	work, stop := context.WithCancel(context.Background())
	claims := cfg.Claims
	if claims == nil {
		claims = bot.NewMemoryClaims(seenSize)
	}
	return &Adapter{
		h:            h,
		log:          log.With("adapter", Name),
		api:          api,
		socket:       sock,
		secret:       cfg.SigningSecret,
		hooks:        hooks,
		inChannel:    cfg.InChannel,
		noisy:        ratelog.New(time.Second),
		claims:       claims,
		pool:         newPool(workers, maxQueued),
		work:         work,
		stopWork:     stop,
		replyTimeout: defaultReplyTimeout,
		drain:        defaultDrain,
		slashWait:    defaultSlashWait,
		backoffMin:   defaultBackoffMin,
		backoffMax:   defaultBackoffMax,
	}
}

func (c Config) validate() error {
	switch {
	case c.BotToken == "":
		return errors.New("slack: a bot token (SLACK_BOT_TOKEN, xoxb-) is required")
	case !strings.HasPrefix(c.BotToken, "xoxb-"):
		return errors.New("slack: the bot token (SLACK_BOT_TOKEN) must start with xoxb-")
	case c.AppToken != "" && !strings.HasPrefix(c.AppToken, "xapp-"):
		return errors.New("slack: the app-level token (SLACK_APP_TOKEN) must start with xapp-")
	case c.AppToken == "" && c.SigningSecret == "":
		return errors.New("slack: set an app-level token (SLACK_APP_TOKEN, Socket Mode) or a signing secret (SLACK_SIGNING_SECRET, HTTP), or both")
	}
	return nil
}

// normalizeAPIURL checks the Web API base and gives it the final "/" that
// slack-go expects (it appends method names to it).
func normalizeAPIURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return slackgo.APIURL, nil
	}
	// The value is never quoted: a query string or user info may carry a
	// credential. The message names the setting and what is wrong.
	u, err := url.Parse(s)
	why := ""
	switch {
	case err != nil:
		why = "is not a valid URL"
	case u.Scheme != "http" && u.Scheme != "https":
		why = "must be an http or https URL"
	case u.Host == "":
		why = "has no host"
	case u.User != nil:
		why = "must not carry a user name or password"
	case u.RawQuery != "" || u.ForceQuery:
		why = "must not have a query string"
	case u.Fragment != "":
		why = "must not have a fragment"
	}
	if why != "" {
		return "", fmt.Errorf("slack: SLACK_API_URL %s (want a base such as https://slack.com/api/)", why)
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s, nil
}

// Name returns "slack".
func (a *Adapter) Name() string { return Name }

// Connected reports whether the Socket Mode connection is up; without
// Socket Mode, whether the bot token has been accepted by auth.test.
func (a *Adapter) Connected() bool { return a.connected.Load() }

// Run learns the bot's identity, then holds the Socket Mode connection (if
// configured) until ctx is done; in HTTP-only mode it just waits. On the
// way out it lets answers in flight finish for a while. It returns an error
// only when Slack refuses the tokens.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.finish()
	if _, err := a.identity(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		if fatal(err) {
			// A token Slack refuses for good: stop serve rather than retry.
			return bot.Fatal(fmt.Errorf("slack: Slack refused SLACK_BOT_TOKEN (auth.test: %s); check the token, or reinstall the app if it was revoked", redact(err)))
		}
		a.log.Warn("auth.test failed; will try again when needed", "err", redact(err))
	}
	if a.socket == nil {
		<-ctx.Done()
		return nil
	}
	return a.runSocket(ctx)
}

// finish waits for answers in flight, then cancels the stragglers.
func (a *Adapter) finish() {
	if !a.pool.Wait(a.drain) {
		a.log.Warn("stopping with answers still in flight")
	}
	a.stopWork()
}

// identity returns the bot's user id, asking auth.test the first time (and
// again after a failure).
func (a *Adapter) identity(ctx context.Context) (string, error) {
	a.idMu.Lock()
	defer a.idMu.Unlock()
	if a.botUser != "" {
		return a.botUser, nil
	}
	res, err := a.api.AuthTestContext(ctx)
	if err != nil {
		return "", err
	}
	if res.UserID == "" {
		return "", errors.New("auth.test returned no user id")
	}
	a.botUser = res.UserID
	if a.socket == nil {
		a.connected.Store(true)
	}
	a.log.Info("authenticated", "team", res.TeamID, "bot_user", res.UserID, "bot_id", res.BotID)
	return a.botUser, nil
}

// fatal reports whether err means the tokens are no good, so retrying
// cannot help.
func fatal(err error) bool {
	var se slackgo.SlackErrorResponse
	msg := err.Error()
	if errors.As(err, &se) {
		msg = se.Err
	}
	switch msg {
	case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type":
		return true
	}
	return false
}

// hookError renders a failed response_url post for a log line. A
// response_url is a capability (whoever holds it can post in the channel),
// so the URL that net/http puts in its errors is left out.
func hookError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return "post response_url: " + redact(ue.Err)
	}
	return redact(err)
}

var secretPattern = regexp.MustCompile(`xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|ticket=[^&\s"]+`)

// redact renders err for a log line with anything that looks like a token
// or a Socket Mode ticket removed.
func redact(err error) string {
	if err == nil {
		return ""
	}
	return secretPattern.ReplaceAllString(err.Error(), "[redacted]")
}
