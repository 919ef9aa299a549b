package config

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	botToken = "xoxb-1111-2222-Hunter2BOT"
	appToken = "xapp-1-A111-Hunter2APP"
	signing  = "8f742231b10e8888abcd99yyyzzz85a5"
	discord  = "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.Hunter2DISCORD"
	team     = "team-Hunter2-0123456789abcdef"
	pubKey   = "e9a2b4c1d0f8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2"
)

func TestLoadDefaults(t *testing.T) {
	c, err := Load(MapLookup(nil), "")
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	if c.Addr != ":8080" || c.Slack.APIURL != want.Slack.APIURL || c.Discord.BaseURL != want.Discord.BaseURL ||
		c.Limit != want.Limit || c.Unanswered != want.Unanswered || c.Log.Format != "text" {
		t.Errorf("Load() = %v, want defaults %v", c, want)
	}
	if c.Slack.Enabled() || c.Discord.Enabled() {
		t.Error("no credentials set but an adapter is enabled")
	}
}

func TestLoadEnv(t *testing.T) {
	env := map[string]string{
		"CAREERSBOT_ADDR":              "127.0.0.1:9000",
		"CAREERSBOT_KB":                " a.txt, ,dir/ ",
		"CAREERSBOT_LOG_FORMAT":        "JSON",
		"CAREERSBOT_RATE_PER_MINUTE":   "120",
		"CAREERSBOT_RATE_BURST":        "5",
		"CAREERSBOT_UNANSWERED_RECORD": "off",
		"SLACK_BOT_TOKEN":              botToken,
		"SLACK_APP_TOKEN":              appToken,
		"SLACK_SIGNING_SECRET":         signing,
		"SLACK_API_URL":                "http://127.0.0.1:1234/api/",
		"DISCORD_BOT_TOKEN":            discord,
		"DISCORD_PUBLIC_KEY":           pubKey,
		"DISCORD_GUILD_ID":             "123456789012345678",
		"CAREERSBOT_LOG_LEVEL":         "",
	}
	c, err := Load(MapLookup(env), "")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"addr", c.Addr, "127.0.0.1:9000"},
		{"kb", strings.Join(c.KB, "|"), "a.txt|dir/"},
		{"log format", c.Log.Format, "json"},
		{"log level (empty env is unset)", c.Log.Level, "info"},
		{"rate", c.Limit.PerMinute, 120.0},
		{"burst", c.Limit.Burst, 5},
		{"record", c.Unanswered.Record, false},
		{"slack bot", c.Slack.BotToken, botToken},
		{"slack app", c.Slack.AppToken, appToken},
		{"slack api", c.Slack.APIURL, "http://127.0.0.1:1234/api/"},
		{"discord token", c.Discord.BotToken, discord},
		{"discord key", c.Discord.PublicKey, pubKey},
		{"discord base default", c.Discord.BaseURL, DefaultDiscordURL},
		{"discord guild", c.Discord.GuildID, "123456789012345678"},
	}
	for _, tc := range checks {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "careersbot.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadFile(t *testing.T) {
	path := writeFile(t, `
# careersbot settings
CAREERSBOT_ADDR: "127.0.0.1:7000"
CAREERSBOT_KB:
  - pages/
  - extra.md
CAREERSBOT_RATE_PER_MINUTE: 60
CAREERSBOT_UNANSWERED_RECORD: false
SLACK_BOT_TOKEN: `+botToken+`
SLACK_SIGNING_SECRET: `+signing+`
DISCORD_GUILD_ID: 42
`)
	t.Run("file alone", func(t *testing.T) {
		c, err := Load(MapLookup(nil), path)
		if err != nil {
			t.Fatal(err)
		}
		if c.Addr != "127.0.0.1:7000" || strings.Join(c.KB, ",") != "pages/,extra.md" ||
			c.Limit.PerMinute != 60 || c.Unanswered.Record || c.Slack.BotToken != botToken || c.Discord.GuildID != "42" {
			t.Errorf("Load(file) = %v", c)
		}
		if c.Limit.Burst != DefaultBurst {
			t.Errorf("burst = %d, want default %d", c.Limit.Burst, DefaultBurst)
		}
	})
	t.Run("env wins", func(t *testing.T) {
		c, err := Load(MapLookup(map[string]string{"CAREERSBOT_ADDR": ":9999", "CAREERSBOT_KB": "other.txt"}), path)
		if err != nil {
			t.Fatal(err)
		}
		if c.Addr != ":9999" || strings.Join(c.KB, ",") != "other.txt" {
			t.Errorf("env did not win: %v", c)
		}
		if c.Limit.PerMinute != 60 {
			t.Errorf("file value lost: %v", c.Limit.PerMinute)
		}
	})
	t.Run("empty file", func(t *testing.T) {
		if _, err := Load(nil, writeFile(t, "\n# nothing\n")); err != nil {
			t.Errorf("empty file: %v", err)
		}
	})
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		file    string // YAML; "" for no file
		setting string // the setting the message must name
	}{
		{"bot token prefix", map[string]string{"SLACK_BOT_TOKEN": "xoxp-" + "Hunter2", "SLACK_SIGNING_SECRET": signing}, "", "SLACK_BOT_TOKEN"},
		{"app token prefix", map[string]string{"SLACK_BOT_TOKEN": botToken, "SLACK_APP_TOKEN": "xoxb-Hunter2"}, "", "SLACK_APP_TOKEN"},
		{"app token alone", map[string]string{"SLACK_APP_TOKEN": appToken}, "", "SLACK_BOT_TOKEN"},
		{"signing secret alone", map[string]string{"SLACK_SIGNING_SECRET": signing}, "", "SLACK_BOT_TOKEN"},
		{"bot token alone", map[string]string{"SLACK_BOT_TOKEN": botToken}, "", "SLACK_APP_TOKEN"},
		{"slack url", map[string]string{"SLACK_API_URL": "slack.com/api"}, "", "SLACK_API_URL"},
		{"discord url with password", map[string]string{"DISCORD_BASE_URL": "https://u:Hunter2@discord.com"}, "", "DISCORD_BASE_URL"},
		{"slack url with a query", map[string]string{"SLACK_API_URL": "https://slack.example/api/?token=Hunter2"}, "", "SLACK_API_URL"},
		{"discord url with a fragment", map[string]string{"DISCORD_BASE_URL": "https://discord.example/#Hunter2"}, "", "DISCORD_BASE_URL"},
		{"discord key not hex", map[string]string{"DISCORD_PUBLIC_KEY": "Hunter2zz"}, "", "DISCORD_PUBLIC_KEY"},
		{"discord key short", map[string]string{"DISCORD_PUBLIC_KEY": "abcd"}, "", "DISCORD_PUBLIC_KEY"},
		{"discord token with Bot prefix", map[string]string{"DISCORD_BOT_TOKEN": "Bot Hunter2"}, "", "DISCORD_BOT_TOKEN"},
		{"guild id", map[string]string{"DISCORD_GUILD_ID": "my-guild"}, "", "DISCORD_GUILD_ID"},
		{"addr", map[string]string{"CAREERSBOT_ADDR": "8080"}, "", "CAREERSBOT_ADDR"},
		{"addr port", map[string]string{"CAREERSBOT_ADDR": ":99999"}, "", "CAREERSBOT_ADDR"},
		{"rate not a number", map[string]string{"CAREERSBOT_RATE_PER_MINUTE": "lots"}, "", "CAREERSBOT_RATE_PER_MINUTE"},
		{"rate negative", map[string]string{"CAREERSBOT_RATE_PER_MINUTE": "-1"}, "", "CAREERSBOT_RATE_PER_MINUTE"},
		{"burst zero", map[string]string{"CAREERSBOT_RATE_BURST": "0"}, "", "CAREERSBOT_RATE_BURST"},
		{"record not bool", map[string]string{"CAREERSBOT_UNANSWERED_RECORD": "maybe"}, "", "CAREERSBOT_UNANSWERED_RECORD"},
		{"log format", map[string]string{"CAREERSBOT_LOG_FORMAT": "xml"}, "", "CAREERSBOT_LOG_FORMAT"},
		{"trusted proxies", map[string]string{"CAREERSBOT_TRUSTED_PROXIES": "10.0.0.0/8, Hunter2"}, "", "CAREERSBOT_TRUSTED_PROXIES"},
		{"redis url scheme", map[string]string{"CAREERSBOT_REDIS_URL": "http://u:Hunter2@127.0.0.1:6379/0"}, "", "CAREERSBOT_REDIS_URL"},
		{"redis url no host", map[string]string{"CAREERSBOT_REDIS_URL": "redis://:Hunter2@/0"}, "", "CAREERSBOT_REDIS_URL"},
		{"redis url not a url", map[string]string{"CAREERSBOT_REDIS_URL": "Hunter2:6379"}, "", "CAREERSBOT_REDIS_URL"},
		{"redis url bad port", map[string]string{"CAREERSBOT_REDIS_URL": "redis://u:Hunter2@127.0.0.1:0/0"}, "", "CAREERSBOT_REDIS_URL"},
		{"unanswered url scheme", map[string]string{"CAREERSBOT_UNANSWERED_DB": "mysql://u:Hunter2@db/x"}, "", "CAREERSBOT_UNANSWERED_DB"},
		{"unanswered url no host", map[string]string{"CAREERSBOT_UNANSWERED_DB": "postgres://u:Hunter2@/x"}, "", "CAREERSBOT_UNANSWERED_DB"},
		{"log level", map[string]string{"CAREERSBOT_LOG_LEVEL": "loud"}, "", "CAREERSBOT_LOG_LEVEL"},
		{"file unknown key", nil, "SLACK_BOT_TOKN: " + botToken + "\n", "SLACK_BOT_TOKN"},
		{"file bad value", nil, "CAREERSBOT_RATE_BURST: many\n", "CAREERSBOT_RATE_BURST"},
		{"file nested value", nil, "SLACK_BOT_TOKEN:\n  value: " + botToken + "\n", "SLACK_BOT_TOKEN"},
		{"file twice", nil, "CAREERSBOT_ADDR: ':1'\nCAREERSBOT_ADDR: ':2'\n", "CAREERSBOT_ADDR"},
		{"file value then env", map[string]string{"SLACK_SIGNING_SECRET": signing}, "SLACK_BOT_TOKEN: xoxa-Hunter2\n", "SLACK_BOT_TOKEN"},
		{"team token short", map[string]string{"CAREERSBOT_TEAM_TOKEN": "Hunter2"}, "", "CAREERSBOT_TEAM_TOKEN"},
		{"team token spaces", map[string]string{"CAREERSBOT_TEAM_TOKEN": "Hunter2 Hunter2 Hunter2"}, "", "CAREERSBOT_TEAM_TOKEN"},
		{"origin with path", map[string]string{"CAREERSBOT_ALLOWED_ORIGINS": "https://a.example/careers"}, "", "CAREERSBOT_ALLOWED_ORIGINS"},
		{"origin wildcard", map[string]string{"CAREERSBOT_ALLOWED_ORIGINS": "*"}, "", "CAREERSBOT_ALLOWED_ORIGINS"},
		{"origin scheme", map[string]string{"CAREERSBOT_ALLOWED_ORIGINS": "https://a.example, javascript:alert(1)"}, "", "CAREERSBOT_ALLOWED_ORIGINS"},
		{"origin bare host", map[string]string{"CAREERSBOT_ALLOWED_ORIGINS": "careers.example.org"}, "", "CAREERSBOT_ALLOWED_ORIGINS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := ""
			if tc.file != "" {
				path = writeFile(t, tc.file)
			}
			_, err := Load(MapLookup(tc.env), path)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			var se *SettingError
			if !errors.As(err, &se) || se.Name != tc.setting {
				t.Errorf("error %q does not name %s", err, tc.setting)
			}
			if strings.Contains(err.Error(), "Hunter2") {
				t.Errorf("error leaks a value: %q", err)
			}
		})
	}
}

func TestLoadFileErrors(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"not yaml", "SLACK_BOT_TOKEN: 'xoxb-Hunter2\n", "parse config file"},
		{"not a mapping", "- a\n- b\n", "want a mapping"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(nil, writeFile(t, tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "Hunter2") {
				t.Errorf("error leaks a value: %q", err)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := Load(nil, filepath.Join(t.TempDir(), "nope.yaml"))
		if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
			t.Errorf("err = %v, want one naming the file", err)
		}
	})
}

func TestRedaction(t *testing.T) {
	c, err := Load(MapLookup(map[string]string{
		"SLACK_BOT_TOKEN": botToken, "SLACK_APP_TOKEN": appToken, "SLACK_SIGNING_SECRET": signing,
		"DISCORD_BOT_TOKEN": discord, "DISCORD_PUBLIC_KEY": pubKey, "CAREERSBOT_TEAM_TOKEN": team,
	}), "")
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logged, nil))
	log.Info("config", "config", c, "slack", c.Slack, "discord", c.Discord, "web", c.Web)
	outputs := map[string]string{
		"String":   c.String(),
		"%v":       fmt.Sprintf("%v", c),
		"%+v":      fmt.Sprintf("%+v", c),
		"%#v":      fmt.Sprintf("%#v", c),
		"slack %v": fmt.Sprintf("%+v %#v", c.Slack, c.Slack),
		"discord":  fmt.Sprintf("%+v %#v", c.Discord, c.Discord),
		"web":      fmt.Sprintf("%+v %#v", c.Web, c.Web),
		"slog":     logged.String(),
	}
	for name, out := range outputs {
		t.Run(name, func(t *testing.T) {
			for _, secret := range []string{botToken, appToken, signing, discord, team} {
				if strings.Contains(out, secret) {
					t.Errorf("output leaks a secret: %s", out)
				}
			}
			if !strings.Contains(out, redacted) {
				t.Errorf("output does not show that secrets are set: %s", out)
			}
		})
	}
	if !strings.Contains(c.String(), pubKey) {
		t.Error("the public key is not a secret and should be shown")
	}
}

func TestLoadWeb(t *testing.T) {
	c, err := Load(MapLookup(map[string]string{
		"CAREERSBOT_TEAM_TOKEN":      team,
		"CAREERSBOT_ALLOWED_ORIGINS": " https://Careers.Example.org/ , http://127.0.0.1:8081,,",
	}), "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Web.TeamToken != team {
		t.Errorf("TeamToken not read")
	}
	if got := strings.Join(c.Web.AllowedOrigins, " "); got != "https://careers.example.org http://127.0.0.1:8081" {
		t.Errorf("AllowedOrigins = %q", got)
	}
	f, err := Load(nil, writeFile(t, "CAREERSBOT_ALLOWED_ORIGINS:\n  - https://a.example\n  - https://b.example\n"))
	if err != nil || len(f.Web.AllowedOrigins) != 2 {
		t.Errorf("origins from a YAML list: %v, %v", f.Web.AllowedOrigins, err)
	}
	if d, _ := Load(nil, ""); d.Web.TeamToken != "" || len(d.Web.AllowedOrigins) != 0 {
		t.Errorf("defaults enable the console or an origin: %v", d.Web)
	}
}

func TestParseProxies(t *testing.T) {
	c, err := Load(MapLookup(map[string]string{"CAREERSBOT_TRUSTED_PROXIES": " 172.28.0.10, 10.1.0.0/16 ,,::1"}), "")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := ParseProxies(c.TrustedProxies)
	if err != nil || fmt.Sprint(ps) != "[172.28.0.10/32 10.1.0.0/16 ::1/128]" {
		t.Errorf("ParseProxies = %v, %v", ps, err)
	}
}

func TestURLsRedacted(t *testing.T) {
	const pw = "Hunter2-db-password"
	c, err := Load(MapLookup(map[string]string{
		"CAREERSBOT_REDIS_URL":     "rediss://bot:" + pw + "@redis.internal:6380/2",
		"CAREERSBOT_UNANSWERED_DB": "postgres://bot:" + pw + "@db.internal:5432/careersbot?sslmode=require",
	}), "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Redis.URL != "rediss://bot:"+pw+"@redis.internal:6380/2" || !c.Redis.Enabled() {
		t.Errorf("Redis = %+v", c.Redis.URL)
	}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "config", c, "redis", c.Redis, "unanswered", c.Unanswered)
	for name, out := range map[string]string{
		"String": c.String(), "%#v": fmt.Sprintf("%#v", c), "slog": logged.String(),
		"parts": fmt.Sprintf("%v %+v %v %+v", c.Redis, c.Redis, c.Unanswered, c.Unanswered),
	} {
		if strings.Contains(out, pw) {
			t.Errorf("%s leaks the password: %s", name, out)
		}
		if name != "parts" && (!strings.Contains(out, "redis.internal:6380") || !strings.Contains(out, "db.internal:5432")) {
			t.Errorf("%s does not show the servers: %s", name, out)
		}
	}
	if v := c.Values()["CAREERSBOT_UNANSWERED_DB"]; v != "postgres://bot:xxxxx@db.internal:5432/careersbot?sslmode=require" {
		t.Errorf("shown as %q", v)
	}
	// A file path is shown as it is.
	c2, _ := Load(MapLookup(map[string]string{"CAREERSBOT_UNANSWERED_DB": "/data/unanswered.db"}), "")
	if v := c2.Values()["CAREERSBOT_UNANSWERED_DB"]; v != "/data/unanswered.db" {
		t.Errorf("path shown as %q", v)
	}
}

func TestLimitInterval(t *testing.T) {
	tests := []struct {
		name string
		l    Limit
		want string
	}{
		{"30 a minute", Limit{PerMinute: 30, Burst: 1}, "2s"},
		{"off", Limit{}, "0s"},
		{"600 a minute", Limit{PerMinute: 600, Burst: 1}, "100ms"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.l.Interval().String(); got != tc.want {
				t.Errorf("Interval() = %s, want %s", got, tc.want)
			}
		})
	}
}
