package intents

import (
	"slices"
	"strings"
)

// Term kinds: where a query term came from.
const (
	fromTyped   = iota // a word of the question (perhaps corrected)
	fromSynonym        // a synonym's expansion
	fromAcronym        // a short form's expansion
	fromContext        // the conversation's topic, for a follow-up
)

// qterm is one term of the analysed question.
type qterm struct {
	id      int32 // term id in the index, -1 when the base never uses it
	word    string
	weight  float64 // for ranking pages
	pass    float64 // for ranking passages
	from    int
	cue     bool // a word of the intent's cue ("where", "qualifications")
	generic bool // "staff", "role", "career"
	pos     int
}

// query is the explicit result of analysing a question.
type query struct {
	text      string
	words     []string     // cleaned, corrected words
	facts     []*wordFacts // each word's
	wordBuf   [16]string
	factBuf   [16]*wordFacts
	intent    *IntentSpec
	cuePos    posSet   // positions of the intent cue's words
	stems     []string // the stems of words, once asked for (exactStems)
	posBuf    [8]int   // room for cuePos
	terms     []qterm
	unknown   []string // words neither the base nor everyday language knows
	missing   []string // occupations the question names that the base never mentions
	oos       []string // subjects no career page is about (weather, football)
	profPos   posSet   // positions of occupation words the base does use
	followup  bool     // refers to the conversation's topic
	ctx       Context
	ctxDocs   []int32
	content   int       // typed, known, non-generic, non-cue terms
	asked     int       // the question sentence's first word (a long message's earlier sentences describe)
	askedEnd  int       // and the word after its last
	pairs     []qterm   // the typed content words in order, for phrases
	asksWho   bool      // the intent's cue starts with "who" ("who checks dialysis machines")
	pronoun   bool      // it refers to something said before ("they", "it")
	quantity  *quantity // the quantity asked for (how long, how much), if any
	askedNoun []int32   // the terms of the noun after "what" or "which" ("what materials") and of what it stands for
	askedBuf  [4]int32
	askedPos  int      // the asked noun's position, -1 when none
	without   bool     // the question sentence says the asker lacks something ("without A levels")
	s         *scratch // the memory it works in, until released
}

// hasIntent reports the query's answer type.
func (q *query) is(name string) bool { return q.intent != nil && q.intent.Name == name }

func (q *query) intentName() string {
	if q.intent == nil {
		return ""
	}
	return q.intent.Name
}

func (e *Engine) analyse(text string, ctx Context) *query {
	q := &e.newScratch().q
	q.text, q.ctx = text, ctx
	// A message of several sentences ("My son is 17 ... Does a biomedical
	// scientist ever ...?") asks in its question sentence: the intent
	// comes from it, and the other sentences' words count less.
	ws, fs := q.wordBuf[:0], q.factBuf[:0]
	asked, askedQ, askedEnd := 0, false, 0 // the question sentence's words; it ends with "?"
	var segBuf [8][2]int
	var rawBuf [24]string
	var rawFacts [24]*wordFacts
	lower := asciiLower(text) // one lower-case copy, not one per capitalised word
	for _, sg := range segments(text, segBuf[:0], e.isLeadInWord) {
		seg := text[sg[0]:sg[1]]
		// each word once through the table: its British spelling, then
		// what the corrections, the joiner and the speller need of it
		low := ""
		if lower != "" {
			low = lower[sg[0]:sg[1]]
		}
		rw, rf := appendWordsLower(rawBuf[:0], seg, low), rawFacts[:0]
		e.txtNumbers(rw)
		corrects := false
		for i, w := range rw {
			f := e.facts(w)
			if f.uk != "" {
				rw[i] = f.uk
				f = e.facts(f.uk)
			}
			if f.short && len(f.corrections) > 0 && strings.Contains(seg, strings.ToUpper(w)) {
				// a short form the pages define, typed as one: "HR" is
				// human resources, where "hr" is an hour
				short := *f
				short.corrections = nil
				f = &short
			}
			corrects = corrects || len(f.corrections) > 0
			rf = append(rf, f)
		}
		if corrects {
			old, oldFacts := rw, rf
			rw, rf = applyCorrections(rw, rf), make([]*wordFacts, 0, len(rw)+2)
			for _, w := range rw {
				if i := slices.Index(old, w); i >= 0 {
					rf = append(rf, oldFacts[i]) // a word the corrections kept
				} else {
					rf = append(rf, e.facts(w))
				}
			}
		}
		n := len(ws)
		ws, fs = e.fixWords(rw, rf, ws, fs)
		if len(ws) == n {
			continue
		}
		if isQ := strings.HasSuffix(strings.TrimSpace(seg), "?"); isQ || !askedQ {
			asked, askedQ, askedEnd = n, isQ, len(ws)
		}
	}
	if asked == 0 && askedEnd == len(ws) && len(ws) >= e.tune.UnpunctuatedWords {
		// one long sentence, typed without stops: "my son is 15 and loves
		// science what does a medical physicist do" asks from "what"
		asked = e.questionStart(fs)
	}
	q.words, q.facts = ws, fs
	q.askedEnd = askedEnd
	q.asked = asked
	if n := 2*len(ws) + 4; n <= len(q.s.terms) && len(ws) <= len(q.s.pairs) {
		q.terms, q.pairs = q.s.terms[:0:len(q.s.terms)], q.s.pairs[:0:len(q.s.pairs)]
	} else {
		q.terms, q.pairs = make([]qterm, 0, n), make([]qterm, 0, len(ws))
	}
	q.cuePos = q.posBuf[:0]
	e.detectIntent(q)
	if q.is(IntentOverview) && len(q.cuePos) == 1 && q.words[q.cuePos[0]] == "about" && q.cuePos[0] > 0 &&
		(q.words[q.cuePos[0]-1] == "what" || q.words[q.cuePos[0]-1] == "how") && ctx.Intent != "" {
		q.intent, q.cuePos = nil, q.cuePos[:0] // "and what about health visitors?" asks the last question again
	}
	var intentBit uint64
	if q.intent != nil {
		intentBit = e.intentBit[q.intent.Name]
	}
	var qpos []int
	q.quantity, qpos = e.detectQuantity(ws, fs)
	for _, p := range qpos {
		q.cuePos.add(p) // "range" in "what age range" asks, it names nothing
	}

	for i, w := range ws {
		wf := fs[i]
		if wf.stop {
			continue
		}
		id := wf.id
		t := qterm{id: id, word: w, weight: 1, pass: 1, from: fromTyped, pos: i}
		if i < asked || i >= askedEnd {
			// before the question sentence, or after it ("... do? cheers x")
			t.weight, t.pass = e.tune.PreambleWeight, e.tune.PreambleWeight
		}
		if q.cuePos.has(i) || wf.intents&intentBit != 0 {
			// "salary" asks for a kind of answer: it names no page, but it
			// is the word a sentence that answers will use
			t.cue, t.weight, t.pass = true, e.tune.CueTermWeight, e.tune.CuePassWeight
		}
		if wf.generic {
			t.generic = true
			t.weight = min(t.weight, e.tune.GenericWeight)
			t.pass = min(t.pass, e.tune.GenericWeight)
		}
		expanded := e.expand(q, ws, i, t.cue, wf)
		if wf.oos && (id < 0 || !e.ix.headish[id]) && (i >= asked || wf.oosAnywhere) { // "I love cooking. What do dietitians do?" asks about dietitians
			q.oos = append(q.oos, w)
			continue
		}
		switch {
		case id >= 0:
			q.terms = append(q.terms, t)
			if !t.cue && !t.generic {
				q.pairs = append(q.pairs, t)
			}
			if wf.occupn && i >= asked {
				q.profPos.add(i)
			}
			if !t.cue && !t.generic && !wf.common && (i >= asked && i < askedEnd || ctx.Topic == "") {
				q.content++ // with a conversation, what the question sentence names decides a follow-up
			}
		case expanded:
			if wf.occupn && i >= asked {
				q.profPos.add(i)
			}
		case wf.oos && (i >= asked || wf.oosAnywhere):
			q.oos = append(q.oos, w)
		case wf.oos:
		case wf.occupn && !q.object(i) && i >= asked:
			q.missing = append(q.missing, w) // a long message's description ("not a doctor") is not what it asks about
		case wf.common || wf.known || isNumber(w):
			// everyday words: never held against a question
		default:
			q.unknown = append(q.unknown, w)
		}
	}
	// "is there a job he could do without A levels?": a sentence saying
	// what is not needed answers
	q.without = e.saysWithout(q)
	q.askedPos = -1
	q.askedNoun = e.askedNoun(q)
	if len(q.askedNoun) > 0 && (q.intent == nil || q.is(IntentOverview)) && plural(q.words[q.askedPos]) {
		// "what tests do nuclear medicine doctors do": the things asked
		// for are many, a list
		q.intent = e.intentByName[IntentList]
	}
	if asked > 0 && e.tune.PreambleAsked < e.tune.PreambleWeight && !q.is(IntentInterest) { // interests are what it asks about
		// "My daughter is 16 ... What is an endoscope?": when the question
		// names a subject of its own (a word few pages use, not a broad
		// one such as "healthcare science"), the description before it
		// counts less
		own := false
		for _, t := range q.terms {
			own = own || t.pos >= asked && t.from == fromTyped && !t.cue && !t.generic && !fs[t.pos].common &&
				t.id >= 0 && e.rare(t.id) && int(e.ix.docDF[t.id]) < len(e.ix.docs) // not what every page is about
		}
		if own {
			for i := range q.terms {
				if t := &q.terms[i]; t.pos >= 0 && t.pos < asked {
					t.weight, t.pass = min(t.weight, e.tune.PreambleAsked), min(t.pass, e.tune.PreambleAsked)
				}
			}
		}
	}
	// Follow-ups: a pronoun, or nothing the pages know, refers to the
	// conversation's topic.
	for i, w := range ws {
		if fs[i].follow && !(w == "there" && i > 0 && (ws[i-1] == "is" || ws[i-1] == "are" || ws[i-1] == "was" || ws[i-1] == "were")) {
			q.pronoun = true // but "is there" points at nothing said before
		}
	}
	if ctx.Topic != "" {
		pron := q.pronoun
		if pron && q.content > 0 && e.namesNewSubject(q, ctx.Topic) {
			pron = false // "what about a hygienist-therapist, where do they work?"
		}
		if docs := e.ix.byName[strings.ToLower(ctx.Topic)]; len(docs) > 0 && (pron || q.content == 0) {
			q.followup = true
			q.ctxDocs = docs
			for _, r := range e.tokens(ctx.Topic, false) {
				if id := e.ix.lookup(r); id >= 0 {
					q.terms = append(q.terms, qterm{id: id, word: r, weight: e.tune.ContextWeight, pass: e.tune.ContextWeight, from: fromContext, pos: -1})
				}
			}
		}
		// "and physiological scientists?" asks the last question again
		// but "do they run group sessions?" asks something new about
		// the same subject
		if q.intent == nil && ctx.Intent != "" && len(ws) <= maxFollowupWords && q.namesOnly(e) {
			q.intent = e.intentByName[ctx.Intent]
		}
	}
	return q
}

// txtNumbers reads the "2" and "4" of txt-speak as the words they stand
// for ("wot do u need 2 b", "responsible 4", "look 4 jobs"), unless they
// count something ("2 years", "4 GCSEs", "2 a levels") or follow a word
// that numbers ("band 4", "level 2", "2 to 4").
func (e *Engine) txtNumbers(ws []string) {
	for i, w := range ws {
		if w != "2" && w != "4" {
			continue
		}
		if i > 0 && e.numberBefore[ws[i-1]] || i+1 < len(ws) && e.countsAfter(ws[i+1:]) {
			continue
		}
		if i > 0 && isNumber(ws[i-1]) || i+1 < len(ws) && isNumber(ws[i+1]) {
			continue // "2 4 hour shifts", "24/7"
		}
		if w == "2" {
			ws[i] = "to"
		} else {
			ws[i] = "for"
		}
	}
}

// countsAfter reports whether the words after a number are what it
// counts: a plural ("years", "GCSEs"), a unit (number_units) or "a
// level(s)".
func (e *Engine) countsAfter(rest []string) bool {
	n := rest[0]
	if n == "a" || n == "as" {
		return len(rest) > 1 && (rest[1] == "level" || rest[1] == "levels")
	}
	return e.numberUnits[n] || plural(n)
}

// askedNoun finds the noun that names what the question sentence asks
// for: the word after "what" or "which" (and "kind of", "sort of", "type
// of"), unless it is a stop word, a generic one or an occupation ("what
// dietitians do" asks about dietitians, not for them). A sentence that
// names it carries the answer type ("what materials do they use":
// "materials such as gold, ...").
func (e *Engine) askedNoun(q *query) []int32 {
	for i := q.asked; i+1 < len(q.words); i++ {
		if !q.facts[i].asksNoun {
			continue
		}
		j := i + 1
		if j+1 < len(q.words) && q.words[j+1] == "of" && q.facts[j].kindWord {
			j += 2
		}
		if j >= len(q.words) {
			return nil
		}
		f := q.facts[j]
		if f.stop || f.generic || f.occupn {
			return nil
		}
		q.askedPos = j
		if k := j + 1; k < len(q.words) && !plural(q.words[j]) && plural(q.words[k]) && !q.facts[k].stop && !q.facts[k].generic && !q.facts[k].occupn {
			q.askedPos = k // "what diagnostic tests": tests
		}
		ids := q.askedBuf[:0] // the word and what it stands for ("problems": difficulties)
		for _, t := range q.terms {
			if t.pos == q.askedPos && t.id >= 0 && (t.from == fromTyped || !t.cue) && !slices.Contains(ids, t.id) {
				ids = append(ids, t.id)
			}
		}
		return ids
	}
	return nil
}

// plural reports a word shaped like a plural noun ("tests", "tasks",
// "diseases"), not "process" or "this".
func plural(w string) bool {
	return len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is")
}

// saysWithout reports whether the question sentence holds a without_cues
// phrase; the word table says which words start one, so most questions
// cost a flag a word.
func (e *Engine) saysWithout(q *query) bool {
	fs := q.facts[q.asked:q.askedEnd]
	found := false
	for _, f := range fs {
		found = found || f.without
	}
	if !found {
		return false
	}
	var buf [24]string
	roots := buf[:0]
	for _, f := range fs {
		roots = append(roots, f.root)
	}
	return e.cueMaskRoots(e.withoutCues, roots, "") != 0
}

// askedUnknown counts the unknown words of the question sentence.
func (q *query) askedUnknown() int {
	n := 0
	for i, w := range q.words {
		if i >= q.asked && slices.Contains(q.unknown, w) {
			n++
		}
	}
	return n
}

// maxFollowupWords is the longest message that, naming only a subject,
// asks the conversation's last question again ("and what about for
// health visitors?").
const maxFollowupWords = 7

// namesOnly reports whether the question's content words all name
// subjects (a page's identity or a heading), as "and physiological
// scientists?" does and "do they run group sessions?" does not.
func (q *query) namesOnly(e *Engine) bool {
	for _, t := range q.terms {
		if t.from == fromTyped && !t.cue && !t.generic && !e.common[t.word] && (t.id < 0 || !e.ix.headish[t.id]) {
			return false
		}
	}
	return true
}

// isOccupation reports a word that names a job: listed, or shaped like
// one (-ist, -ian, -ographer, -therapist).
func (e *Engine) isOccupation(w string) bool {
	if e.prof[w] {
		return true
	}
	for _, suf := range []string{"ists", "ist", "ians", "ician", "ographer", "ographers", "therapist", "ologist"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// applyCorrections rewrites the phrases of the corrections table
// (txt-speak and common slips: "wot" -> "what", "were do" -> "where do").
// fs are ws's facts, which hold the phrases that start with each word.
func applyCorrections(ws []string, fs []*wordFacts) []string {
	out := make([]string, 0, len(ws))
	for i := 0; i < len(ws); i++ {
		done := false
		for _, c := range fs[i].corrections {
			if i+len(c.from) <= len(ws) && equalWords(ws[i:i+len(c.from)], c.from) {
				out = append(out, c.to...)
				i += len(c.from) - 1
				done = true
				break
			}
		}
		if !done {
			out = append(out, ws[i])
		}
	}
	return out
}

func equalWords(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// fixWords joins two words the pages write as one ("radio therapy"),
// splits one they write as two ("speechtherapy") and corrects typos,
// appending the words and their facts (fs are ws's) to out and outFacts.
func (e *Engine) fixWords(ws []string, fs []*wordFacts, out []string, outFacts []*wordFacts) ([]string, []*wordFacts) {
	add := func(w string) {
		f := e.facts(w)
		if f.uk != "" {
			w, f = f.uk, e.facts(f.uk) // "childrens" -> "children" -> "child"
		}
		out, outFacts = append(out, w), append(outFacts, f)
	}
	for i := 0; i < len(ws); i++ {
		w, f := ws[i], fs[i]
		if i+1 < len(ws) && !f.stop && !fs[i+1].stop && (!f.inBase || !fs[i+1].inBase) {
			var buf [64]byte
			j := append(append(buf[:0], w...), ws[i+1]...)
			if jf, ok := e.wordFacts[string(j)]; ok && len(j) >= 5 && jf.inBase { // the conversion does not allocate
				add(string(j))
				i++
				continue
			}
		}
		if f.known || isNumber(w) || len(w) < 4 {
			out, outFacts = append(out, w), append(outFacts, f)
			continue
		}
		if a, b := e.split(w); a != "" {
			add(a)
			add(b)
			continue
		}
		if c := e.spell.correct(w); c != "" && !e.spell.inflectsOther(w, c) {
			add(c)
			continue
		}
		if a, b := e.splitMisspelt(w); a != "" {
			add(a) // "cardiacphsyiologist": cardiac, physiologist
			add(b)
			continue
		}
		out, outFacts = append(out, w), append(outFacts, f)
	}
	return out, outFacts
}

// split finds two words of the base that make up w, the longer first part
// preferred.
func (e *Engine) split(w string) (string, string) {
	kb := e.ix.words
	for k := len(w) - 3; k >= 3; k-- {
		a, b := w[:k], w[k:]
		if kb[a] > 0 && kb[b] > 0 && !e.stop[a] && !e.stop[b] {
			return a, b
		}
	}
	return "", ""
}

// splitMisspelt splits a long unknown word into a word of the base and
// another the speller mends ("pharmacytcehnician": pharmacy, technician;
// "clinicaleprfusion": clinical, perfusion), the longer known part
// preferred; "", "" when it finds none.
func (e *Engine) splitMisspelt(w string) (string, string) {
	if len(w) < minSplitMisspelt {
		return "", ""
	}
	kb := e.ix.words
	for k := len(w) - 4; k >= 4; k-- {
		a, b := w[:k], w[k:]
		if kb[a] > 0 && !e.stop[a] {
			if c := e.spell.correct(b); c != "" && kb[c] > 0 {
				return a, c
			}
		}
		if kb[b] > 0 && !e.stop[b] {
			if c := e.spell.correct(a); c != "" && kb[c] > 0 {
				return c, b
			}
		}
	}
	return "", ""
}

// minSplitMisspelt is the shortest word splitMisspelt tries: two words of
// four letters and more.
const minSplitMisspelt = 10

// expand adds the terms a word or phrase at i stands for: synonyms and
// short forms. It reports whether anything was added.
func (e *Engine) expand(q *query, ws []string, i int, cue bool, wf *wordFacts) bool {
	added := false
	sw := e.tune.SynonymWeight
	if cue {
		sw = e.tune.CueTermWeight // "earn" asks for pay; it names no page
	}
	for _, s := range wf.synonyms {
		if i+len(s.from) > len(ws) || !equalWords(ws[i:i+len(s.from)], s.from) {
			continue
		}
		for _, w := range s.to {
			if e.stop[w] {
				continue
			}
			if id := e.ix.lookup(termOf(w)); id >= 0 {
				q.terms = append(q.terms, qterm{id: id, word: w, weight: sw, pass: e.tune.SynonymWeight, from: fromSynonym, pos: i, cue: cue})
				added = true
			}
		}
	}
	w := ws[i]
	if wf.id < 0 && len(w) >= 4 && !wf.common {
		// a short form of a word the pages use in full
		c := e.ix.completion(w)
		if c == "" && len(w) > 4 && w[len(w)-1] == 's' {
			c = e.ix.completion(w[:len(w)-1]) // "physios"
		}
		if c != "" {
			if id := e.ix.lookup(termOf(c)); id >= 0 {
				q.terms = append(q.terms, qterm{id: id, word: c, weight: e.tune.AcronymWeight, pass: e.tune.AcronymWeight, from: fromAcronym, pos: i, cue: cue})
				added = true
			}
		}
	}
	if wf.short && len(w) >= 2 && len(w) <= 7 && !wf.common {
		as := e.ix.acronyms[w]
		if len(as) == 0 && len(w) > 2 && w[len(w)-1] == 's' {
			as = e.ix.acronyms[w[:len(w)-1]] // "PWPs"
		}
		for _, a := range as {
			for _, id := range a.terms {
				q.terms = append(q.terms, qterm{id: id, word: w, weight: e.tune.AcronymWeight, pass: e.tune.AcronymWeight, from: fromAcronym, pos: i})
				added = true
			}
			if len(as) > 3 {
				break // a short form many pages share: the first names it
			}
		}
	}
	return added
}

// wholeMessage is the bonus of a cue that is the whole message.
const wholeMessage = 30

// detectIntent finds the cue phrase of the question sentence that scores
// most.
func (e *Engine) detectIntent(q *query) {
	var best *cue
	var bestBuf, buf [16]int
	var bestPos []int
	bestScore := 0
	asked := q.words[q.asked:q.askedEnd] // "...in Scotland? thanks" asks in its question
	var qb uint64
	for _, f := range q.facts[q.asked:q.askedEnd] {
		qb |= f.bloom
	}
	for i, w := range asked {
		if slices.Contains(asked[:i], w) {
			continue // its cues are tried already
		}
		relative := i > 0 && q.facts[q.asked+i].relWord && q.facts[q.asked+i-1].relAfter
		for _, c := range q.facts[q.asked+i].cues {
			if c.bloom&^qb != 0 {
				continue
			}
			if relative && c.words[0] == w {
				continue // "a job where I can ...": no question of where
			}
			pos := c.match(asked, &buf)
			if pos == nil {
				continue
			}
			for i := range pos {
				pos[i] += q.asked
			}
			score := c.score
			if len(pos) == len(asked) {
				score += wholeMessage // "what can you do" is the help cue, not a question about "you"
			}
			if best == nil || score > bestScore || score == bestScore && c.order < best.order && c.intent == best.intent {
				best, bestScore = c, score
				bestPos = bestBuf[:copy(bestBuf[:], pos)]
			}
		}
	}
	if best == nil {
		return
	}
	q.intent = best.intent
	q.asksWho = best.words[0] == "who"
	for _, p := range bestPos {
		q.cuePos.add(p)
	}
}

// detectQuantity finds the quantity a question asks for, first listed
// first ("how many years" is a duration before it is a count).
func (e *Engine) detectQuantity(ws []string, fs []*wordFacts) (*quantity, []int) {
	// the first quantity with a cue in the question, its first such cue,
	// at its first place: cues are looked up from the words they start with
	bq, bc, bj := -1, -1, -1
	for j, f := range fs {
		for _, qc := range f.quantCues {
			if bq >= 0 && (qc.q > bq || qc.q == bq && qc.c > bc) {
				continue // a match here would not come first
			}
			c := e.quantities[qc.q].cues[qc.c]
			if j+len(c) <= len(ws) && equalWords(ws[j:j+len(c)], c) && (qc.q != bq || qc.c != bc || j < bj) {
				bq, bc, bj = qc.q, qc.c, j
			}
		}
	}
	if bq < 0 {
		return nil, nil
	}
	qt := &e.quantities[bq]
	pos := make([]int, len(qt.cues[bc]))
	for k := range pos {
		pos[k] = bj + k
	}
	return qt, pos
}

// namesNewSubject reports whether the question's own words name what a
// page or section is (its identity or a heading), other than the
// conversation's topic.
func (e *Engine) namesNewSubject(q *query, topic string) bool {
	old := map[int32]bool{}
	for _, r := range e.tokens(topic, false) {
		old[e.ix.lookup(r)] = true
	}
	for _, t := range q.terms {
		if t.from == fromTyped && t.id >= 0 && !t.cue && !t.generic && !e.common[t.word] && e.ix.headish[t.id] && !old[t.id] && e.rare(t.id) {
			return true
		}
	}
	return false
}

func spellUK(ws []string, table map[string]string) []string {
	for i, w := range ws {
		ws[i] = ukSpelling(w, table)
	}
	return ws
}

// segments splits a message into its sentences, as [start, end) offsets,
// and a short lead-in from what follows it: one ending in a colon or a
// spaced dash ("Question: ...", "Please help - ..."), or in a comma when
// leadWord holds for each of its words ("Just curious, ...", "Hello there,
// ..."; nil: none).
func segments(text string, out [][2]int, leadWord func(string) bool) [][2]int {
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == ',' && leadWord != nil && i+1 < len(text) && text[i+1] == ' ' && allLeadWords(text[start:i], leadWord) {
			out = append(out, [2]int{start, i + 1})
			start = i + 1
			continue
		}
		if c == ':' || c == '-' || c == 0xE2 && strings.HasPrefix(text[i:], "\u2013") {
			if end := leadIn(text, start, i); end > 0 {
				out = append(out, [2]int{start, end})
				start, i = end, end-1
			}
			continue
		}
		if c != '.' && c != '?' && c != '!' {
			continue
		}
		j := i + 1
		for j < len(text) && (text[j] == '?' || text[j] == '!' || text[j] == '.') {
			j++
		}
		if j < len(text) && text[j] != ' ' && text[j] != '\n' {
			continue // "2.5", "e.g."
		}
		out = append(out, [2]int{start, j})
		start, i = j, j-1
	}
	if strings.TrimSpace(text[start:]) != "" {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

// allLeadWords reports whether lead is one to maxLeadInWords words, each
// a lead-in word.
func allLeadWords(lead string, leadWord func(string) bool) bool {
	ws := strings.Fields(lead)
	if len(ws) == 0 || len(ws) > maxLeadInWords {
		return false
	}
	for _, w := range ws {
		if !leadWord(strings.ToLower(strings.Trim(w, "!.'\""))) {
			return false
		}
	}
	return true
}

// isLeadInWord reports a word of lead_in_words.
func (e *Engine) isLeadInWord(w string) bool { return e.leadInWords[w] }

// maxLeadInWords is the longest lead-in segments splits off.
const maxLeadInWords = 4

// leadIn returns where the lead-in text[start:i+1] ends when the colon or
// dash at i closes one: a colon followed by a space, or a dash with spaces
// on both sides, after at most maxLeadInWords words; else 0. "9-5" and
// "10:30" are not lead-ins.
func leadIn(text string, start, i int) int {
	width := 1
	if text[i] == 0xE2 {
		width = len("\u2013") // an en dash
	}
	if text[i] != ':' && (i == 0 || text[i-1] != ' ') {
		return 0 // a dash needs a space before it
	}
	if i+width >= len(text) || text[i+width] != ' ' {
		return 0
	}
	lead := strings.TrimSpace(text[start:i])
	if lead == "" || len(strings.Fields(lead)) > maxLeadInWords {
		return 0
	}
	return i + width
}

// object reports whether the word at i is the object of the question
// rather than its subject: "who works with oncologists", "work alongside
// surgeons".
func (q *query) object(i int) bool {
	for j := i - 1; j >= 0 && j >= i-2; j-- {
		if q.facts[j].objectBefore {
			return true
		}
	}
	return false
}

// posSet is a small set of word positions (a question has few words).
type posSet []int

func (s *posSet) add(p int) {
	if !s.has(p) {
		*s = append(*s, p)
	}
}

func (s posSet) has(p int) bool { return slices.Contains(s, p) }

// wordFacts is what question analysis asks of a word, worked out at load
// for every word the pages, the data and the speller know, so that a
// question word costs one map lookup rather than a dozen and a stem.
// factsOf defines them; the table only remembers them.
type wordFacts struct {
	id                                 int32 // its index term, -1 when the pages do not use it
	stop, generic, common, oos, occupn bool
	known                              bool         // the speller knows it
	inBase                             bool         // the pages use this very form (for joining and splitting words)
	follow                             bool         // it points back at the conversation ("they", "it")
	short                              bool         // a short form the pages define or the data lists, or its plural
	uk                                 string       // its British spelling, when that differs ("pediatric")
	stem                               string       // its stem (exactStems)
	intents                            uint64       // the bits of the intents one of whose one-word cues it is
	bloom                              uint64       // wordBloom of it
	root                               string       // its root, as cue phrases match (termOf)
	without                            bool         // a without_cues phrase starts with it
	cues                               []*cue       // the cue phrases that start with it
	corrections                        []correction // the corrections phrases that start with it ("wot")
	synonyms                           []synonym    // the synonym phrases that start with it
	quantCues                          []quantCue   // the quantity cues that start with it
	// word roles (intents.yaml): object_before, relative_words,
	// relative_after, asked_noun_after, kind_words
	objectBefore, relWord, relAfter, asksNoun, kindWord bool
	qWord, qAux, qSubject                               bool // question_words, question_aux, question_subjects
	oosAnywhere                                         bool // out_of_scope_anywhere
}

// quantCue names a quantity's cue phrase: quantity q's cue c.
type quantCue struct{ q, c int }

// buildWordFacts fills e.wordFacts (after the index and the speller):
// every word's facts in one array, the table pointing into it.
func (e *Engine) buildWordFacts() {
	seen := make(map[string]bool, len(e.spell.freq)+len(e.stop))
	var words []string
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	for w := range e.spell.freq {
		add(w)
	}
	for _, m := range []map[string]bool{e.stop, e.generic, e.common, e.oos, e.prof, e.follow,
		e.objectBefore, e.relativeWords, e.relativeAfter, e.askedNounAfter, e.kindWords,
		e.questionWords, e.questionAux, e.questionSubjects, e.oosAnywhere} {
		for w := range m {
			add(w)
		}
	}
	for w := range e.corrections {
		add(w)
	}
	for w := range e.synonyms {
		add(w)
	}
	for w := range e.cuesByWord {
		add(w)
	}
	for w := range e.quantCues {
		add(w)
	}
	for w := range e.lx.Spelling {
		add(w)
	}
	for w := range e.ix.acronyms {
		add(w)
		add(w + "s")
	}
	all := make([]wordFacts, len(words))
	e.wordFacts = make(map[string]*wordFacts, len(words))
	for i, w := range words {
		all[i] = e.factsOf(w)
		e.wordFacts[w] = &all[i]
	}
}

// factsOf works out a word's facts.
func (e *Engine) factsOf(w string) wordFacts {
	rt := termOf(w)
	f := wordFacts{id: e.ix.lookup(rt), root: rt, stop: e.stop[w], generic: e.generic[w], common: e.common[w],
		oos: e.oos[w], occupn: e.isOccupation(w), known: e.spell.known(w), inBase: e.ix.words[w] > 0,
		follow: e.follow[w], intents: e.intentWords[w], cues: e.cuesByWord[w], corrections: e.corrections[w],
		synonyms: e.synonyms[w], quantCues: e.quantCues[w],
		objectBefore: e.objectBefore[w], relWord: e.relativeWords[w], relAfter: e.relativeAfter[w],
		asksNoun: e.askedNounAfter[w], kindWord: e.kindWords[w],
		qWord: e.questionWords[w], qAux: e.questionAux[w], qSubject: e.questionSubjects[w], oosAnywhere: e.oosAnywhere[w]}
	f.stem = stem(w)
	f.bloom = wordBloom([]string{w})
	f.without = e.withoutCues != nil && len(e.withoutCues.byFirst[f.root]) > 0
	f.short = len(e.ix.acronyms[w]) > 0 || len(w) > 2 && w[len(w)-1] == 's' && len(e.ix.acronyms[w[:len(w)-1]]) > 0
	if uk := ukSpelling(w, e.lx.Spelling); uk != w {
		f.uk = uk
	}
	return f
}

// facts returns a word's facts: from the table, or worked out for a word
// no page or list has (a typo the speller could not mend).
func (e *Engine) facts(w string) *wordFacts {
	if f, ok := e.wordFacts[w]; ok {
		return f
	}
	f := e.factsOf(w)
	return &f
}

// questionStart is where a long message typed as one sentence starts its
// question, 0 when it opens with a question word or auxiliary or when
// fewer than PreambleMinWords words would come before it: its first
// question word ("hello there what qualifications do i need" asks from
// "what"), else its last auxiliary before a subject or a content word, or
// one word before one (a yes-no question, "... next month do ECAs use
// defibrillators", "... is being a midwife hard").
func (e *Engine) questionStart(fs []*wordFacts) int {
	if fs[0].qWord || fs[0].qAux {
		return 0 // it asks from its first word ("are health records all on computer now or ...")
	}
	at := -1
	for p := 0; p+2 < len(fs); p++ {
		if fs[p].qWord {
			at = p
			break
		}
	}
	if at < 0 {
		for p := len(fs) - 3; p >= 0; p-- {
			if fs[p].qAux && (fs[p+1].qSubject || !fs[p+1].stop || !fs[p+2].stop) { // "is being a midwife ...
				at = p
				break
			}
		}
	}
	if at < e.tune.PreambleMinWords {
		return 0
	}
	return at
}
