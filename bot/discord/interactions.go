package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/careersbot/careersbot/bot"
)

// maxInteractionBody bounds a request to POST /discord/interactions.
const maxInteractionBody = 1 << 20

// interact works out the response to one interaction. When the answer is
// not ready within DeferAfter the response is a deferral (type 5) and later
// edits the answer in; otherwise later is nil.
func (a *Adapter) interact(ctx context.Context, i *discordgo.Interaction) (resp *discordgo.InteractionResponse, later func(context.Context)) {
	a.log.Debug("discord interaction", "interaction", i.ID, "type", int(i.Type), "guild", i.GuildID, "channel", i.ChannelID)
	switch i.Type {
	case discordgo.InteractionPing:
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}, nil

	case discordgo.InteractionApplicationCommand:
		d, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok || d.Name != commandName {
			return ephemeral("Sorry, I don't know that command. Try /careers."), nil
		}
		q := strings.TrimSpace(stringOption(d.Options, "question"))
		if q == "" {
			return ephemeral("Ask a question, for example /careers question: what is healthcare science?"), nil
		}
		return a.answer(ctx, i, q, "")

	case discordgo.InteractionApplicationCommandAutocomplete:
		d, _ := i.Data.(discordgo.ApplicationCommandInteractionData)
		typed := ""
		for _, o := range d.Options {
			if o != nil && o.Focused {
				typed, _ = o.Value.(string)
			}
		}
		return &discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: choices(typed, a.candidates(ctx))},
		}, nil

	case discordgo.InteractionMessageComponent:
		d, _ := i.Data.(discordgo.MessageComponentInteractionData)
		q, ok := buttonQuestion(d.CustomID)
		if !ok {
			return ephemeral("Sorry, that button no longer works. Ask with /careers."), nil
		}
		return a.answer(ctx, i, q, q)
	}
	return ephemeral("Sorry, I can't handle that here. Ask with /careers."), nil
}

// answer asks the handler and builds a type 4 response, or a type 5 and a
// function that edits the answer in once it comes.
func (a *Adapter) answer(ctx context.Context, i *discordgo.Interaction, q, quote string) (*discordgo.InteractionResponse, func(context.Context)) {
	user := interactionUser(i)
	m := bot.Message{Adapter: a.Name(), Conversation: conversation(i.ChannelID, user), User: user, Text: q}
	r, pending := a.ask(ctx, m)
	if pending == nil {
		content, comps := render(r, quote)
		return &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: content, Components: comps, AllowedMentions: noMentions()},
		}, nil
	}
	later := func(ctx context.Context) {
		var r bot.Reply
		select {
		case r = <-pending:
		case <-ctx.Done():
			a.log.Error("discord: answer not ready in time", "interaction", i.ID)
			return
		}
		content, comps := render(r, quote)
		edit := &discordgo.WebhookEdit{Content: &content, Components: &comps, AllowedMentions: noMentions()}
		app := i.AppID
		if app == "" {
			app = loadID(&a.appID)
		}
		if err := a.editOriginal(ctx, app, i.Token, edit); err != nil {
			a.log.Error("discord: edit deferred answer", "interaction", i.ID, "err", err)
		}
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}, later
}

// ask runs the handler and waits up to DeferAfter for its reply. When the
// reply is late it returns a channel that will carry it.
func (a *Adapter) ask(ctx context.Context, m bot.Message) (bot.Reply, <-chan bot.Reply) {
	ch := make(chan bot.Reply, 1)
	go func() { ch <- a.handle(ctx, m) }()
	t := time.NewTimer(a.deferAfter)
	defer t.Stop()
	select {
	case r := <-ch:
		return r, nil
	case <-t.C:
		return bot.Reply{}, ch
	}
}

// handle calls the handler; a panic becomes an apology, not a crash.
func (a *Adapter) handle(ctx context.Context, m bot.Message) (r bot.Reply) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("discord: handler panicked", "panic", fmt.Sprint(p))
			r = bot.Reply{}
			r.Text = "Sorry, something went wrong. Please try again."
		}
	}()
	return a.h.Handle(ctx, m)
}

// ephemeral is a type 4 response only the user sees.
func ephemeral(text string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content:         text,
			Flags:           discordgo.MessageFlagsEphemeral,
			AllowedMentions: noMentions(),
		},
	}
}

// stringOption returns the string value of the named option, or "".
func stringOption(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) string {
	for _, o := range opts {
		if o != nil && o.Name == name {
			s, _ := o.Value.(string)
			return s
		}
	}
	return ""
}

// interactionUser is the id of who interacted: the member in a guild, the
// user in a DM.
func interactionUser(i *discordgo.Interaction) string {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User.ID
	}
	if i.User != nil {
		return i.User.ID
	}
	return ""
}

// serveInteractions is POST /discord/interactions: Discord's outgoing
// webhook for interactions, signed with the application's Ed25519 key.
func (a *Adapter) serveInteractions(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInteractionBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if !verify(a.pub, r.Header, body) {
		// Anyone can send these: at most one line a second per client.
		host := remoteHost(r)
		a.noisy.Log(r.Context(), a.log, slog.LevelWarn, host+" signature", "discord: interaction with a bad or missing signature refused", "remote", host)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	// The timestamp is signed, so once the signature holds its age says
	// whether this is a fresh request or a replay of an old one.
	if !fresh(r.Header.Get("X-Signature-Timestamp"), a.now()) {
		host := remoteHost(r)
		a.noisy.Log(r.Context(), a.log, slog.LevelWarn, host+" stale", "discord: interaction with a stale timestamp refused", "remote", host)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		a.noisy.Log(r.Context(), a.log, slog.LevelWarn, remoteHost(r)+" undecodable", "discord: undecodable interaction", "err", err)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	key := claimKey(&i)
	if key != "" && !a.claims.Claim(r.Context(), claimTTL, key) {
		a.noisy.Log(r.Context(), a.log, slog.LevelWarn, remoteHost(r)+" replay", "discord: interaction answered already; replay refused", "interaction", i.ID)
		http.Error(w, "interaction already answered", http.StatusConflict)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), replyTimeout)
	resp, later := a.interact(ctx, &i)
	b, err := json.Marshal(resp)
	if err != nil {
		cancel()
		a.claims.Release(context.WithoutCancel(r.Context()), key)
		a.log.Error("discord: encode interaction response", "interaction", i.ID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(b)
	if key != "" {
		a.claims.Done(ctx, claimTTL, key)
	}
	if later == nil {
		cancel()
		return
	}
	// The deferral must reach Discord before the edit does.
	_ = http.NewResponseController(w).Flush()
	run := func() {
		defer cancel()
		later(ctx)
	}
	if !a.inflight.goTrack(run) {
		run() // shutting down: finish it here
	}
}

// claimKey is the de-duplication key of an interaction: its id, except for
// PINGs, which answer nothing and may be repeated.
func claimKey(i *discordgo.Interaction) string {
	if i.ID == "" || i.Type == discordgo.InteractionPing {
		return ""
	}
	return "discord:interaction:" + i.ID
}

// fresh reports whether ts (Unix seconds, as Discord sends it) is within
// maxClockSkew of now.
func fresh(ts string, now time.Time) bool {
	sec, err := strconv.ParseInt(strings.TrimSpace(ts), 10, 64)
	if err != nil {
		return false
	}
	d := now.Sub(time.Unix(sec, 0))
	return d <= maxClockSkew && d >= -maxClockSkew
}

// verify checks Discord's signature: Ed25519 over timestamp + body.
func verify(pub ed25519.PublicKey, h http.Header, body []byte) bool {
	if len(pub) != ed25519.PublicKeySize {
		return false
	}
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return false
	}
	ts := h.Get("X-Signature-Timestamp")
	if ts == "" {
		return false
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	return ed25519.Verify(pub, msg, sig)
}

// remoteHost is the peer address of r without its port: the source that
// refused requests are counted by.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
