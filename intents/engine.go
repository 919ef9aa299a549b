// Package intents understands questions and chooses answers from a
// knowledge base.
//
// The pipeline has four stages (docs/engine.md describes them):
//
//  1. Analysis (query.go): the question is cleaned (mentions, URLs, emoji)
//     and split into sentences and lead-ins, the question sentence found
//     (the others count less, and a long message typed without stops is
//     searched for where its question starts), txt-speak and American
//     spellings mapped, words split or joined
//     against the base's vocabulary, typos corrected with a symmetric-delete
//     dictionary, short forms expanded, synonyms added as weighted
//     expansions, and the answer type (intent) recognised from cue phrases
//     kept as data. The result is an explicit query value.
//  2. Page ranking (rank.go): BM25F over an inverted index built once at
//     load, with a document-identity field (title, breadcrumb, URL slug,
//     file name), a heading and topic-name field and the body.
//  3. Passage ranking and extraction: inside the best pages, sentences are
//     scored by the question's terms, their heading path, the topic the
//     question names and the markers of the asked-for answer type; one
//     answerer per answer type (answer_*.go) builds the reply.
//  4. Confidence (confidence.go): a logistic model over named features,
//     with weights fitted offline (data/confidence.yaml). Below the
//     threshold the reply is an honest "I don't know" with suggestions the
//     engine itself can answer.
//
// An Engine is immutable after New (but for what it works out the first
// time a question needs it and keeps: a sentence's quote and quantities, a
// page's suggestions, bounded by the pages) and safe for concurrent use;
// Answer does no I/O. What analysis asks of a word is
// worked out at load for every word the engine knows (wordFacts), and an
// answer works in memory taken from a pool (scratch.go), so a question
// costs its own words and postings and few allocations.
package intents

import (
	"context"
	"regexp"
	"strings"
	"sync"

	"github.com/careersbot/careersbot/knowledge"
)

// DefaultThreshold is the confidence below which the engine says it does
// not know.
const DefaultThreshold = 0.5

// Option configures an Engine.
type Option func(*Engine)

// WithThreshold sets the confidence below which answers become fallbacks.
func WithThreshold(t float64) Option { return func(e *Engine) { e.threshold = t } }

// WithLexicon replaces the embedded intents and synonyms.
func WithLexicon(lx *Lexicon) Option { return func(e *Engine) { e.lx = lx } }

// WithTuning replaces the ranking weights (experiments and tests).
func WithTuning(t Tuning) Option { return func(e *Engine) { e.tune = t } }

// Engine answers questions from one knowledge base.
type Engine struct {
	kb        *knowledge.Base
	lx        *Lexicon
	tune      Tuning
	model     *model
	threshold float64

	ix                                             *index
	spell                                          *spellDict
	stop, generic, follow, common, prof, listNouns map[string]bool
	numberBefore, numberUnits                      map[string]bool // txt-speak numbers: "band 4", "4 hours"
	relativeAfter, relativeWords                   map[string]bool // "a job where ...": where opens a clause
	objectBefore, askedNounAfter, kindWords        map[string]bool // word roles (intents.yaml)
	patientWords, qualifiers                       map[string]bool
	questionWords, questionAux, questionSubjects   map[string]bool
	oosAnywhere, leadInWords                       map[string]bool
	oos                                            map[string]bool
	cues                                           []*cue
	cuesByWord                                     map[string][]*cue
	quantCues                                      map[string][]quantCue // a quantity cue's first word -> the cues
	corrections                                    map[string][]correction
	synonyms                                       map[string][]synonym
	answerCues, headCues                           *cueSet
	sentCues                                       *cueSet // in a sentence: colleagues (sentColleague), what is not needed (sentNoNeed)
	withoutCues                                    *cueSet // in a question: "without A levels"
	intentBit                                      map[string]uint64
	intentWords                                    map[string]uint64 // a one-word cue -> the bits of the intents it is a cue of
	headWords                                      map[string]bool   // the words of the intents' heading cues ("skills", "pay")
	intentByName                                   map[string]*IntentSpec
	subject                                        string
	filled                                         map[string]string     // the configured replies, expanded
	wordFacts                                      map[string]*wordFacts // what analysis asks of each known word
	examples                                       []string
	suggestCache                                   sync.Map  // page index -> *suggested, suggestions it answers
	scratchPool                                    sync.Pool // *scratch, the memory an answer works in
	answerers                                      map[string]answerer
	quantities                                     []quantity
}

type correction struct{ from, to []string }

// quantity is a kind of quantity a question asks for.
type quantity struct {
	name string
	bit  uint32 // its bit in a sentence's quantity mask
	cues [][]string
	re   *regexp.Regexp
	need []string // one of these is in every match, lower-cased (nil: no such test)
}

type synonym struct {
	from []string
	to   []string
}

// New builds an engine (and its index) for a knowledge base.
func New(kb *knowledge.Base, opts ...Option) (*Engine, error) {
	e := &Engine{kb: kb, threshold: DefaultThreshold, tune: DefaultTuning}
	for _, o := range opts {
		o(e)
	}
	if e.lx == nil {
		lx, err := DefaultLexicon()
		if err != nil {
			return nil, err
		}
		e.lx = lx
	}
	m, err := defaultModel()
	if err != nil {
		return nil, err
	}
	e.model = m
	e.buildLexicon()
	e.buildIndex()
	n := len(e.ix.docs)
	e.scratchPool.New = func() any { return &scratch{acc: newScores(n)} }
	e.buildSpeller()
	e.buildWordFacts()
	e.answerers = registeredAnswerers()
	e.subject, e.examples = e.describe()
	e.filled = map[string]string{}
	for _, r := range e.lx.Replies {
		e.filled[r] = e.expandReply(r)
	}
	return e, nil
}

// KB returns the knowledge base the engine answers from.
func (e *Engine) KB() *knowledge.Base { return e.kb }

// Subject names what the loaded pages are about.
func (e *Engine) Subject() string { return e.subject }

// Examples returns a few questions the engine answers.
func (e *Engine) Examples() []string { return append([]string{}, e.examples...) }

func set(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		for _, x := range Words(w) {
			m[x] = true
		}
	}
	return m
}

func (e *Engine) buildLexicon() {
	lx := e.lx
	e.stop = set(lx.Stopwords)
	e.generic = set(lx.Generic)
	e.follow = map[string]bool{}
	for _, w := range lx.Followup {
		if ws := Words(w); len(ws) == 1 { // "what about" is not "what"
			e.follow[ws[0]] = true
		}
	}
	e.common = set(lx.Common)
	e.prof = set(lx.Professions)
	e.listNouns = set(lx.ListNouns)
	e.numberBefore, e.numberUnits = set(lx.NumberBefore), set(lx.NumberUnits)
	e.relativeAfter, e.relativeWords, e.objectBefore = set(lx.RelativeAfter), set(lx.RelativeWords), set(lx.ObjectBefore)
	e.askedNounAfter, e.kindWords = set(lx.AskedNounAfter), set(lx.KindWords)
	e.patientWords, e.qualifiers = set(lx.PatientWords), set(lx.Qualifiers)
	e.questionWords, e.questionAux, e.questionSubjects = set(lx.QuestionWords), set(lx.QuestionAux), set(lx.QuestionSubjects)
	e.oosAnywhere, e.leadInWords = set(lx.OutOfScopeAnywhere), set(lx.LeadInWords)
	e.oos = set(lx.OutOfScope)
	e.intentBit = map[string]uint64{}
	e.intentByName = map[string]*IntentSpec{}
	e.cuesByWord = map[string][]*cue{}
	e.intentWords = map[string]uint64{}
	for i := range lx.Intents {
		in := &lx.Intents[i]
		e.intentBit[in.Name] = 1 << uint(i)
		e.intentByName[in.Name] = in
		for j, c := range in.Cues {
			ws := spellUK(cueWords(c), lx.Spelling)
			if len(ws) == 0 {
				continue
			}
			// words that carry meaning count most: "skills" beats "need to be"
			score := in.Priority
			for _, w := range ws {
				switch {
				case w == "*":
				case e.stop[w]:
					score += 4
				default:
					score += 15
					if len(ws) == 1 {
						e.intentWords[w] |= e.intentBit[in.Name]
					}
				}
			}
			cu := &cue{intent: in, words: ws, bloom: wordBloom(ws), score: score, order: j}
			e.cues = append(e.cues, cu)
		}
	}
	for _, c := range e.cues {
		// "*" cannot start a cue (Words drops it), so the first word indexes it
		e.cuesByWord[c.words[0]] = append(e.cuesByWord[c.words[0]], c)
	}
	e.corrections = map[string][]correction{}
	for from, to := range lx.Corrections {
		f, t := Words(from), spellUK(Words(to), lx.Spelling)
		if len(f) > 0 {
			e.corrections[f[0]] = append(e.corrections[f[0]], correction{f, t})
		}
	}
	e.synonyms = map[string][]synonym{}
	for from, to := range lx.Synonyms {
		f, t := spellUK(Words(from), lx.Spelling), spellUK(Words(to), lx.Spelling)
		if len(f) > 0 && len(t) > 0 {
			e.synonyms[f[0]] = append(e.synonyms[f[0]], synonym{f, t})
		}
	}
	for _, qs := range lx.Quantities {
		qt := quantity{name: qs.Name, bit: 1 << uint(len(e.quantities)), re: regexp.MustCompile(qs.Pattern), need: requiredFactors(qs.Pattern)}
		for _, c := range qs.Cues {
			ws := spellUK(Words(c), lx.Spelling)
			qt.cues = append(qt.cues, ws)
		}
		e.quantities = append(e.quantities, qt)
	}
	e.quantCues = map[string][]quantCue{}
	for qi, qt := range e.quantities {
		for ci, c := range qt.cues {
			if len(c) > 0 {
				e.quantCues[c[0]] = append(e.quantCues[c[0]], quantCue{qi, ci})
			}
		}
	}
	e.answerCues = e.newCueSet(func(in *IntentSpec) []string { return in.AnswerCues },
		func(in *IntentSpec) []string { return in.WeakAnswerCues }, true)
	e.headCues = e.newCueSet(func(in *IntentSpec) []string { return in.HeadingCues }, nil, false)
	e.headWords = map[string]bool{}
	for _, in := range lx.Intents {
		for _, c := range in.HeadingCues {
			for _, w := range Words(c) {
				if !e.stop[w] {
					e.headWords[w] = true
				}
			}
		}
	}
	e.sentCues = &cueSet{byFirst: map[string][]cuePhrase{}}
	e.addPhrases(e.sentCues, lx.ColleagueCues, sentColleague)
	e.addPhrases(e.sentCues, lx.NoNeedCues, sentNoNeed)
	e.withoutCues = &cueSet{byFirst: map[string][]cuePhrase{}}
	e.addPhrases(e.withoutCues, lx.WithoutCues, 1)
}

// buildSpeller makes the spelling dictionary: the base's words, weighted
// by use, and the everyday words, cue words and synonyms people type.
func (e *Engine) buildSpeller() {
	freq := make(map[string]int, len(e.ix.words)+512)
	for w, n := range e.ix.words {
		if len(w) > 1 && !isNumber(w) {
			freq[w] = n + 1
		}
	}
	addAll := func(ws ...string) {
		for _, p := range ws {
			for _, w := range Words(p) {
				if freq[w] == 0 {
					freq[w] = 1
				}
			}
		}
	}
	for _, in := range e.lx.Intents {
		addAll(in.Cues...)
	}
	addAll(e.lx.Stopwords...)
	addAll(e.lx.Common...)
	addAll(e.lx.Generic...)
	addAll(e.lx.Followup...)
	addAll(e.lx.Professions...)
	for _, p := range e.lx.OutOfScope {
		for _, w := range Words(p) {
			if freq[w] == 0 {
				freq[w] = knownOnly // known, never a correction
			}
		}
	}
	for k := range e.lx.Synonyms {
		addAll(k)
	}
	for k := range e.lx.Corrections {
		addAll(k)
	}
	for w := range e.ix.words {
		for _, n := range e.agentNames(w) {
			if freq[n] == 0 {
				freq[n] = 1
			}
		}
	}
	e.spell = newSpellDict(freq, e.tune)
}

// agentNames are the names of one who works in field w and their plurals
// ("physiology": physiologist, physiologists), or the other number of an
// agent's name w ("radiographer": radiographers).
func (e *Engine) agentNames(w string) []string {
	var out []string
	for field, agents := range e.lx.FieldAgents {
		if base, ok := strings.CutSuffix(w, field); ok && len(base) >= 3 {
			for _, agent := range agents {
				out = append(out, base+agent, base+agent+"s")
			}
		}
	}
	for _, end := range e.lx.AgentEndings {
		switch {
		case strings.HasSuffix(w, end) && len(w) >= len(end)+4:
			out = append(out, w+"s")
		case strings.HasSuffix(w, end+"s") && len(w) >= len(end)+5:
			out = append(out, w[:len(w)-1])
		}
	}
	return out
}

func isNumber(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return w != ""
}

// Answer answers one question. It never fails: what it cannot answer it
// says it does not know, with suggestions.
func (e *Engine) Answer(ctx context.Context, q Question) Answer {
	a := e.answer(ctx, q, true)
	a.Question = q.Text
	return a
}

func (e *Engine) answer(_ context.Context, q Question, suggest bool) Answer {
	text := strings.TrimSpace(Clean(q.Text))
	if len(text) > maxQuestion {
		text = text[:maxQuestion]
	}
	qu := e.analyse(text, q.Context)
	defer e.release(qu)
	return e.respond(qu, suggest)
}

// maxQuestion bounds the text analysed: a message longer than a few
// paragraphs is cut, not refused.
const maxQuestion = 2000

// cueWords splits a cue phrase into words, keeping its "*" wildcards.
func cueWords(c string) []string {
	var ws []string
	for _, f := range strings.Fields(c) {
		if f == "*" {
			if len(ws) > 0 {
				ws = append(ws, f)
			}
			continue
		}
		ws = append(ws, Words(f)...)
	}
	return ws
}
