package intents

import (
	"strings"

	"github.com/careersbot/careersbot/knowledge"
)

// Weights of the sentence ranking. A sentence earns the idf of each
// question word it holds, more when it names or sits under the question's
// topic, and more again for words that mark the asked-for kind of answer
// (places for "where", patients for "who with").
const (
	wTerm       = 1.5 // times the idf of each question word the sentence holds
	wMention    = 3.0 // names the topic
	wSection    = 2.0 // in the topic's own section
	wNear       = 1.0 // in a parent or child section of the topic
	wOtherTopic = 1.0 // names a sibling topic instead (penalty)
	wOutside    = 2.0 // nowhere near the question's topic (penalty)
	wCue        = 1.0 // each answer cue, up to maxCues
	maxCues     = 3
	wCueTerm    = 0.5 // question words that are also intent cues count half
	wGeneric    = 0.3 // so do generic words such as "NHS" or "staff", less
	wHeading    = 0.5 // a question word in the section's heading, times its idf
	wHeadingCue = 3.0 // the section's heading marks the asked-for kind of answer
)

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
	bestID, best, bestTerms := -1, 0.0, 0.0
	for id := range cands {
		si := e.sents[id]
		if si.s.Kind == knowledge.MoreLine {
			continue
		}
		terms, heading := 0.0, 0.0
		for _, t := range p.a.terms {
			if topicTerm[t] {
				continue
			}
			for _, s := range t.stems {
				if si.head[s] && !t.generic {
					heading += wHeading * e.idf(s)
					break
				}
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
				break
			}
		}
		score := wTerm*terms + heading
		near := 1.0 // how much the sentence's heading may say about it
		if p.topic != nil {
			switch {
			case scope[si.section] == wSection:
				score += wSection
				if p.topic.mention[id] {
					score += 0.3
				}
			case p.topic.mention[id]:
				score += wMention
			case scope[si.section] > 0:
				score += scope[si.section]
				near = 0.34
			default:
				score -= wOutside
				near = 0
			}
			for _, m := range si.mention {
				if m != p.topic && m.t.Parent == p.topic.t.Parent && !p.topic.mention[id] {
					score -= wOtherTopic
				}
			}
		}
		n := 0
		for _, c := range cues {
			if n < maxCues && hasSeq(si.seq, c) {
				n++
			}
		}
		score += wCue * float64(n)
		for _, c := range cues {
			if hasSeq(si.headSeq, c) {
				score += wHeadingCue * near
				n++
				break
			}
		}
		if si.s.Kind == knowledge.ListItem {
			score -= 0.5
		}
		if terms+heading == 0 && (p.topic == nil || n == 0) {
			continue
		}
		if score > best || score == best && bestID >= 0 && id < bestID {
			bestID, best, bestTerms = id, score, terms
		}
	}
	_ = bestTerms
	if bestID < 0 {
		return Answer{}, false
	}
	si := e.sents[bestID]
	text := e.quote(si, cues)
	sec := si.section
	intent := p.intent
	if intent == "" {
		intent = IntentOverview
	}
	topic := p.topic
	if topic == nil || p.intent == IntentMembership && !e.inScope(topic, sec) {
		topic = e.sectionTopic(sec)
	}
	if p.intent == IntentMembership && sec.Heading != "" && !mentionsHeading(text, sec.Heading) {
		text = sec.Heading + ": " + text
	}
	return e.answer(intent, topic, text, sec), true
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
				return withItems(s.Text, childNames(t))
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

// hasCue reports whether a sentence holds one of the answer cues.
func (e *Engine) hasCue(si *sentInfo, cues [][]string) bool {
	for _, c := range cues {
		if hasSeq(si.seq, c) {
			return true
		}
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
