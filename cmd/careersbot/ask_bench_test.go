package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/engine"
	"github.com/careersbot/careersbot/bot/service"
	"github.com/careersbot/careersbot/bot/terminal"
	"github.com/careersbot/careersbot/intents"
)

// seedQuestions returns the turns of testdata/seed-dev.jsonl (a copy of
// the public seed evaluation set), one question each.
func seedQuestions(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("testdata/seed-dev.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c struct{ Turns []string }
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			tb.Fatal(err)
		}
		for _, t := range c.Turns {
			if t = strings.TrimSpace(strings.ReplaceAll(t, "\n", " ")); t != "" {
				qs = append(qs, t)
			}
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(qs) == 0 {
		tb.Fatal("no questions in testdata/seed-dev.jsonl")
	}
	return qs
}

// BenchmarkAskJSONStream is what `careersbot ask --json -` spends per
// question once the bot is built: reading the line, the core, the engine,
// encoding the reply and writing it to a file (os.DevNull, so each write
// is a real system call as it is to a pipe). One op is one question; the
// seed evaluation questions are asked in turn.
//
// seed runs the engine on the embedded page, one line at a time;
// seed-workers as ask does, on every core; around-engine replaces the
// engine with the replies it gave (looked up by question), so it measures
// only what the front end and the core add around Answer.
func BenchmarkAskJSONStream(b *testing.B) {
	qs := seedQuestions(b)
	m := &Main{Getenv: func(string) string { return "" }}
	cfg, err := m.settings() // the defaults, as `ask` uses them
	if err != nil {
		b.Fatal(err)
	}
	kb, err := service.LoadBase(cfg.KB)
	if err != nil {
		b.Fatal(err)
	}
	eng, err := service.BuildEngine(kb, cfg.Answer.Synonyms, cfg.Answer.Threshold)
	if err != nil {
		b.Fatal(err)
	}
	recorded := make(recordedAnswers)
	for _, q := range qs {
		recorded[q] = eng.Answer(context.Background(), intents.Question{Text: bot.Truncate(q, bot.MaxQuestion)})
	}
	for _, c := range []struct {
		name    string
		bot     *bot.Bot
		workers int
	}{
		{"seed", bot.New(engine.Adapt(eng)), 0},
		{"seed-workers", bot.New(engine.Adapt(eng)), runtime.GOMAXPROCS(0) + 1}, // as ask runs it
		{"around-engine", bot.New(engine.Adapt(recorded)), 0},
	} {
		b.Run(c.name, func(b *testing.B) {
			var in strings.Builder
			for i := 0; i < b.N; i++ {
				in.WriteString(qs[i%len(qs)])
				in.WriteByte('\n')
			}
			out, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
			if err != nil {
				b.Fatal(err)
			}
			defer out.Close()
			b.ReportAllocs()
			b.ResetTimer()
			if err := terminal.New(c.bot, terminal.Options{In: strings.NewReader(in.String()), Out: out, JSON: true, Workers: c.workers}).Run(context.Background()); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// recordedAnswers answers each question with the answer recorded for it.
type recordedAnswers map[string]intents.Answer

func (r recordedAnswers) Answer(_ context.Context, q intents.Question) intents.Answer {
	return r[q.Text]
}

// TestAskStreamMatchesSingle: `ask --json -` writes, for each line, the
// very bytes `ask --json QUESTION` writes for it alone (streaming and
// buffering change nothing but speed).
func TestAskStreamMatchesSingle(t *testing.T) {
	qs := seedQuestions(t)
	qs = append(qs[:12:12],
		`what's "genetics" <b>&amp;</b> \ about?`,
		"café naïve – audiology… 🧬",
		"what is \u2028 audiology\u2029",
		"what do clinical scientists do",
		"hello",
		"bye",
		strings.Repeat("genetics ", 300))
	var in strings.Builder
	var want strings.Builder
	for _, q := range qs {
		in.WriteString(q + "\n")
		out, _, err := run(t, "", nil, "ask", "--json", q)
		if err != nil {
			t.Fatalf("ask %q: %v", q, err)
		}
		want.WriteString(out)
	}
	got, _, err := run(t, in.String(), nil, "ask", "--json", "-")
	if err != nil {
		t.Fatal(err)
	}
	if got != want.String() {
		gl, wl := strings.Split(got, "\n"), strings.Split(want.String(), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("reply %d streamed:\n%s\nalone:\n%s", i, gl[i], wl[i])
			}
		}
		t.Fatalf("streamed %d lines, alone %d", len(gl), len(wl))
	}
	if n := strings.Count(got, "\n"); n != len(qs) {
		t.Errorf("%d replies for %d questions", n, len(qs))
	}
}
