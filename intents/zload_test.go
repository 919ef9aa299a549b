package intents

import (
	"os"
	"runtime"
	"testing"

	"github.com/careersbot/careersbot/knowledge"
)

func TestZLoad(t *testing.T) {
	dir := os.Getenv("ZLOAD")
	if dir == "" {
		t.Skip()
	}
	var m0, m1, m2 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	kb, err := knowledge.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	e, err := New(kb)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&m2)
	t.Logf("knowledge %v, heap kb %d MB, engine %d MB", kb.LoadTime, (m1.HeapAlloc-m0.HeapAlloc)>>20, (m2.HeapAlloc-m1.HeapAlloc)>>20)
	runtime.KeepAlive(e)
}
