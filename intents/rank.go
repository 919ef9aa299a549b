package intents

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"github.com/careersbot/careersbot/knowledge"
)

type docCand struct {
	doc   int32
	score float64
}

// rankDocs scores pages with BM25F over their identity, heading and body
// fields, and returns the best docKeep, best first. Terms found in more
// than a third of a large base's pages are left to the passage stage: they
// cannot tell pages apart, and their postings are the long ones. Scores
// are summed in a dense array borrowed from a pool, so a question costs
// its postings, not the base's size.
func (e *Engine) rankDocs(q *query) []docCand {
	n := len(e.ix.docs)
	var acc *scores
	if q.s != nil {
		acc = q.s.acc
	} else {
		acc = newScores(n)
	}
	// each term counts once, at its highest weight (a question has few)
	type tw struct {
		id int32
		w  float64
	}
	var seenBuf [24]tw
	seen := seenBuf[:0]
	for _, t := range q.terms {
		if t.id < 0 {
			continue
		}
		i := slices.IndexFunc(seen, func(x tw) bool { return x.id == t.id })
		prev := 0.0
		if i >= 0 {
			prev = seen[i].w
		}
		if t.weight <= prev {
			continue
		}
		if i >= 0 {
			seen[i].w = t.weight
		} else {
			seen = append(seen, tw{t.id, t.weight})
		}
		ps := e.ix.docPost[t.id]
		if n >= 30 && len(ps) > n/3 {
			continue
		}
		for _, p := range ps {
			acc.add(p.doc, float64(p.weight)*(t.weight-prev))
		}
	}
	if q.followup {
		// the conversation's page stays in play even when the question's
		// words are all everyday ones
		for _, d := range q.ctxDocs {
			acc.add(d, 0.01)
		}
	}
	if len(acc.touched) == 0 && n == 1 {
		acc.add(0, 0)
	}
	var top []docCand
	if q.s != nil {
		top = q.s.top[:0:docKeep]
	} else {
		top = make([]docCand, 0, docKeep)
	}
	for _, d := range acc.touched {
		c := docCand{d, acc.v[d]}
		i := len(top)
		for i > 0 && better(c, top[i-1]) {
			i--
		}
		if i >= docKeep {
			continue
		}
		if len(top) < docKeep {
			top = append(top, docCand{})
		}
		copy(top[i+1:], top[i:len(top)-1])
		top[i] = c
	}
	acc.reset()
	return e.preferOccupations(q, top)
}

// preferOccupations lowers the pages that never use an occupation the
// question names as its subject ("what are nuclear medicine practitioners
// responsible for": the page that speaks of practitioners, not the
// doctors' page) by Tuning.OccupationAbsent, when another page uses it,
// and re-sorts them.
func (e *Engine) preferOccupations(q *query, top []docCand) []docCand {
	if len(top) < 2 || len(q.profPos) == 0 || e.tune.OccupationAbsent >= 1 {
		return top
	}
	var occ [4]int32
	n := 0
	for _, t := range q.terms {
		if t.id >= 0 && t.from == fromTyped && q.profPos.has(t.pos) && !q.object(t.pos) && n < len(occ) {
			occ[n] = t.id
			n++
		}
	}
	if n == 0 {
		return top
	}
	uses := func(d int32) bool {
		for _, id := range occ[:n] {
			if e.docHas(d, id) {
				return true
			}
		}
		return false
	}
	lowered, used := false, false
	for i := range top {
		used = used || uses(top[i].doc)
	}
	if !used {
		return top // no page uses it: the gate after says so
	}
	for i := range top {
		if !uses(top[i].doc) {
			top[i].score *= e.tune.OccupationAbsent
			lowered = true
		}
	}
	if lowered {
		slices.SortStableFunc(top, func(a, b docCand) int {
			if better(a, b) {
				return -1
			}
			if better(b, a) {
				return 1
			}
			return 0
		})
	}
	return top
}

// docKeep is how many pages rankDocs returns.
const docKeep = 8

func better(a, b docCand) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.doc < b.doc
}

// scores is a dense array of page scores with the pages touched, reused
// between questions.
type scores struct {
	v       []float64
	touched []int32
	on      []bool
}

func newScores(n int) *scores { return &scores{v: make([]float64, n), on: make([]bool, n)} }

func (s *scores) add(d int32, v float64) {
	if !s.on[d] {
		s.on[d] = true
		s.touched = append(s.touched, d)
	}
	s.v[d] += v
}

func (s *scores) reset() {
	for _, d := range s.touched {
		s.v[d], s.on[d] = 0, false
	}
	s.touched = s.touched[:0]
}

// candidates keeps the pages worth searching for passages.
func (e *Engine) candidates(all, out []docCand) []docCand {
	for _, c := range all {
		if len(out) >= e.tune.DocCandidates || len(out) > 0 && c.score < e.tune.DocKeep*all[0].score {
			break
		}
		out = append(out, c)
	}
	return out
}

// docHas reports whether page d uses term id anywhere.
func (e *Engine) docHas(d int32, id int32) bool {
	ps := e.ix.docPost[id]
	i := sort.Search(len(ps), func(i int) bool { return ps[i].doc >= d })
	return i < len(ps) && ps[i].doc == d
}

// topicHit is a topic the question names, and how fully.
type topicHit struct {
	t     *topicInfo
	full  float64 // share of the name's weight the question holds
	score float64
	pos   int // first position of its words in the question
}

// findTopics returns the topics of the candidate pages the question
// names in full, best first: longer, rarer names before shorter ones.
func (e *Engine) findTopics(q *query, docs []docCand) []topicHit {
	// each term once, with its strongest use (a question has few terms)
	var qwBuf [24]*qterm
	qw := qwBuf[:0]
	for k := range q.terms {
		t := &q.terms[k]
		if t.id >= 0 && (t.from != fromContext || q.followup) {
			i := slices.IndexFunc(qw, func(o *qterm) bool { return o.id == t.id })
			switch {
			case i < 0:
				qw = append(qw, t)
			case t.pass > qw[i].pass:
				qw[i] = t
			}
		}
	}
	lookup := func(id int32) (*qterm, bool) {
		for _, t := range qw {
			if t.id == id {
				return t, true
			}
		}
		return nil, false
	}
	var qb uint64
	for _, t := range qw {
		qb |= termBloom([]int32{t.id})
	}
	hits := q.hitBuf()
	for rank, c := range docs {
		for _, ti := range e.ix.docs[c.doc].topics {
			if len(ti.terms) == 0 || ti.bloom&qb == 0 && e.tune.TopicPartial > 0 {
				continue // the question holds none of its name
			}
			var got, total float64
			pos := 1 << 30
			for _, id := range ti.terms {
				w := e.ix.sentIDF(id)
				total += w
				if t, ok := lookup(id); ok && !(t.cue && !t.generic && len(ti.terms) == 1) {
					got += w * min(1, t.pass/0.7)
					if t.pos >= 0 && t.pos < pos {
						pos = t.pos
					}
				}
			}
			full := got / total
			if full < e.tune.TopicPartial || full < 0.99 && got < e.tune.TopicPartialIDF {
				continue
			}
			score := got*full - 0.3*float64(rank)
			if exactStems(q, ti) {
				score += 0.5 // "pharmacist" names the pharmacist, not the pharmacy
			}
			hits = append(hits, topicHit{t: ti, full: full, score: score, pos: pos})
		}
	}
	slices.SortStableFunc(hits, func(a, b topicHit) int { return cmp.Compare(b.score, a.score) })
	return hits
}

// passage is a scored sentence.
type passage struct {
	si    *sentInfo
	score float64
	typed bool // carries the asked-for answer type (marker or heading)
}

// rankPassages scores the sentences of the candidate pages.
//
// Only the best passageKeep passages are returned, best first; keep, when
// not nil, says which sentences may be.
func (e *Engine) rankPassages(q *query, docs []docCand, hit *topicHit, bit uint64, lead bool, keep func(*sentInfo) bool) []passage {
	t := &e.tune
	// the question's terms, each once, in a fixed order (sums in the same
	// order every time: ties break the same way)
	type qw struct {
		id        int32
		pass, idf float64
		near      uint64 // the question positions it stands at, below 64
		far       []int  // and beyond (a long message)
		ident     bool   // part of the page's identity (per page)
		bloom     uint64 // its termBloom
	}
	var termBuf [16]qw
	terms := termBuf[:0]
	for _, x := range q.terms {
		if x.id < 0 {
			continue
		}
		i := 0
		for i < len(terms) && terms[i].id != x.id {
			i++
		}
		if i == len(terms) {
			terms = append(terms, qw{id: x.id, idf: e.ix.sentIDF(x.id)})
		}
		terms[i].pass = max(terms[i].pass, x.pass)
		switch {
		case x.pos >= 64:
			terms[i].far = append(terms[i].far, x.pos)
		case x.pos >= 0:
			terms[i].near |= 1 << uint(x.pos)
		}
	}
	var qb uint64
	for i := range terms {
		terms[i].bloom = termBloom([]int32{terms[i].id})
		qb |= terms[i].bloom
	}
	var pairBuf [8]termPair
	pairs := questionPairs(q, pairBuf[:0])
	// "do dietitians work with the catering staff": a sentence naming
	// the colleagues asked about says whom they work with
	var objBuf [4]int32
	objects := objBuf[:0]
	if bit == colleagueBit {
		for _, x := range q.terms {
			if x.from == fromTyped && x.id >= 0 && !x.cue && !x.generic && q.object(x.pos) && len(objects) < cap(objects) {
				objects = append(objects, x.id)
			}
		}
	}
	headBit := bit
	if bit == colleagueBit {
		headBit = e.intentBit[IntentPatients] // "Who will I work with?"
	}
	best := 0.0
	if len(docs) > 0 {
		best = docs[0].score
	}
	out := q.passageBuf()
	for _, c := range docs {
		docPart := 1.0
		if best > 0 {
			docPart = c.score / best
		}
		// Inside a page, the words of what the page is (its identity)
		// tell its sentences apart less than the question's other words;
		// a word whose expansion is in the identity is the identity too
		// ("PWPs" on the psychological wellbeing practitioner's page).
		idTerms, bodyOcc := e.ix.docs[c.doc].idTerms, e.ix.docs[c.doc].bodyOcc
		var idNear uint64
		var idFar []int
		for i := range terms {
			// the occupation an untitled page's sentences name tells
			// them apart as the question's other words do
			terms[i].ident = terms[i].id != bodyOcc && has(idTerms, terms[i].id)
			if terms[i].ident {
				idNear |= terms[i].near
				idFar = append(idFar, terms[i].far...)
			}
		}
		var totalID, totalDetail float64
		for i := range terms {
			w := &terms[i]
			if !w.ident && w.near&idNear != 0 {
				w.ident = true
			}
			if !w.ident {
				for _, p := range w.far {
					if slices.Contains(idFar, p) {
						w.ident = true
					}
				}
			}
			if w.ident {
				totalID += w.pass * w.idf
			} else {
				totalDetail += w.pass * w.idf
			}
		}
		for _, sid := range e.ix.docs[c.doc].sents {
			si := e.ix.sents[sid]
			if keep != nil && !keep(si) {
				continue
			}
			var ident, detail float64
			reached := si.reach&qb != 0
			for i := range terms {
				if !reached {
					break // no question term is in it, its heading or its neighbours
				}
				w, id := &terms[i], terms[i].id
				if si.reach&w.bloom == 0 {
					continue // not in it, its heading, its list or its neighbours
				}
				v := w.pass * w.idf
				if si.own&w.bloom == 0 || !has(si.terms, id) {
					switch {
					case si.headBloom&w.bloom != 0 && has(si.head, id):
						v *= t.PassHeading // the section is about it
					case si.next != nil && si.next.own&w.bloom != 0 && has(si.next.terms, id):
						v *= t.PassNext // said in the sentence quoted with it
					case has(si.items, id):
						v *= t.PassItems // said in the list it introduces
					case si.prev != nil && si.prev.own&w.bloom != 0 && has(si.prev.terms, id):
						v *= t.PassNext // said in the sentence it refers back to
					default:
						continue
					}
				}
				if w.ident {
					ident += v
				} else {
					detail += v
				}
			}
			if si.junk && !(reached && junkAsked(q, si, idTerms)) {
				continue // a notice or link label answers only a question about it ("is there a video")
			}
			s := t.PassDoc * docPart
			if reached {
				s += t.PassPhrase * float64(phrases(pairs, si))
			}
			if totalDetail > 0 {
				s += t.PassText * detail / totalDetail
			}
			if totalID > 0 {
				s += t.PassIdentity * ident / totalID
			}
			typed := false
			if bit != 0 {
				if si.markers&bit != 0 {
					s += t.PassMarker
					typed = true
				}
				if si.strong&bit != 0 {
					s += t.PassMarkers
				}
				if si.headTypes&headBit != 0 {
					s += t.PassTypeHead
					typed = true
				}
			}
			if q.is(IntentList) && q.quantity == nil && si.kind == knowledge.ListIntro {
				s += t.PassMarker
				typed = true
			}
			if q.without && si.noNeed && q.is(IntentEntry) {
				s += t.PassNoNeed // "without A levels": "no specific academic entry requirements"
				typed = true
			}
			if len(objects) > 0 && reached && si.markers&bit == 0 && hasAll(si.terms, objects) {
				s += t.PassMarker
				typed = true
			}
			if len(q.askedNoun) > 0 && bit != 0 && reached && (hasAny(si.terms, q.askedNoun) || hasAny(si.items, q.askedNoun) ||
				si.prev != nil && hasAny(si.prev.terms, q.askedNoun)) {
				s += t.PassAsked
				typed = true // "what materials do they use": it names materials
			}
			if q.quantity != nil && e.says(si, q.quantity) {
				s += t.PassQuantity
			}
			if hit != nil && (si.topic == hit.t || slices.Contains(si.mentions, hit.t)) {
				s += t.PassTopic
			}
			if si.lead && (lead || bit != 0 && si.headTypes&headBit != 0) {
				s += t.PassLead // a section under the asked-for heading opens with its answer
			}
			if n := int(si.textLen); n > 250 {
				s -= t.PassLong * float64(n-250) / 100
			}
			if si.kind == knowledge.MoreLine && !q.is(IntentMore) {
				s -= t.PassMoreLine
			}
			out = insertTop(out, passage{si: si, score: s, typed: typed})
		}
	}
	return out
}

// maxPhraseItem is the longest list item quoted under its heading as a
// phrase of the list.
const maxPhraseItem = 120

// passageKeep is how many passages rankPassages returns.
const passageKeep = 8

// insertTop adds p to the best-first list top, keeping at most passageKeep;
// of equal scores the earlier stays first.
func insertTop(top []passage, p passage) []passage {
	i := len(top)
	for i > 0 && top[i-1].score < p.score {
		i--
	}
	if i >= passageKeep {
		return top
	}
	if len(top) < passageKeep {
		top = append(top, passage{})
	}
	copy(top[i+1:], top[i:len(top)-1])
	top[i] = p
	return top
}

// extract quotes a sentence with what completes it: a list's items after
// the sentence introducing them, the introduction before a list item, or
// the rest of its paragraph. The quote depends on the page alone, so it
// is worked out once per sentence; the sentences returned are shared
// and must not be changed (appending copies them).
func (e *Engine) extract(si *sentInfo) (string, []*sentInfo) {
	if x := si.quoted.Load(); x != nil {
		return x.text, x.used
	}
	text, used := e.quote(si)
	x := &quote{text: text, used: used[:len(used):len(used)]}
	si.quoted.Store(x)
	return x.text, x.used
}

// quote is extract's quote of si, worked out.
func (e *Engine) quote(si *sentInfo) (string, []*sentInfo) {
	d := e.ix.docs[si.doc]
	at := func(i int) *sentInfo {
		if i < 0 || i >= len(d.sents) {
			return nil
		}
		return e.ix.sents[d.sents[i]]
	}
	s := si.s
	switch s.Kind {
	case knowledge.ListItem:
		// the sentence introducing the list, then its items
		for i := si.pos - 1; i >= 0; i-- {
			p := at(i)
			if p.s.Section != s.Section {
				break
			}
			if p.s.Kind == knowledge.ListIntro {
				return e.extract(p)
			}
			if p.s.Kind != knowledge.ListItem {
				break
			}
		}
		// a list with no sentence to introduce it, under a heading
		// ("How about the benefits?"): the heading, then every item
		if h := strings.TrimSpace(s.Section.Heading); h != "" {
			first := si.pos
			for p := at(first - 1); p != nil && p.s.Section == s.Section && p.s.Kind == knowledge.ListItem; p = at(first - 1) {
				first--
			}
			var items []string
			var used []*sentInfo
			short := true // items that are phrases, not paragraphs
			for n := at(first); n != nil && n.s.Section == s.Section && n.s.Kind == knowledge.ListItem; n = at(n.pos + 1) {
				items = append(items, n.s.Text)
				used = append(used, n)
				short = short && len(n.s.Text) <= maxPhraseItem
			}
			if len(items) >= 2 && short {
				if !strings.ContainsAny(h[len(h)-1:], "?:") {
					h += ":"
				}
				return withItems(h, items), used
			}
		}
		return s.Text, []*sentInfo{si}
	case knowledge.ListIntro:
		var items []string
		used := []*sentInfo{si}
		for i := si.pos + 1; ; i++ {
			n := at(i)
			if n == nil || n.s.Section != s.Section || n.s.Kind != knowledge.ListItem {
				break
			}
			items = append(items, n.s.Text)
			used = append(used, n)
		}
		if len(items) == 0 {
			items = e.headingsAfter(si)
		}
		return withItems(s.Text, items), used
	}
	if strings.HasSuffix(strings.TrimSpace(s.Text), ":") {
		if items := e.headingsAfter(si); len(items) > 0 {
			return withItems(s.Text, items), []*sentInfo{si}
		}
	}
	// the sentences quoted, in order; the answer is their text
	used := make([]*sentInfo, 0, e.tune.AnswerSentences+2)
	size := len(s.Text)
	if si.prev != nil {
		// "This can include ..." needs what "this" is
		used = append(used, si.prev)
		size += len(si.prev.s.Text)
	}
	used = append(used, si)
	line := s.Line
	for i := si.pos + 1; len(used) < e.tune.AnswerSentences; i++ {
		n := at(i)
		if n == nil || n.s.Section != s.Section || n.s.Kind != knowledge.Prose || n.junk {
			break
		}
		if n.s.Line != line {
			if size >= e.tune.AnswerShort {
				break // the next paragraph only completes a short answer
			}
			line = n.s.Line
		}
		if size+len(n.s.Text) > e.tune.AnswerChars {
			break
		}
		used = append(used, n)
		size += len(n.s.Text)
	}
	if len(used) == 1 && strings.HasSuffix(strings.TrimSpace(s.Text), ":") {
		if n := at(si.pos + 1); n != nil && n.s.Section == s.Section {
			used = append(used, n)
		}
	}
	return joinTexts(used), used
}

// joinTexts is the sentences' text, one space between them.
func joinTexts(ss []*sentInfo) string {
	if len(ss) == 1 {
		return ss[0].s.Text
	}
	n := len(ss) - 1
	for _, x := range ss {
		n += len(x.s.Text)
	}
	var b strings.Builder
	b.Grow(n)
	for i, x := range ss {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(x.s.Text)
	}
	return b.String()
}

// hasAll reports whether the sorted list holds every id.
func hasAll(sorted []int32, ids []int32) bool {
	for _, id := range ids {
		if !has(sorted, id) {
			return false
		}
	}
	return true
}

// hasAny reports whether the sorted list holds any of the ids.
func hasAny(sorted []int32, ids []int32) bool {
	for _, id := range ids {
		if has(sorted, id) {
			return true
		}
	}
	return false
}

// termPair is two of the question's content words side by side.
type termPair struct {
	a, b  int32
	bloom uint64 // termBloom of both
}

// questionPairs lists the pairs of the question's adjacent content words
// ("cardiac rehab", "local anaesthetic").
func questionPairs(q *query, out []termPair) []termPair {
	for i := 0; i+1 < len(q.pairs); i++ {
		a, b := q.pairs[i], q.pairs[i+1]
		if a.pos+1 != b.pos || a.id < 0 || b.id < 0 {
			continue
		}
		out = append(out, termPair{a.id, b.id, termBloom([]int32{a.id, b.id})})
	}
	return out
}

// phrases counts the question's pairs that stand side by side in the
// sentence too.
func phrases(pairs []termPair, si *sentInfo) int {
	n := 0
	for _, p := range pairs {
		if si.reach&p.bloom != p.bloom {
			continue // not both in it
		}
		for j := 0; j+1 < len(si.seq); j++ {
			if si.seq[j] == p.a && si.seq[j+1] == p.b {
				n++
				break
			}
		}
	}
	return n
}

// exactStems reports whether the question holds every word of the topic's
// name in the same form, not only the same root.
func exactStems(q *query, ti *topicInfo) bool {
	if len(ti.stems) == 0 {
		return false
	}
	if q.stems == nil {
		if q.s != nil && len(q.words) <= len(q.s.stems) {
			q.stems = q.s.stems[:len(q.words)]
		} else {
			q.stems = make([]string, len(q.words))
		}
		for i := range q.words {
			q.stems[i] = q.facts[i].stem
		}
	}
	for _, st := range ti.stems {
		if !slices.Contains(q.stems, st) {
			return false
		}
	}
	return true
}

// headingsAfter returns the headings of the sections that follow the last
// sentence of si's section, when si ends it and introduces them ("there
// are various roles you could consider, including:" before a heading per
// role): up to maxHeadingItems, stopping at an aspect heading.
func (e *Engine) headingsAfter(si *sentInfo) []string {
	secs := si.s.Section.Doc.Sections
	sents := si.s.Section.Sentences
	if len(sents) == 0 || sents[len(sents)-1] != si.s {
		return nil
	}
	var out []string
	for i, sec := range secs {
		if sec != si.s.Section {
			continue
		}
		for _, next := range secs[i+1:] {
			if len(out) == maxHeadingItems || next.Topic == nil || next.Topic.Section != next || next.Level < sec.Level {
				break
			}
			out = append(out, next.Heading)
		}
		break
	}
	return out
}

// maxHeadingItems bounds a list made of the headings after its intro.
const maxHeadingItems = 8

// junkAsked reports whether the question names, in its own words, something
// a junk sentence says beyond what its page is ("video" in "Watch the video
// below ...").
func junkAsked(q *query, si *sentInfo, idTerms []int32) bool {
	for _, t := range q.terms {
		if t.from == fromTyped && t.id >= 0 && !t.generic && !has(idTerms, t.id) && has(si.terms, t.id) {
			return true
		}
	}
	return false
}
