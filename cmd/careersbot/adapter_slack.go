package main

import (
	"log/slog"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/config"
)

// slackAdapter is being built (issue 4).
func slackAdapter(cfg config.Config, h bot.Handler, log *slog.Logger) (bot.Adapter, error) {
	return nil, nil
}
