package main

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/engine"
	"github.com/careersbot/careersbot/bot/service"
	"github.com/careersbot/careersbot/bot/terminal"
)

// engineFlags are the knowledge and language settings every answering
// command takes; each falls back to its environment variable.
type engineFlags struct {
	kb        kbPaths
	synonyms  string
	threshold float64
	flags     *pflag.FlagSet
}

func (f *engineFlags) register(fs *pflag.FlagSet) {
	f.flags = fs
	fs.Var(&f.kb, "kb", "knowledge file or directory (repeatable, or comma-separated; default CAREERSBOT_KB, else the embedded page)")
	fs.StringVar(&f.synonyms, "synonyms", "", "extra synonyms/intents YAML `file` (default CAREERSBOT_SYNONYMS)")
	fs.Float64Var(&f.threshold, "threshold", 0, "confidence (0 to 1) below which the bot says it doesn't know (default CAREERSBOT_THRESHOLD, else 0.5)")
}

// newBot loads the knowledge base and builds the engine and the core.
func (m *Main) newBot(f *engineFlags) (*bot.Bot, string, error) {
	cfg, err := m.settings()
	if err != nil {
		return nil, "", err
	}
	if f.flags.Changed("threshold") {
		if f.threshold < 0 || f.threshold > 1 {
			return nil, "", usagef("--threshold must be between 0 and 1, not %g", f.threshold)
		}
		cfg.Answer.Threshold = f.threshold
	} else if t := cfg.Answer.Threshold; t < 0 || t > 1 {
		return nil, "", fmt.Errorf("invalid configuration: CAREERSBOT_THRESHOLD: must be between 0 and 1")
	}
	if f.synonyms != "" {
		cfg.Answer.Synonyms = f.synonyms
	}
	if len(f.kb) > 0 {
		cfg.KB = f.kb
	}
	kb, err := service.LoadBase(cfg.KB)
	if err != nil {
		return nil, "", err
	}
	eng, err := service.BuildEngine(kb, cfg.Answer.Synonyms, cfg.Answer.Threshold)
	if err != nil {
		return nil, "", err
	}
	return bot.New(engine.Adapt(eng)), eng.Subject(), nil
}

func (m *Main) askCommand() *cobra.Command {
	var ef engineFlags
	var asJSON bool
	c := &cobra.Command{
		Use:   `ask [flags] "QUESTION" | ask --json -`,
		Short: "Answer one question (or, with -, one a line from standard input)",
		Long: `Answers one question from the knowledge base and prints the answer with its
sources and suggestions. The words of the question may be given as one
argument or several; flags may come before or after them.

For programs: "careersbot ask --json -" reads plain-text questions from
standard input, one a line, and writes one JSON reply a line (the reply
contract, docs/reply.md), each question on its own with no context, until the
end of the input. Blank lines are skipped.`,
		Example: `  careersbot ask "where do genetics staff work"
  careersbot ask --json "what is bioinformatics"
  printf 'what is audiology\nhello\n' | careersbot ask --json -`,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef(`ask: no question given (careersbot ask "QUESTION")`)
			}
			lines := len(args) == 1 && args[0] == "-"
			q := strings.TrimSpace(strings.Join(args, " "))
			if !lines && q == "" {
				return usagef("ask: the question is empty")
			}
			b, _, err := m.newBot(&ef)
			if err != nil {
				return err
			}
			if lines {
				// the lines share no conversation: they are answered on every
				// core (one worker more than cores, as reading and writing
				// mostly wait), the replies written in order
				return terminal.New(b, terminal.Options{In: m.Stdin, Out: m.Stdout, JSON: asJSON, Workers: runtime.GOMAXPROCS(0) + 1}).Run(c.Context())
			}
			r := b.Handle(c.Context(), bot.Message{Adapter: terminal.Name, Text: q})
			if asJSON {
				return terminal.WriteJSON(m.Stdout, r)
			}
			terminal.Render(m.Stdout, r)
			return nil
		},
	}
	ef.register(c.Flags())
	c.Flags().BoolVar(&asJSON, "json", false, "print the reply as JSON (docs/reply.md)")
	return c
}

func (m *Main) chatCommand() *cobra.Command {
	var ef engineFlags
	var asJSON bool
	c := &cobra.Command{
		Use:   "chat",
		Short: "Talk to the bot in this terminal",
		Long: `Talk to the bot: type a question and press Enter; follow-up questions keep
the topic. "quit", a goodbye ("bye") or Ctrl-D ends the chat.

For programs: "careersbot chat --json" reads plain-text questions, one a line
(a line holding a JSON object {"question": "..."} is read as that question),
and writes one JSON reply a line (docs/reply.md), keeping the context between
lines, until the end of the input: goodbyes are answered, not obeyed.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			b, subject, err := m.newBot(&ef)
			if err != nil {
				return err
			}
			return terminal.New(b, terminal.Options{
				In: m.Stdin, Out: m.Stdout, JSON: asJSON, Conversation: "terminal",
				Interactive: true,
				Greeting:    fmt.Sprintf("careersbot: ask me about %s. Type \"quit\" to leave.", subject),
			}).Run(c.Context())
		},
	}
	ef.register(c.Flags())
	c.Flags().BoolVar(&asJSON, "json", false, "read questions one a line, write JSON replies one a line (docs/reply.md)")
	return c
}
