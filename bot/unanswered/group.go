package unanswered

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/kljensen/snowball/english"
)

// Group is a set of unanswered questions with similar wording.
type Group struct {
	Example  string         `json:"example"` // the most frequent wording
	Count    int            `json:"count"`
	Wordings []Wording      `json:"wordings"` // most frequent first
	First    time.Time      `json:"first"`
	Last     time.Time      `json:"last"`
	Adapters map[string]int `json:"adapters"`

	terms []string // normalised terms of the example
}

// Wording is one distinct wording in a group.
type Wording struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// Similarity is the share of terms two questions must have in common
// (typos allowed) to be grouped.
const Similarity = 0.6

// GroupEntries groups entries by similar wording: questions with the same
// normalised terms (case, punctuation, word forms and filler words aside)
// always group together, and groups whose terms mostly match (allowing a
// typo per word) are merged. Groups come most frequent first.
func GroupEntries(entries []Entry) []Group {
	// First: exact wording (folded), then identical term sets.
	type wording struct {
		text  string
		count int
		last  time.Time
	}
	byKey := map[string]*Group{}
	words := map[string]map[string]*wording{} // key -> folded text -> wording
	var keys []string
	for _, e := range entries {
		terms := Terms(e.Question)
		key := strings.Join(terms, " ")
		if key == "" {
			key = "\x00" + strings.ToLower(e.Question)
		}
		g, ok := byKey[key]
		if !ok {
			g = &Group{First: e.At, Last: e.At, Adapters: map[string]int{}, terms: terms}
			byKey[key] = g
			words[key] = map[string]*wording{}
			keys = append(keys, key)
		}
		g.Count++
		g.Adapters[e.Adapter]++
		if e.At.Before(g.First) {
			g.First = e.At
		}
		if e.At.After(g.Last) {
			g.Last = e.At
		}
		folded := fold(e.Question)
		w, ok := words[key][folded]
		if !ok {
			w = &wording{text: e.Question, last: e.At}
			words[key][folded] = w
		}
		w.count++
		if e.At.After(w.last) {
			w.last = e.At
		}
	}
	groups := make([]*Group, 0, len(keys))
	for _, key := range keys {
		g := byKey[key]
		for _, w := range words[key] {
			g.Wordings = append(g.Wordings, Wording{Text: w.text, Count: w.count})
		}
		sortWordings(g.Wordings)
		groups = append(groups, g)
	}
	sortGroups(groups)

	// Then merge similar groups into the most frequent one they match.
	var merged []*Group
	for _, g := range groups {
		into := -1
		if len(g.terms) > 0 {
			for i, m := range merged {
				if similar(g.terms, m.terms) {
					into = i
					break
				}
			}
		}
		if into < 0 {
			merged = append(merged, g)
			continue
		}
		m := merged[into]
		m.Count += g.Count
		m.Wordings = append(m.Wordings, g.Wordings...)
		for a, n := range g.Adapters {
			m.Adapters[a] += n
		}
		if g.First.Before(m.First) {
			m.First = g.First
		}
		if g.Last.After(m.Last) {
			m.Last = g.Last
		}
	}
	sortGroups(merged)
	out := make([]Group, len(merged))
	for i, g := range merged {
		sortWordings(g.Wordings)
		g.Example = g.Wordings[0].Text
		out[i] = *g
	}
	return out
}

// fold is the identity of a wording: case, punctuation and spacing aside.
func fold(q string) string {
	f := strings.Join(strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
	if f == "" {
		return strings.ToLower(q)
	}
	return f
}

func sortWordings(w []Wording) {
	sort.SliceStable(w, func(i, j int) bool {
		if w[i].Count != w[j].Count {
			return w[i].Count > w[j].Count
		}
		return w[i].Text < w[j].Text
	})
}

func sortGroups(g []*Group) {
	sort.SliceStable(g, func(i, j int) bool {
		if g[i].Count != g[j].Count {
			return g[i].Count > g[j].Count
		}
		return g[i].Last.After(g[j].Last)
	})
}

// filler words carry no topic; dropping them lets "what is X" and "what's
// X?" group together. Question words (what, where, who) are kept: they tell
// questions about the same topic apart.
var filler = map[string]bool{
	"a": true, "an": true, "the": true, "is": true, "are": true, "was": true, "were": true,
	"be": true, "do": true, "does": true, "did": true, "i": true, "me": true, "my": true,
	"you": true, "your": true, "it": true, "its": true, "s": true, "of": true, "to": true,
	"in": true, "on": true, "at": true, "for": true, "and": true, "or": true, "about": true,
	"can": true, "could": true, "would": true, "please": true, "tell": true, "know": true,
	"there": true, "some": true, "any": true, "with": true, "this": true, "that": true,
	"hi": true, "hello": true, "hey": true, "thanks": true, "so": true, "just": true,
	"want": true, "like": true, "need": true, "get": true, "much": true,
}

// Terms normalises a question into its sorted, distinct content terms:
// lower case, letters and digits only, filler words dropped, each word
// stemmed (Snowball English) so "nurses" and "nursing" meet.
func Terms(q string) []string {
	fields := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	seen := map[string]bool{}
	var out []string
	for _, f := range fields {
		if filler[f] {
			continue
		}
		t := english.Stem(f, false)
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// similar reports whether two term sets overlap enough: matched terms
// (equal, or one typo apart in longer words) over the larger set.
func similar(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	used := make([]bool, len(b))
	matched := 0
	for _, x := range a {
		for j, y := range b {
			if !used[j] && termsMatch(x, y) {
				used[j] = true
				matched++
				break
			}
		}
	}
	n := max(len(a), len(b))
	return float64(matched)/float64(n) >= Similarity
}

func termsMatch(x, y string) bool {
	if x == y {
		return true
	}
	n := min(len([]rune(x)), len([]rune(y)))
	switch {
	case n >= 8:
		return distance(x, y) <= 2
	case n >= 4:
		return distance(x, y) <= 1
	}
	return false
}

// distance is the optimal string alignment distance (Levenshtein plus
// adjacent transpositions) between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// AdapterCounts names the adapters the group's questions came through,
// most first ("slack 3, web 1"), with sep between them.
func (g Group) AdapterCounts(sep string) string {
	names := make([]string, 0, len(g.Adapters))
	for n := range g.Adapters {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if g.Adapters[names[i]] != g.Adapters[names[j]] {
			return g.Adapters[names[i]] > g.Adapters[names[j]]
		}
		return names[i] < names[j]
	})
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %d", n, g.Adapters[n])
	}
	return strings.Join(parts, sep)
}
