package engine

import (
	"context"
	"testing"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/intents"
	"github.com/careersbot/careersbot/knowledge"
)

type fake struct{ got intents.Question }

func (f *fake) Answer(_ context.Context, q intents.Question) intents.Answer {
	f.got = q
	return intents.Answer{Question: q.Text, Answered: true, Intent: "location", Topic: "genetics", Text: "In labs.",
		Confidence: 0.8, Sources: []intents.Source{{Document: "D", Section: "S", URL: "https://example.org/d"}},
		Suggestions: []string{"more?"},
		Why:         &intents.Why{Document: "D", Section: "S", AnswerType: "place", Features: intents.Features{5: 0.5}}}
}

func TestAdapt(t *testing.T) {
	f := &fake{}
	r := Adapt(f).Answer(context.Background(), bot.Question{Text: "q", Context: bot.Context{Topic: "audiology", Intent: "overview"}})
	if f.got.Text != "q" || f.got.Context != (intents.Context{Topic: "audiology", Intent: "overview"}) {
		t.Errorf("engine was asked %+v", f.got)
	}
	if r.Question != "q" || !r.Answered || r.Intent != "location" || r.Topic != "genetics" || r.Text != "In labs." ||
		r.Confidence != 0.8 || len(r.Suggestions) != 1 || r.Status != bot.StatusOK || !r.Tried() {
		t.Errorf("reply = %+v", r)
	}
	if len(r.Sources) != 1 || r.Sources[0] != (bot.Source{Document: "D", Section: "S", URL: "https://example.org/d"}) {
		t.Errorf("sources = %+v", r.Sources)
	}
	if r.Why == nil || r.Why.AnswerType != "place" || r.Why.FeatureMap()["margin"] != 0.5 {
		t.Errorf("why = %+v", r.Why)
	}
	if fs := r.Why.Features(); len(fs) != len(intents.FeatureNames()) || fs[5] != (bot.Feature{Name: "margin", Value: 0.5}) {
		t.Errorf("features = %+v", fs)
	}
}

// The real engine, through the core: a follow-up keeps its topic.
func TestRealEngineThroughTheCore(t *testing.T) {
	kb, err := knowledge.Default()
	if err != nil {
		t.Fatal(err)
	}
	e, err := intents.New(kb)
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(Adapt(e))
	ctx := context.Background()
	first := b.Handle(ctx, bot.Message{Conversation: "c", Text: "what is bioinformatics"})
	if !first.Answered || first.Topic == "" || len(first.Sources) == 0 {
		t.Fatalf("first = %+v", first)
	}
	if b.Conversations() != 1 {
		t.Errorf("conversations = %d, want 1", b.Conversations())
	}
}
