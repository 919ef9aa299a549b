// Package config reads careersbot's settings from the environment (and an
// optional file) into a Config, with defaults and validation. Only cmd
// imports it; adapters get their own small settings from it.
//
// Every setting has one name, its environment variable (docs/environment.md)
// (SLACK_BOT_TOKEN, CAREERSBOT_ADDR ...). A YAML config file uses the same
// names as keys; the environment wins over the file, and the defaults fill
// in whatever neither sets.
package config

import (
	"fmt"
	"log/slog"
	"time"
)

// Defaults.
const (
	DefaultAddr          = ":8080"
	DefaultSlackAPIURL   = "https://slack.com/api/"
	DefaultDiscordURL    = "https://discord.com"
	DefaultRatePerMinute = 30
	DefaultBurst         = 10
	DefaultUnansweredDB  = "careersbot-unanswered.db"
	DefaultLogFormat     = "text"
)

// Config holds every setting (docs/environment.md).
type Config struct {
	Addr       string   // CAREERSBOT_ADDR, default ":8080"
	KB         []string // CAREERSBOT_KB, comma-separated paths
	Log        Log
	Limit      Limit
	Unanswered Unanswered
	Redis      Redis
	// TrustedProxies (CAREERSBOT_TRUSTED_PROXIES) are the load balancers'
	// addresses or networks (10.0.0.5, 172.28.0.0/24): behind them /v1/ask
	// tells its callers apart by X-Forwarded-For instead of the peer.
	TrustedProxies []string
	Answer         Answer
	Slack          Slack
	Discord        Discord
	Web            Web
}

// Web holds the settings of the web chat and the team console.
type Web struct {
	// TeamToken (CAREERSBOT_TEAM_TOKEN) enables the team console at /team;
	// it is the bearer token or the login form's password.
	TeamToken string
	// AllowedOrigins (CAREERSBOT_ALLOWED_ORIGINS, comma-separated) may
	// call /v1/ask from a browser and frame the chat page; none by default.
	AllowedOrigins []string
}

// MinTeamToken is the shortest team token accepted: long enough that it
// cannot be guessed at the rate the console allows tries.
const MinTeamToken = 16

// Answer holds how the engine answers.
type Answer struct {
	Synonyms  string  // CAREERSBOT_SYNONYMS: extra synonyms/intent cues (YAML file)
	Threshold float64 // CAREERSBOT_THRESHOLD: confidence below which the bot says it doesn't know
}

// DefaultThreshold is the default confidence threshold.
const DefaultThreshold = 0.5

// Log holds the logging settings.
type Log struct {
	Format string // CAREERSBOT_LOG_FORMAT: "text" (default) or "json"
	Level  string // CAREERSBOT_LOG_LEVEL: debug, info (default), warn, error
}

// Limit is the per-user rate limit: a token bucket refilled at PerMinute
// questions a minute, holding at most Burst.
type Limit struct {
	PerMinute float64 // CAREERSBOT_RATE_PER_MINUTE, default 30; 0 turns the limit off
	Burst     int     // CAREERSBOT_RATE_BURST, default 10
}

// Off reports whether rate limiting is turned off.
func (l Limit) Off() bool { return l.PerMinute == 0 }

// Interval is the time one token takes to refill (0 when the limit is off).
func (l Limit) Interval() time.Duration {
	if l.Off() {
		return 0
	}
	return time.Duration(float64(time.Minute) / l.PerMinute)
}

// Unanswered is where fallbacks are recorded for `careersbot report
// unanswered`.
type Unanswered struct {
	Record bool   // CAREERSBOT_UNANSWERED_RECORD, default true
	DB     string // CAREERSBOT_UNANSWERED_DB: a SQLite file (default careersbot-unanswered.db) or a postgres:// URL
}

// Redis is the state replicas share: de-duplication, conversation
// context and rate limits. Without a URL each process keeps its own in
// memory.
type Redis struct {
	URL string // CAREERSBOT_REDIS_URL: redis://[user:password@]host:port/db or rediss://...
}

// Enabled reports whether replicas share state in Redis.
func (r Redis) Enabled() bool { return r.URL != "" }

// String hides the URL's password.
func (r Redis) String() string { return "Redis{URL:" + RedactURL(r.URL) + "}" }

// GoString hides the URL's password.
func (r Redis) GoString() string { return r.String() }

// LogValue hides the URL's password.
func (r Redis) LogValue() slog.Value { return slog.StringValue(r.String()) }

// String hides the password of a postgres:// URL.
func (u Unanswered) String() string {
	return fmt.Sprintf("Unanswered{Record:%t DB:%s}", u.Record, RedactURL(u.DB))
}

// GoString hides the password of a postgres:// URL.
func (u Unanswered) GoString() string { return u.String() }

// LogValue hides the password of a postgres:// URL.
func (u Unanswered) LogValue() slog.Value { return slog.StringValue(u.String()) }

// Slack holds the Slack settings.
type Slack struct {
	BotToken      string // SLACK_BOT_TOKEN (xoxb-)
	AppToken      string // SLACK_APP_TOKEN (xapp-): Socket Mode
	SigningSecret string // SLACK_SIGNING_SECRET: HTTP endpoints
	APIURL        string // SLACK_API_URL, default https://slack.com/api/
	InChannel     bool   // SLACK_COMMAND_IN_CHANNEL: /careers answers visible to the channel
}

// Enabled reports whether any Slack credential is set.
func (s Slack) Enabled() bool {
	return s.BotToken != "" || s.AppToken != "" || s.SigningSecret != ""
}

// Discord holds the Discord settings.
type Discord struct {
	BotToken  string // DISCORD_BOT_TOKEN: gateway
	PublicKey string // DISCORD_PUBLIC_KEY (hex Ed25519): HTTP interactions
	BaseURL   string // DISCORD_BASE_URL, default https://discord.com
	GuildID   string // DISCORD_GUILD_ID
	AppID     string // DISCORD_APPLICATION_ID (optional; learnt from READY otherwise)
}

// Enabled reports whether any Discord credential is set.
func (d Discord) Enabled() bool { return d.BotToken != "" || d.PublicKey != "" }

// Default returns the configuration with nothing set.
func Default() Config {
	return Config{
		Addr:       DefaultAddr,
		Log:        Log{Format: DefaultLogFormat, Level: "info"},
		Limit:      Limit{PerMinute: DefaultRatePerMinute, Burst: DefaultBurst},
		Unanswered: Unanswered{Record: true, DB: DefaultUnansweredDB},
		Answer:     Answer{Threshold: DefaultThreshold},
		Slack:      Slack{APIURL: DefaultSlackAPIURL},
		Discord:    Discord{BaseURL: DefaultDiscordURL},
	}
}
