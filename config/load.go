package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// LookupFunc looks up one environment variable, like os.LookupEnv. Tests
// pass a map's lookup instead of touching the process environment.
type LookupFunc func(name string) (string, bool)

// MapLookup returns a LookupFunc over m.
func MapLookup(m map[string]string) LookupFunc {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// setting is one named configuration value.
type setting struct {
	name   string
	secret bool
	url    bool // may carry a password: shown with it hidden
	help   string
	set    func(c *Config, v string) error
	get    func(c Config) string
}

func str(p func(c *Config) *string) (func(*Config, string) error, func(Config) string) {
	return func(c *Config, v string) error { *p(c) = strings.TrimSpace(v); return nil },
		func(c Config) string { return *p(&c) }
}

// settings lists every setting, in the order the docs show them.
var settings = func() []setting {
	s := []setting{}
	add := func(name string, secret bool, help string, p func(c *Config) *string) {
		set, get := str(p)
		s = append(s, setting{name: name, secret: secret, help: help, set: set, get: get})
	}
	s = append(s, setting{
		name: "CAREERSBOT_ADDR", help: "HTTP listen address",
		set: func(c *Config, v string) error { c.Addr = strings.TrimSpace(v); return nil },
		get: func(c Config) string { return c.Addr },
	}, setting{
		name: "CAREERSBOT_KB", help: "knowledge paths, comma-separated",
		set: func(c *Config, v string) error {
			c.KB = nil
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					c.KB = append(c.KB, p)
				}
			}
			return nil
		},
		get: func(c Config) string { return strings.Join(c.KB, ",") },
	}, setting{
		name: "CAREERSBOT_LOG_FORMAT", help: "text or json",
		set: func(c *Config, v string) error {
			c.Log.Format = strings.ToLower(strings.TrimSpace(v))
			return nil
		},
		get: func(c Config) string { return c.Log.Format },
	}, setting{
		name: "CAREERSBOT_LOG_LEVEL", help: "debug, info, warn or error",
		set: func(c *Config, v string) error {
			c.Log.Level = strings.ToLower(strings.TrimSpace(v))
			return nil
		},
		get: func(c Config) string { return c.Log.Level },
	}, setting{
		name: "CAREERSBOT_RATE_PER_MINUTE", help: "questions a minute per user, 0 for no limit",
		set: func(c *Config, v string) error {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return errors.New("must be a number of questions a minute, such as 30 (0 turns the limit off)")
			}
			c.Limit.PerMinute = f
			return nil
		},
		get: func(c Config) string { return strconv.FormatFloat(c.Limit.PerMinute, 'g', -1, 64) },
	}, setting{
		name: "CAREERSBOT_RATE_BURST", help: "questions a user may ask at once",
		set: func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return errors.New("must be a whole number, such as 10")
			}
			c.Limit.Burst = n
			return nil
		},
		get: func(c Config) string { return strconv.Itoa(c.Limit.Burst) },
	}, setting{
		name: "CAREERSBOT_UNANSWERED_RECORD", help: "record unanswered questions (true/false)",
		set: func(c *Config, v string) error {
			b, err := parseBool(v)
			if err != nil {
				return err
			}
			c.Unanswered.Record = b
			return nil
		},
		get: func(c Config) string { return strconv.FormatBool(c.Unanswered.Record) },
	}, setting{
		name: "CAREERSBOT_UNANSWERED_DB", help: "SQLite file, or postgres:// URL shared by replicas, for unanswered questions", url: true,
		set: func(c *Config, v string) error { c.Unanswered.DB = strings.TrimSpace(v); return nil },
		get: func(c Config) string { return c.Unanswered.DB },
	}, setting{
		name: "CAREERSBOT_REDIS_URL", help: "redis:// or rediss:// URL: replicas share de-duplication, context and rate limits", url: true,
		set: func(c *Config, v string) error { c.Redis.URL = strings.TrimSpace(v); return nil },
		get: func(c Config) string { return c.Redis.URL },
	})
	s = append(s, setting{
		name: "CAREERSBOT_SYNONYMS", help: "extra synonyms or intent cues (YAML file, same format as intents/data)",
		set: func(c *Config, v string) error { c.Answer.Synonyms = strings.TrimSpace(v); return nil },
		get: func(c Config) string { return c.Answer.Synonyms },
	}, setting{
		name: "CAREERSBOT_THRESHOLD", help: "confidence (0 to 1) below which the bot says it doesn't know",
		set: func(c *Config, v string) error {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return errors.New("must be a number between 0 and 1, such as 0.5")
			}
			c.Answer.Threshold = f
			return nil
		},
		get: func(c Config) string { return strconv.FormatFloat(c.Answer.Threshold, 'g', -1, 64) },
	}, setting{
		name: "SLACK_COMMAND_IN_CHANNEL", help: "answer /careers in the channel for everyone, not just the asker (true/false)",
		set: func(c *Config, v string) error {
			b, err := parseBool(v)
			if err != nil {
				return err
			}
			c.Slack.InChannel = b
			return nil
		},
		get: func(c Config) string { return strconv.FormatBool(c.Slack.InChannel) },
	})
	add("CAREERSBOT_TEAM_TOKEN", true, "enables the team console at /team (at least 16 characters)", func(c *Config) *string { return &c.Web.TeamToken })
	s = append(s, setting{
		name: "CAREERSBOT_ALLOWED_ORIGINS", help: "origins (https://careers.example.org) allowed to call /v1/ask from a browser, comma-separated",
		set: func(c *Config, v string) error {
			c.Web.AllowedOrigins = nil
			for _, o := range strings.Split(v, ",") {
				if o = strings.TrimSuffix(strings.TrimSpace(o), "/"); o != "" {
					c.Web.AllowedOrigins = append(c.Web.AllowedOrigins, strings.ToLower(o))
				}
			}
			return nil
		},
		get: func(c Config) string { return strings.Join(c.Web.AllowedOrigins, ",") },
	})
	s = append(s, setting{
		name: "CAREERSBOT_TRUSTED_PROXIES", help: "load balancer addresses or networks (comma-separated) whose X-Forwarded-For names the caller of /v1/ask",
		set: func(c *Config, v string) error {
			c.TrustedProxies = nil
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					c.TrustedProxies = append(c.TrustedProxies, p)
				}
			}
			return nil
		},
		get: func(c Config) string { return strings.Join(c.TrustedProxies, ",") },
	})
	add("SLACK_BOT_TOKEN", true, "Slack bot token (xoxb-)", func(c *Config) *string { return &c.Slack.BotToken })
	add("SLACK_APP_TOKEN", true, "Slack app-level token (xapp-): Socket Mode", func(c *Config) *string { return &c.Slack.AppToken })
	add("SLACK_SIGNING_SECRET", true, "Slack signing secret: HTTP endpoints", func(c *Config) *string { return &c.Slack.SigningSecret })
	add("SLACK_API_URL", false, "Slack Web API base", func(c *Config) *string { return &c.Slack.APIURL })
	add("DISCORD_BOT_TOKEN", true, "Discord bot token: gateway", func(c *Config) *string { return &c.Discord.BotToken })
	add("DISCORD_PUBLIC_KEY", false, "Discord application public key (hex Ed25519)", func(c *Config) *string { return &c.Discord.PublicKey })
	add("DISCORD_BASE_URL", false, "Discord base URL", func(c *Config) *string { return &c.Discord.BaseURL })
	add("DISCORD_GUILD_ID", false, "register slash commands in this guild", func(c *Config) *string { return &c.Discord.GuildID })
	add("DISCORD_APPLICATION_ID", false, "Discord application id", func(c *Config) *string { return &c.Discord.AppID })
	return s
}()

// Names returns every setting's name (the environment variable and the
// config file key), in documentation order.
func Names() []string {
	names := make([]string, len(settings))
	for i, s := range settings {
		names[i] = s.name
	}
	return names
}

func lookupSetting(name string) (setting, bool) {
	for _, s := range settings {
		if s.name == name {
			return s, true
		}
	}
	return setting{}, false
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "t", "true", "yes", "y", "on":
		return true, nil
	case "0", "f", "false", "no", "n", "off":
		return false, nil
	}
	return false, errors.New("must be true or false")
}

// SettingError is an invalid setting. It names the setting and says what
// is wrong, never quoting the value (it may be a secret).
type SettingError struct {
	Name   string // CAREERSBOT_ADDR, SLACK_BOT_TOKEN ...
	Source string // "environment", a config file path, or "" after merging
	Msg    string
}

func (e *SettingError) Error() string {
	if e.Source != "" {
		return fmt.Sprintf("%s (%s): %s", e.Name, e.Source, e.Msg)
	}
	return e.Name + ": " + e.Msg
}

// Load builds the configuration: defaults, then the YAML file at path (if
// path is not ""), then the environment through lookup, which wins. An
// empty environment variable counts as unset. The result is validated.
func Load(lookup LookupFunc, path string) (Config, error) {
	c, err := Read(lookup, path)
	if err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Read is Load without the final validation, for commands that use only
// some settings (ask, eval, report) and check those themselves: a Slack
// token in the environment must not stop `careersbot ask`. Values that do
// not parse (a burst that is not a number) are still errors.
func Read(lookup LookupFunc, path string) (Config, error) {
	c := Default()
	if path != "" {
		if err := c.applyFile(path); err != nil {
			return Config{}, err
		}
	}
	if lookup != nil {
		if err := c.applyEnv(lookup); err != nil {
			return Config{}, err
		}
	}
	return c, nil
}

func (c *Config) applyEnv(lookup LookupFunc) error {
	for _, s := range settings {
		v, ok := lookup(s.name)
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		if err := s.set(c, v); err != nil {
			return &SettingError{Name: s.name, Source: "environment", Msg: err.Error()}
		}
	}
	return nil
}

// maxFile bounds the config file; real ones are a few hundred bytes.
const maxFile = 1 << 20

func (c *Config) applyFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read config file: %w", err)
	}
	if len(data) > maxFile {
		return fmt.Errorf("read config file %s: larger than %d bytes", path, maxFile)
	}
	return c.applyYAML(path, data)
}

// applyYAML applies a YAML mapping of setting names to scalar values
// (CAREERSBOT_KB may also be a list). Unknown keys are errors, so a typo
// does not silently leave a setting at its default.
func (c *Config) applyYAML(path string, data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("parse config file %s: %s", path, yamlMsg(err))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("parse config file %s:%d: want a mapping of setting names to values, such as CAREERSBOT_ADDR: \":8080\"", path, root.Line)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		name := strings.TrimSpace(k.Value)
		where := fmt.Sprintf("%s:%d", path, k.Line)
		s, ok := lookupSetting(strings.ToUpper(name))
		if !ok {
			return &SettingError{Name: name, Source: where, Msg: "unknown setting; known settings: " + strings.Join(sortedNames(), ", ")}
		}
		if seen[s.name] {
			return &SettingError{Name: s.name, Source: where, Msg: "set twice"}
		}
		seen[s.name] = true
		var val string
		switch {
		case v.Kind == yaml.ScalarNode:
			if v.Tag == "!!null" {
				continue
			}
			val = v.Value
		case v.Kind == yaml.SequenceNode && (s.name == "CAREERSBOT_KB" || s.name == "CAREERSBOT_ALLOWED_ORIGINS" || s.name == "CAREERSBOT_TRUSTED_PROXIES"):
			parts := make([]string, 0, len(v.Content))
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					return &SettingError{Name: s.name, Source: where, Msg: "list items must be single values"}
				}
				parts = append(parts, item.Value)
			}
			val = strings.Join(parts, ",")
		default:
			return &SettingError{Name: s.name, Source: where, Msg: "must be a single value"}
		}
		if err := s.set(c, val); err != nil {
			return &SettingError{Name: s.name, Source: where, Msg: err.Error()}
		}
	}
	return nil
}

// yamlMsg strips the library prefix and any quoted input from a YAML error;
// a malformed file could otherwise echo a token into the logs.
func yamlMsg(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if i := strings.IndexAny(msg, "`'\""); i >= 0 {
		msg = strings.TrimSpace(msg[:i])
	}
	return msg
}

func sortedNames() []string {
	n := Names()
	sort.Strings(n)
	return n
}
