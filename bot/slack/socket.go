package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/careersbot/careersbot/bot"
)

// runSocket holds the Socket Mode connection until ctx is done.
// socketmode's RunContext reconnects by itself after a disconnect request,
// a dropped connection or a ping timeout, but returns when a reconnection
// fails for a reason it deems fatal (a 404 from apps.connections.open, an
// auth error): this loop starts it again after a backoff, except for auth
// errors, which no retry can fix.
func (a *Adapter) runSocket(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { a.consume(ctx) })
	defer func() {
		cancel()
		wg.Wait()
		a.connected.Store(false)
	}()

	delay := a.backoffMin
	for {
		before := a.connects.Load()
		err := a.socket.RunContext(ctx)
		a.connected.Store(false)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil && fatal(err) {
			return bot.Fatal(fmt.Errorf("slack: Slack refused a token for Socket Mode (%s); check SLACK_APP_TOKEN (connections:write) and SLACK_BOT_TOKEN", redact(err)))
		}
		if a.connects.Load() != before {
			delay = a.backoffMin // it was connected: start the backoff afresh
		}
		wait := delay/2 + rand.N(delay/2+1)
		a.log.Warn("socket mode stopped; reconnecting", "err", redact(err), "in", wait.String())
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil
		}
		delay = min(2*delay, a.backoffMax)
	}
}

// consume reads the socketmode client's events until ctx is done.
func (a *Adapter) consume(ctx context.Context) {
	events := a.socket.events()
	for {
		select {
		case <-ctx.Done():
			return
		case evt, ok := <-events:
			if !ok {
				return
			}
			a.onSocketEvent(ctx, evt)
		}
	}
}

// onSocketEvent handles one event. Envelopes are acknowledged before
// anything else, so a slow answer never makes Slack redeliver; the answer
// is prepared in the background.
func (a *Adapter) onSocketEvent(ctx context.Context, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		a.log.Debug("socket mode connecting")
	case socketmode.EventTypeConnected:
		a.connected.Store(true)
		n := a.connects.Add(1)
		a.log.Info("socket mode connected", "connections", n)
	case socketmode.EventTypeHello:
		a.connected.Store(true)
	case socketmode.EventTypeConnectionError:
		a.connected.Store(false)
		if e, ok := evt.Data.(*slackgo.ConnectionErrorEvent); ok {
			a.log.Warn("socket mode connection failed", "attempt", e.Attempt, "backoff", e.Backoff.String(), "err", redact(e.ErrorObj))
		}
	case socketmode.EventTypeInvalidAuth:
		a.log.Error("socket mode: app-level token refused")
	case socketmode.EventTypeIncomingError:
		if e, ok := evt.Data.(*slackgo.IncomingEventError); ok {
			a.log.Warn("socket mode read failed", "err", redact(e.ErrorObj))
		}
	case socketmode.EventTypeErrorWriteFailed:
		if e, ok := evt.Data.(*socketmode.ErrorWriteFailed); ok && e.Response != nil {
			a.log.Warn("socket mode acknowledgement not sent", "envelope", e.Response.EnvelopeID, "err", redact(e.Cause))
		}
	case socketmode.EventTypeErrorBadMessage:
		// An envelope socketmode could not parse (an event type it does
		// not know, say): acknowledge it anyway so Slack does not resend it.
		if e, ok := evt.Data.(*socketmode.ErrorBadMessage); ok {
			var env struct {
				EnvelopeID string `json:"envelope_id"`
				Type       string `json:"type"`
			}
			if json.Unmarshal(e.Message, &env) == nil && env.EnvelopeID != "" {
				a.ack(ctx, env.EnvelopeID, nil)
			}
			a.log.Warn("socket mode message not understood", "envelope", env.EnvelopeID, "type", env.Type, "err", e.Cause)
		}
	case socketmode.EventTypeEventsAPI:
		a.ack(ctx, envelope(evt), nil)
		if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
			a.onEventsAPI(ev)
		}
	case socketmode.EventTypeInteractive:
		a.ack(ctx, envelope(evt), nil)
		if cb, ok := evt.Data.(slackgo.InteractionCallback); ok {
			a.onInteraction(cb)
		}
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slackgo.SlashCommand)
		id := envelope(evt)
		if !ok {
			a.ack(ctx, id, nil)
			return
		}
		// The answer is the acknowledgement's payload; prepare it off the
		// event loop so other envelopes are acknowledged meanwhile.
		go func() {
			if msg := a.answerCommand(cmd); msg != nil {
				a.ack(ctx, id, msg)
			} else {
				a.ack(ctx, id, nil)
			}
		}()
	default:
		a.log.Debug("socket mode event ignored", "type", string(evt.Type))
	}
}

func envelope(evt socketmode.Event) string {
	if evt.Request == nil {
		return ""
	}
	return evt.Request.EnvelopeID
}

// ack acknowledges an envelope, with payload as the response (slash
// commands) or none.
func (a *Adapter) ack(ctx context.Context, envelopeID string, payload any) {
	if envelopeID == "" {
		return
	}
	var err error
	if payload == nil {
		err = a.socket.AckCtx(ctx, envelopeID, nil)
	} else {
		err = a.socket.AckCtx(ctx, envelopeID, payload)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		a.log.Warn("socket mode acknowledgement failed", "envelope", envelopeID, "err", redact(err))
	}
}
