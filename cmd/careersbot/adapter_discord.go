package main

import (
	"log/slog"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/discord"
	"github.com/careersbot/careersbot/config"
)

// discordAdapter builds the Discord adapter when DISCORD_BOT_TOKEN (gateway)
// or DISCORD_PUBLIC_KEY (HTTP interactions) is set, else returns nil, nil.
func discordAdapter(cfg config.Config, claims bot.Claims, h bot.Handler, log *slog.Logger) (bot.Adapter, error) {
	d := cfg.Discord
	if d.BotToken == "" && d.PublicKey == "" {
		return nil, nil
	}
	a, err := discord.New(discord.Config{
		BotToken:  d.BotToken,
		PublicKey: d.PublicKey,
		BaseURL:   d.BaseURL,
		GuildID:   d.GuildID,
		AppID:     d.AppID,
		Claims:    claims,
	}, h, log)
	if err != nil {
		return nil, err
	}
	return a, nil
}
