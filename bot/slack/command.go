package slack

import (
	"context"
	"strings"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/careersbot/careersbot/bot"
)

// answerCommand answers /careers QUESTION. Slack shows the response to the
// command (the HTTP response, or the Socket Mode acknowledgement) only if
// it comes within 3 seconds, so when the handler takes longer than
// slashWait this returns nil, the caller acknowledges with nothing, and the
// answer goes to the command's response_url when it is ready. "/careers"
// alone asks the handler for help.
func (a *Adapter) answerCommand(cmd slackgo.SlashCommand) *slackgo.WebhookMessage {
	text := question(cmd.Text)
	m := bot.Message{Adapter: Name, User: cmd.UserID, Text: text,
		Conversation: cmd.TeamID + ":" + cmd.ChannelID + "/" + cmd.UserID}
	kind := slackgo.ResponseTypeEphemeral
	if a.inChannel {
		kind = slackgo.ResponseTypeInChannel
	}
	build := func(r bot.Reply) *slackgo.WebhookMessage {
		fallback, blocks := render(r, renderOptions{Echo: text})
		return &slackgo.WebhookMessage{ResponseType: kind, Text: fallback, Blocks: &slackgo.Blocks{BlockSet: blocks}}
	}

	ctx, cancel := context.WithTimeout(a.work, a.replyTimeout)
	done := make(chan bot.Reply, 1)
	go func() {
		var r bot.Reply // a panicking handler leaves it empty: "no answer"
		defer func() { done <- r }()
		defer a.recoverPanic(cmd.TriggerID)
		r = a.h.Handle(ctx, m)
	}()
	timer := time.NewTimer(a.slashWait)
	defer timer.Stop()
	select {
	case r := <-done:
		cancel()
		a.log.Info("answered command", "trigger", cmd.TriggerID, "channel", cmd.ChannelID, "intent", r.Intent, "answered", r.Answered)
		return build(r)
	case <-timer.C:
	}

	// Too slow for the response: finish in the background.
	url := strings.TrimSpace(cmd.ResponseURL)
	ok := a.pool.Go(func() {
		defer cancel()
		var r bot.Reply
		select {
		case r = <-done:
		case <-ctx.Done():
			a.log.Error("command not answered in time", "trigger", cmd.TriggerID)
			return
		}
		if url == "" {
			a.log.Error("late command answer has no response_url", "trigger", cmd.TriggerID)
			return
		}
		if err := slackgo.PostWebhookCustomHTTPContext(ctx, url, a.hooks, build(r)); err != nil {
			a.log.Error("response_url post failed", "trigger", cmd.TriggerID, "err", hookError(err))
			return
		}
		a.log.Info("answered command late", "trigger", cmd.TriggerID, "channel", cmd.ChannelID)
	})
	if !ok {
		cancel()
		a.log.Error("overloaded: command dropped", "trigger", cmd.TriggerID)
	}
	return nil
}
