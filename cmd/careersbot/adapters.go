package main

import (
	"log/slog"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/config"
)

// adapterFactory builds one chat adapter from the configuration, or returns
// nil when its credentials are not set.
type adapterFactory func(cfg config.Config, h bot.Handler, log *slog.Logger) (bot.Adapter, error)

// adapterFactories lists every chat adapter serve can run, each
// de-duplicating its deliveries with claims (shared by replicas in Redis;
// nil for this process's memory).
func adapterFactories(claims bot.Claims) []adapterFactory {
	return []adapterFactory{
		func(cfg config.Config, h bot.Handler, log *slog.Logger) (bot.Adapter, error) {
			return slackAdapter(cfg, claims, h, log)
		},
		func(cfg config.Config, h bot.Handler, log *slog.Logger) (bot.Adapter, error) {
			return discordAdapter(cfg, claims, h, log)
		},
	}
}
