package intents

// compareAnswerer answers "what's the difference between a prosthetist and
// an orthotist": the best passage about each side of the "and" ("or",
// "vs"), quoted one after the other.
type compareAnswerer struct{}

func init() { register(IntentCompare, compareAnswerer{}) }

func (compareAnswerer) answer(e *Engine, r *request) (*result, bool) {
	split := -1
	for i, w := range r.q.words {
		if (w == "and" || w == "or" || w == "vs" || w == "versus") && i > r.q.asked {
			split = i
		}
	}
	if split < 0 {
		return passageAnswerer{}.answer(e, r)
	}
	var res *result
	for _, left := range []bool{true, false} {
		side := *r.q
		side.terms = nil
		for _, t := range r.q.terms {
			if t.pos >= 0 && !t.cue && (t.pos < split) == left {
				side.terms = append(side.terms, t)
			}
		}
		ps := e.rankPassages(&side, r.docs, nil, 0, true, nil)
		if len(ps) == 0 {
			return passageAnswerer{}.answer(e, r)
		}
		if res == nil {
			text, used := e.extract(ps[0].si)
			res = &result{text: text, sents: used, doc: ps[0].si.doc, topic: e.topicOf(r, ps[0].si), typed: true}
			continue
		}
		for _, p := range ps {
			if !containsSent(res.sents, p.si) {
				text, used := e.extract(p.si)
				if !overlaps(res.sents, used) {
					res.text += " " + text
					res.sents = append(res.sents, used...)
				}
				break
			}
		}
	}
	return res, true
}
