// Package bot is the adapter-neutral conversation core of careersbot: a
// Message comes in from an adapter (Slack, Discord, terminal, HTTP), the Bot
// keeps per-conversation context, asks the intent engine and hands back a
// Reply that the adapter renders natively.
package bot

import (
	"context"
	"net/http"

	"github.com/careersbot/careersbot/intents"
)

// Message is one question from a user, as an adapter received it.
type Message struct {
	Adapter      string // "slack", "discord", "terminal", "http"
	Conversation string // context key (thread, DM, channel+user); "" keeps no context
	User         string // platform user id, for rate limits; never logged
	Text         string // raw text, mention markup and all
}

// Reply is the answer to a Message. It embeds the JSON contract.
type Reply struct {
	intents.Answer
}

// Handler answers messages. Adapters take a Handler, so tests can pass a
// HandlerFunc.
type Handler interface {
	Handle(ctx context.Context, m Message) Reply
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, m Message) Reply

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, m Message) Reply { return f(ctx, m) }

// Middleware wraps a Handler (rate limits, metrics, recording).
type Middleware func(Handler) Handler

// Chain applies middlewares so that the first one listed runs first.
func Chain(h Handler, mw ...Middleware) Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// Adapter connects the bot to a chat platform. Run blocks until ctx is done
// or the adapter fails for good.
type Adapter interface {
	Name() string
	Run(ctx context.Context) error
}

// RouteAdapter is an Adapter that also serves HTTP endpoints
// (/slack/events, /discord/interactions). serve mounts them on its mux.
type RouteAdapter interface {
	Adapter
	Routes(mux *http.ServeMux)
}

// Connector is an Adapter that can say whether it is connected to its
// platform right now (Socket Mode, gateway); serve exports it as a metric.
type Connector interface {
	Connected() bool
}
