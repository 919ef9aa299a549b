package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/careersbot/careersbot/bot/discord"
)

func (m *Main) discordCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "discord",
		Short: `Discord helpers ("careersbot discord invite-url")`,
		RunE:  needSubcommand,
	}
	var appID string
	invite := &cobra.Command{
		Use:   "invite-url",
		Short: "Print the link that adds the bot to a Discord server",
		Long: `Prints the OAuth2 link that adds the bot to a Discord server, with the scopes
bot and applications.commands and the permissions it needs (View Channels,
Send Messages, Send Messages in Threads, Read Message History, Embed Links).

The application id comes from --app-id or DISCORD_APPLICATION_ID (Developer
Portal > your application > General Information > Application ID).`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("discord invite-url: unexpected argument %q", args[0])
			}
			return nil
		},
		RunE: func(c *cobra.Command, _ []string) error { return m.runDiscordInvite(appID) },
	}
	invite.Flags().StringVar(&appID, "app-id", "", "application id (default DISCORD_APPLICATION_ID)")
	c.AddCommand(invite)
	return c
}

// runDiscordInvite prints the invite URL for the configured application.
func (m *Main) runDiscordInvite(appID string) error {
	id := strings.TrimSpace(appID)
	if id == "" {
		cfg, err := m.settings()
		if err != nil {
			return err
		}
		id = strings.TrimSpace(cfg.Discord.AppID)
	}
	if id == "" {
		return usagef("discord invite-url: no application id: pass --app-id or set DISCORD_APPLICATION_ID (Developer Portal > General Information > Application ID)")
	}
	u, err := discord.InviteURL(id)
	if err != nil {
		return usagef("discord invite-url: %v", strings.TrimPrefix(err.Error(), "discord: "))
	}
	fmt.Fprintln(m.Stdout, u)
	return nil
}
