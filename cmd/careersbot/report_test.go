package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/careersbot/careersbot/bot/unanswered"
)

// reportDB makes a database with questions asked over the last weeks.
func reportDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "unanswered.db")
	store, err := unanswered.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Now()
	var entries []unanswered.Entry
	add := func(q, adapter string, ago time.Duration, n int) {
		for i := range n {
			entries = append(entries, unanswered.Entry{Question: q, Adapter: adapter, At: now.Add(-ago - time.Duration(i)*time.Minute)})
		}
	}
	add("How much do genetics staff earn?", "slack", time.Hour, 3)
	add("how much do genetcis staff earn", "discord", 2*time.Hour, 1)
	add("how do I apply", "http", 3*time.Hour, 2)
	add("what's the weather", "http", 10*24*time.Hour, 4) // older than a week
	if err := store.Add(context.Background(), entries...); err != nil {
		t.Fatal(err)
	}
	return path
}

func runMain(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }}
	err := m.Run(context.Background(), args)
	return stdout.String(), stderr.String(), err
}

func TestReportUnanswered(t *testing.T) {
	db := reportDB(t)
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		want    []string
		notWant []string
	}{
		{"default week", nil, []string{"report", "unanswered", "--db", db},
			[]string{"6 in 2 groups", "     4  How much do genetics staff earn?", `also "how much do genetcis staff earn" (1)`,
				"     2  how do I apply", "slack 3, discord 1"},
			[]string{"weather"}},
		{"since 30d", nil, []string{"report", "unanswered", "--db", db, "--since", "30d"},
			[]string{"10 in 3 groups", "     4  what's the weather"}, nil},
		{"since 90m", nil, []string{"report", "unanswered", "--db", db, "--since", "90m"},
			[]string{"3 in 1 group", "How much do genetics staff earn?"}, []string{"apply"}},
		{"db from env", map[string]string{"CAREERSBOT_UNANSWERED_DB": db}, []string{"report", "unanswered", "--since", "2w"},
			[]string{"10 in 3 groups"}, nil},
		{"nothing since", nil, []string{"report", "unanswered", "--db", db, "--since", "1m"},
			[]string{"No unanswered questions since"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, err := runMain(t, tc.env, tc.args...)
			if err != nil {
				t.Fatalf("err %v\n%s", err, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestReportJSON(t *testing.T) {
	db := reportDB(t)
	out, _, err := runMain(t, nil, "report", "unanswered", "--db", db, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Total  int
		Groups []unanswered.Group
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got.Total != 6 || len(got.Groups) != 2 || got.Groups[0].Count != 4 || got.Groups[0].Adapters["slack"] != 3 {
		t.Errorf("report = %+v", got)
	}
}

func TestReportErrors(t *testing.T) {
	db := reportDB(t)
	tests := []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"no kind", []string{"report"}, true, "report unanswered"},
		{"unknown kind", []string{"report", "answered"}, true, "unknown command"},
		{"bad since", []string{"report", "unanswered", "--db", db, "--since", "last tuesday"}, true, "--since"},
		{"negative since", []string{"report", "unanswered", "--db", db, "--since", "-5h"}, true, "--since"},
		{"missing db", []string{"report", "unanswered", "--db", filepath.Join(t.TempDir(), "none.db")}, false, "none.db does not exist"},
		{"extra argument", []string{"report", "unanswered", "--db", db, "more"}, true, "no arguments"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runMain(t, nil, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			var ue *usageError
			if errors.As(err, &ue) != tc.usage {
				t.Errorf("usage error = %v, want %v", !tc.usage, tc.usage)
			}
		})
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2025, 6, 8, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"7d", now.Add(-7 * 24 * time.Hour)},
		{"2w", now.Add(-14 * 24 * time.Hour)},
		{"1.5d", now.Add(-36 * time.Hour)},
		{"36h", now.Add(-36 * time.Hour)},
		{"90m", now.Add(-90 * time.Minute)},
		{"2025-06-01", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
		{"2025-06-01T10:00:00+01:00", time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseSince(tc.in, now)
			if err != nil || !got.Equal(tc.want) {
				t.Errorf("parseSince(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
	for _, bad := range []string{"", "d", "soon", "-1d", "7x"} {
		t.Run("bad "+bad, func(t *testing.T) {
			if _, err := parseSince(bad, now); err == nil {
				t.Errorf("parseSince(%q) succeeded", bad)
			}
		})
	}
}

// TestServeThenReport is the whole loop: serve records what it cannot
// answer, and the report lists it.
func TestServeThenReport(t *testing.T) {
	kb := filepath.Join(t.TempDir(), "genetics.txt")
	writeKB(t, kb, pageGenetics)
	s := startServe(t, nil, nil, "--kb", kb)
	for range 2 {
		request(t, "POST", s.url+"/v1/ask", `{"question":"what is the pension scheme like?"}`)
	}
	fallbacks := metric(t, s.url, `careersbot_questions_total{adapter="http",answered="false",intent="fallback"}`)
	if err := s.stop(t); err != nil {
		t.Fatal(err)
	}
	out, _, err := runMain(t, nil, "report", "unanswered", "--db", s.db)
	if err != nil {
		t.Fatal(err)
	}
	if fallbacks == 2 && !strings.Contains(out, "     2  what is the pension scheme like?") {
		t.Errorf("report lacks the fallbacks:\n%s", out)
	}
	if fallbacks == 0 && !strings.Contains(out, "No unanswered questions") {
		t.Errorf("report lists questions that were answered:\n%s", out)
	}
}
