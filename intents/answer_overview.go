package intents

import (
	"fmt"
	"slices"
	"strings"

	"github.com/careersbot/careersbot/knowledge"
)

// overviewAnswerer answers "what is X": the opening of the section about
// the topic the question names, or of the page it names; a topic that is
// only a list item is introduced by what it is part of.
type overviewAnswerer struct{}

func init() { register(IntentOverview, overviewAnswerer{}) }

func (overviewAnswerer) answer(e *Engine, r *request) (*result, bool) {
	if e.asksDetail(r) {
		return passageAnswerer{}.answer(e, r)
	}
	if h := r.hit(); h != nil && (len(r.docs) == 0 || h.t.doc == r.docs[0].doc || h.full >= 0.99) && e.subTopic(r, h) && !e.pageCovers(r) {
		t := h.t
		if sec := t.t.Section; sec != nil {
			if res := e.opening(t.doc, sec, t); res != nil {
				res.topic = t.t.Name
				return res, true
			}
		}
		// a list item: what mentions it, else the list it is in, with what
		// it is part of
		for _, s := range t.t.Sentences {
			if s.Kind == knowledge.Prose {
				si := e.sentOf(t.doc, s)
				text, used := e.extract(si)
				return &result{text: text, sents: used, doc: t.doc, topic: t.t.Name, exact: true}, true
			}
		}
		for _, s := range t.t.Sentences {
			if si := e.sentOf(t.doc, s); si != nil && s.Kind == knowledge.ListItem {
				text, used := e.extract(si)
				if p := t.parent; p != nil {
					text = fmt.Sprintf("%s is part of %s. %s", capFirst(t.t.Name), lowerName(p.t.Name), text)
				}
				return &result{text: text, sents: used, doc: t.doc, topic: t.t.Name, exact: true}, true
			}
		}
		if p := t.parent; p != nil {
			text := fmt.Sprintf("%s is part of %s.", capFirst(t.t.Name), lowerName(p.t.Name))
			var used []*sentInfo
			if p.t.Section != nil {
				if res := e.opening(p.doc, p.t.Section, p); res != nil {
					text += " " + res.text
					used = res.sents
				}
			}
			return &result{text: text, sents: used, doc: t.doc, topic: t.t.Name, exact: true}, true
		}
	}
	if len(r.docs) > 0 && r.q.content > 0 {
		if si := e.pageOpening(r.docs[0].doc); si != nil {
			text, used := e.extract(si)
			return &result{text: text, sents: used, doc: si.doc, topic: e.ix.docs[si.doc].name}, true
		}
	}
	return passageAnswerer{lead: true}.answer(e, r)
}

// opening quotes the first two sentences of a section (a list's intro with
// its items counting as one); a sentence ending in a colon before the
// section's subsections names them.
func (e *Engine) opening(doc int32, sec *knowledge.Section, t *topicInfo) *result {
	var parts []string
	var used []*sentInfo
	size := 0
	for _, s := range sec.Sentences {
		if len(parts) >= 2 || size >= 450 {
			break
		}
		si := e.sentOf(doc, s)
		if si == nil || si.junk || s.Kind == knowledge.MoreLine || s.Kind == knowledge.ListItem {
			continue
		}
		txt := s.Text
		if s.Kind == knowledge.ListIntro {
			txt, _ = e.extract(si)
		} else if strings.HasSuffix(strings.TrimSpace(txt), ":") && t != nil && len(t.children) > 0 {
			txt = withItems(txt, childNames(t))
		}
		parts = append(parts, txt)
		used = append(used, si)
		size += len(txt)
	}
	if len(parts) == 0 {
		return nil
	}
	return &result{text: strings.Join(parts, " "), sents: used, doc: doc, exact: true}
}

// sentOf finds the index entry of a sentence of page doc.
func (e *Engine) sentOf(doc int32, s *knowledge.Sentence) *sentInfo {
	for _, sid := range e.ix.docs[doc].sents {
		if si := e.ix.sents[sid]; si.s == s {
			return si
		}
	}
	return nil
}

func childNames(t *topicInfo) []string {
	var out []string
	for _, c := range t.children {
		out = append(out, lowerName(c.t.Name))
	}
	return out
}

// asksDetail reports whether the question names something the best page
// holds beyond what the page and the named topic are: "do clinical
// scientists do any coding" asks about coding, not for the page's opening.
func (e *Engine) asksDetail(r *request) bool {
	if len(r.docs) == 0 {
		return false
	}
	d := r.docs[0].doc
	id := e.ix.docs[d].idTerms
	h := r.hit()
	// "what does a 999 call handler at the ambulance service do": the
	// words after a preposition inside the cue's "*" say where the one
	// asked about works, not a detail asked about them
	lo, hi := -1, -1
	if r.q.is(IntentRole) && len(r.q.cuePos) > 1 {
		lo, hi = slices.Min(r.q.cuePos), slices.Max(r.q.cuePos)
		for i := lo + 1; i < hi && i < len(r.q.words); i++ {
			if e.qualifiers[r.q.words[i]] {
				lo = i
				break
			}
		}
		if lo == slices.Min(r.q.cuePos) {
			hi = lo // no qualifier: every word of the subject counts
		}
	}
	for _, x := range r.q.terms {
		if x.id < 0 || x.cue || x.generic || has(id, x.id) || h != nil && has(h.t.terms, x.id) {
			continue
		}
		if x.pos >= 0 && x.pos < r.q.asked && !r.q.is(IntentInterest) {
			continue // a long message's description ("after her GCSEs") is not what it asks, unless it states interests
		}
		if x.pos > lo && x.pos < hi && !e.ix.headish[x.id] {
			continue
		}
		// a typed word, or what a word the pages never use stands for
		// ("EEG" for electroencephalography)
		if x.from != fromTyped && !(x.from == fromSynonym || x.from == fromAcronym) || x.from != fromTyped && e.typedKnown(r.q, x.pos) {
			continue
		}
		if e.docHas(d, x.id) && e.rare(x.id) {
			return true
		}
	}
	return false
}

// typedKnown reports whether the word the question typed at pos is one the
// pages use.
func (e *Engine) typedKnown(q *query, pos int) bool {
	for _, t := range q.terms {
		if t.pos == pos && t.from == fromTyped {
			return t.id >= 0
		}
	}
	return false
}

// subTopic reports whether the named topic is a part of its page (an
// area, a specialism) rather than the page itself.
func (e *Engine) subTopic(r *request, h *topicHit) bool {
	if h.t.page || h.t.parent == nil && len(e.ix.docs) > 1 {
		return false
	}
	d := e.ix.docs[h.t.doc]
	for _, t := range h.t.terms {
		if !has(d.idTerms, t) {
			return true
		}
	}
	// the same terms, but the question's own word forms name the topic
	// and not the page: "pharmacist" on the "Careers in pharmacy" page
	if h.t.parent != nil && len(h.t.stems) > 0 {
		qs := map[string]bool{}
		for _, w := range r.q.words {
			qs[stem(w)] = true
		}
		exact, pageExact := true, true
		for _, st := range h.t.stems {
			exact = exact && qs[st]
			pageExact = pageExact && d.idStems[st]
		}
		if exact && !pageExact {
			return true
		}
	}
	return len(e.ix.docs) == 1 && h.t.parent != nil
}

// rare reports a term that tells passages apart: used by few pages of a
// large base, or by few sentences of a small one ("hospital" is not).
func (e *Engine) rare(id int32) bool {
	if n := len(e.ix.docs); n >= 6 {
		return float64(e.ix.docDF[id]) < e.tune.RareShare*float64(n)
	}
	return float64(e.ix.sentDF[id]) < e.tune.RareShare/2*float64(e.ix.nSents)
}

// pageOpening is the sentence that opens what a page says about its
// subject: the section headed with the page's name when it has one (a
// "compare roles" page opens with the site's blurb), else the page's
// first sentences.
func (e *Engine) pageOpening(doc int32) *sentInfo {
	d := e.ix.docs[doc]
	for _, sid := range d.sents {
		// the page's first sentence, when it speaks of the page's subject
		if si := e.ix.sents[sid]; si.intro {
			for _, id := range si.terms {
				if has(d.nameIDs, id) && e.rare(id) {
					return si
				}
			}
			break
		}
	}
	for _, sid := range d.sents {
		si := e.ix.sents[sid]
		sec := si.s.Section
		if si.lead && sec.Heading != "" && (strings.EqualFold(strings.TrimSpace(sec.Heading), d.name) ||
			sec.Topic != nil && sec.Topic.Section == sec && strings.EqualFold(sec.Topic.Name, d.name)) {
			return si // "1. Chaplain" names the chaplain
		}
	}
	for _, sid := range d.sents {
		if si := e.ix.sents[sid]; si.intro {
			return si
		}
	}
	return nil
}

// pageCovers reports whether the best page's identity holds every word the
// question names its subject with: the question is about the page itself
// ("what does a hospital porter do" on the porter's page), not one of its
// parts that shares a word.
func (e *Engine) pageCovers(r *request) bool {
	if len(r.docs) == 0 || len(e.ix.docs) == 1 {
		return false
	}
	id := e.ix.docs[r.docs[0].doc].idTerms
	n := 0
	for _, x := range r.q.terms {
		if x.from != fromTyped || x.id < 0 || x.cue || x.generic || e.common[x.word] || x.pos < r.q.asked && !r.q.is(IntentInterest) {
			continue // nor a long message's description before its question
		}
		if !has(id, x.id) && e.rare(x.id) {
			return false
		}
		n++
	}
	return n > 0
}
