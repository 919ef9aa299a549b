package unanswered

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careersbot/careersbot/bot"
)

func openStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "unanswered.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	base := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	err := s.Add(ctx,
		Entry{Question: "old", Adapter: "slack", At: base.Add(-48 * time.Hour)},
		Entry{Question: "how much do they earn", Adapter: "http", At: base},
		Entry{Question: "salary?", Adapter: "discord", At: base.Add(time.Hour)},
	)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		since time.Time
		limit int
		want  []string
	}{
		{"all", time.Time{}, 0, []string{"salary?", "how much do they earn", "old"}},
		{"since", base.Add(-time.Hour), 0, []string{"salary?", "how much do they earn"}},
		{"limit", time.Time{}, 1, []string{"salary?"}},
		{"none", base.Add(2 * time.Hour), 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Since(ctx, tc.since, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			var qs []string
			for _, e := range got {
				qs = append(qs, e.Question)
			}
			if strings.Join(qs, "|") != strings.Join(tc.want, "|") {
				t.Errorf("Since = %q, want %q", qs, tc.want)
			}
			n, err := s.Count(ctx, tc.since)
			if err != nil || (tc.limit == 0 && n != len(tc.want)) {
				t.Errorf("Count = %d, %v; want %d", n, err, len(tc.want))
			}
		})
	}
	got, _ := s.Since(ctx, base, 1)
	if len(got) != 1 || got[0].Adapter != "discord" || !got[0].At.Equal(base.Add(time.Hour)) {
		t.Errorf("entry did not round-trip: %+v", got)
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct{ name, path string }{
		{"empty", ""},
		{"query in path", filepath.Join(t.TempDir(), "x.db?mode=ro")},
		{"missing directory", filepath.Join(t.TempDir(), "no", "such", "dir", "x.db")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(context.Background(), tc.path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded, want an error")
			}
		})
	}
}

func reply(answered bool, intent string) bot.Reply {
	return bot.Reply{Answered: answered, Intent: intent}
}

func TestRecorderMiddleware(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	rec := NewRecorder(s, nil)
	tests := []struct {
		name   string
		msg    bot.Message
		reply  bot.Reply
		record string // "" for not recorded
	}{
		{"fallback", bot.Message{Adapter: "http", User: "U1", Text: "how much do genetics staff earn"}, reply(false, "fallback"), "how much do genetics staff earn"},
		{"answered", bot.Message{Adapter: "http", Text: "where do genetics staff work"}, reply(true, "location"), ""},
		{"rate limited", bot.Message{Adapter: "slack", User: "U1", Text: "again"}, reply(false, "rate_limited"), ""},
		{"refused fallback", bot.Message{Adapter: "http", Text: "refused"}, bot.Reply{Intent: "fallback", Status: bot.StatusRefused}, ""},
		{"rate limited fallback", bot.Message{Adapter: "http", Text: "limited"}, bot.Reply{Intent: "fallback", Status: bot.StatusRateLimited}, ""},
		{"answered fallback intent", bot.Message{Adapter: "slack", Text: "odd"}, reply(true, "fallback"), ""},
		{"mentions removed", bot.Message{Adapter: "slack", User: "U024BE7LH", Text: "<@U024BE7LH>  what about  <#C1|general> pay <!here>"}, reply(false, "fallback"), "what about pay"},
		{"only a mention", bot.Message{Adapter: "discord", Text: "<@!123>"}, reply(false, "fallback"), ""},
		{"long question cut", bot.Message{Adapter: "http", Text: strings.Repeat("é", 3000)}, reply(false, "fallback"), strings.Repeat("é", bot.MaxQuestion)},
	}
	var want []string
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := bot.Chain(bot.HandlerFunc(func(context.Context, bot.Message) bot.Reply { return tc.reply }), rec.Middleware())
			got := h.Handle(ctx, tc.msg)
			if got.Intent != tc.reply.Intent || got.Answered != tc.reply.Answered {
				t.Errorf("reply changed: %+v", got)
			}
		})
		if tc.record != "" {
			want = append([]string{tc.record}, want...)
		}
	}
	if err := rec.Close(ctx); err != nil {
		t.Fatal(err)
	}
	rec.Record("http", "after close") // must not panic or be stored
	got, err := s.Since(ctx, time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, e := range got {
		qs = append(qs, e.Question)
		if strings.Contains(e.Question, "U024BE7LH") || strings.Contains(e.Question, "U1") {
			t.Errorf("user identity stored: %q", e.Question)
		}
	}
	if strings.Join(qs, "|") != strings.Join(want, "|") {
		t.Errorf("recorded %q, want %q", qs, want)
	}
	if r, d, f := rec.Stats(); r != uint64(len(want)) || d != 0 || f != 0 {
		t.Errorf("Stats() = %d, %d, %d", r, d, f)
	}
}

func TestRecorderConcurrent(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	rec := NewRecorder(s, nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 100 {
				rec.Record("http", fmt.Sprintf("question %d %d", i, j))
			}
		}()
	}
	wg.Wait()
	if err := rec.Close(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := s.Count(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	recorded, dropped, _ := rec.Stats()
	if uint64(n) != recorded || recorded+dropped != 800 {
		t.Errorf("count %d, recorded %d, dropped %d; want recorded+dropped = 800 and count = recorded", n, recorded, dropped)
	}
}

func TestTerms(t *testing.T) {
	tests := []struct{ in, want string }{
		{"How much do genetics staff earn?", "earn genet how staff"},
		{"how much do Genetics staff EARN", "earn genet how staff"},
		{"What's the salary for nurses", "nurs salari what"},
		{"salaries for nursing?", "nurs salari"},
		{"the a is", ""},
		{"🙂!!", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := strings.Join(Terms(tc.in), " "); got != tc.want {
				t.Errorf("Terms(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestGroupEntries(t *testing.T) {
	at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	var entries []Entry
	add := func(q, adapter string, n int) {
		for range n {
			at = at.Add(time.Minute)
			entries = append(entries, Entry{Question: q, Adapter: adapter, At: at})
		}
	}
	add("How much do genetics staff earn?", "slack", 3)
	add("how much do genetics staff earn", "http", 1)
	add("how much do genetcis staff earn", "discord", 1) // typo
	add("What is the salary of a nurse?", "http", 2)
	add("whats the salary for nurses", "slack", 1)
	add("what's the weather", "http", 1)
	add("🙂", "discord", 2)

	groups := GroupEntries(entries)
	type want struct {
		example string
		count   int
	}
	wants := []want{
		{"How much do genetics staff earn?", 5},
		{"What is the salary of a nurse?", 3},
		{"🙂", 2},
		{"what's the weather", 1},
	}
	if len(groups) != len(wants) {
		for _, g := range groups {
			t.Logf("group %q %d %v", g.Example, g.Count, g.Wordings)
		}
		t.Fatalf("%d groups, want %d", len(groups), len(wants))
	}
	for i, w := range wants {
		t.Run(w.example, func(t *testing.T) {
			g := groups[i]
			if g.Example != w.example || g.Count != w.count {
				t.Errorf("group %d = %q x%d, want %q x%d", i, g.Example, g.Count, w.example, w.count)
			}
			sum := 0
			for _, wd := range g.Wordings {
				sum += wd.Count
			}
			if sum != g.Count {
				t.Errorf("wordings add up to %d, count is %d", sum, g.Count)
			}
			if g.First.After(g.Last) {
				t.Errorf("first %v after last %v", g.First, g.Last)
			}
		})
	}
	if a := groups[0].Adapters; a["slack"] != 3 || a["http"] != 1 || a["discord"] != 1 {
		t.Errorf("adapters = %v", a)
	}
	// The case-folded duplicate is one wording with the count of both.
	if w := groups[0].Wordings[0]; w.Count != 4 {
		t.Errorf("top wording %+v, want the two case variants counted together", w)
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"genetics", "genetics", 0}, {"genetics", "genetcis", 1}, {"genet", "gent", 1},
		{"", "abc", 3}, {"kitten", "sitting", 3},
	}
	for _, tc := range tests {
		t.Run(tc.a+"/"+tc.b, func(t *testing.T) {
			if got := distance(tc.a, tc.b); got != tc.want {
				t.Errorf("distance = %d, want %d", got, tc.want)
			}
		})
	}
}

func BenchmarkGroupEntries(b *testing.B) {
	var entries []Entry
	for i := range 2000 {
		entries = append(entries, Entry{Question: fmt.Sprintf("what about topic%d pay and hours", i%300), Adapter: "http"})
	}
	for b.Loop() {
		GroupEntries(entries)
	}
}

func BenchmarkStoreAdd(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	batch := make([]Entry, batchSize)
	for i := range batch {
		batch[i] = Entry{Question: fmt.Sprintf("how much do band %d staff earn", i%9), Adapter: "http", At: time.Now()}
	}
	b.ResetTimer()
	for b.Loop() {
		if err := s.Add(context.Background(), batch...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batchSize), "ns/entry")
}

func TestAdapterCounts(t *testing.T) {
	g := Group{Adapters: map[string]int{"web": 1, "slack": 3, "discord": 1}}
	if got, want := g.AdapterCounts(", "), "slack 3, discord 1, web 1"; got != want {
		t.Errorf("AdapterCounts = %q, want %q", got, want)
	}
}
