package service

import (
	"runtime/debug"
	"testing"
)

// Once an engine is built, a small base gets room to answer in: the
// collector's target rises above Go's default, and an operator's GOGC is
// left alone.
func TestAnswerGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	t.Setenv("GOGC", "")
	kb, err := LoadBase(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := BuildEngine(kb, "", 0.5); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetGCPercent(100); got <= 100 {
		t.Errorf("GC percent after building the engine on the embedded page: %d, want above 100", got)
	}
	t.Setenv("GOGC", "80")
	debug.SetGCPercent(80)
	if pct := answerGC(); pct != -1 {
		t.Errorf("answerGC with GOGC set: %d, want -1 (left alone)", pct)
	}
	if got := debug.SetGCPercent(100); got != 80 {
		t.Errorf("GC percent with GOGC=80: %d after answerGC, want 80", got)
	}
}
