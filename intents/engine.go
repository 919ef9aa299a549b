// Package intents understands questions and chooses answers from a
// knowledge base: normalising text, recognising intents and topics (with
// typo-tolerant matching), and quoting the documents' own sentences.
package intents

import (
	"context"

	"github.com/careersbot/careersbot/knowledge"
)

// Engine answers questions from one knowledge base. It is immutable and
// safe for concurrent use; Answer does no I/O.
type Engine struct {
	kb *knowledge.Base
}

// New builds an engine over kb.
func New(kb *knowledge.Base) (*Engine, error) { return &Engine{kb: kb}, nil }

// Answer answers q.
func (e *Engine) Answer(ctx context.Context, q Question) Answer {
	return Answer{Question: q.Text, Intent: "fallback", Text: "I don't know yet."}
}
