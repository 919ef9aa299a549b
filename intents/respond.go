package intents

import (
	"strings"
)

// answerer builds the reply for one answer type. Each lives in its own
// file (answer_*.go) and is registered by intent name; an answer type with
// no answerer of its own is answered by passage ranking with its markers.
type answerer interface {
	answer(e *Engine, r *request) (*result, bool)
}

// request is what an answerer works from.
type request struct {
	q      *query
	all    []docCand // every page that holds a question term, best first
	docs   []docCand // the candidates for passages
	topics []topicHit
	bit    uint64 // the answer type's bit in the markers
}

// hit is the topic the question names, if any.
func (r *request) hit() *topicHit {
	if len(r.topics) == 0 {
		return nil
	}
	return &r.topics[0]
}

// result is an answerer's choice, before confidence.
type result struct {
	text   string
	sents  []*sentInfo
	doc    int32
	topic  string
	typed  bool   // carries the asked-for answer type
	exact  bool   // answered from the structure (a list, the topic tree, a link): the type is certain
	link   string // the page a "find out more" answer sends the user to
	intent string
}

var answerers = map[string]answerer{}

// register adds an answerer for an intent; answer_*.go files call it from
// init.
func register(intent string, a answerer) { answerers[intent] = a }

func registeredAnswerers() map[string]answerer { return answerers }

// typedIntents need a sentence that carries their answer type: without
// one the page does not say, and the engine says it does not know.
var typedIntents = map[string]bool{
	IntentLocation: true, IntentPatients: true, IntentEquipment: true, IntentEntry: true, IntentSkills: true,
	IntentTraining: true, IntentPay: true, IntentHours: true, IntentProgression: true, IntentApply: true,
}

func (e *Engine) respond(q *query, suggest bool) Answer {
	name := q.intentName()
	if q.intent != nil && q.intent.Smalltalk && q.content == 0 && !q.namesByExpansion() && len(q.missing) == 0 && len(q.oos) == 0 {
		return e.smalltalk(name)
	}
	if q.intent != nil && q.intent.Smalltalk {
		q.intent, name = nil, "" // "hi, where do genetics staff work?"
	}
	if name == IntentSource {
		return e.source()
	}
	if len(q.oos) > 0 {
		return e.refuse(q, nil, e.lx.Replies["out_of_scope"], suggest)
	}
	all := e.rankDocs(q)
	r := &q.s.r
	*r = request{q: q, all: all, docs: e.candidates(all, q.s.cands[:0:len(q.s.cands)]), bit: e.intentBit[name]}
	if name == IntentPatients && !e.mentionsPatients(q) && e.saysColleagues(r.docs) {
		r.bit = colleagueBit // "who do cardiac physiologists work with": colleagues
	}
	if q.followup && len(q.ctxDocs) > 0 && q.content == 0 {
		// a follow-up stays on the conversation's page
		r.docs = nil
		for _, d := range q.ctxDocs {
			r.docs = append(r.docs, docCand{d, 1})
		}
	}
	r.topics = e.findTopics(q, r.docs)
	a := e.answerers[name]
	if a == nil {
		a = passageAnswerer{}
	}
	res, ok := a.answer(e, r)
	if ok && r.bit == colleagueBit && !res.typed && !res.exact {
		// nobody beside them is named where the question points: "who do
		// they work with" asks about their patients
		r.bit = e.intentBit[IntentPatients]
		res, ok = a.answer(e, r)
	}
	if !ok || strings.TrimSpace(res.text) == "" {
		return e.refuse(q, r, "", suggest)
	}
	if res.intent == "" {
		res.intent = name
	}
	f := e.features(r, res)
	conf := e.model.predict(f)
	if f[featMissing] > 0 || f[featTypeMiss] > 0 || f[featNoSubject] > 0 && !res.exact && !q.followup && (q.pronoun || len(e.ix.docs) > 1 || f[featUnknown] > 0) ||
		f[featUnknown] >= 1 && !e.askedNamesPage(q, res) && !res.exact && !q.followup && !q.is(IntentInterest) && q.askedUnknown() >= 2 {
		// the occupation asked about is not what any page here is about,
		// or the page does not say the kind of thing asked (where, what
		// pay, which qualifications): however good the overlap of the
		// other words, refuse; so too when nothing in the question names
		// what it is about ("where do they work?" with no conversation,
		// "what is the salary" when many pages are loaded, "tell me about
		// nursing careers" when no page knows nursing); and so too when
		// the question is mostly words the pages and everyday language do
		// not know and none of it names a page ("who won the premier
		// league")
		conf = min(conf, e.tune.GateCap)
	}
	if e.namedElsewhere(r, res) {
		// "how much do pharmacy assistants earn": the page named in full
		// does not say, and the page that says is another's (pharmacists')
		conf = min(conf, e.tune.GateCap)
	}
	ans := e.reply(res, conf)
	ans.Why.AnswerType, ans.Why.Features = res.intent, f
	if len(ans.Sources) > 0 {
		ans.Why.Document, ans.Why.Section = ans.Sources[0].Document, ans.Sources[0].Section
	}
	if conf < e.threshold {
		out := e.refuse(q, r, "", suggest)
		out.Confidence = conf
		out.Why = ans.Why
		return out
	}
	ans.Answered = true
	if suggest {
		if s := e.suggestions(res.doc, ans.Text); len(s) > 0 {
			ans.Suggestions = s
		}
	}
	return ans
}

// askedNamesPage reports whether a word of the question sentence is in the
// answer's page identity or names a page or heading anywhere.
func (e *Engine) askedNamesPage(q *query, res *result) bool {
	var id []int32
	if res.doc >= 0 && int(res.doc) < len(e.ix.docs) {
		id = e.ix.docs[res.doc].idTerms
	}
	for _, t := range q.terms {
		if t.from == fromTyped && t.id >= 0 && !t.cue && !t.generic && !e.common[t.word] && t.pos >= q.asked && t.pos < q.askedEnd &&
			(has(id, t.id) || e.ix.headish[t.id] && e.rare(t.id)) {
			return true
		}
	}
	return false
}

// replyParts holds an answer's sources and its Why.
type replyParts struct {
	why     Why
	sources [maxSources]Source
}

// maxSources is how many sources an answer cites.
const maxSources = 3

// reply turns a result into an Answer with its sources and a Why for
// respond to fill.
func (e *Engine) reply(res *result, conf float64) Answer {
	held := new(replyParts) // one allocation for both
	a := Answer{Intent: res.intent, Topic: lowerName(res.topic), Text: res.text, Confidence: conf, Sources: held.sources[:0],
		Suggestions: []string{}, Why: &held.why}
	for _, si := range res.sents {
		d := e.ix.docs[si.doc]
		src := Source{Document: d.title, Section: si.s.Section.Heading, URL: d.url}
		if res.link != "" && len(a.Sources) == 0 {
			src.URL = res.link // a "find out more" answer cites where it sends you
		}
		if len(a.Sources) < maxSources && !hasSource(a.Sources, src) {
			a.Sources = append(a.Sources, src)
		}
	}
	if len(a.Sources) == 0 && res.doc >= 0 && int(res.doc) < len(e.ix.docs) {
		d := e.ix.docs[res.doc]
		a.Sources = append(a.Sources, Source{Document: d.title, URL: d.url})
	}
	return a
}

// docTitle is how sources name a page (fixed at load).
func docTitle(d *docInfo) string { return d.title }

func titleOf(d *docInfo) string {
	if d.d.Title != "" && !looksAspect(d.d.Title) {
		return d.d.Title
	}
	return capFirst(d.name)
}

// hasSource reports whether list already cites src's page and section.
func hasSource(list []Source, src Source) bool {
	for _, s := range list {
		if s.Document == src.Document && s.Section == src.Section {
			return true
		}
	}
	return false
}

// safeURL keeps only web links: a page's javascript: or data: link is
// never passed on.
func safeURL(u string) string {
	l := strings.ToLower(strings.TrimSpace(u))
	if strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") {
		return strings.TrimSpace(u)
	}
	return ""
}

func (e *Engine) smalltalk(intent string) Answer {
	return Answer{Intent: intent, Answered: true, Confidence: 1, Text: e.fill(e.lx.Replies[intent]), Sources: []Source{}, Suggestions: e.Examples()}
}

// refuse is the honest "I don't know", with suggestions the engine can
// answer about the page the question came closest to.
func (e *Engine) refuse(q *query, r *request, text string, suggest bool) Answer {
	if text == "" {
		text = e.lx.Replies["fallback"]
	}
	a := Answer{Intent: IntentFallback, Text: e.fill(text), Sources: []Source{}, Suggestions: []string{}}
	if suggest {
		if r != nil && len(r.all) > 0 && len(q.missing) == 0 {
			a.Suggestions = e.suggestions(r.all[0].doc, "")
		}
		if len(a.Suggestions) == 0 {
			a.Suggestions = e.Examples()
		}
	}
	return a
}

// fill expands {subject}, {areas} and {examples} in a reply (the
// configured replies are expanded once, at load).
func (e *Engine) fill(s string) string {
	if f, ok := e.filled[s]; ok {
		return f
	}
	return e.expandReply(s)
}

func (e *Engine) expandReply(s string) string {
	r := strings.NewReplacer("{subject}", e.subject, "{areas}", joinList(e.areas()),
		"{examples}", quoteList(e.examples))
	return r.Replace(s)
}

func quoteList(qs []string) string {
	var out []string
	for _, q := range qs {
		out = append(out, "\""+q+"\"")
	}
	return strings.Join(out, ", ")
}

// source lists the documents answers come from.
func (e *Engine) source() Answer {
	var docs []string
	a := Answer{Intent: IntentSource, Answered: true, Confidence: 1}
	for _, d := range e.ix.docs {
		s := docTitle(d)
		if len(d.d.Breadcrumb) > 0 {
			s += " (" + strings.Join(d.d.Breadcrumb, " > ") + ")"
		}
		if u := safeURL(d.d.URL); u != "" {
			s += " " + u
		}
		docs = append(docs, s)
		a.Sources = append(a.Sources, Source{Document: docTitle(d), URL: safeURL(d.d.URL)})
		if len(docs) == 20 {
			docs = append(docs, "and more")
			break
		}
	}
	a.Text = e.lx.Replies["source"] + " " + strings.Join(docs, "; ") + "."
	a.Suggestions = e.Examples()
	return a
}

// mentionsPatients reports whether the question sentence names the people
// a role serves (patient_words).
func (e *Engine) mentionsPatients(q *query) bool {
	for _, w := range q.words[q.asked:q.askedEnd] { // not "... work with? pls help"
		if e.patientWords[w] {
			return true
		}
	}
	return false
}

// saysColleagues reports whether the best page says whom its role works
// beside; if not, "who do they work with" asks about its patients.
func (e *Engine) saysColleagues(docs []docCand) bool {
	if len(docs) == 0 {
		return false
	}
	for _, sid := range e.ix.docs[docs[0].doc].sents {
		if e.ix.sents[sid].markers&colleagueBit != 0 {
			return true
		}
	}
	return false
}

// namedElsewhere reports a typed answer quoted from a page other than the
// one the question names in full (a topic naming its page, not a section),
// when that topic's name holds a word of the question that neither the
// answering page's identity nor the answer has: the page asked about does
// not say, so another page's answer is not the answer.
func (e *Engine) namedElsewhere(r *request, res *result) bool {
	q := r.q
	if len(r.topics) == 0 || res.exact || q.followup || res.doc < 0 || !typedIntents[res.intent] {
		return false
	}
	top := r.topics[0]
	if top.t.doc == res.doc || top.full < 1 || !top.t.page && !subsetTerms(top.t.terms, e.ix.docs[top.t.doc].idTerms) {
		return false // the topic is not what its page is (a section of a broader page)
	}
	idTerms := e.ix.docs[res.doc].idTerms
	for _, id := range top.t.terms {
		if has(idTerms, id) || quotes(res, id) {
			continue
		}
		for _, t := range q.terms {
			if t.id == id && t.from == fromTyped && !t.cue && !t.generic && t.pos >= q.asked {
				return true
			}
		}
	}
	return false
}

// namesByExpansion reports a question whose subject the pages know only
// through what a word stands for ("hiya, r there IT jobs": IT is ICT).
func (q *query) namesByExpansion() bool {
	for _, t := range q.terms {
		if t.id >= 0 && !t.cue && !t.generic && (t.from == fromSynonym || t.from == fromAcronym) && t.pos >= 0 {
			return true
		}
	}
	return false
}
