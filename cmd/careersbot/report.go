package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/careersbot/careersbot/bot/unanswered"
	"github.com/careersbot/careersbot/config"
)

// reportLimit bounds the questions a report reads (the most recent).
const reportLimit = 50000

func (m *Main) reportCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "report",
		Short: `Report on what the bot was asked ("careersbot report unanswered")`,
		RunE:  needSubcommand,
	}
	var since, db string
	var asJSON bool
	un := &cobra.Command{
		Use:   "unanswered",
		Short: "List the questions the bot could not answer, grouped by similar wording",
		Long: `Lists the questions careersbot could not answer, grouped by similar
wording, most frequent first, so you can see what to add to the pages.
serve records them (CAREERSBOT_UNANSWERED_RECORD, on by default) in a
SQLite file, or in PostgreSQL when CAREERSBOT_UNANSWERED_DB is a
postgres:// URL shared by replicas; the report reads the same.

--since takes a duration (7d, 2w, 36h, 90m) or a date (2025-06-01).`,
		Example: `  careersbot report unanswered --since 2w
  careersbot report unanswered --db /var/lib/careersbot/unanswered.db --json
  careersbot report unanswered --db postgres://careersbot@db.internal/careersbot`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return m.runReport(c.Context(), since, db, asJSON)
		},
	}
	un.Flags().StringVar(&since, "since", "7d", "report questions asked since this long ago, or since a date")
	un.Flags().StringVar(&db, "db", "", "unanswered database `file` or postgres:// URL (default CAREERSBOT_UNANSWERED_DB, else "+config.DefaultUnansweredDB+")")
	un.Flags().BoolVar(&asJSON, "json", false, "write the groups as JSON")
	c.AddCommand(un)
	return c
}

// runReport is `careersbot report unanswered`.
func (m *Main) runReport(ctx context.Context, since, db string, asJSON bool) error {
	now := time.Now()
	from, err := parseSince(since, now)
	if err != nil {
		return usagef("--since: %v", err)
	}
	path := db
	if path == "" {
		cfg, err := m.settings()
		if err != nil {
			return err
		}
		path = cfg.Unanswered.DB
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

	if asJSON {
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
		fmt.Fprintf(w, "        last asked %s; %s\n", stamp(g.Last), g.AdapterCounts(", "))
	}
	return nil
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// parseSince reads --since (shared with the team console).
func parseSince(s string, now time.Time) (time.Time, error) { return unanswered.ParseSince(s, now) }
