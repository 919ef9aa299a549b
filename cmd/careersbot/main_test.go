package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/careersbot/careersbot/intents"
)

// run runs careersbot in-process with the given stdin and environment.
func run(tb testing.TB, stdin string, env map[string]string, args ...string) (string, string, error) {
	tb.Helper()
	var out, errOut bytes.Buffer
	m := &Main{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errOut,
		Getenv: func(k string) string { return env[k] },
	}
	err := m.Run(context.Background(), args)
	return out.String(), errOut.String(), err
}

func TestAskJSON(t *testing.T) {
	out, _, err := run(t, "", nil, "ask", "--json", "where do genetics staff work")
	if err != nil {
		t.Fatal(err)
	}
	var a intents.Answer
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if !a.Answered || a.Intent != "location" || a.Topic != "genetics" || !strings.Contains(a.Text, "specialist hospitals") {
		t.Errorf("reply = %+v", a)
	}
	if len(a.Sources) == 0 || a.Sources[0].Document != "Careers in healthcare science" || a.Sources[0].Section != "Life sciences" {
		t.Errorf("sources = %+v", a.Sources)
	}
	for _, key := range []string{`"question"`, `"answered"`, `"intent"`, `"topic"`, `"answer"`, `"confidence"`, `"sources"`, `"suggestions"`} {
		if !strings.Contains(out, key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}

func TestAskText(t *testing.T) {
	out, _, err := run(t, "", nil, "ask", "what", "is", "bioinformatics")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "interdisciplinary") || !strings.Contains(out, "Source: Careers in healthcare science") {
		t.Errorf("output:\n%s", out)
	}
}

func TestAskLinesHaveNoContext(t *testing.T) {
	in := "tell me about genetics\nwhere do they work?\n\nhello\n"
	out, _, err := run(t, in, nil, "ask", "--json", "-")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d replies for 3 questions:\n%s", len(lines), out)
	}
	var second intents.Answer
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	if second.Answered {
		t.Errorf("a line used the previous line's context: %+v", second)
	}
}

func TestChatKeepsContext(t *testing.T) {
	in := "tell me about genetics\nwhere do they work?\nquit\nnever read\n"
	out, _, err := run(t, in, nil, "chat")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "specialist hospitals") {
		t.Errorf("follow-up not answered from context:\n%s", out)
	}
	if strings.Contains(out, "never read") {
		t.Error("chat went on after quit")
	}
}

func TestChatJSON(t *testing.T) {
	in := `{"question": "where do genetics staff work"}` + "\n" + `{"question": "and physiological scientists?"}` + "\n"
	out, _, err := run(t, in, nil, "chat", "--json")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 replies, got:\n%s", out)
	}
	var a intents.Answer
	if err := json.Unmarshal([]byte(lines[1]), &a); err != nil {
		t.Fatal(err)
	}
	if a.Intent != "location" || a.Topic != "physiological sciences" || strings.Contains(a.Text, "specialist hospitals") {
		t.Errorf("second reply = %+v", a)
	}
}

func TestEvalPublicSet(t *testing.T) {
	out, _, err := run(t, "", nil, "eval", "--min", "95", "testdata/seed-dev.jsonl")
	if err != nil {
		t.Fatalf("eval below 95%%: %v\n%s", err, out)
	}
	if !strings.Contains(out, " passed, ") || !strings.Contains(out, "Accuracy by tag:") {
		t.Errorf("output:\n%s", out)
	}
}

func TestEvalMinFails(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "hard.jsonl")
	writeFile(t, f, `{"id":"x","turns":["where do genetics staff work"],"expect":{"answered":true,"any":["on the moon"],"all":[],"none":[]},"tags":["t"]}`+"\n")
	out, _, err := run(t, "", nil, "eval", "--min", "50", f)
	if !errors.Is(err, errFailed) {
		t.Fatalf("err = %v, want errFailed", err)
	}
	if !strings.Contains(out, "FAIL x") || !strings.Contains(out, "0 passed, 1 failed") {
		t.Errorf("output:\n%s", out)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	writeFile(t, bad, "{\"id\":\"ok\",\"turns\":[\"hi\"],\"expect\":{\"answered\":true}}\n{not json\n")
	if _, _, err := run(t, "", nil, "eval", bad); err == nil || !strings.Contains(err.Error(), "bad.jsonl:2") {
		t.Errorf("malformed line: err = %v, want file:line", err)
	}
}

func TestKnowledgeFromFlagAndEnv(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "dentistry.txt")
	writeFile(t, page, "Careers in dental science\n\nDental technology\n\nDental technologists make crowns, bridges and dentures in dental laboratories.\n\nFind out more about dental technology\n")
	q := "where do dental technologists work"
	for name, tc := range map[string]struct {
		env  map[string]string
		args []string
	}{
		"flag": {nil, []string{"ask", "--kb", page, q}},
		"env":  {map[string]string{"CAREERSBOT_KB": page}, []string{"ask", q}},
	} {
		t.Run(name, func(t *testing.T) {
			out, _, err := run(t, "", tc.env, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "dental laboratories") {
				t.Errorf("not answered from the loaded page:\n%s", out)
			}
		})
	}
}

func TestKBCheck(t *testing.T) {
	out, _, err := run(t, "", nil, "kb", "check")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Careers in healthcare science", "Life sciences", "genetics", "Bioinformatics", "0 errors"} {
		if !strings.Contains(out, s) {
			t.Errorf("kb check output lacks %q:\n%s", s, out)
		}
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "empty.txt"), "")
	writeFile(t, filepath.Join(dir, "binary.md"), "abc\x00def")
	writeFile(t, filepath.Join(dir, "good.txt"), "Careers in x\n\nArea one\n\nStaff in area one work in labs.\n")
	out, _, err = run(t, "", nil, "kb", "check", dir)
	if !errors.Is(err, errFailed) {
		t.Errorf("err = %v, want errFailed", err)
	}
	for _, s := range []string{"empty.txt: empty file", "binary.md:1: binary file", "Area one", "2 errors"} {
		if !strings.Contains(out, s) {
			t.Errorf("kb check output lacks %q:\n%s", s, out)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := [][]string{
		{},
		{"frobnicate"},
		{"ask"},
		{"eval"},
		{"kb"},
		{"kb", "frob"},
		{"ask", "--threshold", "2", "hi"},
		{"chat", "extra"},
	}
	for _, args := range tests {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			_, _, err := run(t, "", nil, args...)
			var ue *usageError
			if !errors.As(err, &ue) {
				t.Errorf("err = %v, want a usage error", err)
			}
		})
	}
	if _, _, err := run(t, "", nil, "ask", "--kb", "/does/not/exist", "hi"); err == nil || !strings.Contains(err.Error(), "/does/not/exist") {
		t.Errorf("missing kb: err = %v", err)
	}
}

func TestVersionAndHelp(t *testing.T) {
	out, _, err := run(t, "", nil, "version")
	if err != nil || !strings.HasPrefix(out, "careersbot ") {
		t.Errorf("version: %q, %v", out, err)
	}
	out, _, err = run(t, "", nil, "--help")
	if err != nil || !strings.Contains(out, "Commands:") {
		t.Errorf("help: %q, %v", out, err)
	}
}

func writeFile(tb testing.TB, path, data string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// TestEvalSeedInEveryFormat runs the public set against the seed converted
// to Markdown and HTML: the same answers from each format.
func TestEvalSeedInEveryFormat(t *testing.T) {
	for _, page := range []string{"../../knowledge/testdata/seed.md", "../../knowledge/testdata/seed.html"} {
		t.Run(filepath.Ext(page), func(t *testing.T) {
			out, _, err := run(t, "", nil, "eval", "--min", "95", "--kb", page, "testdata/seed-dev.jsonl")
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
		})
	}
}

// TestEvalOtherPages answers pages written apart from the engine, each with
// its own evaluation file, with no code change.
func TestEvalOtherPages(t *testing.T) {
	evals, err := filepath.Glob("../../knowledge/testdata/eval/*.jsonl")
	if err != nil || len(evals) == 0 {
		t.Fatalf("no evaluation files: %v", err)
	}
	for _, ev := range evals {
		name := strings.TrimSuffix(filepath.Base(ev), ".jsonl")
		pages, _ := filepath.Glob("../../knowledge/testdata/pages/" + name + ".*")
		if len(pages) != 1 {
			t.Fatalf("%s: want one page, found %v", name, pages)
		}
		files := []string{ev}
		if alone := "../../knowledge/testdata/eval/alone/" + name + ".jsonl"; fileExists(alone) {
			files = append(files, alone)
		}
		t.Run(name, func(t *testing.T) {
			args := append([]string{"eval", "--min", "85", "--kb", pages[0]}, files...)
			out, _, err := run(t, "", nil, args...)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
		})
	}
}

// TestEvalAllPagesTogether loads every test page and the seed at once, as a
// team loading all its pages would, and runs every page's evaluation file
// with, in place of the cases true only of a page alone (eval/alone: a
// question out of scope for one page that another answers), their
// all-pages versions (eval/together).
func TestEvalAllPagesTogether(t *testing.T) {
	evals, err := filepath.Glob("../../knowledge/testdata/eval/*.jsonl")
	if err != nil || len(evals) == 0 {
		t.Fatalf("no evaluation files: %v", err)
	}
	together, err := filepath.Glob("../../knowledge/testdata/eval/together/*.jsonl")
	if err != nil || len(together) == 0 {
		t.Fatalf("no all-pages evaluation files: %v", err)
	}
	evals = append(evals, together...)
	args := append([]string{"eval", "--min", "90", "--kb", "../../knowledge/testdata/pages", "--kb", "../../knowledge/seed"}, evals...)
	out, _, err := run(t, "", nil, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

// TestEvalBandsTypesFeatures checks that eval reports accuracy per answer
// type and per confidence band, and writes the features the confidence
// model is fitted from.
func TestEvalBandsTypesFeatures(t *testing.T) {
	tsv := filepath.Join(t.TempDir(), "features.tsv")
	out, _, err := run(t, "", nil, "eval", "--threshold", "0", "--features", tsv, "testdata/seed-dev.jsonl")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"Accuracy by answer type", "Accuracy by confidence band", "  location ", "0.90-1.00"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q", want)
		}
	}
	data, err := os.ReadFile(tsv)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) < 50 || !strings.HasPrefix(lines[0], "id\tpassed\tanswerable\tconfidence\t") || !strings.Contains(lines[0], "type_miss") {
		t.Fatalf("features file: %d lines, header %q", len(lines), lines[0])
	}
	if n := len(strings.Split(lines[1], "\t")); n != len(strings.Split(lines[0], "\t")) {
		t.Errorf("row has %d columns, header %d", n, len(strings.Split(lines[0], "\t")))
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
