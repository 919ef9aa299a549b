package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/careersbot/careersbot/knowledge"
)

const kbUsage = `Usage: careersbot kb check [PATH ...]

Loads knowledge files (.txt, .md, .html; directories are walked) and lists
their documents, sections and topics, then every problem with its file and
line. With no PATH it checks --kb / CAREERSBOT_KB, or the embedded page.
Exits 1 if any document could not be loaded.
`

func (m *Main) runKB(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		fmt.Fprint(m.Stderr, kbUsage)
		if len(args) == 0 {
			return usagef("kb: missing subcommand (want: kb check PATH)")
		}
		return nil
	}
	if args[0] != "check" {
		return usagef("kb: unknown subcommand %q (want: kb check PATH)", args[0])
	}
	fs := m.newFlagSet("kb check", kbUsage)
	var kb kbPaths
	fs.Var(&kb, "kb", "knowledge file or directory (repeatable)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	paths := append(kb, fs.Args()...)
	if len(paths) == 0 {
		paths = m.knowledgePaths(nil)
	}
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
