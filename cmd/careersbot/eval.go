package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/careersbot/careersbot/bot"
)

// evalCase is one line of an evaluation file (docs/evaluation.md).
type evalCase struct {
	ID     string   `json:"id"`
	Turns  []string `json:"turns"`
	Expect struct {
		Answered *bool    `json:"answered"`
		Any      []string `json:"any"`
		All      []string `json:"all"`
		None     []string `json:"none"`
	} `json:"expect"`
	Tags []string `json:"tags"`
}

func (m *Main) evalCommand() *cobra.Command {
	var ef engineFlags
	var minPct float64
	var verbose bool
	var features string
	c := &cobra.Command{
		Use:   "eval [flags] FILE.jsonl...",
		Short: "Run evaluation files and report accuracy",
		Long: `Runs evaluation cases (JSON Lines, one case a line: id, turns,
expect{answered, any, all, none}, tags; docs/evaluation.md), prints each
failure, accuracy per tag, per answer type and per confidence band, and a
final "N passed, M failed" line. Exits 1 when accuracy is below --min.
--features writes each case's confidence features and whether it passed,
as tab-separated values for tools/fitconfidence.py (run it with
--threshold 0, so that every candidate answer is judged).`,
		Example: `  careersbot eval --min 95 cmd/careersbot/testdata/seed-dev.jsonl
  careersbot eval cases.jsonl --kb pages/ -v`,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("eval: no evaluation file given")
			}
			if minPct < 0 || minPct > 100 {
				return usagef("eval: --min must be a percentage from 0 to 100")
			}
			return m.runEval(c.Context(), &ef, args, minPct, verbose, features)
		},
	}
	ef.register(c.Flags())
	c.Flags().Float64Var(&minPct, "min", 0, "minimum accuracy in percent; below it the exit status is 1")
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "print every case, not only failures")
	c.Flags().StringVar(&features, "features", "", "write each case's confidence features to this file (TSV)")
	return c
}

func (m *Main) runEval(ctx context.Context, ef *engineFlags, files []string, minPct float64, verbose bool, features string) error {
	var cases []evalCase
	for _, f := range files {
		cs, err := readEval(f)
		if err != nil {
			return err
		}
		cases = append(cases, cs...)
	}
	b, _, err := m.newBot(ef)
	if err != nil {
		return err
	}
	var fw *featureWriter
	if features != "" {
		f, err := os.Create(features)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		defer f.Close()
		fw = &featureWriter{w: bufio.NewWriter(f)}
		defer fw.w.Flush()
	}
	type tally struct{ pass, total int }
	byTag := map[string]*tally{}
	byType := map[string]*tally{}
	byBand := make([]tally, len(confidenceBands))
	passed := 0
	for i, c := range cases {
		conv := "eval-" + strconv.Itoa(i)
		var last bot.Reply
		for _, t := range c.Turns {
			last = b.Handle(ctx, bot.Message{Adapter: "eval", Conversation: conv, Text: t})
		}
		b.Forget(conv)
		why := check(c, last)
		ok := why == ""
		if ok {
			passed++
		}
		if fw != nil {
			fw.write(c.ID, ok, *c.Expect.Answered, last)
		}
		kind := last.Intent
		if last.Why != nil && last.Why.AnswerType != "" {
			kind = last.Why.AnswerType
		}
		if kind == "" {
			kind = "(none)"
		}
		if byType[kind] == nil {
			byType[kind] = &tally{}
		}
		byType[kind].total++
		band := bandOf(last.Confidence)
		byBand[band].total++
		if ok {
			byType[kind].pass++
			byBand[band].pass++
		}
		for _, tag := range append([]string{"all"}, c.Tags...) {
			if byTag[tag] == nil {
				byTag[tag] = &tally{}
			}
			byTag[tag].total++
			if ok {
				byTag[tag].pass++
			}
		}
		if !ok || verbose {
			status := "FAIL"
			if ok {
				status = "ok"
			}
			fmt.Fprintf(m.Stdout, "%s %s: %q\n", status, c.ID, strings.Join(c.Turns, " / "))
			if !ok {
				fmt.Fprintf(m.Stdout, "    %s\n", why)
			}
			fmt.Fprintf(m.Stdout, "    got (answered=%v intent=%s topic=%q conf=%.2f): %s\n",
				last.Answered, last.Intent, last.Topic, last.Confidence, last.Text)
		}
	}
	printTallies := func(title string, by map[string]*tally) {
		keys := make([]string, 0, len(by))
		for k := range by {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintln(m.Stdout, title)
		for _, k := range keys {
			x := by[k]
			fmt.Fprintf(m.Stdout, "  %-16s %3d/%-3d %5.1f%%\n", k, x.pass, x.total, pct(x.pass, x.total))
		}
	}
	printTallies("\nAccuracy by tag:", byTag)
	printTallies("\nAccuracy by answer type (as the engine took the question):", byType)
	fmt.Fprintln(m.Stdout, "\nAccuracy by confidence band:")
	for i, b := range confidenceBands {
		x := byBand[i]
		fmt.Fprintf(m.Stdout, "  %-16s %3d/%-3d %5.1f%%\n", b.name, x.pass, x.total, pct(x.pass, x.total))
	}
	acc := pct(passed, len(cases))
	fmt.Fprintf(m.Stdout, "accuracy: %.1f%%\n", acc)
	fmt.Fprintf(m.Stdout, "%d passed, %d failed\n", passed, len(cases)-passed)
	if acc < minPct {
		fmt.Fprintf(m.Stderr, "careersbot: accuracy %.1f%% is below --min %.1f%%\n", acc, minPct)
		return errFailed
	}
	return nil
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// readEval reads an evaluation file, naming the line of any bad case.
func readEval(path string) ([]evalCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	var cases []evalCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var c evalCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if len(c.Turns) == 0 {
			return nil, fmt.Errorf("%s:%d: case %q has no turns", path, n, c.ID)
		}
		if c.Expect.Answered == nil {
			return nil, fmt.Errorf("%s:%d: case %q: expect.answered is required", path, n, c.ID)
		}
		if c.ID == "" {
			c.ID = fmt.Sprintf("%s:%d", path, n)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("%s: no cases", path)
	}
	return cases, nil
}

// check returns why an answer fails a case, or "".
func check(c evalCase, a bot.Reply) string {
	if a.Answered != *c.Expect.Answered {
		return fmt.Sprintf("answered = %v, want %v", a.Answered, *c.Expect.Answered)
	}
	text := fold(a.Text)
	if len(c.Expect.Any) > 0 {
		found := false
		for _, s := range c.Expect.Any {
			if strings.Contains(text, fold(s)) {
				found = true
				break
			}
		}
		if !found {
			return fmt.Sprintf("answer has none of %q", c.Expect.Any)
		}
	}
	for _, s := range c.Expect.All {
		if !strings.Contains(text, fold(s)) {
			return fmt.Sprintf("answer lacks %q", s)
		}
	}
	for _, s := range c.Expect.None {
		if strings.Contains(text, fold(s)) {
			return fmt.Sprintf("answer has %q", s)
		}
	}
	return ""
}

// fold lower-cases and folds white space, as docs/evaluation.md says answers are compared.
func fold(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, "\u00a0", " "))), " ")
}

// confidenceBands are the ranges eval reports accuracy for, so that the
// threshold can be chosen from what the confidence means.
var confidenceBands = []struct {
	name string
	from float64
}{
	{"0.00-0.25", 0}, {"0.25-0.50", 0.25}, {"0.50-0.75", 0.5}, {"0.75-0.90", 0.75}, {"0.90-1.00", 0.9},
}

func bandOf(c float64) int {
	for i := len(confidenceBands) - 1; i > 0; i-- {
		if c >= confidenceBands[i].from {
			return i
		}
	}
	return 0
}

// featureWriter writes one row per case: its id, 1 if it passed, 1 if the
// case expects an answer, the confidence, then the features in the
// header's order.
type featureWriter struct {
	w     *bufio.Writer
	names []string
}

func (fw *featureWriter) write(id string, ok, answerable bool, r bot.Reply) {
	if r.Why == nil || len(r.Why.Values) == 0 {
		return // small talk and refusals before ranking have no features
	}
	features := r.Why.FeatureMap()
	if fw.names == nil {
		for n := range features {
			fw.names = append(fw.names, n)
		}
		sort.Strings(fw.names)
		fmt.Fprintf(fw.w, "id\tpassed\tanswerable\tconfidence\t%s\n", strings.Join(fw.names, "\t"))
	}
	fmt.Fprintf(fw.w, "%s\t%d\t%d\t%.4f", id, b2i(ok), b2i(answerable), r.Confidence)
	for _, n := range fw.names {
		fmt.Fprintf(fw.w, "\t%.4f", features[n])
	}
	fmt.Fprintln(fw.w)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
