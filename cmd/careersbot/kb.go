package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/careersbot/careersbot/knowledge"
)

func (m *Main) kbCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "kb",
		Short: `Check knowledge files ("careersbot kb check PATH")`,
		RunE:  needSubcommand,
	}
	var kb kbPaths
	check := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Load knowledge files and list their documents, sections, topics and problems",
		Long: `Loads knowledge files (.txt, .md, .html; directories are walked) and lists
their documents, sections and topics, then every problem with its file and
line (docs/knowledge.md). With no PATH it checks --kb, CAREERSBOT_KB, or the
embedded page. Exits 1 if any document could not be loaded.`,
		RunE: func(c *cobra.Command, args []string) error {
			paths := append(append([]string{}, kb...), args...)
			if len(paths) == 0 {
				cfg, err := m.settings()
				if err != nil {
					return err
				}
				paths = cfg.KB
			}
			return m.runKBCheck(paths)
		},
	}
	check.Flags().Var(&kb, "kb", "knowledge file or directory (repeatable)")
	c.AddCommand(check)
	return c
}

func (m *Main) runKBCheck(paths []string) error {
	var (
		b        *knowledge.Base
		problems []knowledge.Problem
	)
	if len(paths) == 0 {
		var err error
		if b, err = knowledge.Default(); err != nil {
			return err
		}
		problems = b.Problems
	} else {
		b, problems = knowledge.Check(paths...)
	}
	printBase(m.Stdout, b)
	failed := 0
	if len(problems) > 0 {
		fmt.Fprintf(m.Stdout, "\nProblems (%d):\n", len(problems))
		for _, p := range problems {
			sev := "warning"
			if p.Fatal() {
				sev = "error"
				failed++
			}
			fmt.Fprintf(m.Stdout, "  %s: %s\n", sev, p.Error())
		}
	}
	fmt.Fprintf(m.Stdout, "\n%d documents, %d sections, %d sentences, %d topics; %d errors, %d warnings; loaded in %s\n",
		len(b.Documents), countSections(b), len(b.Sentences), len(b.Topics), failed, len(problems)-failed, b.LoadTime.Round(1000))
	if failed > 0 {
		return errFailed
	}
	return nil
}

func countSections(b *knowledge.Base) int {
	n := 0
	for _, d := range b.Documents {
		n += len(d.Sections)
	}
	return n
}

func printBase(w io.Writer, b *knowledge.Base) {
	for _, d := range b.Documents {
		fmt.Fprintf(w, "Document %q (%s)\n", d.Title, d.Path)
		if d.URL != "" {
			fmt.Fprintf(w, "  url: %s\n", d.URL)
		}
		if len(d.Breadcrumb) > 0 {
			fmt.Fprintf(w, "  breadcrumb: %s\n", strings.Join(d.Breadcrumb, " > "))
		}
		for _, s := range d.Sections {
			h := s.Heading
			if h == "" {
				h = "(introduction)"
			}
			fmt.Fprintf(w, "  section %q (line %d): %d sentences, %d bullets, %d links\n",
				strings.Join(append([]string{}, s.Path...), " > "), s.Line, len(s.Sentences), len(s.Bullets), len(s.More))
			_ = h
		}
	}
	fmt.Fprintln(w, "Topics:")
	for _, t := range b.Topics {
		if t.Parent != nil {
			continue
		}
		printTopic(w, t, 1)
	}
}

func printTopic(w io.Writer, t *knowledge.Topic, depth int) {
	fmt.Fprintf(w, "%s%s (%d sentences)\n", strings.Repeat("  ", depth), t.Name, len(t.Sentences))
	for _, c := range t.Children {
		printTopic(w, c, depth+1)
	}
}
