package terminal

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careersbot/careersbot/bot"
)

// echo answers every question with its text, remembering what it got;
// "bye" gets the goodbye intent. It is safe for concurrent use.
type echo struct {
	mu  sync.Mutex
	got []bot.Message
}

func (e *echo) Handle(_ context.Context, m bot.Message) bot.Reply {
	e.mu.Lock()
	e.got = append(e.got, m)
	e.mu.Unlock()
	r := bot.Reply{Question: m.Text, Answered: true, Intent: "overview", Text: "you said " + m.Text}
	if m.Text == "bye" {
		r.Intent = GoodbyeIntent
		r.Text = "Goodbye!"
	}
	return r
}

func TestInteractive(t *testing.T) {
	var out bytes.Buffer
	e := &echo{}
	a := New(e, Options{In: strings.NewReader("first\n\n  second  \nbye\nnever\n"), Out: &out, Conversation: "c",
		Interactive: true, Greeting: "hello there"})
	if err := a.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(e.got) != 3 || e.got[1].Text != "second" || e.got[0].Conversation != "c" || e.got[0].Adapter != Name {
		t.Errorf("handler got %+v", e.got)
	}
	s := out.String()
	if !strings.HasPrefix(s, "hello there\n> ") || !strings.Contains(s, "you said first") || strings.Contains(s, "never") {
		t.Errorf("output:\n%s", s)
	}
	out.Reset()
	e = &echo{}
	if err := New(e, Options{In: strings.NewReader("a\nquit\nb\n"), Out: &out, Interactive: true}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(e.got) != 1 {
		t.Errorf("quit did not end the session: %+v", e.got)
	}
}

func TestJSONLines(t *testing.T) {
	for _, workers := range []int{0, 3} {
		testJSONLines(t, workers)
	}
}

func testJSONLines(t *testing.T, workers int) {
	var out bytes.Buffer
	e := &echo{}
	in := "plain question\n{\"question\": \"from json\"}\n{not json\nbye\n\nlast\n"
	if err := New(e, Options{In: strings.NewReader(in), Out: &out, JSON: true, Interactive: true, Workers: workers}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{"plain question", "from json", "{not json", "bye", "last"}
	if len(lines) != len(want) {
		t.Fatalf("%d replies, want %d (goodbyes answered, not obeyed):\n%s", len(lines), len(want), out.String())
	}
	for i, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %d not JSON: %s", i, l)
		}
		if m["question"] != want[i] {
			t.Errorf("line %d question %v, want %q", i, m["question"], want[i])
		}
		if _, ok := m["sources"].([]any); !ok {
			t.Errorf("line %d: sources is not an array: %s", i, l)
		}
		if _, ok := m["status"]; ok {
			t.Errorf("line %d: status leaked into the contract: %s", i, l)
		}
	}
}

func TestLineTooLong(t *testing.T) {
	in := strings.Repeat("a", MaxLine+1) + "\n"
	err := New(&echo{}, Options{In: strings.NewReader(in), Out: &bytes.Buffer{}}).Run(context.Background())
	if !errors.Is(err, bufio.ErrTooLong) {
		t.Errorf("err = %v, want a too-long error", err)
	}
}

func TestRender(t *testing.T) {
	var out bytes.Buffer
	Render(&out, bot.Reply{Text: "Staff work in labs.", Answered: true,
		Sources:     []bot.Source{{Document: "Careers", Section: "Life sciences", URL: "https://example.org/x"}, {Document: "Other"}},
		Suggestions: []string{"a?", "b?"}})
	want := "Staff work in labs.\n  Source: Careers › Life sciences (https://example.org/x)\n  Source: Other\n  You could also ask: a? | b?\n"
	if out.String() != want {
		t.Errorf("Render:\n%q\nwant\n%q", out.String(), want)
	}
	out.Reset()
	Render(&out, bot.Reply{Text: "I don't know.", Suggestions: []string{"c?"}})
	if !strings.Contains(out.String(), "Did you mean: c?") {
		t.Errorf("unanswered suggestions: %q", out.String())
	}
}

// TestRepliesBeforeNextQuestion: output is buffered, but a program that
// asks one question at a time (a pipe each way) gets each reply, and the
// interactive prompt, before it sends the next line.
func TestRepliesBeforeNextQuestion(t *testing.T) {
	for _, o := range []Options{{JSON: true}, {JSON: true, Workers: 3}, {Interactive: true, Greeting: "hi"}} {
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		o.In, o.Out = inR, outW
		done := make(chan error, 1)
		go func() {
			err := New(&echo{}, o).Run(context.Background())
			outW.CloseWithError(io.EOF)
			done <- err
		}()
		lines := make(chan string)
		go func() {
			br := bufio.NewReader(outR)
			for {
				s, err := br.ReadString('\n')
				if s != "" {
					lines <- s
				}
				if err != nil {
					close(lines)
					return
				}
			}
		}()
		if o.Interactive {
			if got := next(t, lines); got != "hi\n" {
				t.Fatalf("greeting %q", got)
			}
		}
		for _, q := range []string{"first", "second", "third"} {
			if _, err := io.WriteString(inW, q+"\n"); err != nil {
				t.Fatal(err)
			}
			if got := next(t, lines); !strings.Contains(got, "you said "+q) {
				t.Fatalf("JSON %v: reply to %q is %q", o.JSON, q, got)
			}
			if o.Interactive {
				next(t, lines) // the blank line after the reply, then "> " waits unflushed by ReadString
			}
		}
		inW.Close()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// next returns the next line written, failing if none comes in time
// (a reply left in the buffer while the session waits for input).
func next(t *testing.T, lines <-chan string) string {
	t.Helper()
	select {
	case s := <-lines:
		return s
	case <-time.After(5 * time.Second):
		t.Fatal("no reply while the session waits for the next question: output left buffered")
		return ""
	}
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, errors.New("disk full")
}

// TestWriteErrorReturned: a failed write ends the session with its error,
// whether it fails at the end or while more input is waiting.
func TestWriteErrorReturned(t *testing.T) {
	for _, workers := range []int{0, 3} {
		for _, in := range []string{"a\nb\n", strings.Repeat("question\n", 20000)} {
			w := &failingWriter{}
			err := New(&echo{}, Options{In: strings.NewReader(in), Out: w, JSON: true, Workers: workers}).Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), "disk full") {
				t.Errorf("workers %d, %d bytes in: err = %v, want the write error", workers, len(in), err)
			}
			if w.n != 1 {
				t.Errorf("workers %d, %d bytes in: %d writes tried after the first failed, want 0", workers, len(in), w.n-1)
			}
		}
	}
}

// TestParallelKeepsOrder: with several workers the replies come in the
// order of the questions, one each, however long each takes.
func TestParallelKeepsOrder(t *testing.T) {
	var in strings.Builder
	const n = 2000
	for i := range n {
		fmt.Fprintf(&in, "question %d\n", i)
	}
	var out bytes.Buffer
	if err := New(&slowEcho{}, Options{In: strings.NewReader(in.String()), Out: &out, JSON: true, Workers: 4}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != n {
		t.Fatalf("%d replies, want %d", len(lines), n)
	}
	for i, l := range lines {
		var m struct{ Question string }
		if err := json.Unmarshal([]byte(l), &m); err != nil || m.Question != fmt.Sprintf("question %d", i) {
			t.Fatalf("reply %d is %s (err %v), want the reply to question %d", i, l, err, i)
		}
	}
}

// slowEcho answers like echo, some questions slower than others.
type slowEcho struct{ echo }

func (s *slowEcho) Handle(ctx context.Context, m bot.Message) bot.Reply {
	if len(m.Text)%3 == 0 {
		time.Sleep(20 * time.Microsecond)
	}
	return s.echo.Handle(ctx, m)
}
