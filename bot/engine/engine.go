// Package engine makes the answering engine (package intents) a
// bot.Answerer. It is the one place the core's types and the engine's meet,
// so package bot and the adapters above it never import intents: the
// engine can change its Answer without touching them.
package engine

import (
	"context"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/intents"
)

// Answerer is what the engine offers; *intents.Engine satisfies it.
type Answerer interface {
	Answer(ctx context.Context, q intents.Question) intents.Answer
}

var _ Answerer = (*intents.Engine)(nil)

// Adapt returns a bot.Answerer that asks e.
func Adapt(e Answerer) bot.Answerer { return adapted{e} }

type adapted struct{ e Answerer }

func (a adapted) Answer(ctx context.Context, q bot.Question) bot.Reply {
	return Reply(a.e.Answer(ctx, intents.Question{
		Text:    q.Text,
		Context: intents.Context{Topic: q.Context.Topic, Intent: q.Context.Intent},
	}))
}

// Reply turns the engine's answer into the core's reply.
func Reply(a intents.Answer) bot.Reply {
	r := bot.Reply{
		Question:    a.Question,
		Answered:    a.Answered,
		Intent:      a.Intent,
		Topic:       a.Topic,
		Text:        a.Text,
		Confidence:  a.Confidence,
		Suggestions: a.Suggestions,
	}
	if a.Sources != nil {
		r.Sources = make([]bot.Source, len(a.Sources))
		for i, s := range a.Sources {
			r.Sources[i] = bot.Source{Document: s.Document, Section: s.Section, URL: s.URL}
		}
	}
	if a.Why != nil {
		// the values are the engine's own: the answer's Why is not
		// changed after it is returned
		r.Why = &bot.Why{Document: a.Why.Document, Section: a.Why.Section, AnswerType: a.Why.AnswerType,
			Names: featureNames, Values: a.Why.Features[:]}
	}
	return r
}

// featureNames name the engine's features, in the order of its
// intents.Features.
var featureNames = intents.FeatureNames()
