package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/careersbot/careersbot/bot/discord"
)

const discordUsage = `Usage:
  careersbot discord invite-url [--app-id ID]

Commands:
  invite-url  print the link that adds the bot to a Discord server, with the
              scopes bot and applications.commands and the permissions it
              needs (View Channels, Send Messages, Send Messages in Threads,
              Read Message History, Embed Links)
`

const inviteUsage = `Usage:
  careersbot discord invite-url [--app-id ID]

Prints the OAuth2 link that adds the bot to a Discord server. The
application id comes from --app-id or DISCORD_APPLICATION_ID (Developer
Portal > your application > General Information > Application ID).

Flags:
`

// runDiscord runs "careersbot discord SUBCOMMAND".
func (m *Main) runDiscord(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, discordUsage)
		return usagef("discord: no subcommand given (try: careersbot discord invite-url)")
	}
	switch args[0] {
	case "invite-url":
		return m.runDiscordInvite(ctx, args[1:])
	case "help", "--help", "-help", "-h":
		fmt.Fprint(m.Stdout, discordUsage)
		return nil
	}
	fmt.Fprint(m.Stderr, discordUsage)
	return usagef("discord: unknown subcommand %q", args[0])
}

// runDiscordInvite prints the invite URL for the configured application.
func (m *Main) runDiscordInvite(_ context.Context, args []string) error {
	fs := m.newFlagSet("discord invite-url", inviteUsage)
	appID := fs.String("app-id", "", "application id (default $DISCORD_APPLICATION_ID)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("discord invite-url: unexpected argument %q", fs.Arg(0))
	}
	id := strings.TrimSpace(*appID)
	if id == "" {
		id = strings.TrimSpace(m.Getenv("DISCORD_APPLICATION_ID"))
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
