package intents

// passageAnswerer answers from the best-scoring sentence of the best pages,
// with the rest of its paragraph: the answerer of every answer type that
// has no structure of its own (where, who with, what equipment, entry
// requirements, skills, training, pay, hours, progression, roles).
type passageAnswerer struct{ lead bool }

func (a passageAnswerer) answer(e *Engine, r *request) (*result, bool) {
	lead := a.lead || r.q.intent == nil
	ps := e.rankPassages(r.q, r.docs, r.hit(), r.bit, lead, nil)
	if len(ps) == 0 {
		return nil, false
	}
	p := ps[0]
	typed := p.typed
	text, used := e.extract(p.si)
	// a second passage of the same page that scores nearly as well is
	// quoted too: the question may be answered by either
	stated := r.q.quantity != nil && e.says(p.si, r.q.quantity) // "how long": the first passage said it
	for _, q := range ps[1:] {
		if stated || q.score < e.tune.SecondPassage*p.score || q.si.doc != p.si.doc || len(text) > e.tune.AnswerChars {
			break
		}
		if containsSent(used, q.si) || p.typed && !q.typed {
			continue // a where-question's second passage says where too
		}
		t2, u2 := e.extract(q.si)
		if overlaps(used, u2) || len(text)+len(t2) > e.tune.AnswerChars+e.tune.AnswerShort {
			break
		}
		text += " " + t2
		used = append(used, u2...)
		typed = typed || q.typed // the second says the asked-for kind of thing
		break
	}
	return &result{text: text, sents: used, doc: p.si.doc, topic: e.topicOf(r, p.si), typed: typed}, true
}

func overlaps(a, b []*sentInfo) bool {
	for _, x := range b {
		if containsSent(a, x) {
			return true
		}
	}
	return false
}

// topicOf names what an answer is about, for the reply and for the
// conversation's follow-ups: the topic the question named, else the
// sentence's section topic when it is more than the page's, else the page.
func (e *Engine) topicOf(r *request, si *sentInfo) string {
	if h := r.hit(); h != nil && h.t.doc == si.doc {
		return h.t.t.Name
	}
	d := e.ix.docs[si.doc]
	if si.topic != nil && si.topic.parent != nil {
		return si.topic.t.Name
	}
	return d.name
}
