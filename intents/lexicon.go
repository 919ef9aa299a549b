package intents

import (
	"strings"
	"sync"

	"github.com/kljensen/snowball/english"
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

// rootSuffixes are endings that make a person, a practice or an adjective
// of one word, which the stemmer keeps apart: scientist/science,
// radiographer/radiography, therapist/therapy, bioinformatician/
// bioinformatics, biochemist/biochemistry.
var rootSuffixes = []string{"ician", "istri", "ist", "ian", "ic", "er", "i", "y", "e", "t", "c"}

// minRoot is the shortest root an ending is stripped to: "clinic" and
// "clinical" stay apart.
const minRoot = 5

// root folds a stem onto the form its relatives share, so that a question
// about scientists finds the pages about sciences. At most two endings are
// stripped, never below minRoot letters.
func root(st string) string {
	for n := 0; n < 2; n++ {
		stripped := false
		for _, suf := range rootSuffixes {
			if len(st)-len(suf) >= minRoot && strings.HasSuffix(st, suf) {
				st = st[:len(st)-len(suf)]
				stripped = true
				break
			}
		}
		if !stripped {
			break
		}
	}
	return st
}

// cueGap is how many words a cue's "*" stands for at most: "what does a *
// do" takes "clinical scientist in physical sciences".
const cueGap = 6

// cue is one cue phrase of an intent; "*" matches up to cueGap words.
type cue struct {
	intent *IntentSpec
	words  []string
	bloom  uint64 // wordBloom of its words: a question without them all cannot match
	score  int
	order  int // position in the data, to break ties as the data lists them
}

// wordBloom is a 64-bit set of the words' hashes ("*" left out). A phrase
// can only be in a text whose bloom holds all of the phrase's bits.
func wordBloom(ws []string) uint64 {
	var b uint64
	for _, w := range ws {
		if w != "*" {
			h := uint32(2166136261) // FNV-1a
			for i := 0; i < len(w); i++ {
				h = (h ^ uint32(w[i])) * 16777619
			}
			b |= 1 << (h & 63)
		}
	}
	return b
}

// match finds the cue in words and returns the positions of its literal
// words in buf, or nil.
func (c *cue) match(words []string, buf *[16]int) []int {
	if len(c.words) > len(buf) {
		return nil
	}
	for start := range words {
		if words[start] != c.words[0] {
			continue
		}
		if n, ok := matchFrom(c.words, words, start, buf[:0]); ok {
			return buf[:n]
		}
	}
	return nil
}

// matchFrom matches pat against words from i, appending the positions of
// pat's literal words to acc (which has room for all of them); it returns
// how many positions acc then holds.
func matchFrom(pat, words []string, i int, acc []int) (int, bool) {
	if len(pat) == 0 {
		return len(acc), true
	}
	if pat[0] == "*" {
		for skip := 0; skip <= cueGap && i+skip <= len(words); skip++ {
			if n, ok := matchFrom(pat[1:], words, i+skip, acc); ok {
				return n, true
			}
		}
		return 0, false
	}
	if i >= len(words) || words[i] != pat[0] {
		return 0, false
	}
	return matchFrom(pat[1:], words, i+1, append(acc, i))
}

// termOf is the index term of a lower-case word: its root (see root) after
// stemming, with plurals in -ives taken as -ife first (midwives, midwife),
// which the stemmer keeps apart.
func termOf(w string) string {
	if len(w) > 5 && strings.HasSuffix(w, "ives") {
		w = w[:len(w)-4] + "ife"
	}
	return root(stem(w))
}
