package intents

import (
	_ "embed"
	"fmt"
	"math"
	"slices"

	"gopkg.in/yaml.v3"
)

// featureNames are the confidence model's inputs, in order.
var featureNames = [...]string{
	"subject",    // share of the question's subject words the page uses
	"identity",   // share of them in the page's identity, the answer's headings or the named topic
	"cover",      // share of the question's words the answer, its headings and page hold
	"type_miss",  // a typed question (where, pay, entry...) answered without its type
	"exact",      // answered from the page's structure (a list, the topic tree, a link)
	"margin",     // the best page's lead over the next, as a share of its score
	"missing",    // an occupation the question names is not what the page is about
	"unknown",    // words neither the pages nor everyday language know (share, capped)
	"no_subject", // nothing in the question names what it is about
	"off_page",   // the answer is not from the best page, weighted by that page's lead
	"quantity",   // the question asks how long, how much, how often... and the answer does not say
}

// The features that are hard gates: "missing", "type_miss" and
// "no_subject", and "unknown" at its cap with no word of the question in
// the page's identity or the named topic.
const (
	featIdentity  = 1
	featTypeMiss  = 3
	featMissing   = 6
	featUnknown   = 7
	featNoSubject = 8
)

// features are the named values behind a confidence.
type features = Features

// Features are the values an answer's confidence was computed from, in
// the order of FeatureNames.
type Features [len(featureNames)]float64

// FeatureNames names the confidence features (data/confidence.yaml).
func FeatureNames() []string { return append([]string(nil), featureNames[:]...) }

// Map returns the features by name.
func (f Features) Map() map[string]float64 {
	m := make(map[string]float64, len(f))
	for i, n := range featureNames {
		m[n] = f[i]
	}
	return m
}

func (e *Engine) features(r *request, res *result) features {
	var f features
	q := r.q
	// The question's subject words: typed, known, not the cue's.
	var subj, inDoc, inID, all, cov float64
	var idTerms []int32
	if res.doc >= 0 && int(res.doc) < len(e.ix.docs) {
		idTerms = e.ix.docs[res.doc].idTerms
	}
	hit := r.hit()
	named := func(id int32) bool {
		return has(idTerms, id) || hit != nil && has(hit.t.terms, id) || headHas(res, id) || leads(res, id)
	}
	// Each word of the question with the terms it stands for (a short
	// form's or a synonym's expansion): the word is found when any is.
	type word struct {
		w                        float64
		cue, generic             bool
		inAnswer, inDoc, inNamed bool
	}
	var wordBuf [24]word
	var seenBuf [24]bool
	words, seenPos := wordBuf[:0], seenBuf[:0] // by position; context terms last
	if n := len(q.words) + 1; n <= len(wordBuf) {
		words, seenPos = wordBuf[:n], seenBuf[:n]
	} else {
		words, seenPos = make([]word, n), make([]bool, n)
	}
	for _, t := range q.terms {
		if t.id < 0 || t.from == fromContext && !q.followup {
			continue
		}
		p := t.pos
		if p < 0 || p >= len(q.words) {
			p = len(q.words)
		}
		wd := &words[p]
		if !seenPos[p] {
			seenPos[p] = true
			wd.cue, wd.generic = t.cue, t.generic
		}
		if t.from == fromTyped {
			wd.cue, wd.generic = t.cue, t.generic
		}
		wd.w = math.Max(wd.w, e.ix.sentIDF(t.id)*t.pass)
		wd.inAnswer = wd.inAnswer || quotes(res, t.id) || has(idTerms, t.id)
		wd.inDoc = wd.inDoc || res.doc >= 0 && e.docHas(res.doc, t.id)
		wd.inNamed = wd.inNamed || named(t.id)
	}
	for p := range words {
		if !seenPos[p] {
			continue
		}
		wd := &words[p]
		all += wd.w
		if wd.inAnswer {
			cov += wd.w
		}
		if wd.cue || wd.generic {
			continue
		}
		subj += wd.w
		if wd.inDoc {
			inDoc += wd.w
		}
		if wd.inNamed {
			inID += wd.w
		}
	}
	if q.followup {
		// a follow-up's subject is the conversation's
		subj, inDoc, inID = 1, 1, 1
	}
	if subj > 0 {
		f[0], f[1] = inDoc/subj, inID/subj
	} else {
		f[8] = 1
	}
	if all > 0 {
		f[2] = cov / all
	}
	typed := typedIntents[res.intent]
	if q.quantity != nil {
		// the quantity is the answer type ("how often do they visit")
		typed, res.typed = true, e.statesQuantity(res, q.quantity)
	}
	if typed && !res.typed && !res.exact {
		f[3] = 1
	}
	if res.exact {
		f[4] = 1
	}
	f[5] = 1
	if len(r.all) > 1 && r.all[0].score > 0 {
		f[5] = (r.all[0].score - r.all[1].score) / r.all[0].score
	}
	if len(q.missing) > 0 {
		f[6] = 1
	} else if len(q.profPos) > 0 && !q.followup {
		// the occupations the question names: one of them (or what it
		// stands for) must be what the page or topic is about
		// what it stands for) must be what the page or topic is about, or
		// be on the page beside another word that is
		found, onPage, other, subjects := false, false, false, 0
		for _, t := range q.terms {
			if t.id < 0 {
				continue
			}
			isNamed := named(t.id)
			switch {
			case q.profPos.has(t.pos) && !q.object(t.pos):
				subjects++
				found = found || isNamed
				onPage = onPage || res.doc >= 0 && e.docHas(res.doc, t.id)
			case t.from == fromTyped && !t.cue && !t.generic:
				other = other || isNamed && e.rare(t.id)
			}
		}
		if subjects > 0 && !found && !(onPage && other) {
			f[6] = 1
		}
	}
	if len(r.all) > 0 && res.doc != r.all[0].doc && !q.followup {
		f[9] = f[5]
		if f[9] == 0 {
			f[9] = 0.1
		}
	}
	if q.quantity != nil && !res.exact && !e.statesQuantity(res, q.quantity) {
		f[10] = 1
	}
	// unknown words of the question sentence (a long message's
	// description of a child or a school is not held against it)
	nw, nu := 0, 0
	for i, w := range q.words {
		if i >= q.asked && !q.facts[i].stop {
			nw++
			if slices.Contains(q.unknown, w) {
				nu++
			}
		}
	}
	if nw > 0 {
		f[7] = math.Min(1, 2*float64(nu)/float64(nw))
	}
	return f
}

// leads reports whether an answer sentence's first word is the term: it is
// what the sentence is about ("Dietitians assess, diagnose and treat ..."),
// not someone it names ("They work with physiotherapists").
func leads(res *result, id int32) bool {
	for _, si := range res.sents {
		if len(si.seq) > 0 && si.seq[0] == id {
			return true
		}
	}
	return false
}

// statesQuantity reports whether an answer says the quantity asked for.
func (e *Engine) statesQuantity(res *result, qt *quantity) bool {
	if len(res.sents) == 0 {
		return qt.re.MatchString(res.text)
	}
	for _, si := range res.sents {
		if e.says(si, qt) {
			return true
		}
	}
	return false
}

// quotes reports whether the answer's sentences or their headings hold term id.
func quotes(res *result, id int32) bool {
	for _, si := range res.sents {
		if has(si.terms, id) || has(si.head, id) {
			return true
		}
	}
	return false
}

func headHas(res *result, id int32) bool {
	for _, si := range res.sents {
		if has(si.head, id) {
			return true
		}
	}
	return false
}

//go:embed data/confidence.yaml
var confidenceYAML []byte

// model is a logistic model over the features; its weights are data,
// fitted offline by tools/fitconfidence.py on the public evaluation sets.
type model struct {
	Bias    float64            `yaml:"bias"`
	Weights map[string]float64 `yaml:"weights"`
	w       features
}

func defaultModel() (*model, error) {
	var m model
	if err := yaml.Unmarshal(confidenceYAML, &m); err != nil {
		return nil, fmt.Errorf("embedded confidence.yaml: %w", err)
	}
	for name := range m.Weights {
		found := false
		for i, n := range featureNames {
			if n == name {
				m.w[i] = m.Weights[name]
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("embedded confidence.yaml: unknown feature %q", name)
		}
	}
	return &m, nil
}

func (m *model) predict(f features) float64 {
	z := m.Bias
	for i := range f {
		z += m.w[i] * f[i]
	}
	return 1 / (1 + math.Exp(-z))
}
