package main

import (
	"log/slog"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/config"
)

// discordAdapter is being built (issue 5).
func discordAdapter(cfg config.Config, h bot.Handler, log *slog.Logger) (bot.Adapter, error) {
	return nil, nil
}
