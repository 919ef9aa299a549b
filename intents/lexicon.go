package intents

import (
	"sort"
	"strings"
	"sync"

	"github.com/hbollon/go-edlib"
	"github.com/kljensen/snowball/english"
	"github.com/sahilm/fuzzy"
)

// stemCache remembers stems: the same few thousand words come back in
// every question and answer, and the stemmer is the engine's costliest
// step. It is bounded; past its size, new words are stemmed each time.
var stemCache struct {
	sync.RWMutex // protects m
	m            map[string]string
}

const stemCacheSize = 1 << 16

// stem returns the Snowball (Porter2) stem of a lower-case word.
func stem(w string) string {
	if len(w) <= 2 {
		return w
	}
	stemCache.RLock()
	s, ok := stemCache.m[w]
	stemCache.RUnlock()
	if ok {
		return s
	}
	s = english.Stem(w, false)
	if len(w) <= 40 {
		stemCache.Lock()
		if stemCache.m == nil {
			stemCache.m = make(map[string]string)
		}
		if len(stemCache.m) < stemCacheSize {
			stemCache.m[w] = s
		}
		stemCache.Unlock()
	}
	return s
}

// related reports whether two stems are forms of one word that the
// stemmer keeps apart ("scientist"/"scienc", "physicist"/"physic",
// "bioinformatician"/"bioinformat"): they share a prefix of at least five
// letters, the shorter has at most two letters more, and the longer
// continues with a suffix that makes a person or an adjective of a word.
func related(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) < 5 || len(b) < 5 {
		return false
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	n := 0
	for n < len(b) && a[n] == b[n] {
		n++
	}
	if n < 5 || len(b)-n > 2 {
		return false
	}
	return personSuffix(a[n:]) || n == len(b) && len(a)-n >= 3 && personSuffix(a[n+1:]) // "counsel" + "lor"
}

// personSuffix reports suffixes that make a person or an adjective of a
// word: physic-ist, bioinformat-ician, genet-ic.
func personSuffix(r string) bool {
	switch r {
	case "", "ist", "ists", "st", "sts", "tist", "icist", "ician", "ian", "er", "or", "ic", "ical", "al", "ics", "y", "i", "e", "t", "tic", "ri":
		return true
	}
	return false
}

// speller corrects misspelt words against a vocabulary: sahilm/fuzzy finds
// candidates that contain the typed letters in order (dropped letters),
// and the optimal string alignment (Damerau) distance from go-edlib accepts
// swapped, doubled, dropped and wrong letters within a budget that grows
// with word length.
type speller struct {
	words  []string         // vocabulary, for fuzzy
	byLen  map[int][]string // vocabulary by length, for the edit distance
	weight map[string]int   // preference among equally close words

	mu    sync.Mutex        // protects cache
	cache map[string]string // word -> correction ("" = none); bounded
}

const spellCacheSize = 4096

func newSpeller(weight map[string]int) *speller {
	sp := &speller{byLen: map[int][]string{}, weight: weight, cache: map[string]string{}}
	for w := range weight {
		sp.words = append(sp.words, w)
		sp.byLen[len(w)] = append(sp.byLen[len(w)], w)
	}
	// deterministic order for ties
	sort.Strings(sp.words)
	for _, ws := range sp.byLen {
		sort.Strings(ws)
	}
	return sp
}

// budget is how many edits a word of n letters may carry.
func budget(n int) int {
	switch {
	case n <= 2:
		return 0
	case n <= 7:
		return 1
	default:
		return 2
	}
}

// correct returns the vocabulary word w was most likely meant to be, or "".
func (sp *speller) correct(w string) string {
	sp.mu.Lock()
	c, ok := sp.cache[w]
	sp.mu.Unlock()
	if ok {
		return c
	}
	c = sp.search(w)
	sp.mu.Lock()
	if len(sp.cache) >= spellCacheSize {
		clear(sp.cache)
	}
	sp.cache[w] = c
	sp.mu.Unlock()
	return c
}

func (sp *speller) search(w string) string {
	max := budget(len([]rune(w)))
	if max == 0 || len(w) > 40 {
		return ""
	}
	best, bestD, bestW := "", max+1, -1
	short := len(w) <= 4 // "long" must not become "lung": short words only correct to cue and topic words
	consider := func(c string) {
		if short && sp.weight[c] < 2 {
			return
		}
		d := edlib.OSADamerauLevenshteinDistance(w, c)
		if d > max {
			return
		}
		cw := sp.weight[c]
		if c[0] == w[0] {
			cw++ // a wrong first letter is rarer than a wrong later one
		}
		if d < bestD || d == bestD && cw > bestW {
			best, bestD, bestW = c, d, cw
		}
	}
	for n := len(w) - max; n <= len(w)+max; n++ {
		for _, c := range sp.byLen[n] {
			consider(c)
		}
	}
	if best == "" && len(w) >= 4 {
		// Dropped letters beyond the edit budget: the typed word is a
		// subsequence of a longer vocabulary word ("bioinfmatics").
		for _, m := range fuzzy.Find(w, sp.words) {
			c := m.Str
			if len(c)-len(w) <= max+1 && c[0] == w[0] {
				best = c
				break
			}
		}
	}
	return best
}

// cue is one cue phrase of an intent; "*" matches up to three words.
type cue struct {
	intent *IntentSpec
	words  []string
	score  int
	order  int // position in the data, to break ties as the data lists them
}

// match finds the cue in words and returns the positions of its literal
// words, or nil.
func (c *cue) match(words []string) []int {
	for start := range words {
		if pos := matchFrom(c.words, words, start, nil); pos != nil {
			return pos
		}
	}
	return nil
}

func matchFrom(pat, words []string, i int, acc []int) []int {
	if len(pat) == 0 {
		if acc == nil {
			return []int{}
		}
		return acc
	}
	if pat[0] == "*" {
		for skip := 0; skip <= 3 && i+skip <= len(words); skip++ {
			if skip > 0 && i+skip-1 >= len(words) {
				break
			}
			if r := matchFrom(pat[1:], words, i+skip, acc); r != nil {
				return r
			}
		}
		return nil
	}
	if i >= len(words) || words[i] != pat[0] {
		return nil
	}
	return matchFrom(pat[1:], words, i+1, append(acc, i))
}

func joinWords(ws []string) string { return strings.Join(ws, " ") }
