package intents

import (
	"fmt"

	"github.com/careersbot/careersbot/knowledge"
)

// listAnswerer answers "what areas does X include": the sentence that
// introduces the topic's parts, with the parts.
type listAnswerer struct{}

func init() { register(IntentList, listAnswerer{}) }

func (listAnswerer) answer(e *Engine, r *request) (*result, bool) {
	if !e.countsParts(r.q) {
		// "how many people work in ...": a number, not a list
		num := *r
		num.bit = 0
		return passageAnswerer{}.answer(e, &num)
	}
	var t *topicInfo
	for _, h := range r.topics {
		if len(h.t.children) > 0 && !e.asksMore(r.q, h.t) {
			t = h.t
			break
		}
	}
	if t == nil && r.q.content == 0 && !r.q.followup {
		t = e.mainRoot() // "what areas are there"
	}
	if t != nil && len(t.children) > 0 {
		text, used := e.listText(t)
		if used == nil || r.q.quantity != nil {
			// no sentence of the topic's page introduces its parts: a page
			// that lists them in so many words answers better
			if res := e.quotedList(r); res != nil {
				return res, true
			}
		}
		// one part named is no list ("X includes skip to content"): the
		// passages answer
		if used != nil || len(t.children) > 1 {
			return &result{text: text, sents: used, doc: t.doc, topic: t.t.Name, typed: true, exact: true}, true
		}
	}
	res, ok := passageAnswerer{}.answer(e, r)
	if ok {
		res.typed = res.typed || len(res.sents) > 1
	}
	return res, ok
}

// quotedList is the best passage when it introduces a list the page gives
// ("There are nine specialisms in physiological sciences -" and its items).
func (e *Engine) quotedList(r *request) *result {
	ps := e.rankPassages(r.q, r.docs, r.hit(), r.bit, false, nil)
	for _, p := range ps {
		if p.score < e.tune.QuotedList*ps[0].score {
			break
		}
		if r.q.quantity != nil && e.says(p.si, r.q.quantity) {
			// "how many specialisms": the sentence that gives the number
			text, used := e.extract(p.si)
			return &result{text: text, sents: used, doc: p.si.doc, topic: e.topicOf(r, p.si), typed: true}
		}
		if p.si.s.Kind != knowledge.ListIntro {
			continue
		}
		if text, used := e.extract(p.si); len(used) > 2 {
			return &result{text: text, sents: used, doc: p.si.doc, topic: e.topicOf(r, p.si), typed: true, exact: true}
		}
	}
	return nil
}

// asksMore reports whether the question names something beyond topic t
// ("places" in "list some places a speech therapist might work"): then
// the topic's own parts are not what it asks for.
func (e *Engine) asksMore(q *query, t *topicInfo) bool {
	for _, x := range q.terms {
		if x.from == fromTyped && x.id >= 0 && !x.cue && !x.generic && !has(t.terms, x.id) && !has(e.ix.docs[t.doc].idTerms, x.id) {
			return true
		}
	}
	return false
}

// listText quotes the sentence that introduced a topic's parts with them,
// or names them.
func (e *Engine) listText(t *topicInfo) (string, []*sentInfo) {
	for _, c := range t.children {
		for _, s := range c.t.Sentences {
			if s.Kind != knowledge.ListItem || s.Section.Topic != t.t {
				continue
			}
			si := e.sentOf(t.doc, s)
			for i := si.pos - 1; i >= 0; i-- {
				p := e.ix.sents[e.ix.docs[t.doc].sents[i]]
				if p.s.Section != s.Section {
					break
				}
				if p.s.Kind == knowledge.ListIntro {
					return e.extract(p)
				}
			}
		}
	}
	if sec := t.t.Section; sec != nil {
		if res := e.opening(t.doc, sec, t); res != nil && len(res.sents) > 0 {
			for _, si := range res.sents {
				if txt := si.s.Text; len(txt) > 0 && txt[len(txt)-1] == ':' {
					return withItems(txt, childNames(t)), []*sentInfo{si}
				}
			}
		}
	}
	items := childNames(t)
	return fmt.Sprintf("%s includes %s.", capFirst(t.t.Name), joinList(items)), nil
}

// mainRoot is the topic of the first page, when it has parts: what "what
// areas are there" asks about.
func (e *Engine) mainRoot() *topicInfo {
	for _, d := range e.ix.docs {
		for _, ti := range d.topics {
			if ti.parent == nil && len(ti.children) > 0 {
				return ti
			}
		}
	}
	return nil
}

// countsParts reports whether a "how many" question counts the parts of
// something (areas, types, roles) rather than asking for a number; a
// question without "how many" lists.
func (e *Engine) countsParts(q *query) bool {
	for i := 0; i+2 < len(q.words); i++ {
		if q.words[i] == "how" && q.words[i+1] == "many" {
			return e.listNouns[q.words[i+2]]
		}
	}
	return true
}
