package intents

import (
	"strings"
	"unicode"

	"github.com/careersbot/careersbot/knowledge"
)

// Weights of the sentence ranking. A sentence earns the idf of each
// question word it holds, more when it names or sits under the question's
// topic, and more again for words that mark the asked-for kind of answer
// (places for "where", patients for "who with").
const (
	wTerm       = 1.5 // times the idf of each question word the sentence holds
	wMention    = 3.0 // names the topic
	wMentionOwn = 0.3 // names the topic, in the topic's own section
	wSubject    = 0.5 // names the topic first, as its subject
	wSection    = 2.0 // in the topic's own section
	wNear       = 1.0 // in a parent or child section of the topic
	wOtherTopic = 1.0 // names a sibling topic instead (penalty)
	wOutside    = 2.0 // nowhere near the question's topic (penalty)
	wCue        = 1.0 // each answer cue, up to maxCues
	maxCues     = 3
	wCueTerm    = 0.5 // question words that are also intent cues count half
	wGeneric    = 0.3 // so do generic words such as "NHS" or "staff", less
	wHeadingCue = 3.0 // the section's heading marks the asked-for kind of answer
	wPhrase     = 1.0 // two question words in a row, in a row in the sentence too
	wListIntro  = 1.5 // introduces a list and holds a question word
)

// traceScore, when set by a test, sees every candidate's score.
var traceScore func(text string, score float64)

// retrieve quotes the sentence that best answers the question.
func (e *Engine) retrieve(p *plan) (Answer, bool) {
	// Candidates: sentences holding a question word (generic words such
	// as "staff" are everywhere and only add weight) and the sentences
	// around the topic.
	// In a large base, words found in more than one sentence in twenty
	// are weak evidence: they score, but do not nominate candidates.
	common := len(e.sents) / 20
	if common < 50 {
		common = len(e.sents)
	}
	cands := map[int]bool{}
	for _, t := range p.a.terms {
		if t.generic {
			continue
		}
		for _, s := range t.stems {
			if ids := e.vocabIdx[s]; len(ids) <= common {
				for _, id := range ids {
					cands[id] = true
				}
			}
		}
	}
	var scope map[*knowledge.Section]float64
	// A second topic narrows the first: "practitioners in the life
	// sciences" is the life sciences section of the practitioner page.
	var both map[*knowledge.Section]bool
	if p.topic != nil && p.other != nil && p.intent != IntentMembership {
		both = map[*knowledge.Section]bool{}
		for _, pair := range [][2]*topicInfo{{p.topic, p.other}, {p.other, p.topic}} {
			for _, sec := range e.topicSecs[pair[0]] {
				if e.docTopic[sec.Doc] == pair[1] {
					both[sec] = true
					for _, id := range e.secSents[sec] {
						cands[id] = true
					}
				}
			}
		}
	}
	if p.topic != nil {
		scope = e.scope(p.topic)
		for sec := range scope {
			for _, id := range e.secSents[sec] {
				cands[id] = true
			}
		}
		if len(p.topic.mention) <= common {
			for id := range p.topic.mention {
				cands[id] = true
			}
		}
	}
	// Words that named the topic are scored by the topic weights, not
	// again as words ("scientists" must not pull in "Most scientists ...").
	topicTerm := map[*term]bool{}
	for _, t := range p.a.terms {
		for _, h := range p.a.topics {
			if h.topic != p.topic && h.topic != p.other {
				continue
			}
			for _, s := range t.stems {
				if h.stems[s] {
					topicTerm[t] = true
				}
			}
		}
	}
	cues := e.answerCues[p.intent]
	if p.intent == IntentPatients && !mentionsStem(p.a, "patient") && !e.hasOwnContent(p) {
		cues = e.colleagueCues // "who do they work with": colleagues, not patients
	}
	// Pairs of question words in a row ("training programme") that a
	// sentence also holds in a row earn a phrase bonus.
	var pairs [][]string
	for i := 1; i < len(p.a.terms); i++ {
		x, y := p.a.terms[i-1], p.a.terms[i]
		if y.pos == x.pos+1 && x.known && y.known && !x.generic && !y.generic && !(topicWord(p, x) && topicWord(p, y)) {
			pairs = append(pairs, []string{x.stems[0], y.stems[0]})
		}
	}
	bestID, best, bestHead, bestOutside := -1, 0.0, false, false
	// "where do radiographers work" when no page is about radiographers:
	// only a sentence that has them as its subject answers it, not one
	// that mentions them in passing.
	var subject string
	if p.topic == nil && p.intent == IntentLocation {
		for _, t := range p.a.terms {
			if t.known && !t.generic && !t.cue && personNoun(t.word) {
				subject = t.stems[0]
				break
			}
		}
	}
	// A question that names its topic well is answered from around that
	// topic when anything there answers it; only then from elsewhere.
	scoped := p.topic != nil && p.quality >= 0.9 && p.intent != IntentMembership
	for pass := 0; pass < 2 && bestID < 0; pass++ {
		for id := range cands {
			si := e.sents[id]
			if pass == 0 && scoped && scope[si.section] == 0 && !p.topic.mention[id] && !both[si.section] {
				continue
			}
			if si.s.Kind == knowledge.MoreLine || p.a.quantity && !hasQuantity(si.lite) {
				continue
			}
			if subject != "" && (len(si.content) == 0 || si.content[0] != subject) {
				continue
			}
			terms, heading, hits := 0.0, 0.0, 0
			for _, t := range p.a.terms {
				if topicTerm[t] {
					continue
				}
				// A word of the section's heading counts as a word of each of
				// its sentences: under "Skills needed", "You will need:" is
				// about skills.
				inHead := false
				for _, s := range t.stems {
					if si.head[s] && !si.stems[s] && !t.generic && !t.cue {
						inHead = true
						heading += wTerm * e.idf(s)
						break
					}
				}
				if inHead {
					hits++
					continue
				}
				for _, s := range t.stems {
					if !si.stems[s] {
						continue
					}
					w := e.idf(s)
					switch {
					case t.generic:
						w *= wGeneric
					case t.cue:
						w *= wCueTerm
					}
					terms += w
					hits++
					break
				}
			}
			score := wTerm*terms + heading
			for _, pr := range pairs {
				if hasSeq(si.content, pr) {
					score += wPhrase
				}
			}
			if si.s.Kind == knowledge.ListIntro && hits > 0 || e.givesExamples(si, p.a, topicTerm) {
				score += wListIntro // a list or examples of what was asked
			}
			near := 1.0 // how much the sentence's heading may say about it
			outside := false
			if p.topic != nil {
				switch {
				case scope[si.section] == wSection:
					score += wSection
					if p.topic.mention[id] {
						score += wMentionOwn
					}
				case p.topic.mention[id] && e.pageIntro[p.topic] != nil && e.docTopic[si.section.Doc] != p.topic:
					// The topic has a page of its own; another page naming
					// it speaks about it only in passing.
					score += wNear
				case p.topic.mention[id]:
					score += wMention
					if e.leadsWith(si, p.topic) {
						score += wSubject // "Genetics staff are ...": about it, not in passing
					}
				case scope[si.section] > 0:
					score += scope[si.section]
					near = wNear / wHeadingCue // a parent's or child's heading says less
				default:
					score -= wOutside
					near = 0
					outside = !both[si.section]
				}
				for _, m := range si.mention {
					if m != p.topic && m.t.Parent == p.topic.t.Parent && !p.topic.mention[id] {
						score -= wOtherTopic
					}
				}
				if both[si.section] {
					score += wSection + wOutside // the page on one, the section on the other
				}
			}
			n := 0
			for _, c := range cues {
				if n < maxCues && hasSeqGap(si.lite, c) {
					n++
				}
			}
			score += wCue * float64(n)
			headCue := false
			for _, c := range cues {
				if hasSeqGap(si.headSeq, c) {
					score += wHeadingCue * near
					n++
					headCue = true
					break
				}
			}
			if si.s.Kind == knowledge.ListItem {
				score -= 0.5
			}
			if hits == 0 && (p.topic == nil || n == 0) {
				continue
			}
			if traceScore != nil {
				traceScore(si.s.Text, score)
			}
			if score > best || score == best && bestID >= 0 && id < bestID {
				bestID, best, bestHead, bestOutside = id, score, heading > 0 || headCue, outside
			}
		}
	}
	if bestID < 0 {
		return Answer{}, false
	}
	si := e.sents[bestID]
	sec := si.section
	var text string
	if bestHead && e.isAspectSection(sec) {
		// The question asks what an aspect heading ("Pay and benefits")
		// answers: quote the section from its start.
		text = e.sectionText(sec, si)
	} else {
		text = e.quote(si, cues)
	}
	// Under a heading that asks what was asked ("Where will I work?"), a
	// subsection's sentence follows its parent's opening.
	if par := sec.Parent; par != nil && len(e.secSents[par]) > 0 && len(cues) > 0 {
		lead := e.sents[e.secSents[par][0]]
		if lead.s.Kind == knowledge.Prose && e.hasHeadCue(lead, cues) && !strings.Contains(text, lead.s.Text) {
			text = lead.s.Text + " " + text
		}
	}
	intent := p.intent
	if intent == "" {
		intent = IntentOverview
	}
	topic := p.topic
	if topic == nil || p.intent == IntentMembership && !e.inScope(topic, sec) {
		topic = e.sectionTopic(sec)
	}
	if st := e.sectionTopic(sec); p.intent == IntentMembership && st != nil && st != p.topic && !mentionsHeading(text, st.t.Name) {
		text = capFirst(st.t.Name) + ": " + text
	}
	ans := e.answer(intent, topic, text, sec)
	ans.offTopic = p.topic != nil && p.intent != IntentMembership && bestOutside
	return ans, true
}

// scope weighs the sections around a topic.
func (e *Engine) scope(t *topicInfo) map[*knowledge.Section]float64 {
	m := map[*knowledge.Section]float64{}
	for _, sec := range e.topicSecs[t] {
		m[sec] = wSection
	}
	for _, c := range t.t.Children {
		for _, sec := range e.topicSecs[e.topicBy[c]] {
			if _, ok := m[sec]; !ok {
				m[sec] = wNear
			}
		}
	}
	if len(e.topicSecs[t]) == 0 {
		// a list item: its parent's sections speak for it
		for p := t.t.Parent; p != nil; p = p.Parent {
			if secs := e.topicSecs[e.topicBy[p]]; len(secs) > 0 {
				for _, sec := range secs {
					if _, ok := m[sec]; !ok {
						m[sec] = wNear
					}
				}
				break
			}
		}
	}
	return m
}

func (e *Engine) inScope(t *topicInfo, sec *knowledge.Section) bool {
	for x := t.t; x != nil; x = x.Parent {
		if sec.Topic == x {
			return true
		}
	}
	return false
}

// sectionTopic is the topic a section is about.
func (e *Engine) sectionTopic(sec *knowledge.Section) *topicInfo {
	if sec.Topic != nil {
		return e.topicBy[sec.Topic]
	}
	return nil
}

func mentionsHeading(text, heading string) bool {
	return strings.Contains(strings.ToLower(text), strings.ToLower(heading))
}

// connectives start sentences that lean on the one before.
var connectives = []string{"this ", "these ", "it ", "they ", "however", "such ", "that ", "those ", "there ", "but ", "also ", "as well"}

func leans(s string) bool {
	l := strings.ToLower(s)
	for _, c := range connectives {
		if strings.HasPrefix(l, c) {
			return true
		}
	}
	return false
}

// quote returns a sentence with the context it needs: the sentence before
// when it leans on it ("This might include ..."), the one after when that
// one leans on it, and the items of a list it introduces. Failing those, a
// neighbour in the same section that also answers the asked-for kind of
// question ("Most work in hospitals. Some work in the community.").
func (e *Engine) quote(si *sentInfo, cues [][]string) string {
	sents := si.section.Sentences
	i := si.idx
	prose := func(j int) bool { return j >= 0 && j < len(sents) && sents[j].Kind == knowledge.Prose }
	// render gives a sentence with the items of a list it introduces.
	render := func(j int) string {
		s := sents[j]
		if s.Kind == knowledge.ListIntro {
			return withItems(s.Text, itemsAfter(s))
		}
		if endsAsIntro(s.Text) {
			if t := e.sectionTopic(si.section); t != nil && t.t.Section == si.section {
				return withItems(s.Text, childNamesIn(t, si.section.Doc))
			}
		}
		return s.Text
	}
	next := func(j int) bool {
		return j < len(sents) && (sents[j].Kind == knowledge.Prose || sents[j].Kind == knowledge.ListIntro)
	}
	var before, after string
	if prose(i-1) && leans(sents[i].Text) {
		before = sents[i-1].Text
	}
	if next(i+1) && (leans(sents[i+1].Text) || endsAsIntro(sents[i+1].Text) && len(sents[i+1].Text) < 60) {
		after = render(i + 1)
	}
	// A sentence naming a narrower topic than its neighbours ("Genetics
	// staff ...") stands alone.
	if before == "" && after == "" && len(cues) > 0 && len(si.mention) == 0 {
		switch {
		case prose(i-1) && !leans(sents[i-1].Text) && e.hasCue(e.sents[si.s.ID-1], cues):
			before = sents[i-1].Text
		case prose(i+1) && e.hasCue(e.sents[si.s.ID+1], cues):
			after = sents[i+1].Text
		}
	}
	return strings.TrimSpace(strings.Join([]string{before, render(i), after}, " "))
}

// hasHeadCue reports whether a sentence's section heading holds one of
// the answer cues.
func (e *Engine) hasHeadCue(si *sentInfo, cues [][]string) bool {
	for _, c := range cues {
		if hasSeqGap(si.headSeq, c) {
			return true
		}
	}
	return false
}

// hasCue reports whether a sentence holds one of the answer cues.
func (e *Engine) hasCue(si *sentInfo, cues [][]string) bool {
	for _, c := range cues {
		if hasSeq(si.lite, c) {
			return true
		}
	}
	return false
}

// quantityWords say how long or how many.
var quantityWords = map[string]bool{"one": true, "two": true, "three": true, "four": true, "five": true,
	"six": true, "seven": true, "eight": true, "nine": true, "ten": true, "twelve": true, "eighteen": true,
	"half": true, "year": true, "month": true, "week": true, "day": true, "hour": true, "minute": true,
	"percent": true}

// hasQuantity reports whether words hold a number or a duration.
func hasQuantity(words []string) bool {
	for _, w := range words {
		if quantityWords[w] || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
			return true
		}
	}
	return false
}

// givesExamples reports whether a sentence follows a question word with
// examples of it ("conditions such as cystic fibrosis", "tests including").
func (e *Engine) givesExamples(si *sentInfo, a *analysis, topicTerm map[*term]bool) bool {
	for _, t := range a.terms {
		if topicTerm[t] || t.generic || !t.known {
			continue
		}
		for i, s := range si.seq {
			if s != t.stems[0] {
				continue
			}
			for j := i + 1; j <= i+3 && j < len(si.seq); j++ {
				if si.seq[j] == "includ" || si.seq[j] == "such" && j+1 < len(si.seq) && si.seq[j+1] == "as" {
					return true
				}
			}
		}
	}
	return false
}

// personNoun reports whether a word looks like people in a job:
// radiographers, physiotherapists, technicians, midwives.
func personNoun(w string) bool {
	if len(w) < 6 {
		return false
	}
	for _, suf := range []string{"ers", "ors", "ists", "ians", "ives", "eons", "ants"} {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// leadsWith reports whether a sentence opens with one of a topic's names.
func (e *Engine) leadsWith(si *sentInfo, t *topicInfo) bool {
	for _, a := range t.aliases {
		if len(si.content) >= len(a.stems) && hasSeq(si.content[:len(a.stems)], a.stems) {
			return true
		}
	}
	return false
}

// isAspectSection reports whether a section's heading names an aspect of
// its topic ("Where will I work?") rather than the topic itself.
func (e *Engine) isAspectSection(sec *knowledge.Section) bool {
	return sec.Heading != "" && (sec.Topic == nil || sec.Topic.Section != sec)
}

// sectionText quotes a short section from its start: up to three
// sentences, and always the one that answered.
func (e *Engine) sectionText(sec *knowledge.Section, si *sentInfo) string {
	var parts []string
	size := 0
	if si.s.Kind == knowledge.ListItem && si.idx == 0 || len(sec.Bullets) == len(sec.Sentences)-len(sec.More) {
		// a section that is only a list: name the list by its heading
		var items []string
		for _, s := range sec.Sentences {
			if s.Kind == knowledge.ListItem {
				items = append(items, s.Text)
			}
		}
		if len(items) > 0 {
			return withItems(sec.Heading+":", items)
		}
	}
	for i, s := range sec.Sentences {
		if s.Kind == knowledge.ListItem || s.Kind == knowledge.MoreLine {
			continue
		}
		if len(parts) == 3 || size > 450 {
			if i <= si.idx {
				return e.quote(si, nil) // too long to quote whole
			}
			break
		}
		txt := s.Text
		if s.Kind == knowledge.ListIntro {
			txt = withItems(txt, itemsAfter(s))
		}
		parts = append(parts, txt)
		size += len(txt)
	}
	return strings.Join(parts, " ")
}

// topicWord reports whether a question word named the question's topic.
func topicWord(p *plan, t *term) bool {
	for _, h := range p.a.topics {
		if h.topic != p.topic {
			continue
		}
		for _, s := range t.stems {
			if h.stems[s] {
				return true
			}
		}
	}
	return false
}

func mentionsStem(a *analysis, st string) bool {
	for _, t := range a.terms {
		for _, s := range t.stems {
			if s == st {
				return true
			}
		}
	}
	return false
}

// hasSeqGap is hasSeq allowing one extra word between the words of a
// phrase ("work closely with" holds "work with").
func hasSeqGap(seq, pat []string) bool {
	if len(pat) == 1 || hasSeq(seq, pat) {
		return hasSeq(seq, pat)
	}
outer:
	for i := range seq {
		if seq[i] != pat[0] {
			continue
		}
		j := i
		for _, p := range pat[1:] {
			switch {
			case j+1 < len(seq) && seq[j+1] == p:
				j++
			case j+2 < len(seq) && seq[j+2] == p:
				j += 2
			default:
				continue outer
			}
		}
		return true
	}
	return false
}

func hasSeq(seq, pat []string) bool {
	if len(pat) == 1 {
		for _, s := range seq {
			if s == pat[0] {
				return true
			}
		}
		return false
	}
outer:
	for i := 0; i+len(pat) <= len(seq); i++ {
		for j, p := range pat {
			if seq[i+j] != p {
				continue outer
			}
		}
		return true
	}
	return false
}
