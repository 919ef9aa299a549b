package knowledge

import (
	"testing"

	"github.com/careersbot/careersbot/internal/synth"
)

func BenchmarkLoad1000Pages(b *testing.B) {
	dir := synth.SynthKB(b, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		kb, err := Load(dir)
		if err != nil {
			b.Fatal(err)
		}
		if len(kb.Documents) != 1000 {
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
