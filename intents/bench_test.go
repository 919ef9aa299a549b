package intents

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/careersbot/careersbot/internal/synth"
	"github.com/careersbot/careersbot/knowledge"
)

var benchQuestions = []string{
	"where do genetics staff work",
	"wat is bioinformatcs",
	"what areas make up life sciences",
	"who checks dialysis machines",
	"is tissue and cellular science part of physiological sciences",
	"how much do healthcare scientists get paid",
}

func BenchmarkAnswerSeed(b *testing.B) {
	e := seedEngine(b)
	benchAnswers(b, e, benchQuestions)
}

func BenchmarkAnswer1000Pages(b *testing.B) {
	dir := b.TempDir()
	if err := synth.WriteDir(dir, 1000); err != nil {
		b.Fatal(err)
	}
	kb, err := knowledge.Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	e, err := New(kb)
	if err != nil {
		b.Fatal(err)
	}
	qs := append([]string{}, benchQuestions...)
	for _, t := range kb.Topics[len(kb.Topics)-5:] {
		qs = append(qs, "where do "+t.Name+" staff work", "what is "+t.Name)
	}
	benchAnswers(b, e, qs)
}

// benchAnswers reports the median answer time as well as the mean.
func benchAnswers(b *testing.B, e *Engine, qs []string) {
	ctx := context.Background()
	for _, q := range qs { // warm the spelling cache as a running bot would
		e.Answer(ctx, Question{Text: q})
	}
	b.ReportAllocs()
	samples := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		e.Answer(ctx, Question{Text: qs[i%len(qs)]})
		samples = append(samples, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	b.ReportMetric(float64(samples[len(samples)/2].Nanoseconds()), "median-ns/op")
}

func BenchmarkNewEngine1000Pages(b *testing.B) {
	dir := b.TempDir()
	if err := synth.WriteDir(dir, 1000); err != nil {
		b.Fatal(err)
	}
	kb, err := knowledge.Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := New(kb); err != nil {
			b.Fatal(err)
		}
	}
}
