package intents

import (
	"fmt"

	"github.com/careersbot/careersbot/knowledge"
)

// moreAnswerer answers "how do I find out more about X": the page's own
// "find out more" line for the topic (under its own heading or an aspect
// heading such as "Find out more"), else the page's best matching such
// line, else a sentence that points somewhere, else the page's link.
type moreAnswerer struct{}

func init() { register(IntentMore, moreAnswerer{}) }

func (moreAnswerer) answer(e *Engine, r *request) (*result, bool) {
	if h := r.hit(); h != nil {
		for t := h.t; t != nil; t = t.parent {
			if res := e.moreLine(t.doc, func(sec *knowledge.Section) bool { return sec == t.t.Section || sec.Topic == t.t }); res != nil {
				res.topic = h.t.t.Name
				return res, true
			}
		}
	}
	if len(r.docs) == 0 {
		return nil, false
	}
	top := r.docs[0].doc
	d := e.ix.docs[top]
	// the page's "find out more" lines, the one the question matches best
	isMore := func(si *sentInfo) bool { return si.s.Kind == knowledge.MoreLine }
	if ps := e.rankPassages(r.q, r.docs[:1], r.hit(), r.bit, false, isMore); len(ps) > 0 {
		return e.moreResult(ps[0].si, d.name), true
	}
	// a sentence that points somewhere ("see the trainee handbook")
	if res, ok := (passageAnswerer{}).answer(e, r); ok && res.typed && res.doc == top {
		return res, true
	}
	if u := safeURL(d.d.URL); u != "" {
		return &result{text: fmt.Sprintf("You can read more on the page %q: %s", docTitle(d), u), doc: top, topic: d.name, typed: true, exact: true}, true
	}
	return nil, false
}

// moreLine returns the first "find out more" line of the sections of page
// doc that keep says yes to.
func (e *Engine) moreLine(doc int32, keep func(*knowledge.Section) bool) *result {
	for _, sid := range e.ix.docs[doc].sents {
		si := e.ix.sents[sid]
		if si.s.Kind == knowledge.MoreLine && keep(si.s.Section) {
			return e.moreResult(si, "")
		}
	}
	return nil
}

// moreResult quotes a "find out more" line with its link, or the page's.
func (e *Engine) moreResult(si *sentInfo, topic string) *result {
	sec := si.s.Section
	text := si.s.Text
	u := ""
	for _, l := range sec.More {
		if l.Text == si.s.Text {
			u = safeURL(l.URL)
		}
	}
	switch {
	case u != "":
		text += ": " + u
	case safeURL(sec.Doc.URL) != "":
		text += " (" + safeURL(sec.Doc.URL) + ")"
	}
	return &result{text: text, sents: []*sentInfo{si}, doc: si.doc, topic: topic, typed: true, exact: true, link: u}
}
