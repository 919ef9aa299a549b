package main

import (
	"log/slog"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/slack"
	"github.com/careersbot/careersbot/config"
)

// slackAdapter builds the Slack adapter when SLACK_BOT_TOKEN and at least
// one of SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP) are
// set; with none of them it returns nil, nil. A bot token alone, or an app
// token or signing secret without a bot token, is a configuration error.
func slackAdapter(cfg config.Config, claims bot.Claims, h bot.Handler, log *slog.Logger) (bot.Adapter, error) {
	s := cfg.Slack
	if s.BotToken == "" && s.AppToken == "" && s.SigningSecret == "" {
		return nil, nil
	}
	a, err := slack.New(slack.Config{
		BotToken:      s.BotToken,
		AppToken:      s.AppToken,
		SigningSecret: s.SigningSecret,
		APIURL:        s.APIURL,
		InChannel:     s.InChannel,
		Claims:        claims,
	}, h, log)
	if err != nil {
		return nil, err
	}
	return a, nil
}
