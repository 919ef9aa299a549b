package intents

import "github.com/careersbot/careersbot/knowledge"

// roleAnswerer answers "what does X do": about a part of a page (an area,
// a specialism) from the section about it; about the page itself from the
// page's opening, else from the opening of its section under a role
// heading ("What does a porter do?", "Working life"); about a detail the
// page holds ("do they do research") from the sentence that says it.
type roleAnswerer struct{}

func init() {
	register(IntentRole, roleAnswerer{})
	// "i like maths and computers, where would i fit": the page the
	// interests point to, introduced by its opening
	register(IntentInterest, roleAnswerer{})
}

func (roleAnswerer) answer(e *Engine, r *request) (*result, bool) {
	if len(r.docs) == 0 {
		return nil, false
	}
	top := r.docs[0].doc
	if e.asksDetail(r) {
		return passageAnswerer{lead: true}.answer(e, r)
	}
	if h := r.hit(); h != nil && h.t.doc == top && e.subTopic(r, h) && !e.pageCovers(r) {
		return overviewAnswerer{}.answer(e, r)
	}
	d := e.ix.docs[top]
	// the page's opening, and the opening of its section under a role
	// heading ("What does an adult nurse do?") when that is elsewhere
	var res *result
	if si := e.pageOpening(top); si != nil {
		text, used := e.extract(si)
		res = &result{text: text, sents: used, doc: top, topic: d.name, typed: true}
	}
	bit := e.intentBit[IntentRole]
	for _, sid := range d.sents {
		si := e.ix.sents[sid]
		if si.headTypes&bit == 0 || !si.lead {
			continue
		}
		text, used := e.extract(si)
		if res == nil {
			return &result{text: text, sents: used, doc: top, topic: d.name, typed: true}, true
		}
		if !containsSent(res.sents, si) && len(res.text)+len(text) <= e.tune.AnswerChars+e.tune.AnswerShort {
			res.text += " " + text
			res.sents = append(res.sents, used...)
		}
		break
	}
	if res != nil {
		if !e.addDuties(res, top) {
			e.addRoleSentence(r, res, top, bit)
		}
		if r.q.is(IntentInterest) && !containsFold(res.text, d.title) {
			// "which specialism is it?": the answer names the page
			res.text = capFirst(d.title) + ": " + res.text
		}
		return res, true
	}
	return passageAnswerer{lead: true}.answer(e, r)
}

// addDuties appends to a role's description the list of its tasks the
// page gives ("A Medical Secretary will carry out these tasks:" and the
// tasks), when one is there and the answer has room for it.
func (e *Engine) addDuties(res *result, doc int32) bool {
	bit := e.intentBit[IntentRole]
	var other uint64 // "You'll need:" lists skills, not tasks
	for _, name := range []string{IntentSkills, IntentEntry, IntentTraining} {
		other |= e.intentBit[name]
	}
	for _, sid := range e.ix.docs[doc].sents {
		si := e.ix.sents[sid]
		if si.s.Kind != knowledge.ListIntro || si.markers&bit == 0 || si.headTypes&^bit != 0 || containsSent(res.sents, si) {
			continue
		}
		if si.ownMarkers&other != 0 {
			continue // its own words, not its items', say what it lists
		}
		text, used := e.extract(si)
		if len(used) < 3 || len(res.text)+len(text) > e.tune.AnswerChars+e.tune.AnswerShort {
			return false
		}
		res.text += " " + text
		res.sents = append(res.sents, used...)
		return true
	}
	return false
}

// addRoleSentence appends to a role's description the sentence of its
// page that says most what its staff do (two or more of the role's
// markers), when the description does not hold it and has room: an
// opening that says what the field is ("Audiology is a rapidly developing
// field") is then followed by what its staff do.
func (e *Engine) addRoleSentence(r *request, res *result, doc int32, bit uint64) {
	if len(res.text) >= e.tune.AnswerChars {
		return
	}
	for _, p := range e.rankPassages(r.q, []docCand{{doc, 1}}, r.hit(), bit, false, nil) {
		if p.si.strong&bit == 0 || p.si.kind == knowledge.ListItem || p.si.junk || containsSent(res.sents, p.si) {
			continue
		}
		text, used := e.extract(p.si)
		if overlaps(res.sents, used) || len(res.text)+len(text) > e.tune.AnswerChars+e.tune.AnswerShort {
			return
		}
		res.text += " " + text
		res.sents = append(res.sents, used...)
		return
	}
}

func containsSent(list []*sentInfo, si *sentInfo) bool {
	for _, x := range list {
		if x == si {
			return true
		}
	}
	return false
}
