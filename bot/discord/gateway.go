package discord

import (
	"context"
	"strings"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"

	"github.com/careersbot/careersbot/bot"
)

// commandName is the slash command: /careers question:...
const commandName = "careers"

// command is the careers slash command as registered with Discord.
func command() *discordgo.ApplicationCommand {
	return &discordgo.ApplicationCommand{
		Type:        discordgo.ChatApplicationCommand,
		Name:        commandName,
		Description: "Ask about careers in NHS healthcare science",
		Options: []*discordgo.ApplicationCommandOption{{
			Type:         discordgo.ApplicationCommandOptionString,
			Name:         "question",
			Description:  "Your question, in your own words",
			Required:     true,
			Autocomplete: true,
			MaxLength:    2000,
		}},
	}
}

// onReady records who the bot is and (re)registers the command. READY comes
// again after an invalid session, so registering must be safe to repeat:
// a bulk overwrite is.
func (a *Adapter) onReady(ctx context.Context, r *discordgo.Ready) {
	if r == nil {
		return
	}
	a.connected.Store(true)
	if r.User != nil && r.User.ID != "" {
		id := r.User.ID
		a.botID.Store(&id)
	}
	if a.appID.Load() == nil && r.Application != nil && r.Application.ID != "" {
		id := r.Application.ID
		a.appID.Store(&id)
	}
	a.log.Info("discord gateway ready", "bot_user", loadID(&a.botID), "guilds", len(r.Guilds))
	a.inflight.goTrack(func() { a.register(ctx) })
}

// register bulk-overwrites the application's commands with careers, in the
// configured guild or globally.
func (a *Adapter) register(ctx context.Context) {
	app := loadID(&a.appID)
	if app == "" {
		a.log.Error("discord: cannot register /careers: no application id (set DISCORD_APPLICATION_ID)")
		return
	}
	cmds, err := a.session.ApplicationCommandBulkOverwrite(app, a.cfg.GuildID,
		[]*discordgo.ApplicationCommand{command()}, discordgo.WithContext(ctx))
	if err != nil {
		if ctx.Err() == nil {
			a.log.Error("discord: register /careers", "application", app, "guild", a.cfg.GuildID, "err", safeError(err))
		}
		return
	}
	scope := "global"
	if a.cfg.GuildID != "" {
		scope = "guild " + a.cfg.GuildID
	}
	a.log.Info("discord command registered", "command", commandName, "scope", scope, "count", len(cmds))
}

// loadID loads an id learnt at run time, or "".
func loadID(p *atomic.Pointer[string]) string {
	if s := p.Load(); s != nil {
		return *s
	}
	return ""
}

// conversation is the context key: per channel and user.
func conversation(channelID, userID string) string {
	return "discord:" + channelID + ":" + userID
}

// question returns the text to answer from a gateway message, or false when
// the message is not for the bot: bots (itself included), webhooks, system
// messages, and guild messages that do not mention the bot.
func question(m *discordgo.Message, botID string) (string, bool) {
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.System || m.WebhookID != "" {
		return "", false
	}
	if botID != "" && m.Author.ID == botID {
		return "", false
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return "", false
	}
	text := m.Content
	if m.GuildID != "" {
		if botID == "" || !mentions(m, botID) {
			return "", false
		}
	}
	if botID != "" {
		text = strings.NewReplacer("<@"+botID+">", " ", "<@!"+botID+">", " ").Replace(text)
	}
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		text = "help"
	}
	return text, true
}

// mentions reports whether m mentions the user botID.
func mentions(m *discordgo.Message, botID string) bool {
	for _, u := range m.Mentions {
		if u != nil && u.ID == botID {
			return true
		}
	}
	return strings.Contains(m.Content, "<@"+botID+">") || strings.Contains(m.Content, "<@!"+botID+">")
}

// onMessage answers a mention (as a reply in the same channel) or a direct
// message. It runs in discordgo's read loop, so the work goes to a goroutine.
func (a *Adapter) onMessage(ctx context.Context, mc *discordgo.MessageCreate) {
	if mc == nil {
		return
	}
	m := mc.Message
	text, ok := question(m, loadID(&a.botID))
	if !ok {
		return
	}
	a.inflight.goTrack(func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), replyTimeout)
		defer cancel()
		r := a.handle(rctx, bot.Message{
			Adapter:      a.Name(),
			Conversation: conversation(m.ChannelID, m.Author.ID),
			User:         m.Author.ID,
			Text:         text,
		})
		content, comps := render(r, "")
		send := &discordgo.MessageSend{Content: content, Components: comps, AllowedMentions: noMentions()}
		if m.GuildID != "" {
			no := false
			send.Reference = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &no}
		}
		if _, err := a.session.ChannelMessageSendComplex(m.ChannelID, send, discordgo.WithContext(rctx)); err != nil {
			a.log.Error("discord: send reply", "guild", m.GuildID, "channel", m.ChannelID, "message", m.ID, "err", safeError(err))
			return
		}
		a.log.Debug("discord reply sent", "guild", m.GuildID, "channel", m.ChannelID, "message", m.ID, "answered", r.Answered)
	})
}

// onInteraction answers an interaction that came over the gateway with
// REST calls.
func (a *Adapter) onInteraction(ctx context.Context, ic *discordgo.InteractionCreate) {
	if ic == nil || ic.Interaction == nil {
		return
	}
	i := ic.Interaction
	key := claimKey(i)
	if key != "" && !a.claims.Claim(ctx, claimTTL, key) {
		a.log.Info("discord: interaction answered already; ignored", "interaction", i.ID)
		return
	}
	a.inflight.goTrack(func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), replyTimeout)
		defer cancel()
		resp, later := a.interact(rctx, i)
		if err := a.respond(rctx, i, resp); err != nil {
			a.claims.Release(rctx, key)
			a.log.Error("discord: respond to interaction", "interaction", i.ID, "type", int(resp.Type), "err", err)
			return
		}
		a.claims.Done(rctx, claimTTL, key)
		if later != nil {
			later(rctx)
		}
	})
}
