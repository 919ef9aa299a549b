package intents

import (
	"slices"
	"strings"
	"unicode"
)

// term is one content word of a question, after spelling, typo and
// synonym handling.
type term struct {
	word    string
	stems   []string // what it stands for (several for synonyms)
	own     int      // stems[:own] are its own; the rest are related forms of topic names
	pos     int
	known   bool // some stem is in the knowledge base
	generic bool // names careers in general (staff, area, NHS)
	cue     bool // part of an intent cue ("equipment", "patients")
	oos     bool // an out-of-scope word the pages do not use
	number  bool
}

// topicHit is a topic named in the question.
type topicHit struct {
	topic   *topicInfo
	quality float64 // share of the name matched, 0..1
	weight  float64 // evidence: idf of the matched words
	pos     int     // first word of the match
	whole   bool    // matched the topic's whole name, not a part of it
	exact   int     // words matched in the very form the question used
	stems   map[string]bool
}

// analysis is what the engine understood of a question.
type analysis struct {
	words     []string // normalised words, typos corrected
	terms     []*term
	intent    *IntentSpec
	intentLit map[int]bool // positions of the winning cue's words
	intentCue *cue
	cues      []*cue     // every cue found in the question
	quantity  bool       // asks how long or how much time: the answer must say
	topics    []topicHit // best first
	follow    bool       // refers back ("they", "and ...?")
	empty     bool       // nothing left after cleaning
}

func (e *Engine) analyse(text string) *analysis {
	a := &analysis{intentLit: map[int]bool{}}
	raw := Words(Clean(text))
	if len(raw) > 200 {
		raw = raw[:200]
	}
	if len(raw) == 0 {
		a.empty = true
		return a
	}
	// 1. slips, spelling and typos
	raw = e.correctPhrases(raw)
	for i, w := range raw {
		w = ukSpelling(w, e.lx.Spelling)
		if !e.isKnownWord(w) {
			if c := e.speller.correct(w); c != "" {
				w = c
			}
		}
		raw[i] = w
	}
	a.words = raw
	// 2. intent: the most specific cue found. Only cues whose first word
	// is in the question can match.
	best := -1
	var lit []int
	cueAt := map[int]bool{}
	seen := map[*cue]bool{}
	for _, w := range raw {
		for _, c := range e.cuesByWord[w] {
			if seen[c] {
				continue
			}
			seen[c] = true
			pos := c.match(raw)
			if pos == nil {
				continue
			}
			a.cues = append(a.cues, c)
			if c.score > best || c.score == best && c.order < a.intentCue.order {
				best, a.intent, a.intentCue, lit = c.score, c.intent, c, pos
			}
			if c.intent.Name != IntentOverview && !c.intent.Smalltalk {
				for _, p := range pos {
					cueAt[p] = true
				}
			}
		}
	}
	for _, p := range lit {
		a.intentLit[p] = true
	}
	for p := range a.intentLit {
		cueAt[p] = true
	}
	// 3. content terms, with synonyms
	for i := 0; i < len(raw); i++ {
		w := raw[i]
		if e.follow[w] {
			a.follow = true
		}
		if phrase, repl := e.synonymAt(raw, i); phrase > 0 {
			t := &term{word: joinWords(raw[i : i+phrase]), pos: i, cue: cueAt[i]}
			for _, r := range repl {
				t.stems = append(t.stems, stem(r))
			}
			// keep the words themselves where the pages use them
			for _, x := range raw[i : i+phrase] {
				if !e.stop[x] && e.vocab[stem(x)] {
					t.stems = append(t.stems, stem(x))
				}
			}
			e.classify(t)
			a.terms = append(a.terms, t)
			i += phrase - 1
			continue
		}
		if e.stop[w] {
			continue
		}
		t := &term{word: w, pos: i, cue: cueAt[i], stems: []string{stem(w)}}
		e.classify(t)
		a.terms = append(a.terms, t)
	}
	// "which area checks for ...", "who checks ...": the verb after a
	// membership cue says how, not what; it need not be in the pages.
	if a.intent != nil && a.intent.Name == IntentMembership {
		last := -1
		for p := range a.intentLit {
			last = max(last, p)
		}
		for _, t := range a.terms {
			if t.pos == last+1 && !t.known {
				t.cue = true
			}
		}
	}
	a.quantity = asksQuantity(raw)
	if len(raw) > 0 && (raw[0] == "and" || raw[0] == "what" && len(raw) > 1 && raw[1] == "about") {
		a.follow = true
	}
	a.topics = e.findTopics(a)
	return a
}

// correctPhrases applies the lexicon's corrections ("were do" -> "where
// do"), longest phrase first.
func (e *Engine) correctPhrases(words []string) []string {
	if len(e.corrections) == 0 {
		return words
	}
	out := make([]string, 0, len(words))
	for i := 0; i < len(words); {
		done := false
		for _, c := range e.corrections[words[i]] {
			if i+len(c.from) <= len(words) && slices.Equal(words[i:i+len(c.from)], c.from) {
				out = append(out, c.to...)
				i += len(c.from)
				done = true
				break
			}
		}
		if !done {
			out = append(out, words[i])
			i++
		}
	}
	return out
}

// asksQuantity reports whether a question asks for a duration or an
// amount of time ("how long", "how much time", "how many years"), which
// only a sentence with a number can answer.
func asksQuantity(words []string) bool {
	for i := 0; i+1 < len(words); i++ {
		if words[i] != "how" {
			continue
		}
		switch next := words[i+1]; {
		case next == "long" || next == "often":
			return true
		case (next == "much" || next == "many") && i+2 < len(words):
			switch words[i+2] {
			case "time", "years", "months", "weeks", "days", "hours":
				return true
			}
		}
	}
	return false
}

// isKnownWord reports whether w needs no spelling correction.
func (e *Engine) isKnownWord(w string) bool {
	if e.stop[w] || e.cueWord[w] || e.oos[w] || e.generic[w] || e.follow[w] || e.common[w] {
		return true
	}
	if _, ok := e.synonyms[stem(w)]; ok {
		return true
	}
	if len(w) < 3 || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
		return true
	}
	s := stem(w)
	if e.vocab[s] {
		return true
	}
	return e.derive(s) != ""
}

// derive maps a stem the pages do not use onto a related one they do
// ("scientist" -> "scienc"), preferring topic words.
func (e *Engine) derive(s string) string {
	if len(s) < 5 {
		return ""
	}
	best := ""
	for _, as := range e.aliasByPrefix[s[:5]] {
		if related(s, as) && len(as) > len(best) {
			best = as
		}
	}
	if best != "" {
		return best
	}
	// Only a few stems share the first five letters; scan those.
	for _, v := range e.vocabPre[s[:5]] {
		if related(s, v) && len(v) > len(best) {
			best = v
		}
	}
	return best
}

// hasPrefixStem reports whether the pages use a longer form of a stem
// ("midwif" in "midwifery").
func (e *Engine) hasPrefixStem(s string) bool {
	if len(s) < 5 {
		return false
	}
	for _, v := range e.vocabPre[s[:5]] {
		if strings.HasPrefix(v, s) {
			return true
		}
	}
	return false
}

func (e *Engine) synonymAt(words []string, i int) (int, []string) {
	// Phrases match by stem: "becoming" finds the entry for "become".
	for _, p := range e.synonyms[stem(words[i])] {
		if i+len(p.stems) > len(words) {
			continue
		}
		ok := true
		for j, x := range p.stems[1:] {
			if stem(words[i+1+j]) != x {
				ok = false
				break
			}
		}
		if ok {
			return len(p.stems), p.to
		}
	}
	return 0, nil
}

func (e *Engine) classify(t *term) {
	if strings.IndexFunc(t.word, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
		t.number = true
	}
	if e.generic[t.word] || e.common[t.word] && !e.vocab[stem(t.word)] {
		t.generic = true // an everyday word the pages do not use weighs nothing
	}
	for i, s := range t.stems {
		if e.vocab[s] {
			t.known = true
			continue
		}
		if d := e.derive(s); d != "" {
			t.stems[i] = d
			t.known = true
		}
	}
	// Word forms of topic names: "scientists" also stands for "sciences".
	t.own = len(t.stems)
	for _, s := range t.stems {
		if len(s) < 5 {
			continue
		}
		for _, as := range e.aliasByPrefix[s[:5]] {
			if as != s && related(s, as) && !slices.Contains(t.stems, as) {
				t.stems = append(t.stems, as)
			}
		}
	}
	// An out-of-scope word ("salary") is in scope when the pages use it,
	// or when a heading uses what it stands for ("Pay and benefits"):
	// "pay close attention" in a skills list does not make pay a subject.
	if e.oos[t.word] && !e.vocab[stem(t.word)] && !e.hasPrefixStem(stem(t.word)) {
		t.oos = true
		for _, s := range t.stems {
			if e.headings[s] {
				t.oos = false
			}
		}
	}
}

// findTopics matches the question's stems against every topic name.
func (e *Engine) findTopics(a *analysis) []topicHit {
	have := map[string]int{}   // stem -> position
	exact := map[string]bool{} // the question used this very form
	for _, t := range a.terms {
		if t.generic {
			continue
		}
		for i, s := range t.stems {
			if _, ok := have[s]; !ok {
				have[s] = t.pos
			}
			if i < t.own {
				exact[s] = true
			}
		}
	}
	seen := map[*alias]bool{}
	best := map[*topicInfo]topicHit{}
	// Every accepted match holds its alias's most distinctive word, so
	// only aliases headed by a question word are candidates.
	for s := range have {
		for _, al := range e.headIdx[s] {
			if seen[al] {
				continue
			}
			seen[al] = true
			var w float64
			pos := len(a.words)
			matched := map[string]bool{}
			nExact := 0
			headOK := false
			for _, as := range al.stems {
				if p, ok := have[as]; ok {
					if exact[as] {
						w += e.idf(as)
						nExact++
					} else {
						w += 0.8 * e.idf(as) // "physiologists" names a physiologist before physiology
					}
					matched[as] = true
					pos = min(pos, p)
					if as == al.head {
						headOK = true
					}
				}
			}
			q := w / al.weight
			if !headOK {
				continue
			}
			full := len(matched) == len(al.stems)
			if !full && namesOther(a, pos, len(matched)) {
				// "life sciences" is not "healthcare science": an unknown
				// word beside a partial match names something else
				continue
			}
			switch {
			case full && q < 0.999:
				q = 1 // every word named, some in another form ("counselling")
			case !full:
				q = 0.7 + 0.3*q // named by its distinctive word alone
			}
			h := topicHit{topic: al.topic, quality: q, weight: w, pos: pos, stems: matched, whole: al.whole, exact: nExact}
			if old, ok := best[al.topic]; !ok || h.weight > old.weight || h.weight == old.weight && h.quality > old.quality {
				best[al.topic] = h
			}
		}
	}
	var hits []topicHit
	for _, h := range best {
		hits = append(hits, h)
	}
	// Drop a topic whose matched words are all inside a better match
	// ("sciences" of "life sciences" also names "infection sciences"), and
	// a part named by no more than names its whole ("apprenticeship" names
	// the page, not its "Apprenticeship levels" section).
	var out []topicHit
	for _, h := range hits {
		covered := false
		for _, o := range hits {
			if o.topic != h.topic && isUnder(h.topic.t, o.topic.t) && sameStems(h.stems, o.stems) &&
				(h.quality < 0.999 || o.whole) {
				covered = true
				break
			}
			if o.topic == h.topic || o.weight <= h.weight {
				continue
			}
			all := true
			for s := range h.stems {
				if !o.stems[s] {
					all = false
				}
			}
			if all {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, h)
		}
	}
	// best first: full matches, then evidence, then earliest
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && betterHit(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// namesOther reports whether an unknown word stands right before or after
// the n words matched from position pos.
func namesOther(a *analysis, pos, n int) bool {
	for _, t := range a.terms {
		if (t.pos == pos-1 || t.pos == pos+n) && !t.known && !t.generic && !t.number {
			return true
		}
	}
	return false
}

func sameStems(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for s := range a {
		if !b[s] {
			return false
		}
	}
	return true
}

func betterHit(x, y topicHit) bool {
	if (x.quality > 0.999) != (y.quality > 0.999) {
		return x.quality > 0.999
	}
	// "genomic counselling" names the genomic counsellor (two words) before
	// genomics (one)
	if len(x.stems) != len(y.stems) {
		return len(x.stems) > len(y.stems)
	}
	if x.exact != y.exact {
		return x.exact > y.exact // "pharmacy" is the pharmacy before the pharmacist
	}
	if x.weight != y.weight {
		return x.weight > y.weight
	}
	// "medical physics" names the page called that before the "...and
	// medical physics" area above it.
	if x.whole != y.whole {
		return x.whole
	}
	if hx, hy := x.topic.t.Section != nil, y.topic.t.Section != nil; hx != hy {
		return hx
	}
	if x.pos != y.pos {
		return x.pos < y.pos
	}
	return x.topic.t.ID < y.topic.t.ID
}
