package discord

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// InvitePermissions are the permissions the bot asks for when invited:
// View Channels, Send Messages, Send Messages in Threads, Read Message
// History and Embed Links.
const InvitePermissions int64 = discordgo.PermissionViewChannel |
	discordgo.PermissionSendMessages |
	discordgo.PermissionSendMessagesInThreads |
	discordgo.PermissionReadMessageHistory |
	discordgo.PermissionEmbedLinks

// InviteScopes are the OAuth2 scopes of the invite: the bot user and its
// slash commands.
const InviteScopes = "bot applications.commands"

// InviteURL is the OAuth2 link that adds the application's bot to a server.
func InviteURL(appID string) (string, error) {
	if !isSnowflake(appID) {
		return "", fmt.Errorf("discord: the application id %q is not a Discord id (digits only)", appID)
	}
	v := url.Values{}
	v.Set("client_id", appID)
	v.Set("permissions", strconv.FormatInt(InvitePermissions, 10))
	v.Set("scope", InviteScopes)
	return "https://discord.com/oauth2/authorize?" + v.Encode(), nil
}
