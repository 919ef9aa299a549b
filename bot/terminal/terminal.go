// Package terminal is careersbot's terminal front end, an adapter like the
// chat ones: it reads questions from an input one a line, asks the core
// and writes each reply, as text for a person or as one JSON object a line
// for a program (the reply contract of docs/reply.md).
//
// For a person (Interactive) it greets, prompts and stops at "quit" or at a
// goodbye ("bye"); for a program it answers every line until the end of
// the input, goodbyes included, and lines that share no conversation may
// be answered by several workers at once (Options.Workers), the replies
// still written in order.
package terminal

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/careersbot/careersbot/bot"
)

// Name is the adapter name the terminal's messages carry.
const Name = "terminal"

// GoodbyeIntent is the intent of the engine's reply to "bye".
const GoodbyeIntent = "goodbye"

// MaxLine is the longest input line read; a longer one is an error.
const MaxLine = 1 << 20

// Options configure a terminal session.
type Options struct {
	In  io.Reader
	Out io.Writer

	// JSON writes one reply a line as JSON, and reads a line holding a JSON
	// object {"question": "..."} as that question (any other line is the
	// question itself).
	JSON bool
	// Conversation is the context key the lines share, so follow-ups keep
	// their topic; "" answers each line on its own.
	Conversation string
	// Interactive greets with Greeting, prompts with "> " and ends at
	// "quit", "exit" or a goodbye. It is for a person at a terminal; with
	// JSON it is ignored.
	Interactive bool
	Greeting    string
	// Workers answering JSON lines at once when the lines share no
	// conversation (Conversation ""): replies still come in the order of
	// the questions, and every reply is written before a read that may
	// wait. 0 or 1 answers one line at a time.
	Workers int
}

// Adapter is one terminal session. Run reads until the input ends.
type Adapter struct {
	h bot.Handler
	o Options
}

// New returns a session asking h.
func New(h bot.Handler, o Options) *Adapter { return &Adapter{h: h, o: o} }

// Name is "terminal".
func (a *Adapter) Name() string { return Name }

// Run answers lines until the input ends, ctx is done or, interactively,
// the user says goodbye. Blank lines are skipped.
//
// Output is buffered and flushed whenever the input has no complete line
// left to answer (before a read that may wait) and at the end: a program
// piping many questions gets its replies in a few large writes, one
// asking a question at a time gets each reply before it asks the next.
func (a *Adapter) Run(ctx context.Context) (err error) {
	if a.o.JSON && a.o.Conversation == "" && a.o.Workers > 1 {
		return a.runParallel(ctx, a.o.Workers)
	}
	out := bufio.NewWriterSize(a.o.Out, outBuffer)
	in := &hookReader{r: a.o.In, before: func() error {
		if out.Buffered() > 0 {
			return out.Flush()
		}
		return nil
	}}
	defer func() {
		if ferr := out.Flush(); err == nil && in.err == nil {
			err = ferr
		}
		if in.err != nil {
			err = in.err
		}
	}()
	interactive := a.o.Interactive && !a.o.JSON
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	if interactive {
		if a.o.Greeting != "" {
			fmt.Fprintln(out, a.o.Greeting)
		}
		fmt.Fprint(out, "> ")
	}
	var buf []byte // one JSON reply, reused
	for sc.Scan() {
		if ctx.Err() != nil {
			return nil
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			if interactive {
				fmt.Fprint(out, "> ")
			}
			continue
		}
		if interactive {
			switch strings.ToLower(line) {
			case "quit", "exit", ":q":
				return nil
			}
		}
		q := line
		if a.o.JSON {
			q = questionOf(line)
		}
		r := a.h.Handle(ctx, bot.Message{Adapter: Name, Conversation: a.o.Conversation, Text: q})
		if a.o.JSON {
			if buf, err = appendJSONLine(buf[:0], r); err != nil {
				return err
			}
			if _, err := out.Write(buf); err != nil {
				return err
			}
			continue
		}
		Render(out, r)
		if interactive && r.Intent == GoodbyeIntent {
			return nil
		}
		if interactive {
			fmt.Fprint(out, "\n> ")
		} else {
			fmt.Fprintln(out)
		}
	}
	if interactive {
		fmt.Fprintln(out)
	}
	if in.err != nil {
		return nil // the deferred function returns the write error
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read questions: %w", err)
	}
	return nil
}

// questionOf is the question a JSON-mode line asks: the "question" of a
// JSON object {"question": "..."}, else the line itself.
func questionOf(line string) string {
	if strings.HasPrefix(line, "{") {
		var in struct {
			Question *string `json:"question"`
		}
		if err := json.Unmarshal([]byte(line), &in); err == nil && in.Question != nil {
			return *in.Question
		}
	}
	return line
}

// outBuffer is the size of a session's output buffer.
const outBuffer = 64 << 10

// appendJSONLine appends r's JSON (the reply contract, lists never null)
// and a newline to b.
func appendJSONLine(b []byte, r bot.Reply) ([]byte, error) {
	b, err := r.AppendJSON(b)
	if err != nil {
		return b, err
	}
	return append(b, '\n'), nil
}

// WriteJSON writes r as one line of JSON (the reply contract), with lists
// never null.
func WriteJSON(w io.Writer, r bot.Reply) error {
	b, err := appendJSONLine(nil, r)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Render prints a reply for a person in a terminal: the answer, its
// sources and suggestions.
func Render(w io.Writer, r bot.Reply) {
	fmt.Fprintln(w, r.Text)
	for _, s := range r.Sources {
		src := s.Document
		if s.Section != "" {
			src += " › " + s.Section
		}
		if s.URL != "" {
			src += " (" + s.URL + ")"
		}
		fmt.Fprintf(w, "  Source: %s\n", src)
	}
	if len(r.Suggestions) > 0 {
		label := "You could also ask"
		if !r.Answered {
			label = "Did you mean"
		}
		fmt.Fprintf(w, "  %s: %s\n", label, strings.Join(r.Suggestions, " | "))
	}
}
