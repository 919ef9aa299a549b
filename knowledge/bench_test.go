package knowledge

import (
	"testing"

	"github.com/careersbot/careersbot/internal/synth"
)

// BenchmarkLoad1000Pages and BenchmarkLoad10000Pages time what knowledge
// alone spends loading synthkb pages (reading, parsing, sections,
// sentences, topics); intents' benchmarks of the same names add the
// engine's index.
func BenchmarkLoad1000Pages(b *testing.B)  { benchLoad(b, 1000) }
func BenchmarkLoad10000Pages(b *testing.B) { benchLoad(b, 10000) }

func benchLoad(b *testing.B, n int) {
	dir := synth.SynthKB(b, n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		kb, err := Load(dir)
		if err != nil {
			b.Fatal(err)
		}
		if len(kb.Documents) != n {
			b.Fatalf("%d documents", len(kb.Documents))
		}
	}
}

func BenchmarkDefault(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Default(); err != nil {
			b.Fatal(err)
		}
	}
}
