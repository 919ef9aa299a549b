// Package bot is the adapter-neutral conversation core of careersbot: a
// Message comes in from an adapter (Slack, Discord, terminal, HTTP), the Bot
// keeps per-conversation context, asks the answering engine and hands back a
// Reply that the adapter renders natively.
//
// Reply is the core's own type: adapters import bot, never the engine
// (package intents), so the engine can change without touching them.
package bot

import (
	"context"
	"errors"
	"net/http"
)

// Message is one question from a user, as an adapter received it.
type Message struct {
	Adapter      string // "slack", "discord", "terminal", "http"
	Conversation string // context key (thread, DM, channel+user); "" keeps no context
	User         string // platform user id, for rate limits; never logged
	Text         string // raw text, mention markup and all
}

// Reply is the answer to a Message, as adapters render it. Its JSON form
// is the reply contract of `careersbot ask --json` and POST /v1/ask
// (docs/reply.md); Status and Why are not part of it.
type Reply struct {
	Question    string   `json:"question"`
	Answered    bool     `json:"answered"` // false is "I don't know" (or a refusal), never an error
	Intent      string   `json:"intent"`
	Topic       string   `json:"topic"`
	Text        string   `json:"answer"`
	Confidence  float64  `json:"confidence"`
	Sources     []Source `json:"sources"`
	Suggestions []string `json:"suggestions"`

	// Status says whether the question was tried at all: StatusOK, or why
	// it was not (StatusRateLimited, StatusRefused).
	Status Status `json:"-"`
	// Why says how the answer was chosen (the team console shows it); nil
	// when the question was not answered by the engine.
	Why *Why `json:"-"`
}

// Source cites the part of a document an answer was quoted from.
type Source struct {
	Document string `json:"document"`
	Section  string `json:"section"`
	URL      string `json:"url"` // http or https, or ""
}

// Why explains an answer: the page and section it came from, the answer
// type the question was taken to ask for, and the named features the
// confidence was computed from.
//
// The features are two lists, names and values in the same order, rather
// than a map or a list of pairs: the names are the engine's, shared by
// every answer, and the values can be the engine's own, so that an answer
// nobody asks why about costs nothing for them.
type Why struct {
	Document   string
	Section    string
	AnswerType string
	Names      []string  // the features' names, shared: never modified
	Values     []float64 // their values, in the order of Names
}

// Feature is one named value an answer's confidence was computed from.
type Feature struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Features returns the features as a list of pairs.
func (w *Why) Features() []Feature {
	out := make([]Feature, 0, len(w.Values))
	for i, v := range w.Values {
		if i < len(w.Names) {
			out = append(out, Feature{Name: w.Names[i], Value: v})
		}
	}
	return out
}

// FeatureMap returns the features by name (empty, never nil).
func (w *Why) FeatureMap() map[string]float64 {
	m := make(map[string]float64, len(w.Values))
	for i, v := range w.Values {
		if i < len(w.Names) {
			m[w.Names[i]] = v
		}
	}
	return m
}

// Status is what became of a question before the engine saw it.
type Status string

const (
	// StatusOK (the zero value): the engine tried the question; Answered
	// says whether it found an answer.
	StatusOK Status = ""
	// StatusRateLimited: the user asked too fast; the question was not
	// tried (HTTP answers 429 with Retry-After).
	StatusRateLimited Status = "rate_limited"
	// StatusRefused: the question was refused without being tried (empty,
	// or not acceptable to the front end).
	StatusRefused Status = "refused"
)

// Tried reports whether the engine saw the question (so an unanswered one
// is worth recording).
func (r Reply) Tried() bool { return r.Status == StatusOK }

// Normalized returns r with nil lists as empty ones, so its JSON always
// has arrays.
func (r Reply) Normalized() Reply {
	if r.Sources == nil {
		r.Sources = []Source{}
	}
	if r.Suggestions == nil {
		r.Suggestions = []string{}
	}
	return r
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

// FatalError is an adapter failure that restarting cannot fix, such as a
// token the platform refuses for good (revoked, invalid). An adapter's Run
// returns one to stop serve, which exits 1 with its message; any other
// error is retried with backoff.
type FatalError struct{ Err error }

func (e *FatalError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *FatalError) Unwrap() error { return e.Err }

// Fatal marks err as a failure restarting cannot fix (nil stays nil).
func Fatal(err error) error {
	if err == nil {
		return nil
	}
	return &FatalError{Err: err}
}

// IsFatal reports whether err, or an error it wraps, is a FatalError.
func IsFatal(err error) bool {
	var fe *FatalError
	return errors.As(err, &fe)
}
