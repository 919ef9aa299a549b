// Command careersbot answers questions about NHS careers from career pages,
// in a terminal, over HTTP, in Slack and in Discord.
//
// The command line is built with github.com/spf13/cobra: flags go before or
// after arguments, every command takes --help, `careersbot completion
// bash|zsh|fish` prints a completion script, and the exit status is 0 on
// success, 2 for a usage mistake (printed once, with a pointer to --help)
// and 1 when the command fails.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/careersbot/careersbot/config"
)

// Version is set at build time with -ldflags "-X main.Version=..."; when it
// is not, version() reads the module version and VCS revision from the
// build information.
var Version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := NewMain().Run(ctx, os.Args[1:])
	stop()
	os.Exit(exitCode(err))
}

// exitCode is 0 for success, 2 for a usage error and 1 for anything else.
// Run has already printed the error.
func exitCode(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		return 2
	}
	return 1
}

// errFailed means the command has already said what went wrong and should
// exit 1 (eval below --min, kb check with problems).
var errFailed = errors.New("failed")

// usageError is a misuse of the command line.
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

	configPath string // --config
}

// NewMain returns a Main on the process's streams and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// Run runs the command line args (without the program name), printing any
// error once to Stderr.
func (m *Main) Run(ctx context.Context, args []string) error {
	root := m.rootCommand()
	root.SetArgs(args)
	ran := false
	root.PersistentPreRun = func(*cobra.Command, []string) { ran = true }
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return nil
	}
	var ue *usageError
	if !ran && !errors.As(err, &ue) {
		// Cobra's own: unknown command, bad flag, wrong arguments.
		err = &usageError{err.Error()}
	}
	switch {
	case errors.Is(err, errFailed):
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "careersbot: %s\nRun '%s --help' for usage.\n", err, cmd.CommandPath())
	default:
		fmt.Fprintf(m.Stderr, "careersbot: %s\n", err)
	}
	return err
}

func (m *Main) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "careersbot",
		Short: "Answer questions about NHS careers from career pages",
		Long: `careersbot answers questions about NHS careers from career pages, in a
terminal, over HTTP, in Slack and in Discord.

Knowledge comes from --kb PATH (repeatable) or CAREERSBOT_KB (comma-separated);
with neither, the embedded NHS page. Settings come from the environment and,
with --config, a YAML file (docs/environment.md).`,
		Example: `  careersbot ask "where do genetics staff work"
  careersbot chat
  careersbot eval --min 95 cases.jsonl
  careersbot serve --kb pages/`,
		SilenceErrors:     true,
		SilenceUsage:      true,
		Version:           version(),
		RunE:              needSubcommand,
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	root.SetVersionTemplate("careersbot {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &usageError{err.Error()} })
	root.PersistentFlags().StringVar(&m.configPath, "config", "", "YAML config `file` (keys are the environment variable names)")
	root.AddCommand(m.askCommand(), m.chatCommand(), m.evalCommand(), m.kbCommand(), m.serveCommand(),
		m.reportCommand(), m.discordCommand(), m.versionCommand())
	root.SetIn(m.Stdin)
	root.SetOut(m.Stdout) // before the completion command, which keeps the writer it finds
	root.SetErr(m.Stderr)
	root.SetHelpCommand(helpCommand(root))
	// cobra's completion command only groups bash, zsh, fish and
	// powershell: without one of them (or with another shell) it is a
	// usage error, not help and exit 0.
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Args = nil
			c.RunE = needSubcommand
		}
	}
	return root
}

// helpCommand is `careersbot help [command]`; an unknown topic is a usage
// error.
func helpCommand(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		ValidArgsFunction: func(c *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			cmd, _, err := root.Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, s := range cmd.Commands() {
				if s.IsAvailableCommand() {
					names = append(names, s.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := root.Find(args)
			if err != nil || len(rest) > 0 {
				return usagef("no help for %q: not a command", strings.Join(args, " "))
			}
			cmd.InitDefaultHelpFlag() // as cobra's own help command does
			cmd.InitDefaultVersionFlag()
			return cmd.Help()
		},
	}
}

// needSubcommand is the RunE of a command that only groups others.
func needSubcommand(c *cobra.Command, args []string) error {
	var names []string
	for _, s := range c.Commands() {
		if s.IsAvailableCommand() && s.Name() != "help" && s.Name() != "completion" {
			names = append(names, s.Name())
		}
	}
	if len(args) > 0 {
		return usagef("unknown command %q for %q (want one of: %s)", args[0], c.CommandPath(), strings.Join(names, ", "))
	}
	return usagef("missing command: %q needs one of %s (such as %q)", c.CommandPath(), strings.Join(names, ", "), c.CommandPath()+" "+names[0])
}

// noArgs is cobra.NoArgs with a message that names the command.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q", c.CommandPath(), args[0])
	}
	return nil
}

func (m *Main) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Long: `Prints the version: the one set at build time with -ldflags, or else the
module version and VCS revision Go recorded in the binary.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			fmt.Fprintf(c.OutOrStdout(), "careersbot %s\n", version())
			return nil
		},
	}
}

// version is Version, or what the build information says: the module
// version and the VCS revision, time and whether the tree was modified.
func version() string {
	if Version != "" {
		return Version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (no build information)"
	}
	return buildVersion(bi)
}

func buildVersion(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, at string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return v + " (no VCS revision: built outside a git checkout, or with go run)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	parts := []string{"revision " + rev}
	if at != "" {
		parts = append(parts, at)
	}
	if modified {
		parts = append(parts, "modified")
	}
	return v + " (" + strings.Join(parts, ", ") + ")"
}

// kbPaths is the repeatable --kb flag; each value may list several paths,
// comma-separated.
type kbPaths []string

func (k *kbPaths) String() string { return strings.Join(*k, ",") }

// Type names the value in --help.
func (k *kbPaths) Type() string { return "path" }

// Set adds one path (or several, comma-separated).
func (k *kbPaths) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*k = append(*k, p)
		}
	}
	return nil
}

// settings reads the configuration (environment and --config file) without
// validating it: each command checks the settings it uses. config is the
// only reader of the environment.
func (m *Main) settings() (config.Config, error) {
	cfg, err := config.Read(m.lookup, m.configPath)
	if err != nil {
		return config.Config{}, fmt.Errorf("invalid configuration: %w", err)
	}
	return cfg, nil
}

func (m *Main) lookup(k string) (string, bool) {
	v := m.Getenv(k)
	return v, v != ""
}
