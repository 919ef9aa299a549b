package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/engine"
	"github.com/careersbot/careersbot/bot/service"
	"github.com/careersbot/careersbot/intents"
)

// engineFlags are the knowledge and language settings every answering
// command takes.
type engineFlags struct {
	kb           kbPaths
	synonyms     string
	threshold    float64
	thresholdSet bool // given on the command line, so the environment does not apply
}

func (f *engineFlags) register(fs *flag.FlagSet) {
	fs.Var(&f.kb, "kb", "knowledge file or directory (repeatable; default: CAREERSBOT_KB or the embedded page)")
	fs.StringVar(&f.synonyms, "synonyms", "", "extra synonyms/intents YAML file")
	f.threshold = intents.DefaultThreshold
	fs.Func("threshold", "confidence (0 to 1) below which the bot says it doesn't know (default 0.5, or CAREERSBOT_THRESHOLD)", func(v string) error {
		t, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("not a number: %q", v)
		}
		f.threshold, f.thresholdSet = t, true
		return nil
	})
}

// newEngine loads the knowledge base and builds the engine.
func (m *Main) newEngine(f *engineFlags) (*intents.Engine, error) {
	if v := m.Getenv("CAREERSBOT_THRESHOLD"); v != "" && !f.thresholdSet {
		t, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("CAREERSBOT_THRESHOLD: must be a number between 0 and 1")
		}
		f.threshold = t
	}
	if f.threshold < 0 || f.threshold > 1 {
		return nil, usagef("--threshold must be between 0 and 1, not %g", f.threshold)
	}
	kb, err := service.LoadBase(m.knowledgePaths(f.kb))
	if err != nil {
		return nil, err
	}
	if f.synonyms == "" {
		f.synonyms = m.Getenv("CAREERSBOT_SYNONYMS")
	}
	return service.BuildEngine(kb, f.synonyms, f.threshold)
}

const askUsage = `Usage: careersbot ask [--json] [--kb PATH] "QUESTION"
       careersbot ask --json -      (one question a line on stdin, one JSON reply a line)

Answers one question from the knowledge base.
`

func (m *Main) runAsk(ctx context.Context, args []string) error {
	fs := m.newFlagSet("ask", askUsage)
	var ef engineFlags
	ef.register(fs)
	asJSON := fs.Bool("json", false, "print the reply as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usagef("ask: no question given")
	}
	eng, err := m.newEngine(&ef)
	if err != nil {
		return err
	}
	b := bot.New(engine.Adapt(eng))
	if fs.NArg() == 1 && fs.Arg(0) == "-" {
		return m.askLines(ctx, b, *asJSON)
	}
	r := b.Handle(ctx, bot.Message{Adapter: "terminal", Text: strings.Join(fs.Args(), " ")})
	if *asJSON {
		return writeJSON(m.Stdout, r)
	}
	renderText(m.Stdout, r)
	return nil
}

// askLines answers each line of stdin independently (no context).
func (m *Main) askLines(ctx context.Context, b *bot.Bot, asJSON bool) error {
	sc := bufio.NewScanner(m.Stdin)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		if ctx.Err() != nil {
			return nil
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		r := b.Handle(ctx, bot.Message{Adapter: "terminal", Text: line})
		if asJSON {
			if err := writeJSON(m.Stdout, r); err != nil {
				return err
			}
		} else {
			renderText(m.Stdout, r)
			fmt.Fprintln(m.Stdout)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read questions: %w", err)
	}
	return nil
}

func writeJSON(w io.Writer, a bot.Reply) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(a)
}

// renderText prints a reply for a person in a terminal.
func renderText(w io.Writer, a bot.Reply) {
	fmt.Fprintln(w, a.Text)
	for _, s := range a.Sources {
		src := s.Document
		if s.Section != "" {
			src += " › " + s.Section
		}
		if s.URL != "" {
			src += " (" + s.URL + ")"
		}
		fmt.Fprintf(w, "  Source: %s\n", src)
	}
	if len(a.Suggestions) > 0 {
		label := "You could also ask"
		if !a.Answered {
			label = "Did you mean"
		}
		fmt.Fprintf(w, "  %s: %s\n", label, strings.Join(a.Suggestions, " | "))
	}
}

const chatUsage = `Usage: careersbot chat [--json] [--kb PATH]

Talk to the bot: type a question and press Enter; follow-up questions keep
the topic. Type "quit" or press Ctrl-D to leave.
`

func (m *Main) runChat(ctx context.Context, args []string) error {
	fs := m.newFlagSet("chat", chatUsage)
	var ef engineFlags
	ef.register(fs)
	asJSON := fs.Bool("json", false, "read and write JSON Lines: {\"question\": ...} in, replies out")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("chat: unexpected argument %q", fs.Arg(0))
	}
	eng, err := m.newEngine(&ef)
	if err != nil {
		return err
	}
	b := bot.New(engine.Adapt(eng))
	const conv = "terminal"
	sc := bufio.NewScanner(m.Stdin)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	if !*asJSON {
		fmt.Fprintf(m.Stdout, "careersbot: ask me about %s. Type \"quit\" to leave.\n> ", eng.Subject())
	}
	for sc.Scan() {
		if ctx.Err() != nil {
			return nil
		}
		line := strings.TrimSpace(sc.Text())
		if *asJSON {
			var in struct {
				Question string `json:"question"`
			}
			if line == "" {
				continue
			}
			if err := json.Unmarshal([]byte(line), &in); err != nil {
				// a plain line is a question too
				in.Question = line
			}
			r := b.Handle(ctx, bot.Message{Adapter: "terminal", Conversation: conv, Text: in.Question})
			if err := writeJSON(m.Stdout, r); err != nil {
				return err
			}
			continue
		}
		switch strings.ToLower(line) {
		case "":
			fmt.Fprint(m.Stdout, "> ")
			continue
		case "quit", "exit", ":q":
			return nil
		}
		r := b.Handle(ctx, bot.Message{Adapter: "terminal", Conversation: conv, Text: line})
		renderText(m.Stdout, r)
		fmt.Fprint(m.Stdout, "\n> ")
	}
	if !*asJSON {
		fmt.Fprintln(m.Stdout)
	}
	return sc.Err()
}
