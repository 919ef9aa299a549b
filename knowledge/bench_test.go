package knowledge

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/careersbot/careersbot/internal/synth"
)

// BenchmarkLoad1000Pages and BenchmarkLoad10000Pages time what knowledge
// alone spends loading synthkb pages (reading, parsing, sections,
// sentences, topics); intents' benchmarks of the same names add the
// engine's index. live-MB is the heap the loaded base keeps.
func BenchmarkLoad1000Pages(b *testing.B)  { benchLoad(b, 1000) }
func BenchmarkLoad10000Pages(b *testing.B) { benchLoad(b, 10000) }

func benchLoad(b *testing.B, n int) {
	dir := synth.SynthKB(b, n)
	var live uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		kb, err := Load(dir)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if len(kb.Documents) != n {
			b.Fatalf("%d documents", len(kb.Documents))
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		live = after.HeapAlloc - before.HeapAlloc
		runtime.KeepAlive(kb)
		b.StartTimer()
	}
	b.ReportMetric(float64(live)/(1<<20), "live-MB")
}

func BenchmarkDefault(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Default(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse parses the project's sample pages of each format
// (knowledge/testdata), reporting throughput per format.
func BenchmarkParse(b *testing.B) {
	for _, ext := range []string{".txt", ".md", ".html"} {
		var names []string
		var datas [][]byte
		err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(p) != ext {
				return err
			}
			data, err := os.ReadFile(p)
			names, datas = append(names, p), append(datas, data)
			return err
		})
		if err != nil || len(names) == 0 {
			b.Fatalf("no %s pages in testdata: %v", ext, err)
		}
		size := 0
		for _, d := range datas {
			size += len(d)
		}
		b.Run(ext[1:], func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				for i, name := range names {
					if _, _, err := Parse(name, datas[i]); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
