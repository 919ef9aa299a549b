package intents

import (
	"slices"
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
	// "is X part of Y": X is named before the cue, Y after it; a topic
	// whose name takes words from both sides ("cardiac ... sciences") is
	// neither
	mid := -1
	if len(r.q.cuePos) > 0 && e.firstSubject(r.q) < slices.Min(r.q.cuePos) {
		mid = slices.Min(r.q.cuePos)
	}
	for i := range topics {
		h := &topics[i]
		switch {
		case mid >= 0 && !namedOn(r.q, h.t, mid, false) && !namedOn(r.q, h.t, mid, true):
			continue
		case x == nil:
			x = h
		case y == nil && !subsetTerms(h.t.terms, x.t.terms) && !subsetTerms(x.t.terms, h.t.terms) &&
			(mid < 0 || namedOn(r.q, h.t, mid, !namedOn(r.q, x.t, mid, true))):
			y = h
		}
	}
	if x != nil && (x.t.parent == nil || !exactStems(r.q, x.t)) {
		// the topic named as the question names it, in an area: the
		// section "Neurophysiology" of "Physiological sciences" before
		// the page "Neurophysiologist"
		for i := range topics {
			if h := &topics[i]; h.t.parent != nil && h != y && slices.Equal(h.t.terms, x.t.terms) && h.full >= x.full &&
				(exactStems(r.q, h.t) || x.t.parent == nil) {
				x = h
				break
			}
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
			lead = capFirst(t.t.Name) + " is part of " + lowerName(t.parent.t.Name) + "."
		case under(t, y.t):
			lead = "Yes, " + lowerName(t.t.Name) + " is part of " + lowerName(y.t.t.Name) + "."
		case under(y.t, t):
			lead = "It's the other way round: " + lowerName(y.t.t.Name) + " is part of " + lowerName(t.t.Name) + "."
		case t.parent != nil:
			lead = "No, " + lowerName(t.t.Name) + " is part of " + lowerName(t.parent.t.Name) + ", not " + lowerName(y.t.t.Name) + "."
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
	if x != nil && x.t.parent == nil && y == nil && !r.q.asksWho {
		if res := e.crumbMembership(r, x); res != nil {
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
	if !containsFold(res.text, name) {
		res.text = capFirst(name) + ": " + res.text
	}
	res.topic = name
	res.typed = true
	return res, true
}

// crumbMembership answers "which group of careers does X belong to" for
// a topic with no parent in the topic tree from its page's breadcrumb:
// the step above X names the area ("Careers in nursing > Health
// visiting"), quoted with the sentence of the page that best says it.
func (e *Engine) crumbMembership(r *request, x *topicHit) *result {
	d := e.ix.docs[x.t.doc]
	bc := d.d.Breadcrumb
	k := -1
	for i, c := range bc {
		if strings.EqualFold(strings.TrimSpace(c), strings.TrimSpace(x.t.t.Name)) {
			k = i
		}
	}
	if k < 2 { // above it only the site and its sections ("NHS Careers > Explore by career")
		return nil
	}
	above := strings.TrimSpace(bc[k-1])
	if looksAspect(above) || strings.Contains(strings.ToLower(above), "explore") {
		return nil
	}
	area := above
	if a := titlePrefix.ReplaceAllString(above, ""); a != "" {
		area = a // "Careers in nursing" is nursing, as page names are
	}
	text := capFirst(x.t.t.Name) + " is part of " + lowerName(area) + " (" + above + " > " + strings.TrimSpace(bc[k]) + ")."
	res := &result{text: text, doc: x.t.doc, topic: x.t.t.Name, typed: true, exact: true}
	for _, p := range e.rankPassages(r.q, []docCand{{x.t.doc, 1}}, x, 0, false, nil) {
		if p.si.s.Text != x.t.t.Name {
			txt, used := e.extract(p.si)
			res.text += " " + txt
			res.sents = used
			break
		}
	}
	return res
}

// namedOn reports whether every word of t's name that the question holds
// stands on one side of position mid (after it when after is set).
func namedOn(q *query, t *topicInfo, mid int, after bool) bool {
	for _, id := range t.terms {
		found, side := false, false
		for _, x := range q.terms {
			if x.id == id && x.pos >= 0 {
				found = true
				if (x.pos > mid) == after {
					side = true
				}
			}
		}
		if found && !side {
			return false
		}
	}
	return true
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
