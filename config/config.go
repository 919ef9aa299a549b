// Package config reads careersbot's settings from the environment (and an
// optional file) into a Config, with defaults and validation. Only cmd
// imports it; adapters get their own small settings from it.
package config

// Config holds every setting of SPEC section 5.
type Config struct {
	Addr    string   // CAREERSBOT_ADDR, default ":8080"
	KB      []string // CAREERSBOT_KB, comma-separated paths
	Slack   Slack
	Discord Discord
}

// Slack holds the Slack settings.
type Slack struct {
	BotToken      string // SLACK_BOT_TOKEN (xoxb-)
	AppToken      string // SLACK_APP_TOKEN (xapp-): Socket Mode
	SigningSecret string // SLACK_SIGNING_SECRET: HTTP endpoints
	APIURL        string // SLACK_API_URL, default https://slack.com/api/
}

// Discord holds the Discord settings.
type Discord struct {
	BotToken  string // DISCORD_BOT_TOKEN: gateway
	PublicKey string // DISCORD_PUBLIC_KEY (hex Ed25519): HTTP interactions
	BaseURL   string // DISCORD_BASE_URL, default https://discord.com
	GuildID   string // DISCORD_GUILD_ID
	AppID     string // DISCORD_APPLICATION_ID (optional; learnt from READY otherwise)
}
