package intents

import (
	"sort"
	"strings"
	"sync"

	"github.com/hbollon/go-edlib"
	"github.com/sahilm/fuzzy"
)

// spellDict corrects misspelt words against the words of the knowledge base
// and the everyday words people type, SymSpell-style: every dictionary word
// is stored under itself and each of its one-letter deletions (long words
// under their two-letter ones too), so a typed
// word finds its candidates through its own deletions (up to two) with a
// few map look-ups, whatever the size of the base. Candidates are checked
// with the optimal string alignment (Damerau) distance from go-edlib, which
// counts a swap of two letters as one edit. Words missing more letters than
// that are found as subsequences of longer words by sahilm/fuzzy, among the
// words that share their first letter.
type spellDict struct {
	freq    map[string]int     // word -> how often the base uses it (everyday words count 1)
	deletes map[string][]int32 // a word or one of its one-letter deletions -> words
	words   []string
	byFirst map[byte][]string // words by first letter, for the subsequence search
	oneFrom int               // words this long may carry one edit
	twoFrom int               // and this long two

	mu    sync.Mutex        // protects cache
	cache map[string]string // typed word -> correction ("" none); bounded
}

const spellCacheSize = 8192

// knownOnly is the weight of a word the dictionary knows but never
// corrects to: "stuck" must not become "stock", an out-of-scope word.
const knownOnly = -1

func newSpellDict(freq map[string]int, t Tuning) *spellDict {
	d := &spellDict{freq: freq, deletes: make(map[string][]int32, len(freq)*4), byFirst: map[byte][]string{},
		oneFrom: t.SpellOneFrom, twoFrom: t.SpellTwoFrom, cache: map[string]string{}}
	for w := range freq {
		d.words = append(d.words, w)
	}
	sort.Strings(d.words) // deterministic ties
	for i, w := range d.words {
		if len(w) < d.oneFrom-1 || d.freq[w] == knownOnly {
			continue
		}
		d.deletes[w] = append(d.deletes[w], int32(i))
		for _, del := range deletions(w) {
			d.deletes[del] = append(d.deletes[del], int32(i))
			if len(w) >= d.twoFrom {
				// long words also under their two-letter deletions, so that
				// two edits on either side meet ("respritory")
				for _, del2 := range deletions(del) {
					d.deletes[del2] = append(d.deletes[del2], int32(i))
				}
			}
		}
		d.byFirst[w[0]] = append(d.byFirst[w[0]], w)
	}
	return d
}

// deletions returns w with one letter removed, each way (bytes: the
// vocabulary is mostly ASCII, and a broken rune only fails to match).
func deletions(w string) []string {
	out := make([]string, 0, len(w))
	for i := range len(w) {
		out = append(out, w[:i]+w[i+1:])
	}
	return out
}

// budget is how many edits a typed word of n bytes may carry.
func (d *spellDict) budget(n int) int {
	switch {
	case n >= d.twoFrom:
		return 2
	case n >= d.oneFrom:
		return 1
	}
	return 0
}

// known reports whether w is a dictionary word.
func (d *spellDict) known(w string) bool { _, ok := d.freq[w]; return ok }

// inflectsOther reports whether w is a known word with a regular ending
// ("spreading": spread, "visited": visit), so a real word the dictionary
// lacks in that form, and the correction c another word ("spending").
func (d *spellDict) inflectsOther(w, c string) bool {
	for _, suf := range []string{"ing", "ed", "es", "s", "ly", "er", "ers"} {
		base, ok := strings.CutSuffix(w, suf)
		if !ok || len(base) < 4 {
			continue
		}
		n := len(base)
		known := d.known(base) || d.known(base+"e") || base[n-1] == base[n-2] && d.known(base[:n-1]) // "planning": plan
		if known && !strings.HasPrefix(c, base[:n-1]) {
			return true
		}
	}
	return false
}

// correct returns the dictionary word w was most likely meant to be, or ""
// when w is known or nothing is close enough.
func (d *spellDict) correct(w string) string {
	if d.known(w) || len(w) > 40 {
		return ""
	}
	d.mu.Lock()
	c, ok := d.cache[w]
	d.mu.Unlock()
	if ok {
		return c
	}
	c = d.search(w)
	d.mu.Lock()
	if len(d.cache) >= spellCacheSize {
		clear(d.cache)
	}
	d.cache[w] = c
	d.mu.Unlock()
	return c
}

func (d *spellDict) search(w string) string {
	max := d.budget(len(w))
	if max == 0 {
		return ""
	}
	best, bestD, bestF := "", max+1, -1
	seen := map[int32]bool{}
	consider := func(ids []int32) {
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			c := d.words[id]
			dist := edlib.OSADamerauLevenshteinDistance(w, c)
			if dist > max {
				continue
			}
			f := d.freq[c]
			if f == knownOnly {
				continue
			}
			if c[0] == w[0] {
				f += 1 << 20 // a wrong first letter is rarer than a wrong later one
			} else if dist > 1 || len(w) < 7 {
				continue // so rare that an everyday word the speller lacks is likelier ("season", "especially")
			}
			if dist < bestD || dist == bestD && f > bestF {
				best, bestD, bestF = c, dist, f
			}
		}
	}
	consider(d.deletes[w])
	dels := deletions(w)
	for _, del := range dels {
		consider(d.deletes[del])
	}
	if max >= 2 {
		for _, del := range dels {
			for _, del2 := range deletions(del) {
				consider(d.deletes[del2])
			}
		}
	}
	if best == "" && len(w) >= d.oneFrom {
		// Letters dropped beyond the edit budget ("bioinfmatics"): the
		// typed word is a subsequence of a slightly longer word.
		for _, m := range fuzzy.FindNoSort(w, d.byFirst[w[0]]) {
			c := m.Str
			if n := len(c) - len(w); n > 0 && n <= max+1 && d.freq[c] != knownOnly && (best == "" || d.freq[c] > d.freq[best]) {
				best = c
			}
		}
	}
	return best
}
