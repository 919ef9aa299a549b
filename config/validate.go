package config

import (
	"encoding/hex"
	"errors"
	"log/slog"
	"math"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// Validate checks the configuration and returns the first problem as a
// *SettingError naming the setting. Messages never include values, since
// most settings worth checking are secrets.
func (c Config) Validate() error {
	bad := func(name, msg string) error { return &SettingError{Name: name, Msg: msg} }

	if err := validAddr(c.Addr); err != "" {
		return bad("CAREERSBOT_ADDR", err)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		return bad("CAREERSBOT_LOG_FORMAT", `must be "text" or "json"`)
	}
	if _, ok := LogLevel(c.Log.Level); !ok {
		return bad("CAREERSBOT_LOG_LEVEL", `must be "debug", "info", "warn" or "error"`)
	}
	if math.IsNaN(c.Limit.PerMinute) || math.IsInf(c.Limit.PerMinute, 0) || c.Limit.PerMinute < 0 {
		return bad("CAREERSBOT_RATE_PER_MINUTE", "must be 0 (no limit) or more")
	}
	if c.Limit.PerMinute > 0 && c.Limit.PerMinute < 0.01 {
		return bad("CAREERSBOT_RATE_PER_MINUTE", "must be at least 0.01 (or 0 for no limit)")
	}
	if !c.Limit.Off() && (c.Limit.Burst < 1 || c.Limit.Burst > 10000) {
		return bad("CAREERSBOT_RATE_BURST", "must be between 1 and 10000")
	}
	if math.IsNaN(c.Answer.Threshold) || c.Answer.Threshold < 0 || c.Answer.Threshold > 1 {
		return bad("CAREERSBOT_THRESHOLD", "must be between 0 and 1")
	}
	if c.Unanswered.Record && strings.TrimSpace(c.Unanswered.DB) == "" {
		return bad("CAREERSBOT_UNANSWERED_DB", "must name a file when CAREERSBOT_UNANSWERED_RECORD is true")
	}
	if db := c.Unanswered.DB; strings.Contains(db, "://") {
		if err := validDBURL(db, "postgres", "postgresql"); err != "" {
			return bad("CAREERSBOT_UNANSWERED_DB", "must be a SQLite file path or "+err)
		}
	}
	if _, err := ParseProxies(c.TrustedProxies); err != nil {
		return bad("CAREERSBOT_TRUSTED_PROXIES", err.Error())
	}
	if c.Redis.URL != "" {
		if err := validDBURL(c.Redis.URL, "redis", "rediss"); err != "" {
			return bad("CAREERSBOT_REDIS_URL", "must be "+err)
		}
	}

	if t := c.Web.TeamToken; t != "" {
		if len(t) < MinTeamToken {
			return bad("CAREERSBOT_TEAM_TOKEN", "must be at least 16 characters (a random one: openssl rand -hex 24)")
		}
		if strings.ContainsAny(t, " \t\r\n") {
			return bad("CAREERSBOT_TEAM_TOKEN", "must not contain spaces")
		}
	}
	for i, o := range c.Web.AllowedOrigins {
		if err := validOrigin(o); err != "" {
			return bad("CAREERSBOT_ALLOWED_ORIGINS", "item "+strconv.Itoa(i+1)+" "+err)
		}
	}

	s := c.Slack
	if s.BotToken != "" && !strings.HasPrefix(s.BotToken, "xoxb-") {
		return bad("SLACK_BOT_TOKEN", `must be a bot token starting with "xoxb-"`)
	}
	if s.AppToken != "" && !strings.HasPrefix(s.AppToken, "xapp-") {
		return bad("SLACK_APP_TOKEN", `must be an app-level token starting with "xapp-"`)
	}
	if s.AppToken != "" && s.BotToken == "" {
		return bad("SLACK_BOT_TOKEN", "must be set when SLACK_APP_TOKEN is (Socket Mode replies through the Web API)")
	}
	if s.SigningSecret != "" && s.BotToken == "" {
		return bad("SLACK_BOT_TOKEN", "must be set when SLACK_SIGNING_SECRET is (event replies go through the Web API)")
	}
	if s.BotToken != "" && s.AppToken == "" && s.SigningSecret == "" {
		return bad("SLACK_APP_TOKEN", "or SLACK_SIGNING_SECRET must be set with SLACK_BOT_TOKEN, or Slack cannot reach the bot")
	}
	if err := validURL(s.APIURL); err != "" {
		return bad("SLACK_API_URL", err)
	}

	d := c.Discord
	if d.PublicKey != "" {
		k, err := hex.DecodeString(d.PublicKey)
		if err != nil || len(k) != 32 {
			return bad("DISCORD_PUBLIC_KEY", "must be the application's public key: 64 hexadecimal digits")
		}
	}
	if err := validURL(d.BaseURL); err != "" {
		return bad("DISCORD_BASE_URL", err)
	}
	if d.GuildID != "" && !snowflake(d.GuildID) {
		return bad("DISCORD_GUILD_ID", "must be a numeric Discord id")
	}
	if d.AppID != "" && !snowflake(d.AppID) {
		return bad("DISCORD_APPLICATION_ID", "must be a numeric Discord id")
	}
	if d.BotToken != "" && strings.ContainsAny(d.BotToken, " \t\r\n") {
		return bad("DISCORD_BOT_TOKEN", `must be the token alone, without "Bot " or spaces`)
	}
	return nil
}

func validAddr(addr string) string {
	if addr == "" {
		return `must be a listen address such as ":8080" or "127.0.0.1:8080"`
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return `must be host:port, such as ":8080" or "127.0.0.1:8080"`
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "must end in a port number from 0 to 65535"
	}
	return ""
}

func validURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "must be an absolute http or https URL"
	}
	if u.User != nil {
		return "must not carry a user name or password"
	}
	if u.RawQuery != "" || u.ForceQuery {
		return "must not have a query string"
	}
	if u.Fragment != "" {
		return "must not have a fragment"
	}
	return ""
}

// validOrigin checks a browser origin: scheme and host (and port), as a
// browser sends it in the Origin header; no path, no wildcard.
func validOrigin(o string) string {
	if o == "*" {
		return "is a wildcard; list each origin, such as https://careers.example.org"
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(o, " ;'\"*") {
		return "must be an origin: http or https and a host, such as https://careers.example.org, with no path"
	}
	return ""
}

// validDBURL checks a database URL's scheme and host; the message it
// returns never quotes the URL (it may hold a password).
func validDBURL(raw string, schemes ...string) string {
	want := schemes[0] + "://[user:password@]host:port/..."
	if len(schemes) > 1 {
		want = "a " + schemes[0] + "://[user:password@]host:port/... or " + schemes[1] + ":// URL"
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return want
	}
	for _, s := range schemes {
		if strings.EqualFold(u.Scheme, s) {
			if p := u.Port(); p != "" {
				if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
					return want + " (the port must be a number from 1 to 65535)"
				}
			}
			return ""
		}
	}
	return want
}

// ParseProxies reads CAREERSBOT_TRUSTED_PROXIES: IP addresses (a /32 or
// /128 network) and networks in CIDR notation.
func ParseProxies(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range list {
		if pre, err := netip.ParsePrefix(p); err == nil {
			out = append(out, pre.Masked())
			continue
		}
		a, err := netip.ParseAddr(p)
		if err != nil {
			return nil, errors.New("each entry must be an IP address (10.0.0.5) or a network (172.28.0.0/24)")
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// RedactURL returns raw with any password in it hidden, for logs: the
// value itself when it is not a URL with a password.
func RedactURL(raw string) string {
	if !strings.Contains(raw, "://") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return redacted
	}
	return u.Redacted()
}

func snowflake(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// LogLevel parses a CAREERSBOT_LOG_LEVEL value ("" means info).
func LogLevel(s string) (slog.Level, bool) {
	switch s {
	case "debug":
		return slog.LevelDebug, true
	case "", "info":
		return slog.LevelInfo, true
	case "warn", "warning":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	}
	return 0, false
}

// redacted stands in for a secret that is set.
const redacted = "[REDACTED]"

// Values returns every setting as name -> value, with secrets that are set
// replaced by [REDACTED]. It is what String and LogValue show.
func (c Config) Values() map[string]string {
	m := make(map[string]string, len(settings))
	for _, s := range settings {
		v := s.get(c)
		if s.secret && v != "" {
			v = redacted
		}
		if s.url {
			v = RedactURL(v)
		}
		m[s.name] = v
	}
	return m
}

// String lists the settings with secrets redacted, in documentation order.
func (c Config) String() string {
	vals := c.Values()
	var b strings.Builder
	for i, name := range Names() {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(strconv.Quote(vals[name]))
	}
	return b.String()
}

// GoString redacts too, so %#v cannot leak a token.
func (c Config) GoString() string { return "config.Config{" + c.String() + "}" }

// LogValue makes slog print the settings with secrets redacted.
func (c Config) LogValue() slog.Value {
	vals := c.Values()
	attrs := make([]slog.Attr, 0, len(vals))
	for _, name := range Names() {
		attrs = append(attrs, slog.String(name, vals[name]))
	}
	return slog.GroupValue(attrs...)
}

// String redacts the tokens.
func (s Slack) String() string {
	return "Slack{BotToken:" + mask(s.BotToken) + " AppToken:" + mask(s.AppToken) +
		" SigningSecret:" + mask(s.SigningSecret) + " APIURL:" + s.APIURL + "}"
}

// GoString redacts the tokens.
func (s Slack) GoString() string { return s.String() }

// LogValue redacts the tokens.
func (s Slack) LogValue() slog.Value { return slog.StringValue(s.String()) }

// String redacts the token.
func (d Discord) String() string {
	return "Discord{BotToken:" + mask(d.BotToken) + " PublicKey:" + d.PublicKey +
		" BaseURL:" + d.BaseURL + " GuildID:" + d.GuildID + " AppID:" + d.AppID + "}"
}

// GoString redacts the token.
func (d Discord) GoString() string { return d.String() }

// LogValue redacts the token.
func (d Discord) LogValue() slog.Value { return slog.StringValue(d.String()) }

// String redacts the token.
func (w Web) String() string {
	return "Web{TeamToken:" + mask(w.TeamToken) + " AllowedOrigins:" + strings.Join(w.AllowedOrigins, ",") + "}"
}

// GoString redacts the token.
func (w Web) GoString() string { return w.String() }

// LogValue redacts the token.
func (w Web) LogValue() slog.Value { return slog.StringValue(w.String()) }

func mask(s string) string {
	if s == "" {
		return `""`
	}
	return redacted
}
