package intents

// roleAnswerer answers "what does X do": about a part of a page (an area,
// a specialism) from the section about it; about the page itself from the
// opening of its section under a role heading ("What does a porter do?",
// "Working life"), else from the page's own opening.
type roleAnswerer struct{}

func init() { register(IntentRole, roleAnswerer{}) }

func (roleAnswerer) answer(e *Engine, r *request) (*result, bool) {
	if len(r.docs) == 0 {
		return nil, false
	}
	top := r.docs[0].doc
	if h := r.hit(); h != nil && h.t.parent != nil && h.t.doc == top {
		return overviewAnswerer{}.answer(e, r)
	}
	d := e.ix.docs[top]
	bit := e.intentBit[IntentRole]
	for _, sid := range d.sents {
		if si := e.ix.sents[sid]; si.headTypes&bit != 0 && si.lead {
			text, used := e.extract(si)
			return &result{text: text, sents: used, doc: top, topic: d.name, typed: true}, true
		}
	}
	for _, sid := range d.sents {
		if si := e.ix.sents[sid]; si.intro {
			text, used := e.extract(si)
			return &result{text: text, sents: used, doc: top, topic: d.name, typed: true}, true
		}
	}
	return passageAnswerer{lead: true}.answer(e, r)
}
