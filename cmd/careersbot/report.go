package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/careersbot/careersbot/bot/unanswered"
	"github.com/careersbot/careersbot/config"
)

const reportUsage = `Usage: careersbot report unanswered [--since 7d] [--db PATH|URL] [--json]

Lists the questions careersbot could not answer, grouped by similar
wording, most frequent first, so you can see what to add to the pages.
serve records them (CAREERSBOT_UNANSWERED_RECORD, on by default) in a
SQLite file, or in PostgreSQL when CAREERSBOT_UNANSWERED_DB is a
postgres:// URL shared by replicas; the report reads the same.

--since takes a duration (7d, 2w, 36h, 90m) or a date (2025-06-01).

Flags:
`

// reportLimit bounds the questions a report reads (the most recent).
const reportLimit = 50000

// runReport is `careersbot report`.
func (m *Main) runReport(ctx context.Context, args []string) error {
	flags := m.newFlagSet("report", reportUsage)
	since := flags.String("since", "7d", "report questions asked since this long ago, or since a date")
	db := flags.String("db", "", "unanswered database `file` or postgres:// URL (default CAREERSBOT_UNANSWERED_DB, else "+config.DefaultUnansweredDB+")")
	asJSON := flags.Bool("json", false, "write the groups as JSON")
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && isHelp(args[0]) {
			flags.Usage()
			return nil
		}
		flags.Usage()
		return usagef(`report needs a kind of report: "careersbot report unanswered"`)
	}
	if args[0] != "unanswered" {
		flags.Usage()
		return usagef("unknown report %q; the one report is \"unanswered\"", args[0])
	}
	if err := flags.Parse(args[1:]); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		flags.Usage()
		return usagef("report unanswered takes no arguments, got %q", flags.Arg(0))
	}
	now := time.Now()
	from, err := parseSince(*since, now)
	if err != nil {
		return usagef("--since: %v", err)
	}
	path := *db
	if path == "" {
		path = m.Getenv("CAREERSBOT_UNANSWERED_DB")
	}
	if path == "" {
		path = config.DefaultUnansweredDB
	}
	if !unanswered.IsURL(path) {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("no unanswered questions recorded: %s does not exist (serve records them there; see --db or CAREERSBOT_UNANSWERED_DB)", path)
		} else if err != nil {
			return fmt.Errorf("open unanswered database: %w", err)
		}
	}
	store, err := unanswered.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("CAREERSBOT_UNANSWERED_DB: %w", err)
	}
	defer store.Close()
	total, err := store.Count(ctx, from)
	if err != nil {
		return err
	}
	entries, err := store.Since(ctx, from, reportLimit)
	if err != nil {
		return err
	}
	groups := unanswered.GroupEntries(entries)

	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if groups == nil {
			groups = []unanswered.Group{}
		}
		return enc.Encode(struct {
			Since  time.Time          `json:"since"`
			Total  int                `json:"total"`
			Read   int                `json:"read"`
			Groups []unanswered.Group `json:"groups"`
		}{from.UTC(), total, len(entries), groups})
	}

	w := m.Stdout
	if total == 0 {
		fmt.Fprintf(w, "No unanswered questions since %s.\n", stamp(from))
		return nil
	}
	fmt.Fprintf(w, "Unanswered questions since %s: %d in %d %s", stamp(from), total, len(groups), plural(len(groups), "group", "groups"))
	if len(entries) < total {
		fmt.Fprintf(w, " (grouping the most recent %d)", len(entries))
	}
	fmt.Fprintln(w)
	for _, g := range groups {
		fmt.Fprintf(w, "\n%6d  %s\n", g.Count, g.Example)
		const shown = 3
		for i, wd := range g.Wordings[1:] {
			if i == shown {
				fmt.Fprintf(w, "        ... and %d more %s\n", len(g.Wordings)-1-shown, plural(len(g.Wordings)-1-shown, "wording", "wordings"))
				break
			}
			fmt.Fprintf(w, "        also %q (%d)\n", wd.Text, wd.Count)
		}
		fmt.Fprintf(w, "        last asked %s; %s\n", stamp(g.Last), adapterCounts(g.Adapters))
	}
	return nil
}

func isHelp(a string) bool {
	switch a {
	case "-h", "-help", "--help":
		return true
	}
	return false
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func adapterCounts(m map[string]int) string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if m[names[i]] != m[names[j]] {
			return m[names[i]] > m[names[j]]
		}
		return names[i] < names[j]
	})
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %d", n, m[n])
	}
	return strings.Join(parts, ", ")
}

// parseSince reads --since: a duration with d (days) or w (weeks) allowed
// as units, any Go duration, or a date (2006-01-02) or RFC 3339 time.
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("empty; use a duration such as 7d or a date such as 2025-06-01")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.UTC); err == nil {
		return t, nil
	}
	if unit := s[len(s)-1]; unit == 'd' || unit == 'w' {
		n, err := strconv.ParseFloat(s[:len(s)-1], 64)
		if err == nil && n >= 0 && n < 100000 {
			day := 24 * time.Hour
			if unit == 'w' {
				day *= 7
			}
			return now.Add(-time.Duration(n * float64(day))), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return time.Time{}, fmt.Errorf("%q is not a duration such as 7d, 2w or 36h, nor a date such as 2025-06-01", s)
	}
	return now.Add(-d), nil
}
