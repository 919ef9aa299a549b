package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// fakeAnswerer records the questions it is asked and answers each with the
// topic and intent found in its text ("topic=genetics intent=location"), or
// none.
type fakeAnswerer struct {
	name string

	mu        sync.Mutex // protects questions
	questions []Question
}

func (f *fakeAnswerer) Answer(_ context.Context, q Question) Reply {
	f.mu.Lock()
	f.questions = append(f.questions, q)
	f.mu.Unlock()
	a := Reply{Question: q.Text, Text: f.name}
	for _, w := range strings.Fields(q.Text) {
		if v, ok := strings.CutPrefix(w, "topic="); ok {
			a.Topic, a.Answered = v, true
		}
		if v, ok := strings.CutPrefix(w, "intent="); ok {
			a.Intent = v
		}
	}
	return a
}

func (f *fakeAnswerer) asked() []Question {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Question(nil), f.questions...)
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex // protects t
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type turn struct {
	conv    string
	text    string
	advance time.Duration // clock moves this much before the turn
	want    Context       // context the answerer must be given
}

func TestHandleContext(t *testing.T) {
	genetics := Context{Topic: "genetics", Intent: "overview"}
	tests := []struct {
		name  string
		opts  []Option // besides the clock
		turns []turn
	}{
		{
			name: "follow-up gets the previous context",
			turns: []turn{
				{conv: "c1", text: "topic=genetics intent=overview"},
				{conv: "c1", text: "where do they work?", want: genetics},
			},
		},
		{
			name: "context is per conversation",
			turns: []turn{
				{conv: "c1", text: "topic=genetics intent=overview"},
				{conv: "c2", text: "topic=audiology intent=location"},
				{conv: "c1", text: "and who with?", want: genetics},
				{conv: "c2", text: "and who with?", want: Context{Topic: "audiology", Intent: "location"}},
				{conv: "c3", text: "and who with?"},
			},
		},
		{
			name: "empty conversation key keeps no context",
			turns: []turn{
				{conv: "", text: "topic=genetics intent=overview"},
				{conv: "", text: "where do they work?"},
			},
		},
		{
			name: "newer topic replaces the context",
			turns: []turn{
				{conv: "c1", text: "topic=genetics intent=overview"},
				{conv: "c1", text: "topic=audiology intent=location", want: genetics},
				{conv: "c1", text: "who with?", want: Context{Topic: "audiology", Intent: "location"}},
			},
		},
		{
			name: "answer without a topic keeps the context",
			turns: []turn{
				{conv: "c1", text: "topic=genetics intent=overview"},
				{conv: "c1", text: "thanks intent=thanks", want: genetics},
				{conv: "c1", text: "where do they work?", want: genetics},
			},
		},
		{
			name: "LRU evicts the oldest conversation",
			opts: []Option{WithContextLimits(2, time.Hour)},
			turns: []turn{
				{conv: "a", text: "topic=ta"},
				{conv: "b", text: "topic=tb"},
				{conv: "a", text: "topic=ta", want: Context{Topic: "ta"}}, // a is now the most recent
				{conv: "c", text: "topic=tc"},                             // evicts b
				{conv: "b", text: "x"},
				{conv: "a", text: "x", want: Context{Topic: "ta"}},
				{conv: "c", text: "x", want: Context{Topic: "tc"}},
			},
		},
		{
			name: "LRU counts a message without a topic as use",
			opts: []Option{WithContextLimits(2, time.Hour)},
			turns: []turn{
				{conv: "a", text: "topic=ta"},
				{conv: "b", text: "topic=tb"},
				{conv: "a", text: "thanks", want: Context{Topic: "ta"}},
				{conv: "c", text: "topic=tc"}, // evicts b, not a
				{conv: "a", text: "x", want: Context{Topic: "ta"}},
				{conv: "b", text: "x"},
			},
		},
		{
			name: "TTL expiry",
			opts: []Option{WithContextLimits(10, 10*time.Minute)},
			turns: []turn{
				{conv: "a", text: "topic=genetics intent=overview"},
				{conv: "a", text: "x", advance: 10 * time.Minute, want: genetics},
				{conv: "a", text: "topic=genetics intent=overview", want: genetics},
				{conv: "a", text: "x", advance: 10*time.Minute + time.Second},
			},
		},
		{
			name: "TTL counts from the last message",
			opts: []Option{WithContextLimits(10, 10*time.Minute)},
			turns: []turn{
				{conv: "a", text: "topic=genetics intent=overview"},
				{conv: "a", text: "thanks intent=thanks", advance: 8 * time.Minute, want: genetics},
				{conv: "a", text: "where?", advance: 8 * time.Minute, want: genetics},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &clock{t: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)}
			fa := &fakeAnswerer{}
			b := New(fa, append(tt.opts, withClock(c.now))...)
			for i, tu := range tt.turns {
				c.advance(tu.advance)
				r := b.Handle(context.Background(), Message{Adapter: "test", Conversation: tu.conv, Text: tu.text})
				if r.Question != tu.text {
					t.Errorf("turn %d: reply question %q, want %q", i, r.Question, tu.text)
				}
				q := fa.asked()[i]
				if q.Text != tu.text {
					t.Errorf("turn %d: answerer asked %q, want %q", i, q.Text, tu.text)
				}
				if q.Context != tu.want {
					t.Errorf("turn %d (%s %q): context %+v, want %+v", i, tu.conv, tu.text, q.Context, tu.want)
				}
			}
		})
	}
}

func TestContextBounds(t *testing.T) {
	t.Run("size bound", func(t *testing.T) {
		b := New(&fakeAnswerer{}, WithContextLimits(3, time.Hour))
		for i := range 10 {
			b.Handle(context.Background(), Message{Conversation: fmt.Sprint("c", i), Text: "topic=x"})
		}
		if n := b.Conversations(); n != 3 {
			t.Errorf("%d conversations remembered, want 3", n)
		}
	})
	t.Run("expired conversations are dropped", func(t *testing.T) {
		c := &clock{t: time.Unix(0, 0)}
		b := New(&fakeAnswerer{}, WithContextLimits(100, time.Minute), withClock(c.now))
		for i := range 5 {
			b.Handle(context.Background(), Message{Conversation: fmt.Sprint("old", i), Text: "topic=x"})
		}
		c.advance(2 * time.Minute)
		b.Handle(context.Background(), Message{Conversation: "new", Text: "topic=y"})
		if n := b.Conversations(); n != 1 {
			t.Errorf("%d conversations remembered, want only the new one", n)
		}
	})
	t.Run("no topic remembers nothing", func(t *testing.T) {
		b := New(&fakeAnswerer{})
		b.Handle(context.Background(), Message{Conversation: "c", Text: "hello"})
		b.Handle(context.Background(), Message{Conversation: "", Text: "topic=x"})
		if n := b.Conversations(); n != 0 {
			t.Errorf("%d conversations remembered, want 0", n)
		}
	})
	t.Run("forget", func(t *testing.T) {
		fa := &fakeAnswerer{}
		b := New(fa)
		b.Handle(context.Background(), Message{Conversation: "c", Text: "topic=x"})
		b.Forget("c")
		b.Forget("never")
		b.Handle(context.Background(), Message{Conversation: "c", Text: "and?"})
		if got := fa.asked()[1].Context; got != (Context{}) {
			t.Errorf("context after Forget = %+v", got)
		}
	})
	t.Run("zero limits keep defaults", func(t *testing.T) {
		b := New(&fakeAnswerer{}, WithContextLimits(0, 0))
		if b.maxConvs != 10000 || b.ttl != 30*time.Minute {
			t.Errorf("limits %d, %v", b.maxConvs, b.ttl)
		}
	})
}

func TestHandleTruncates(t *testing.T) {
	tests := []struct {
		name string
		text string
		want int // runes the answerer sees
	}{
		{"short", "where do genetics staff work", 28},
		{"100 KB ASCII", strings.Repeat("a", 100<<10), MaxQuestion},
		{"100 KB emoji", strings.Repeat("🧬", 25<<10), MaxQuestion},
		{"exactly the limit", strings.Repeat("é", MaxQuestion), MaxQuestion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fa := &fakeAnswerer{}
			New(fa).Handle(context.Background(), Message{Conversation: "c", Text: tt.text})
			q := fa.asked()[0].Text
			if n := utf8.RuneCountInString(q); n != tt.want || !utf8.ValidString(q) {
				t.Errorf("answerer got %d runes (valid %v), want %d", n, utf8.ValidString(q), tt.want)
			}
			if !strings.HasPrefix(tt.text, q) {
				t.Errorf("question is not a prefix of the message")
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"empty", "", 5, ""},
		{"shorter", "abc", 5, "abc"},
		{"equal", "abcde", 5, "abcde"},
		{"longer", "abcdef", 5, "abcde"},
		{"runes not bytes", "ééééé", 3, "ééé"},
		{"emoji", "🧬🧪🔬", 2, "🧬🧪"},
		{"zero", "abc", 0, ""},
		{"invalid UTF-8 replaced", "ab\xffcd", 10, "ab\uFFFDcd"},
		{"invalid UTF-8 cut", "\xff\xfe\xfdabc", 2, "\uFFFDa"},
		{"truncated sequence at end", "ab\xe2\x82", 10, "ab\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Truncate(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("result %q is not valid UTF-8", got)
			}
		})
	}
	t.Run("100 KB to 2,000 runes", func(t *testing.T) {
		in := strings.Repeat("héllo ", 100<<10/7)
		got := Truncate(in, 2000)
		if n := utf8.RuneCountInString(got); n != 2000 {
			t.Errorf("%d runes, want 2000", n)
		}
		if !strings.HasPrefix(in, got) {
			t.Errorf("not a prefix")
		}
	})
}

func TestSetAnswererConcurrent(t *testing.T) {
	first, second := &fakeAnswerer{name: "first"}, &fakeAnswerer{name: "second"}
	b := New(first)
	var wg sync.WaitGroup
	var mu sync.Mutex // protects seen
	seen := map[string]int{}
	start := make(chan struct{})
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := range 200 {
				r := b.Handle(context.Background(), Message{Conversation: fmt.Sprint("c", g, "-", i%7), Text: "topic=genetics"})
				mu.Lock()
				seen[r.Text]++
				mu.Unlock()
			}
		}()
	}
	close(start)
	for i := range 100 {
		if i%2 == 0 {
			b.SetAnswerer(second)
		} else {
			b.SetAnswerer(first)
		}
	}
	b.SetAnswerer(second)
	wg.Wait()
	if seen["first"]+seen["second"] != 1600 {
		t.Errorf("replies %v, want 1600 from the two answerers", seen)
	}
	if len(first.asked())+len(second.asked()) != 1600 {
		t.Errorf("answerers asked %d+%d times, want 1600", len(first.asked()), len(second.asked()))
	}
	// After the swaps, every question goes to the last answerer.
	before := len(second.asked())
	if r := b.Handle(context.Background(), Message{Text: "x"}); r.Text != "second" {
		t.Errorf("reply from %q after SetAnswerer(second)", r.Text)
	}
	if len(second.asked()) != before+1 {
		t.Errorf("second answerer not asked")
	}
}

func TestChainOrder(t *testing.T) {
	var calls []string
	mw := func(name string) Middleware {
		return func(next Handler) Handler {
			return HandlerFunc(func(ctx context.Context, m Message) Reply {
				calls = append(calls, name+" in")
				m.Text += "+" + name
				r := next.Handle(ctx, m)
				calls = append(calls, name+" out")
				return r
			})
		}
	}
	final := HandlerFunc(func(_ context.Context, m Message) Reply {
		calls = append(calls, "handler")
		return Reply{Question: m.Text}
	})
	tests := []struct {
		name  string
		mws   []Middleware
		calls string
		text  string
	}{
		{"none", nil, "handler", "q"},
		{"one", []Middleware{mw("a")}, "a in,handler,a out", "q+a"},
		{"first listed runs first", []Middleware{mw("a"), mw("b"), mw("c")}, "a in,b in,c in,handler,c out,b out,a out", "q+a+b+c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls = nil
			r := Chain(final, tt.mws...).Handle(context.Background(), Message{Text: "q"})
			if got := strings.Join(calls, ","); got != tt.calls {
				t.Errorf("calls %s, want %s", got, tt.calls)
			}
			if r.Question != tt.text {
				t.Errorf("handler saw %q, want %q", r.Question, tt.text)
			}
		})
	}
}

func TestReplyStatus(t *testing.T) {
	n := Reply{}.Normalized()
	if n.Sources == nil || n.Suggestions == nil {
		t.Errorf("Normalized left nil lists: %+v", n)
	}
	if !(Reply{}).Tried() {
		t.Error("a plain reply does not count as tried")
	}
	if (Reply{Status: StatusRateLimited}).Tried() || (Reply{Status: StatusRefused}).Tried() {
		t.Error("a rate-limited or refused reply counts as tried")
	}
}

func TestEmptyQuestionRefused(t *testing.T) {
	fa := &fakeAnswerer{name: "a"}
	b := New(fa)
	for _, text := range []string{"", "   ", "\n\t"} {
		r := b.Handle(context.Background(), Message{Conversation: "c", Text: text})
		if r.Status != StatusRefused || r.Tried() || r.Answered || r.Intent != RefusedIntent || r.Text == "" {
			t.Errorf("%q: reply %+v, want a refusal", text, r)
		}
	}
	if n := len(fa.asked()); n != 0 {
		t.Errorf("the engine was asked %d empty questions", n)
	}
}
