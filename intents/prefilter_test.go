package intents

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestRequiredFactors(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    []string // nil: no test
	}{
		{`(?i)\bband\s*\d`, []string{"band"}},
		{`£\s?\d|(?i:\bbands?\s*\d)`, []string{"£", "band"}},
		{`\d+\s*%`, []string{"%"}},
		{`(?i)\b(?:daily|weekly)\b`, []string{"daily", "weekly"}},
		{`a|b*`, nil}, // b* matches the empty string
		{`(?i)from .{3,40} to`, []string{"from "}},
		{`.*`, nil},
		{`[a-z]+`, nil}, // too large a class
		{`x{0,3}`, nil},
	} {
		got := requiredFactors(c.pattern)
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("requiredFactors(%q) = %q, want %q", c.pattern, got, want)
		}
	}
}

// TestQuantityFactorsNeverMiss: the quantity patterns' factors are held by
// every sentence a pattern matches, on the seed and the test pages (the
// test only spares running a pattern; it must never change a match).
func TestQuantityFactorsNeverMiss(t *testing.T) {
	e := pageEngine(t, "../knowledge/testdata/pages", "testdata")
	matched := 0
	for _, q := range e.quantities {
		if q.need == nil {
			continue
		}
		for _, si := range e.ix.sents {
			if q.re.MatchString(si.s.Text) {
				matched++
				if !holdsAny(strings.ToLower(si.s.Text), q.need) {
					t.Errorf("%s matches %q, which holds none of %q", q.name, si.s.Text, q.need)
				}
			}
		}
	}
	if matched == 0 {
		t.Fatal("no sentence matched any quantity: the test tests nothing")
	}
	// and a sentence with none of a pattern's factors is not matched
	re := regexp.MustCompile(`£\s?\d`)
	if f := requiredFactors(re.String()); holdsAny("a salary of 30,000 a year", f) {
		t.Errorf("factors %q found in a sentence without a pound sign", f)
	}
}
