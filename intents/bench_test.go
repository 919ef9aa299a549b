package intents

import (
	"context"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/careersbot/careersbot/internal/synth"
	"github.com/careersbot/careersbot/knowledge"
)

// The engine's speed and memory targets (docs/engine.md) live here:
//
//	go test -run '^$' -bench . -benchmem ./intents
//
// reports the median answer time (median-ns/op) beside Go's mean, the
// allocations per answer, and for loads the wall time and the heap the
// loaded base and engine keep (live-MB). The large bases are synthkb
// pages (../shared/tools/synthkb.py), written once under the temporary
// directory.

var benchQuestions = []string{
	"where do genetics staff work",
	"wat is bioinformatcs",
	"what areas make up life sciences",
	"who checks dialysis machines",
	"is tissue and cellular science part of physiological sciences",
	"how much do healthcare scientists get paid",
}

// synthQuestions are asked of synthkb pages: roles the tool names, in the
// wordings people use.
var synthQuestions = []string{
	"what does a senior audiologist do",
	"where do paediatric dietitians work",
	"what qualifications do i need to be a trainee perfusionist",
	"how much do community midwives get paid",
	"wot skills do u need 2 b a clinical embryologist",
	"is there an apprenticeship for research toxicologists",
	"what do specialist podiatrists do all day",
	"where can i find out more about consultant orthotists",
}

func BenchmarkAnswerSeed(b *testing.B) {
	benchAnswers(b, seedEngine(b), benchQuestions)
}

func BenchmarkAnswer1000Pages(b *testing.B) {
	benchAnswers(b, synthEngine(b, 1000), synthQuestions)
}

func BenchmarkAnswer10000Pages(b *testing.B) {
	benchAnswers(b, synthEngine(b, 10000), synthQuestions)
}

func BenchmarkLoad1000Pages(b *testing.B)  { benchLoad(b, 1000) }
func BenchmarkLoad10000Pages(b *testing.B) { benchLoad(b, 10000) }

func synthEngine(b *testing.B, n int) *Engine {
	kb, err := knowledge.Load(synth.SynthKB(b, n))
	if err != nil {
		b.Fatal(err)
	}
	e, err := New(kb)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// benchAnswers reports the median answer time as well as the mean.
func benchAnswers(b *testing.B, e *Engine, qs []string) {
	ctx := context.Background()
	for _, q := range qs { // warm the caches as a running bot would
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

// benchLoad times loading n pages and building the engine, and reports the
// heap they keep.
func benchLoad(b *testing.B, n int) {
	dir := synth.SynthKB(b, n)
	var live uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		kb, err := knowledge.Load(dir)
		if err != nil {
			b.Fatal(err)
		}
		e, err := New(kb)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		live = after.HeapAlloc - before.HeapAlloc
		runtime.KeepAlive(e)
		b.StartTimer()
	}
	b.ReportMetric(float64(live)/(1<<20), "live-MB")
}
