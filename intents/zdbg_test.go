package intents

import (
	"fmt"
	"os"
	"testing"

	"github.com/careersbot/careersbot/knowledge"
)

func TestZDebug(t *testing.T) {
	qs := os.Getenv("ZQ")
	if qs == "" {
		t.Skip()
	}
	e := seedEngine(t)
	if kb := os.Getenv("ZKB"); kb != "" {
		b, err := knowledge.Load(kb)
		if err != nil {
			t.Fatal(err)
		}
		e, _ = New(b)
	}
	q := e.analyse(qs, Context{Topic: os.Getenv("ZCTX")})
	fmt.Printf("words=%v intent=%s content=%d missing=%v unknown=%v prof=%v\n", q.words, q.intentName(), q.content, q.missing, q.unknown, q.profPos)
	for _, t := range q.terms {
		fmt.Printf("  term %q id=%d w=%.2f pass=%.2f from=%d cue=%v\n", t.word, t.id, t.weight, t.pass, t.from, t.cue)
	}
	all := e.rankDocs(q)
	docs := e.candidates(all)
	hits := e.findTopics(q, docs)
	for _, d := range docs {
		fmt.Printf("  doc %q %.2f\n", e.ix.docs[d.doc].name, d.score)
	}
	for _, h := range hits {
		fmt.Printf("  hit %q full=%.2f score=%.2f\n", h.t.t.Name, h.full, h.score)
	}
	var hit *topicHit
	if len(hits) > 0 {
		hit = &hits[0]
	}
	for i, p := range e.rankPassages(q, docs, hit, e.intentBit[q.intentName()], true, nil) {
		if i < 5 {
			fmt.Printf("  %.2f typed=%v %q\n", p.score, p.typed, p.si.s.Text)
		}
	}
}
