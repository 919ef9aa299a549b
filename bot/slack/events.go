package slack

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/careersbot/careersbot/bot"
)

// job is one question to answer with chat.postMessage (mentions, direct
// messages, button clicks in messages) or through a response_url (button
// clicks in ephemeral messages).
type job struct {
	id           string // event id, trigger id: for logs
	user         string // asker's Slack user id
	channel      string
	thread       string   // thread_ts of the reply; "" posts in place
	conversation string   // bot.Message.Conversation
	text         string   // question as Slack sent it
	mention      bool     // text starts with the bot's mention
	echo         bool     // show the question above the answer
	responseURL  string   // answer here instead of chat.postMessage
	keys         []string // claimed for this delivery: done once answered, released on failure
}

// onEventsAPI handles an event_callback from either transport. It has been
// acknowledged already (or is about to be, in HTTP mode) and must not block.
func (a *Adapter) onEventsAPI(ev slackevents.EventsAPIEvent) {
	if ev.Type != slackevents.CallbackEvent {
		return
	}
	var eventID string
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
		eventID = cb.EventID
	}
	var j job
	var ts string
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" || e.Edited != nil || e.User == "" || e.Channel == "" || e.TimeStamp == "" {
			a.log.Debug("ignored mention", "event", eventID)
			return
		}
		thread := e.ThreadTimeStamp
		if thread == "" {
			thread = e.TimeStamp
		}
		ts = e.TimeStamp
		j = job{user: e.User, channel: e.Channel, thread: thread, text: e.Text, mention: true,
			conversation: ev.TeamID + ":" + e.Channel + ":" + thread}
	case *slackevents.MessageEvent:
		// Only new direct messages from people: channel messages arrive as
		// app_mention, and subtypes are edits, joins, bot posts and the like.
		if e.ChannelType != "im" || e.SubType != "" || e.BotID != "" || e.User == "" || e.Channel == "" || e.TimeStamp == "" {
			a.log.Debug("ignored message", "event", eventID, "subtype", e.SubType)
			return
		}
		ts = e.TimeStamp
		j = job{user: e.User, channel: e.Channel, thread: e.ThreadTimeStamp, text: e.Text,
			conversation: ev.TeamID + ":" + e.Channel}
	default:
		a.log.Debug("ignored event", "event", eventID, "type", ev.InnerEvent.Type)
		return
	}
	j.id = eventID
	// Both keys in one claim: a retry carries the same event id, and the
	// same message must not be answered twice under two events.
	j.keys = []string{keyEvent(eventID), keyMessage(ev.TeamID, j.channel, ts)}
	if !a.claims.Claim(a.work, claimTTL, j.keys...) {
		a.log.Info("duplicate delivery ignored", "event", eventID, "channel", j.channel, "ts", ts)
		return
	}
	a.dispatch(j)
}

func keyEvent(id string) string {
	if id == "" {
		return ""
	}
	return "slack:event:" + id
}

func keyMessage(team, channel, ts string) string {
	return "slack:msg:" + team + ":" + channel + ":" + ts
}

// onInteraction handles an interactive payload: a click on one of our
// suggestion buttons asks its question.
func (a *Adapter) onInteraction(cb slackgo.InteractionCallback) {
	if cb.Type != slackgo.InteractionTypeBlockActions {
		a.log.Debug("ignored interaction", "type", cb.Type)
		return
	}
	var action *slackgo.BlockAction
	for _, act := range cb.ActionCallback.BlockActions {
		if act != nil && strings.HasPrefix(act.ActionID, actionPrefix) && strings.TrimSpace(act.Value) != "" {
			action = act
			break
		}
	}
	if action == nil || cb.User.ID == "" {
		a.log.Debug("ignored interaction without a question", "trigger", cb.TriggerID)
		return
	}
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	msgTS := cb.Container.MessageTs
	if msgTS == "" {
		msgTS = cb.Message.Timestamp
	}
	thread := cb.Container.ThreadTs
	if thread == "" {
		thread = cb.Message.ThreadTimestamp
	}
	team := cb.Team.ID
	j := job{id: cb.TriggerID, user: cb.User.ID, channel: channel, text: action.Value, echo: true}
	switch {
	case cb.Container.IsEphemeral || msgTS == "" || channel == "":
		// An ephemeral message (a /careers answer) cannot be replied to in
		// the channel: answer the clicker privately through response_url.
		if cb.ResponseURL == "" {
			a.log.Warn("ignored click: no channel message and no response_url", "trigger", cb.TriggerID)
			return
		}
		j.responseURL = cb.ResponseURL
		j.conversation = team + ":" + channel + "/" + cb.User.ID
	case thread != "":
		j.thread = thread
		j.conversation = team + ":" + channel + ":" + thread
	case strings.HasPrefix(channel, "D"):
		j.conversation = team + ":" + channel // a direct message: answer in place
	default:
		j.thread = msgTS // a top-level channel message: start a thread under it
		j.conversation = team + ":" + channel + ":" + msgTS
	}
	key := "slack:action:" + cb.TriggerID
	if cb.TriggerID == "" {
		key = "slack:action:" + team + ":" + channel + ":" + msgTS + ":" + action.ActionTs + ":" + cb.User.ID
	}
	j.keys = []string{key}
	if !a.claims.Claim(a.work, claimTTL, key) {
		a.log.Info("duplicate interaction ignored", "trigger", cb.TriggerID)
		return
	}
	a.dispatch(j)
}

// dispatch answers j in the background: its claim is marked done once the
// reply is posted, and released when it could not be, so that Slack's next
// retry of the delivery is answered.
func (a *Adapter) dispatch(j job) {
	if !a.pool.Go(func() {
		answered := false
		defer func() { a.settle(j, answered) }()
		defer a.recoverPanic(j.id)
		answered = a.answer(j)
	}) {
		a.log.Error("overloaded: question dropped", "id", j.id, "channel", j.channel)
		a.claims.Release(a.work, j.keys...)
	}
}

// settle marks j's claim done, or releases it for a retry.
func (a *Adapter) settle(j job, answered bool) {
	// The claim must be settled even when the answer ran out of time.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(a.work), 5*time.Second)
	defer cancel()
	if answered {
		a.claims.Done(ctx, doneTTL, j.keys...)
		return
	}
	a.claims.Release(ctx, j.keys...)
	a.log.Warn("reply not sent; a retry of this delivery will be answered", "id", j.id, "channel", j.channel)
}

// answer asks the handler and posts the reply. It reports whether the
// delivery is settled (answered, or not to be answered at all).
func (a *Adapter) answer(j job) bool {
	ctx, cancel := context.WithTimeout(a.work, a.replyTimeout)
	defer cancel()
	self, err := a.identity(ctx)
	if err != nil {
		a.log.Warn("auth.test failed; answering anyway", "err", redact(err))
	}
	if self != "" && j.user == self {
		a.log.Debug("ignored own message", "id", j.id)
		return true
	}
	text := j.text
	if j.mention {
		text = stripMention(text, self)
	}
	text = question(text)
	r := a.h.Handle(ctx, bot.Message{Adapter: Name, Conversation: j.conversation, User: j.user, Text: text})
	echo := ""
	if j.echo {
		echo = text
	}
	fallback, blocks := render(r, renderOptions{Echo: echo})

	if j.responseURL != "" {
		msg := &slackgo.WebhookMessage{ResponseType: slackgo.ResponseTypeEphemeral, Text: fallback,
			Blocks: &slackgo.Blocks{BlockSet: blocks}}
		if err := slackgo.PostWebhookCustomHTTPContext(ctx, j.responseURL, a.hooks, msg); err != nil {
			a.log.Error("response_url post failed", "id", j.id, "err", hookError(err))
			return false
		}
		a.log.Info("answered", "id", j.id, "via", "response_url", "intent", r.Intent, "answered", r.Answered)
		return true
	}
	opts := []slackgo.MsgOption{
		slackgo.MsgOptionText(fallback, false),
		slackgo.MsgOptionBlocks(blocks...),
		slackgo.MsgOptionParse(false),
		slackgo.MsgOptionLinkNames(false),
		slackgo.MsgOptionDisableLinkUnfurl(),
		slackgo.MsgOptionDisableMediaUnfurl(),
	}
	if j.thread != "" {
		opts = append(opts, slackgo.MsgOptionTS(j.thread))
	}
	_, ts, err := a.api.PostMessageContext(ctx, j.channel, opts...)
	if err != nil {
		a.log.Error("chat.postMessage failed", "id", j.id, "channel", j.channel, "err", redact(err))
		return false
	}
	a.log.Info("answered", "id", j.id, "channel", j.channel, "ts", ts, "intent", r.Intent, "answered", r.Answered)
	return true
}

// recoverPanic keeps a failing handler from taking the process down.
func (a *Adapter) recoverPanic(id string) {
	if v := recover(); v != nil {
		a.log.Error("answer failed: handler panicked", "id", id, "panic", fmt.Sprint(v))
	}
}

var mentionPattern = regexp.MustCompile(`<@([A-Z0-9]+)(?:\|[^>]*)?>`)

// stripMention removes the bot's own mention markup from a question. When
// the bot's id is unknown, the leading mention is taken to be the bot's.
func stripMention(text, self string) string {
	if self == "" {
		if loc := mentionPattern.FindStringIndex(strings.TrimSpace(text)); loc != nil && loc[0] == 0 {
			return strings.TrimSpace(text)[loc[1]:]
		}
		return text
	}
	return mentionPattern.ReplaceAllStringFunc(text, func(m string) string {
		if mentionPattern.FindStringSubmatch(m)[1] == self {
			return " "
		}
		return m
	})
}

// question turns Slack message text into the question for the handler:
// Slack's escaping undone, space trimmed, and "help" for nothing at all.
func question(text string) string {
	text = strings.TrimSpace(unescapeText(text))
	if text == "" {
		return "help"
	}
	return bot.Truncate(text, bot.MaxQuestion)
}
