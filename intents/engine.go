// Package intents understands questions and chooses answers from a
// knowledge base: it normalises text (mentions, URLs, emoji, spelling,
// stems), recognises intents from cue phrases kept as data, finds topics
// with typo-tolerant matching, and quotes the documents' own sentences,
// with a confidence and an honest fallback.
package intents

import (
	"context"
	"math"
	"sort"
	"strings"

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

// Engine answers questions from one knowledge base. It is immutable after
// New (but for a bounded spelling cache) and safe for concurrent use;
// Answer does no I/O.
type Engine struct {
	kb        *knowledge.Base
	lx        *Lexicon
	threshold float64

	stop, generic, follow, oos, cueWord map[string]bool
	common                              map[string]bool      // everyday words: never corrected, never held against a question
	synonyms                            map[string][]synonym // first word's stem -> phrases
	cues                                []*cue
	corrections                         map[string][]correction // first word -> corrections
	colleagueCues                       [][]string
	headings                            map[string]bool       // stems of every heading
	cuesByWord                          map[string][]*cue     // first literal word -> cues
	answerCues                          map[string][][]string // intent -> cue word sequences (liteSeq)

	sents    []*sentInfo
	secSents map[*knowledge.Section][]int // sentence indexes of each section
	// topicSecs lists the sections about each topic: its own and the
	// aspect sections under it
	topicSecs  map[*topicInfo][]*knowledge.Section
	docTopic   map[*knowledge.Document]*topicInfo // what each page is about, from its title
	pageIntro  map[*topicInfo]*knowledge.Section  // the opening of the first page about a topic
	aspectSecs []*knowledge.Section               // sections under aspect headings ("Where will I work?")
	headLite   map[*knowledge.Section][]string    // their headings' words (liteSeq)
	byKey      map[string]*topicInfo
	vocabPre   map[string][]string // knowledge base stems by their first five letters
	df         map[string]int
	vocab      map[string]bool // stems of the knowledge base
	vocabIdx   map[string][]int
	maxIDF     float64
	speller    *speller

	topics   []*topicInfo
	topicBy  map[*knowledge.Topic]*topicInfo
	aliasIdx map[string][]*alias // stem -> aliases holding it
	headIdx  map[string][]*alias // stem -> aliases it heads
	// alias stems by their first five letters, for related word forms
	aliasByPrefix map[string][]string
	roots         []*topicInfo
	subject       string
	examples      []string
}

type correction struct{ from, to []string }

type sentInfo struct {
	s       *knowledge.Sentence
	stems   map[string]bool
	content []string        // content stems in order
	head    map[string]bool // content stems of its section's heading
	headSeq []string        // its section heading's words (liteSeq), for answer cues
	lite    []string        // its words (liteSeq), for answer cues
	seq     []string        // stems in order, stop words included, for phrases
	section *knowledge.Section
	idx     int // position in its section
	mention []*topicInfo
}

type topicInfo struct {
	t       *knowledge.Topic
	key     string
	aliases []*alias
	mention map[int]bool // sentences (by index in e.sents) that name it
	depth   int
}

type alias struct {
	whole  bool // the topic's whole name, not one side of an "and"
	topic  *topicInfo
	stems  []string
	weight float64
	head   string // the most distinctive stem
}

// New builds an engine over kb.
func New(kb *knowledge.Base, opts ...Option) (*Engine, error) {
	e := &Engine{kb: kb, threshold: DefaultThreshold}
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
	e.buildLexicon()
	e.indexSentences()
	e.indexTopics()
	e.buildSpeller()
	e.subject, e.examples = e.describe()
	return e, nil
}

// KB returns the knowledge base the engine answers from.
func (e *Engine) KB() *knowledge.Base { return e.kb }

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
	e.stop, e.generic, e.oos, e.common = set(lx.Stopwords), set(lx.Generic), set(lx.OutOfScope), set(lx.Common)
	e.follow = map[string]bool{}
	for _, f := range lx.Followup {
		e.follow[f] = true
	}
	e.cueWord = map[string]bool{}
	e.cuesByWord = map[string][]*cue{}
	e.answerCues = map[string][][]string{}
	for i := range lx.Intents {
		in := &lx.Intents[i]
		for _, c := range in.Cues {
			ws := Words(strings.ReplaceAll(c, "*", " zzstarzz "))
			for j, w := range ws {
				if w == "zzstarzz" {
					ws[j] = "*"
				} else {
					e.cueWord[w] = true
				}
			}
			lit := 0
			for _, w := range ws {
				if w != "*" {
					lit++
				}
			}
			if lit > 0 {
				c := &cue{intent: in, words: ws, score: in.Priority + 15*lit, order: len(e.cues)}
				e.cues = append(e.cues, c)
				for _, w := range ws {
					if w != "*" {
						e.cuesByWord[w] = append(e.cuesByWord[w], c)
						break
					}
				}
			}
		}
		for _, c := range in.AnswerCues {
			if seq := e.liteSeq(c); len(seq) > 0 {
				e.answerCues[in.Name] = append(e.answerCues[in.Name], seq)
			}
		}
	}
	e.corrections = map[string][]correction{}
	for k, v := range lx.Corrections {
		c := correction{from: Words(k), to: Words(v)}
		if len(c.from) > 0 {
			e.corrections[c.from[0]] = append(e.corrections[c.from[0]], c)
		}
	}
	for _, cs := range e.corrections {
		sort.Slice(cs, func(i, j int) bool {
			if len(cs[i].from) != len(cs[j].from) {
				return len(cs[i].from) > len(cs[j].from)
			}
			return joinWords(cs[i].from) < joinWords(cs[j].from)
		})
	}
	for _, c := range lx.ColleagueCues {
		if seq := e.liteSeq(c); len(seq) > 0 {
			e.colleagueCues = append(e.colleagueCues, seq)
		}
	}
	e.synonyms = map[string][]synonym{}
	for k, v := range lx.Synonyms {
		sy := synonym{key: joinWords(Words(k)), to: Words(v)}
		for _, w := range Words(k) {
			sy.stems = append(sy.stems, stem(w))
		}
		e.synonyms[sy.stems[0]] = append(e.synonyms[sy.stems[0]], sy)
	}
	for _, ps := range e.synonyms {
		// longest phrase first, then in a fixed order
		sort.Slice(ps, func(i, j int) bool {
			if len(ps[i].stems) != len(ps[j].stems) {
				return len(ps[i].stems) > len(ps[j].stems)
			}
			return ps[i].key < ps[j].key
		})
	}
}

// synonym maps a phrase (matched by stems) onto the pages' words.
type synonym struct {
	key   string
	stems []string
	to    []string
}

// contentStems returns the stems of the content words of text.
func (e *Engine) textStems(text string) (seq []string, content map[string]bool) {
	content = map[string]bool{}
	for _, w := range Words(text) {
		w = ukSpelling(w, e.lx.Spelling)
		s := stem(w)
		seq = append(seq, s)
		if !e.stop[w] {
			content[s] = true
		}
	}
	return seq, content
}

func (e *Engine) indexSentences() {
	e.df = map[string]int{}
	e.vocab = map[string]bool{}
	e.vocabIdx = map[string][]int{}
	e.secSents = map[*knowledge.Section][]int{}
	e.headings = map[string]bool{}
	for _, d := range e.kb.Documents {
		for _, sec := range d.Sections {
			_, head := e.textStems(sec.Heading)
			headSeq := e.liteSeq(sec.Heading)
			for st := range head {
				e.vocab[st] = true
				e.headings[st] = true
			}
			for i, s := range sec.Sentences {
				seq, stems := e.textStems(s.Text)
				si := &sentInfo{s: s, stems: stems, seq: seq, section: sec, idx: i, head: head, headSeq: headSeq, lite: e.liteSeq(s.Text)}
				for _, w := range Words(s.Text) {
					if w = ukSpelling(w, e.lx.Spelling); !e.stop[w] {
						si.content = append(si.content, stem(w))
					}
				}
				id := len(e.sents)
				e.sents = append(e.sents, si)
				e.secSents[sec] = append(e.secSents[sec], id)
				for st := range stems {
					e.df[st]++
					e.vocab[st] = true
					e.vocabIdx[st] = append(e.vocabIdx[st], id)
				}
			}
		}
	}
	e.maxIDF = math.Log(1 + float64(len(e.sents)+1))
}

// liteSeq lower-cases text into words with plurals folded ("hospitals"
// -> "hospital", "laboratories" -> "laboratory") but no stemming, so an
// answer cue such as "clinic" does not also match "clinical".
func (e *Engine) liteSeq(text string) []string {
	ws := Words(text)
	for i, w := range ws {
		w = ukSpelling(w, e.lx.Spelling)
		switch {
		case len(w) > 4 && strings.HasSuffix(w, "ies"):
			w = w[:len(w)-3] + "y"
		case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
			w = w[:len(w)-1]
		}
		ws[i] = w
	}
	return ws
}

// idf weighs a stem by how rare it is among the sentences.
func (e *Engine) idf(s string) float64 {
	df := e.df[s]
	if df == 0 {
		return e.maxIDF
	}
	return math.Log(1 + float64(len(e.sents))/float64(df))
}

func (e *Engine) indexTopics() {
	e.topicBy = map[*knowledge.Topic]*topicInfo{}
	e.byKey = map[string]*topicInfo{}
	e.aliasIdx = map[string][]*alias{}
	e.headIdx = map[string][]*alias{}
	for _, t := range e.kb.Topics {
		ti := &topicInfo{t: t, key: t.Key, mention: map[int]bool{}}
		for p := t.Parent; p != nil; p = p.Parent {
			ti.depth++
		}
		e.topics = append(e.topics, ti)
		e.topicBy[t] = ti
		if _, ok := e.byKey[t.Key]; !ok {
			e.byKey[t.Key] = ti
		}
		if t.Parent == nil {
			e.roots = append(e.roots, ti)
		}
		names := []string{t.Name}
		if parts := strings.Split(strings.ToLower(t.Name), " and "); len(parts) == 2 {
			names = append(names, parts...)
		}
		for k, n := range names {
			var stems []string
			for _, w := range Words(n) {
				w = ukSpelling(w, e.lx.Spelling)
				if e.stop[w] || e.generic[w] {
					continue
				}
				stems = append(stems, stem(w))
				e.vocab[stem(w)] = true
			}
			if len(stems) == 0 {
				continue
			}
			a := &alias{topic: ti, stems: stems, whole: k == 0}
			for _, s := range stems {
				a.weight += e.idf(s)
			}
			ti.aliases = append(ti.aliases, a)
			for _, s := range stems {
				e.aliasIdx[s] = append(e.aliasIdx[s], a)
			}
		}
	}
	// An alias's head is its most distinctive word: the one fewest other
	// topics' names share ("practitioner" in "healthcare science
	// practitioner"), then the rarest in the text. A question must name
	// the head to name the topic.
	naming := map[string]int{} // stem -> how many topics' names hold it
	for s, as := range e.aliasIdx {
		seen := map[*topicInfo]bool{}
		for _, a := range as {
			seen[a.topic] = true
		}
		naming[s] = len(seen)
	}
	for _, ti := range e.topics {
		for _, a := range ti.aliases {
			bestN, bestW := -1, -1.0
			for _, s := range a.stems {
				n := naming[s]
				if w := e.idf(s); bestN < 0 || n < bestN || n == bestN && w > bestW {
					bestN, bestW, a.head = n, w, s
				}
			}
			e.headIdx[a.head] = append(e.headIdx[a.head], a)
		}
	}
	e.aliasByPrefix = map[string][]string{}
	for s := range e.aliasIdx {
		if len(s) >= 5 {
			e.aliasByPrefix[s[:5]] = append(e.aliasByPrefix[s[:5]], s)
		}
	}
	for _, ss := range e.aliasByPrefix {
		sort.Strings(ss)
	}
	e.vocabPre = map[string][]string{}
	for v := range e.vocab {
		if len(v) >= 5 {
			e.vocabPre[v[:5]] = append(e.vocabPre[v[:5]], v)
		}
	}
	for _, ss := range e.vocabPre {
		sort.Strings(ss)
	}
	e.topicSecs = map[*topicInfo][]*knowledge.Section{}
	e.docTopic = map[*knowledge.Document]*topicInfo{}
	e.pageIntro = map[*topicInfo]*knowledge.Section{}
	e.headLite = map[*knowledge.Section][]string{}
	for _, d := range e.kb.Documents {
		dt := e.byKey[strings.ToLower(topicName(d.Title))]
		e.docTopic[d] = dt
		if dt != nil && e.pageIntro[dt] == nil && len(d.Sections) > 0 && d.Sections[0].Heading == "" && len(d.Sections[0].Sentences) > 0 {
			e.pageIntro[dt] = d.Sections[0]
		}
		for _, sec := range d.Sections {
			if e.isAspectSection(sec) {
				e.aspectSecs = append(e.aspectSecs, sec)
				e.headLite[sec] = e.liteSeq(sec.Heading)
			}
		}
		for _, sec := range d.Sections {
			if ti := e.topicBy[sec.Topic]; ti != nil {
				e.topicSecs[ti] = append(e.topicSecs[ti], sec)
			}
		}
	}
	// Mentions: sentences naming the topic, its name's words in a row
	// (stop words aside): "Genetics staff", "the physiological sciences".
	for _, ti := range e.topics {
		for _, a := range ti.aliases {
			if len(a.stems) < 1 {
				continue
			}
			for _, id := range e.vocabIdx[a.stems[0]] {
				si := e.sents[id]
				if hasSeq(si.content, a.stems) && !ti.mention[id] {
					ti.mention[id] = true
					si.mention = append(si.mention, ti)
				}
			}
		}
	}
}

func (e *Engine) buildSpeller() {
	weight := map[string]int{}
	add := func(text string, w int) {
		for _, x := range Words(text) {
			if len(x) < 3 || e.stop[x] && !e.cueWord[x] {
				continue
			}
			if weight[x] < w {
				weight[x] = w
			}
		}
	}
	for _, si := range e.sents {
		add(si.s.Text, 1)
	}
	for w := range e.cueWord {
		add(w, 2)
	}
	for _, ps := range e.synonyms {
		for _, p := range ps {
			add(p.key, 2)
		}
	}
	for _, t := range e.kb.Topics {
		add(t.Name, 3)
	}
	e.speller = newSpeller(weight)
}

// Answer answers q. It never returns an error: not knowing is an answer
// with Answered false.
func (e *Engine) Answer(ctx context.Context, q Question) Answer {
	a := e.analyse(q.Text)
	ans := e.respond(a, q.Context)
	ans.Question = q.Text
	if ans.Sources == nil {
		ans.Sources = []Source{}
	}
	if ans.Suggestions == nil {
		ans.Suggestions = []string{}
	}
	ans.Confidence = math.Round(ans.Confidence*100) / 100
	return ans
}

// Subject says what the loaded pages are about ("careers in healthcare
// science").
func (e *Engine) Subject() string { return e.subject }

// Examples returns example questions drawn from the loaded topics.
func (e *Engine) Examples() []string { return append([]string(nil), e.examples...) }
