package intents

import (
	"fmt"
	"strings"
)

// membershipAnswerer answers "is X part of Y" and "which area covers X"
// from the topic tree, and otherwise (and always for "who supervises X",
// which asks who does something, not what X belongs to) quotes the
// sentence that says it, naming the area or page it belongs to.
type membershipAnswerer struct{}

func init() { register(IntentMembership, membershipAnswerer{}) }

func (membershipAnswerer) answer(e *Engine, r *request) (*result, bool) {
	var x, y *topicHit
	topics := r.topics
	if !r.q.followup {
		// "is neurophysiology part of life sciences": the area may be
		// another page's
		wide := r.all[:min(len(r.all), e.tune.MemberDocs)]
		topics = e.findTopics(r.q, wide)
	}
	for i := range topics {
		h := &topics[i]
		switch {
		case x == nil:
			x = h
		case y == nil && !subsetTerms(h.t.terms, x.t.terms) && !subsetTerms(x.t.terms, h.t.terms):
			y = h
		}
	}
	if x != nil && y != nil && y.pos < x.pos {
		x, y = y, x // the subject comes first: "is X part of Y"
	}
	if x != nil && (x.t.parent != nil || y != nil) && !r.q.asksWho && (y != nil || x.pos <= e.firstSubject(r.q)) {
		t := x.t
		var lead string
		switch {
		case y == nil:
			lead = fmt.Sprintf("%s is part of %s.", capFirst(t.t.Name), lowerName(t.parent.t.Name))
		case under(t, y.t):
			lead = fmt.Sprintf("Yes, %s is part of %s.", lowerName(t.t.Name), lowerName(y.t.t.Name))
		case under(y.t, t):
			lead = fmt.Sprintf("It's the other way round: %s is part of %s.", lowerName(y.t.t.Name), lowerName(t.t.Name))
		case t.parent != nil:
			lead = fmt.Sprintf("No, %s is part of %s, not %s.", lowerName(t.t.Name), lowerName(t.parent.t.Name), lowerName(y.t.t.Name))
		default:
			lead = ""
		}
		if lead != "" {
			res := &result{text: lead, doc: t.doc, topic: t.t.Name, typed: true, exact: true}
			// and the sentence of its page that best says it
			for _, p := range e.rankPassages(r.q, []docCand{{t.doc, 1}}, x, 0, false, nil) {
				if p.si.s.Text != t.t.Name {
					txt, used := e.extract(p.si)
					res.text += " " + txt
					res.sents = used
					break
				}
			}
			return res, true
		}
	}
	res, ok := passageAnswerer{}.answer(e, r)
	if !ok {
		return nil, false
	}
	// name what the sentence belongs to
	si := res.sents[0]
	name := e.ix.docs[si.doc].name
	if si.topic != nil && si.topic.t.Section == si.s.Section {
		name = si.topic.t.Name
	}
	if !strings.Contains(strings.ToLower(res.text), strings.ToLower(name)) {
		res.text = capFirst(name) + ": " + res.text
	}
	res.topic = name
	res.typed = true
	return res, true
}

func under(t, anc *topicInfo) bool {
	for p := t.parent; p != nil; p = p.parent {
		if p == anc {
			return true
		}
	}
	return false
}

// subsetTerms reports whether every term of a is in b.
func subsetTerms(a, b []int32) bool {
	for _, x := range a {
		if !has(b, x) {
			return false
		}
	}
	return true
}

// firstSubject is the position of the question's first content word that
// is not part of its cue: what an "is X part of Y" question is about.
func (e *Engine) firstSubject(q *query) int {
	for _, t := range q.terms {
		if t.from != fromContext && !t.cue && !t.generic && t.pos >= 0 {
			return t.pos
		}
	}
	return 1 << 30
}
