// Command careersbot answers questions about NHS careers from career pages,
// in a terminal, over HTTP, in Slack and in Discord.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	stop()
	var ue *usageError
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, &ue):
		fmt.Fprintln(os.Stderr, "careersbot:", err)
		os.Exit(2)
	case errors.Is(err, errFailed):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "careersbot:", err)
		os.Exit(1)
	}
}

// errFailed means the command has already said what went wrong and should
// exit 1 (eval below --min, kb check with problems).
var errFailed = errors.New("failed")

// usageError is a misuse of the command line; it carries a hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// Main is the program, with its standard streams and environment, so tests
// can run it in-process.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// NewMain returns a Main on the process's streams and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

const mainUsage = `careersbot answers questions about NHS careers from career pages.

Usage:
  careersbot <command> [flags] [arguments]

Commands:
  ask      answer one question ("careersbot ask --json -" reads one a line)
  chat     talk to the bot in this terminal
  eval     run an evaluation file (JSON Lines) and report accuracy
  kb       check knowledge files: "careersbot kb check PATH"
  serve    run the HTTP API and every configured chat adapter
  report   report unanswered questions: "careersbot report unanswered"
  discord  Discord helpers: "careersbot discord invite-url"
  version  print the version

Every command takes --help. Knowledge comes from --kb PATH (repeatable) or
CAREERSBOT_KB (comma-separated); with neither, the embedded NHS page.
`

// Run runs the command named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, mainUsage)
		return usagef("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "ask":
		return m.runAsk(ctx, rest)
	case "chat":
		return m.runChat(ctx, rest)
	case "eval":
		return m.runEval(ctx, rest)
	case "kb":
		return m.runKB(ctx, rest)
	case "serve":
		return m.runServe(ctx, rest)
	case "report":
		return m.runReport(ctx, rest)
	case "discord":
		return m.runDiscord(ctx, rest)
	case "version", "--version", "-version":
		fmt.Fprintf(m.Stdout, "careersbot %s\n", Version)
		return nil
	case "help", "--help", "-help", "-h":
		fmt.Fprint(m.Stdout, mainUsage)
		return nil
	}
	fmt.Fprint(m.Stderr, mainUsage)
	return usagef("unknown command %q", cmd)
}

// kbPaths is the repeatable --kb flag.
type kbPaths []string

func (k *kbPaths) String() string { return strings.Join(*k, ",") }

// Set adds one path (or several, comma-separated).
func (k *kbPaths) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*k = append(*k, p)
		}
	}
	return nil
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func (m *Main) newFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprint(m.Stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// knowledgePaths returns --kb paths, or else CAREERSBOT_KB's.
func (m *Main) knowledgePaths(flagged kbPaths) []string {
	if len(flagged) > 0 {
		return flagged
	}
	var env kbPaths
	_ = env.Set(m.Getenv("CAREERSBOT_KB"))
	return env
}
