package intents

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/careersbot/careersbot/knowledge"
)

func TestDebugAnalyse(t *testing.T) {
	q := os.Getenv("Q")
	if q == "" {
		t.Skip()
	}
	kb, _ := knowledge.Default()
	if p := os.Getenv("KB"); p != "" {
		kb, _ = knowledge.Load(p)
	}
	e, _ := New(kb)
	a := e.analyse(q)
	fmt.Printf("words=%v intent=%v\n", a.words, a.intent)
	for _, t := range a.terms {
		fmt.Printf("  term %+v\n", *t)
	}
	for _, h := range a.topics {
		fmt.Printf("  topic %s q=%.2f w=%.2f pos=%d\n", h.topic.key, h.quality, h.weight, h.pos)
	}
	fmt.Printf("%+v\n", e.Answer(context.Background(), Question{Text: q}))
}
