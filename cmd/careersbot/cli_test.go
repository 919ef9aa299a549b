package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/careersbot/careersbot/bot"
)

// TestFlagsAnywhere: flags after the arguments work as before them.
func TestFlagsAnywhere(t *testing.T) {
	for _, args := range [][]string{
		{"ask", "--json", "where do genetics staff work"},
		{"ask", "where do genetics staff work", "--json"},
		{"ask", "where", "do", "genetics", "--json", "staff", "work"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, _, err := run(t, "", nil, args...)
			if err != nil {
				t.Fatal(err)
			}
			var r bot.Reply
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			if r.Question != "where do genetics staff work" || !r.Answered {
				t.Errorf("reply = %+v", r)
			}
		})
	}
	out, _, err := run(t, "", nil, "eval", "testdata/seed-dev.jsonl", "--min", "95")
	if err != nil || !strings.Contains(out, " passed, ") {
		t.Errorf("eval FILE --min 95: %v\n%s", err, out)
	}
}

// TestUsageErrorsExit2Once: every usage mistake exits 2 and says so once,
// with a pointer to --help; a runtime failure exits 1.
func TestUsageErrorsExit2Once(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"ask", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"nosuchcommand"}, `unknown command "nosuchcommand"`},
		{[]string{"ask"}, "no question given"},
		{[]string{"ask", ""}, "the question is empty"},
		{[]string{"ask", "  ", " "}, "the question is empty"},
		{[]string{"eval", "--min"}, "flag needs an argument"},
		{[]string{"eval", "--min", "lots", "x.jsonl"}, "invalid argument"},
		{[]string{"serve", "extra"}, "takes no arguments"},
		{[]string{"version", "extra"}, "takes no arguments"},
		{[]string{"kb"}, `"careersbot kb check"`},
		{[]string{"report", "unanswered", "--since", "soon"}, "--since"},
		{[]string{}, "missing command"},
		{[]string{"completion"}, "missing command"},
		{[]string{"completion", "tcsh"}, `unknown command "tcsh"`},
		{[]string{"help", "nosuch"}, `no help for "nosuch"`},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, errOut, err := run(t, "", nil, tc.args...)
			if code := exitCode(err); code != 2 {
				t.Errorf("exit %d, want 2 (err %v)", code, err)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q lacks %q", errOut, tc.want)
			}
			if n := strings.Count(errOut, "careersbot: "); n != 1 {
				t.Errorf("the error is printed %d times:\n%s", n, errOut)
			}
			if !strings.Contains(errOut, "--help' for usage") {
				t.Errorf("no pointer to --help:\n%s", errOut)
			}
			if out != "" {
				t.Errorf("a usage error wrote to stdout:\n%s", out)
			}
		})
	}
	_, errOut, err := run(t, "", nil, "eval", filepath.Join(t.TempDir(), "missing.jsonl"))
	if code := exitCode(err); code != 1 || strings.Count(errOut, "careersbot: ") != 1 {
		t.Errorf("missing file: exit %d, stderr %q; want 1 and one message", code, errOut)
	}
}

// TestHelpEverywhere: --help on every command prints its help to stdout and
// exits 0, never running the command.
func TestHelpEverywhere(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"help"}, {"ask", "--help"}, {"chat", "--help"}, {"eval", "--help"}, {"kb", "--help"},
		{"kb", "check", "--help"}, {"serve", "--help"}, {"report", "--help"}, {"report", "unanswered", "--help"},
		{"discord", "invite-url", "--help"}, {"version", "--help"}, {"completion", "--help"}, {"help", "ask"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, errOut, err := run(t, "", nil, args...)
			if err != nil || errOut != "" {
				t.Fatalf("err %v, stderr %q", err, errOut)
			}
			if !strings.Contains(out, "Usage:") || !strings.Contains(out, "--help") {
				t.Errorf("not a help text:\n%s", out)
			}
		})
	}
	out, _, _ := run(t, "", nil, "version", "--help")
	if strings.HasPrefix(out, "careersbot ") {
		t.Errorf("version --help printed the version:\n%s", out)
	}
	out, _, _ = run(t, "", nil, "ask", "--help")
	if !strings.Contains(out, "--json -") || !strings.Contains(out, "one a line") {
		t.Errorf("ask --help does not state the contract for programs:\n%s", out)
	}
	out, _, _ = run(t, "", nil, "--help")
	for _, c := range []string{"ask", "chat", "eval", "kb", "serve", "report", "discord", "version", "completion"} {
		if !strings.Contains(out, "\n  "+c+" ") {
			t.Errorf("root help does not list %s:\n%s", c, out)
		}
	}
}

func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{"bash": "__start_careersbot", "zsh": "#compdef careersbot", "fish": "complete -c careersbot"} {
		out, _, err := run(t, "", nil, "completion", shell)
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("completion %s: %v, output lacks %q", shell, err, want)
		}
	}
}

func TestChatGoodbye(t *testing.T) {
	in := "what is bioinformatics\nbye\nwhere do genetics staff work\n"
	out, _, err := run(t, in, nil, "chat")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Goodbye") || strings.Contains(out, "specialist hospitals") {
		t.Errorf("chat went on after a goodbye:\n%s", out)
	}
	// For programs a goodbye is answered and the input read to its end.
	out, _, err = run(t, in, nil, "chat", "--json")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("chat --json: %d replies for 3 lines:\n%s", len(lines), out)
	}
	var bye bot.Reply
	if err := json.Unmarshal([]byte(lines[1]), &bye); err != nil || bye.Intent != "goodbye" {
		t.Errorf("second reply %s (%v), want the goodbye", lines[1], err)
	}
	out, _, err = run(t, "bye\nhello\n", nil, "ask", "--json", "-")
	if err != nil || strings.Count(out, "\n") != 2 {
		t.Errorf("ask --json - stopped at a goodbye: %v\n%s", err, out)
	}
}

func TestBuildVersion(t *testing.T) {
	bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/careersbot/careersbot", Version: "v0.0.0-20261201101010-0123456789ab+dirty"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-01T10:10:10Z"}, {Key: "vcs.modified", Value: "true"}}}
	if got, want := buildVersion(bi), "v0.0.0-20261201101010-0123456789ab+dirty (revision 0123456789ab, 2026-12-01T10:10:10Z, modified)"; got != want {
		t.Errorf("buildVersion = %q, want %q", got, want)
	}
	if got := buildVersion(&debug.BuildInfo{}); !strings.HasPrefix(got, "(devel) (no VCS revision") {
		t.Errorf("no build info: %q", got)
	}
	old := Version
	defer func() { Version = old }()
	Version = "1.2.3"
	if out, _, _ := run(t, "", nil, "version"); out != "careersbot 1.2.3\n" {
		t.Errorf("ldflags version: %q", out)
	}
}

// TestBinary builds careersbot as a user would (go build in this checkout)
// and checks the exit statuses and the version a real process shows.
func TestBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "careersbot")
	// -buildvcs=auto undoes a GOFLAGS=-buildvcs=false some machines set:
	// this is the plain go build a user runs.
	if out, err := exec.Command("go", "build", "-buildvcs=auto", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	exe := func(args ...string) (string, string, int) {
		var out, errOut strings.Builder
		c := exec.Command(bin, args...)
		c.Stdout, c.Stderr = &out, &errOut
		c.Env = append(os.Environ(), "CAREERSBOT_KB=")
		err := c.Run()
		var ee *exec.ExitError
		code := 0
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errOut.String(), code
	}
	out, _, code := exe("version")
	if code != 0 || !strings.HasPrefix(out, "careersbot ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
	// Go finds the revision in a clone (.git a directory), not in a git
	// worktree (.git a file).
	if _, err := exec.LookPath("git"); err == nil {
		if fi, err := os.Stat("../../.git"); err == nil && fi.IsDir() && !strings.Contains(out, "revision ") {
			t.Errorf("a go build in a git clone does not show the revision: %q", out)
		}
	}
	for _, args := range [][]string{{"ask", "--bogus"}, {"nosuchcommand"}, {"ask", ""}} {
		_, errOut, code := exe(args...)
		if code != 2 || strings.Count(errOut, "careersbot: ") != 1 {
			t.Errorf("%q: exit %d, stderr %q; want 2 and one message", args, code, errOut)
		}
	}
	if _, _, code := exe("eval", "/nonexistent.jsonl"); code != 1 {
		t.Errorf("runtime failure: exit %d, want 1", code)
	}
	if out, _, code := exe("completion", "bash"); code != 0 || !strings.Contains(out, "complete -o default -F __start_careersbot careersbot") {
		t.Errorf("completion bash: exit %d\n%.300s", code, out)
	}
	if out, _, code := exe("ask", "what is bioinformatics", "--json"); code != 0 || !strings.Contains(out, `"answered":true`) {
		t.Errorf("ask Q --json: exit %d %s", code, out)
	}
}

// TestHostileLinksNeverAnswered: a javascript: page URL or link is reported
// by kb check and never reaches an answer.
func TestHostileLinksNeverAnswered(t *testing.T) {
	page := filepath.Join(t.TempDir(), "genetics.md")
	writeFile(t, page, "---\ntitle: Careers in genetics\nurl: javascript:alert(document.cookie)\n---\n\n"+
		"## Genetics\n\nGenetics staff are often based in specialist hospitals.\n\n"+
		"[Find out more about careers in genetics](javascript:alert(1))\n")
	out, _, err := run(t, "", nil, "kb", "check", page)
	if err != nil || strings.Count(out, "not an http or https URL") != 2 {
		t.Errorf("kb check: %v\n%s", err, out)
	}
	for _, q := range []string{"where can I find out more about genetics", "where do genetics staff work"} {
		out, _, err := run(t, "", nil, "ask", "--json", "--kb", page, q)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.ToLower(out), "javascript") || strings.Contains(out, "alert(") {
			t.Errorf("%q: the answer carries the hostile URL:\n%s", q, out)
		}
	}
}

// TestSeedLinks: the embedded page cites its public URL, and the Markdown
// version of it with its links (knowledge/seed-linked) answers "find out
// more" with the page each line names.
func TestSeedLinks(t *testing.T) {
	const page = "http://www.nhscareers.nhs.uk/explore-by-career/healthcare-science/careers-in-healthcare-science/"
	out, _, err := run(t, "", nil, "ask", "--json", "where do genetics staff work")
	if err != nil {
		t.Fatal(err)
	}
	var r bot.Reply
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Sources) == 0 || r.Sources[0].URL != page {
		t.Errorf("embedded page: sources %+v (%v), want the page's URL %s", r.Sources, err, page)
	}
	links := map[string]string{
		"where can I find out more about medical physics":     page + "careers-in-clinical-engineering-and-medical-physics/",
		"how do i find out more about life sciences careers":  page + "careers-in-life-sciences/",
		"how do i find out more about physiological sciences": page + "careers-in-physiological-sciences/",
		"where can i find out more about bioinformatics":      "https://www.healthcareers.nhs.uk/Explore-roles/healthcare-science/roles-healthcare-science/clinical-bioinformatics",
	}
	for q, want := range links {
		out, _, err := run(t, "", nil, "ask", "--json", "--kb", "../../knowledge/seed-linked", q)
		if err != nil {
			t.Fatal(err)
		}
		var r bot.Reply
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Text, want) || len(r.Sources) == 0 || r.Sources[0].URL != want {
			t.Errorf("%q: answer %q, sources %+v; want the link %s", q, r.Text, r.Sources, want)
		}
	}
	out, _, err = run(t, "", nil, "kb", "check", "../../knowledge/seed-linked")
	if err != nil || !strings.Contains(out, "0 errors, 0 warnings") {
		t.Errorf("kb check seed-linked: %v\n%s", err, out)
	}
	out, _, err = run(t, "", nil, "eval", "--min", "95", "--kb", "../../knowledge/seed-linked", "testdata/seed-dev.jsonl")
	if err != nil {
		t.Errorf("the linked seed answers the public set below 95%%: %v\n%s", err, out)
	}
}
