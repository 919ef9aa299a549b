package intents

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/careersbot/careersbot/knowledge"
)

// plan is the understood question, ready to answer.
type plan struct {
	a       *analysis
	intent  string
	topic   *topicInfo
	quality float64
	other   *topicInfo // a second topic (membership: "is A part of B")
}

func (e *Engine) respond(a *analysis, ctx Context) Answer {
	if a.empty {
		return e.fallback(a, "", nil)
	}
	p := &plan{a: a}
	if len(a.topics) > 0 {
		p.topic, p.quality = a.topics[0].topic, a.topics[0].quality
		// A second topic counts only when other words name it: in "who
		// supervises pharmacy assistants", "pharmacy" names no second thing.
		if len(a.topics) > 1 && disjoint(a.topics[0].stems, a.topics[1].stems) && a.topics[0].pos != a.topics[1].pos {
			// for membership the subject comes first in the question
			x, y := a.topics[0], a.topics[1]
			if y.pos < x.pos && a.intent != nil && a.intent.Name == IntentMembership {
				x, y = y, x
			}
			p.topic, p.quality, p.other = x.topic, x.quality, y.topic
		}
	}
	if a.intent != nil {
		p.intent = a.intent.Name
	}
	// "do paramedics work in control rooms": a part of the page's topic
	// is the more specific thing asked about.
	if p.other != nil && p.intent != IntentMembership && isUnder(p.other.t, p.topic.t) {
		q := p.quality
		for _, h := range a.topics {
			if h.topic == p.other {
				q = h.quality
			}
		}
		p.topic, p.other, p.quality = p.other, p.topic, q
	}
	var oos, unknown, known, content int
	for _, t := range a.terms {
		switch {
		case t.oos:
			oos++
		case !t.known && !t.number && !t.cue:
			unknown++
		case t.known && !t.generic:
			known++
			if !t.cue {
				content++
			}
		}
	}
	// Small talk only when the message is nothing more.
	if a.intent != nil && a.intent.Smalltalk {
		if p.topic == nil && content == 0 && oos == 0 {
			return e.smalltalk(a.intent.Name)
		}
		p.intent = ""
		if c := e.nextIntent(a); c != nil {
			p.intent = c.Name
		}
	}
	if p.topic == nil && p.intent == IntentList && ctx.Topic == "" {
		p.topic, p.quality = e.mainRoot(), 0.9 // "what areas are there"
	}
	if p.intent == IntentSource {
		return e.source()
	}
	if oos > 0 {
		return e.outOfScope(p)
	}
	// Follow-ups: no topic named, so use the conversation's.
	if p.topic == nil && ctx.Topic != "" && (a.follow || known == 0) {
		if ti := e.topicByKey(ctx.Topic); ti != nil {
			p.topic, p.quality = ti, 0.9
		}
	}
	if p.intent == "" && ctx.Intent != "" && len(a.words) <= 5 && p.topic != nil && !e.hasOwnContent(p) && ctx.Topic != "" {
		p.intent = ctx.Intent // "and physiological scientists?"
	}
	ans, ok := e.headingAnswer(p)
	if !ok {
		ans, ok = e.answerPlan(p)
	}
	if !ok || strings.TrimSpace(ans.Text) == "" {
		return e.fallback(a, p.intent, p.topic)
	}
	// Confidence: how well the topic matched, how much of the question
	// the quoted text covers, and what was not understood at all.
	cov := e.coverage(a, ans.Text, p.topic)
	if p.intent == IntentMore || ans.belonging {
		cov = 1 // a link answers "how do I find out more about becoming one" too
	}
	conf := 0.9 * cov
	if p.topic != nil {
		conf = p.quality * (0.6 + 0.4*cov)
	}
	for i := 0; i < unknown; i++ {
		conf *= 0.75
	}
	if ans.offTopic {
		// The question named a topic but the best sentence is about
		// something else ("how much does a porter get paid" finding the
		// payroll officer): say so rather than quote it.
		conf *= 0.45
	}
	if known == 0 && p.topic == nil {
		conf = 0
	}
	ans.Confidence = conf
	if conf < e.threshold {
		return e.fallback(a, p.intent, p.topic)
	}
	ans.Answered = true
	return ans
}

// subjectOfCue reports whether the topic is named before the membership
// cue ("is X part of ..."), not after it ("is mri part of X").
func (e *Engine) subjectOfCue(p *plan) bool {
	first := len(p.a.words)
	for pos := range p.a.intentLit {
		first = min(first, pos)
	}
	for _, h := range p.a.topics {
		if h.topic == p.topic {
			return h.pos < first
		}
	}
	return false
}

// asksBelonging reports whether a membership question asks if something
// belongs to something ("is X part of Y", "does X come under Y").
func asksBelonging(a *analysis) bool {
	if a.intentCue == nil {
		return false
	}
	for _, w := range a.intentCue.words {
		switch w {
		case "part", "belong", "belongs", "under", "one", "type":
			return true
		}
	}
	return false
}

func disjoint(a, b map[string]bool) bool {
	for s := range a {
		if b[s] {
			return false
		}
	}
	return true
}

func (e *Engine) nextIntent(a *analysis) *IntentSpec {
	best, score := (*IntentSpec)(nil), -1
	for _, c := range a.cues {
		if !c.intent.Smalltalk && c.score > score {
			best, score = c.intent, c.score
		}
	}
	return best
}

func (e *Engine) topicByKey(key string) *topicInfo { return e.byKey[key] }

// coverage is the share (by idf) of the question's own content words that
// the answer text contains; words of the topic's name and intent cues do
// not count against it.
func (e *Engine) coverage(a *analysis, text string, topic *topicInfo) float64 {
	_, ans := e.textStems(text)
	topicStems := map[string]bool{}
	if topic != nil {
		for _, al := range topic.aliases {
			for _, s := range al.stems {
				topicStems[s] = true
			}
		}
	}
	for _, h := range a.topics {
		for s := range h.stems {
			topicStems[s] = true
		}
	}
	var need, got float64
	for _, t := range a.terms {
		if t.generic || t.cue || t.number {
			continue
		}
		inTopic := false
		for _, s := range t.stems {
			if topicStems[s] {
				inTopic = true
			}
		}
		if inTopic {
			continue
		}
		w := e.maxIDF
		if t.known {
			w = 0
			for _, s := range t.stems {
				w = max(w, e.idf(s))
			}
		}
		need += w
		for _, s := range t.stems {
			if ans[s] || hasRelated(ans, s) {
				got += w
				break
			}
		}
	}
	if need == 0 {
		return 1
	}
	return got / need
}

func hasRelated(stems map[string]bool, s string) bool {
	for x := range stems {
		if related(x, s) {
			return true
		}
	}
	return false
}

// answerPlan chooses the answer for an understood question.
func (e *Engine) answerPlan(p *plan) (Answer, bool) {
	switch p.intent {
	case IntentMore:
		if p.topic != nil {
			return e.more(p.topic)
		}
	case IntentList:
		t := p.topic
		if t == nil {
			t = e.mainRoot()
		}
		if t != nil && len(t.t.Children) > 0 && !e.hasOwnContent(p) {
			return e.list(t), true
		}
	case IntentMembership:
		if p.topic != nil && p.other != nil && p.topic.t.Parent != nil {
			return e.memberOf(p.topic, p.other), true
		}
		if p.topic != nil && p.topic.t.Parent != nil && (asksBelonging(p.a) && e.subjectOfCue(p) || !e.hasOwnContent(p)) {
			// "is audiology part of life sciences" when the pages know no
			// life sciences: say what it is part of
			a := e.memberOf(p.topic, nil)
			a.belonging = true
			return a, true
		}
	case IntentOverview, "":
		if p.topic != nil && !e.hasOwnContent(p) && !p.a.quantity {
			return e.overview(p.topic), true
		}
	}
	if p.intent == IntentMore || p.topic == nil && !hasAnyContent(p.a) {
		return Answer{}, false
	}
	return e.retrieve(p)
}

// headingAnswer answers a question that a page's heading asks word for
// word ("What does an adult nurse do?") with that section.
func (e *Engine) headingAnswer(p *plan) (Answer, bool) {
	switch p.intent {
	case IntentMore, IntentSource, IntentList:
		return Answer{}, false
	}
	if p.a.quantity || len(p.a.words) < 3 {
		return Answer{}, false
	}
	asked := map[string]bool{}
	for _, w := range e.liteSeq(joinWords(p.a.words)) {
		asked[w] = true
	}
	secs := e.aspectSecs
	if p.topic != nil {
		secs = e.topicSecs[p.topic]
	}
	for _, sec := range secs {
		if !e.isAspectSection(sec) || len(e.secSents[sec]) == 0 {
			continue
		}
		words := 0
		all := true
		for _, w := range e.headLite[sec] {
			if articles[w] {
				continue
			}
			words++
			if !asked[w] {
				all = false
				break
			}
		}
		if !all || words < 3 || words < len(asked)-2 {
			continue
		}
		first := e.sents[e.secSents[sec][0]]
		intent := p.intent
		if intent == "" {
			intent = IntentOverview
		}
		return e.answer(intent, e.sectionTopic(sec), e.sectionText(sec, first), sec), true
	}
	return Answer{}, false
}

// articles do not count when a heading is compared with a question.
var articles = map[string]bool{"a": true, "an": true, "the": true}

// hasAnyContent reports whether the question holds any word the pages use
// that is not generic.
func hasAnyContent(a *analysis) bool {
	for _, t := range a.terms {
		if t.known && !t.generic {
			return true
		}
	}
	return false
}

// hasOwnContent reports whether the question asks about something beyond
// its topic ("do life scientists develop new treatments").
func (e *Engine) hasOwnContent(p *plan) bool {
	for _, t := range p.a.terms {
		if t.generic || t.cue || t.number || !t.known {
			continue
		}
		inTopic := false
		for _, h := range p.a.topics {
			for _, s := range t.stems {
				if h.stems[s] {
					inTopic = true
				}
			}
		}
		if !inTopic {
			return true
		}
	}
	return false
}

// mainRoot is the top-level topic with the most parts.
func (e *Engine) mainRoot() *topicInfo {
	var best *topicInfo
	for _, r := range e.roots {
		if best == nil || len(r.t.Children) > len(best.t.Children) {
			best = r
		}
	}
	return best
}

func (e *Engine) answer(intent string, t *topicInfo, text string, secs ...*knowledge.Section) Answer {
	a := Answer{Intent: intent, Text: text}
	if t != nil {
		a.Topic = t.key
		a.Suggestions = e.suggest(t, intent)
	}
	seen := map[*knowledge.Section]bool{}
	for _, s := range secs {
		if s == nil || seen[s] {
			continue
		}
		seen[s] = true
		a.Sources = append(a.Sources, Source{Document: s.Doc.Title, Section: s.Heading, URL: s.Doc.URL})
	}
	return a
}

// section is the section that speaks for a topic: its own, or its
// parent's for a list item.
func (e *Engine) section(t *topicInfo) *knowledge.Section {
	for x := t.t; x != nil; x = x.Parent {
		if x.Section != nil {
			return x.Section
		}
	}
	return nil
}

// overview summarises a topic from its own section, or says what it is
// part of and quotes the sentences that name it.
func (e *Engine) overview(t *topicInfo) Answer {
	if sec := e.mainSection(t); sec != nil {
		return e.answer(IntentOverview, t, e.summary(t, sec, 2), sec)
	}
	var parts []string
	if par := t.t.Parent; par != nil {
		parts = append(parts, fmt.Sprintf("%s is part of %s.", capFirst(t.t.Name), lowerName(par.Name)))
	}
	n := 0
	var secs []*knowledge.Section
	for _, si := range e.sents {
		if !t.mention[si.s.ID] || si.s.Kind == knowledge.ListItem || si.s.Kind == knowledge.MoreLine || n >= 2 {
			continue
		}
		parts = append(parts, si.s.Text)
		secs = append(secs, si.section)
		n++
	}
	if n == 0 {
		if par := t.t.Parent; par != nil && par.Section != nil {
			parts = append(parts, e.listText(e.topicBy[par]))
			secs = append(secs, par.Section)
		}
		for _, s := range t.t.Sentences {
			if s.Kind == knowledge.ListItem && s.Text != t.t.Name && len(s.Text) > len(t.t.Name)+3 {
				parts = append(parts, s.Text)
				secs = append(secs, s.Section)
				break
			}
		}
	}
	if len(secs) == 0 {
		secs = append(secs, e.section(t))
	}
	return e.answer(IntentOverview, t, strings.Join(parts, " "), secs...)
}

// mainSection is the section that introduces a topic: the opening of the
// page about it when there is one ("Medical physics" the page, not the
// "Medical physics" part of another page), else the section it heads.
func (e *Engine) mainSection(t *topicInfo) *knowledge.Section {
	if sec := e.pageIntro[t]; sec != nil {
		return sec
	}
	return t.t.Section
}

// summary quotes the opening of a section: up to n sentences, a list
// intro with its items counting as one.
func (e *Engine) summary(t *topicInfo, sec *knowledge.Section, n int) string {
	var parts []string
	size := 0
	for i := 0; i < len(sec.Sentences) && len(parts) < n && size < 450; i++ {
		s := sec.Sentences[i]
		switch s.Kind {
		case knowledge.MoreLine:
			continue
		case knowledge.ListItem:
			continue
		case knowledge.ListIntro:
			txt := withItems(s.Text, itemsAfter(s))
			parts = append(parts, txt)
			size += len(txt)
			continue
		}
		txt := s.Text
		if endsAsIntro(txt) && len(t.t.Children) > 0 {
			txt = withItems(txt, childNamesIn(t, sec.Doc))
		}
		parts = append(parts, txt)
		size += len(txt)
	}
	return strings.Join(parts, " ")
}

// list names a topic's parts, quoting the sentence that introduces them.
func (e *Engine) list(t *topicInfo) Answer {
	sec := t.t.Section
	return e.answer(IntentList, t, e.listText(t), sec)
}

func (e *Engine) listText(t *topicInfo) string {
	items := childNames(t)
	// The sentence that introduced the list the parts came from, in a
	// section about this topic (another page may list the same part
	// under something else).
	for _, c := range t.t.Children {
		for _, s := range c.Sentences {
			if s.Kind != knowledge.ListItem || s.Section.Topic != t.t {
				continue
			}
			sents := s.Section.Sentences
			for i := len(sents) - 1; i >= 0; i-- {
				if sents[i].ID < s.ID && sents[i].Kind == knowledge.ListIntro {
					return withItems(sents[i].Text, itemsAfter(sents[i]))
				}
			}
		}
	}
	// Or a sentence ending in a colon before the sections of the parts.
	if sec := t.t.Section; sec != nil {
		for _, s := range sec.Sentences {
			if endsAsIntro(s.Text) {
				return withItems(s.Text, childNamesIn(t, sec.Doc))
			}
		}
	}
	return fmt.Sprintf("%s covers %s: %s.", capFirst(t.t.Name), countAreas(len(items)), joinList(items))
}

// memberOf answers "is A part of B" or "which area covers A".
func (e *Engine) memberOf(t, other *topicInfo) Answer {
	par := t.t.Parent
	parInfo := e.topicBy[par]
	var lead string
	switch {
	case other == nil:
		lead = fmt.Sprintf("%s is part of %s.", capFirst(t.t.Name), lowerName(par.Name))
	case isUnder(t.t, other.t):
		lead = fmt.Sprintf("Yes, %s is part of %s.", lowerName(t.t.Name), lowerName(other.t.Name))
	case isUnder(other.t, t.t):
		lead = fmt.Sprintf("It's the other way round: %s is part of %s.", lowerName(other.t.Name), lowerName(t.t.Name))
		parInfo = t
	default:
		lead = fmt.Sprintf("No, %s is part of %s, not %s.", lowerName(t.t.Name), lowerName(par.Name), lowerName(other.t.Name))
	}
	text := lead
	sec := e.section(t)
	if si := e.linking(t, parInfo); si != nil {
		// quote the page saying so ("Neurophysiology is one of the
		// specialisms within the physiological sciences")
		if other == nil {
			text = si.s.Text
		} else {
			text += " " + si.s.Text
		}
		sec = si.section
	} else if parInfo != nil && len(parInfo.t.Children) > 0 && parInfo.t.Section != nil {
		// quote the page's own list of the parent's parts
		text += " " + e.listText(parInfo)
		sec = parInfo.t.Section
	}
	a := e.answer(IntentMembership, t, text, sec)
	return a
}

// linking finds a sentence, on a page about the topic, that names both the
// topic (in any word form) and its parent.
func (e *Engine) linking(t, par *topicInfo) *sentInfo {
	if par == nil {
		return nil
	}
	for _, sec := range e.topicSecs[t] {
		for _, id := range e.secSents[sec] {
			si := e.sents[id]
			if si.s.Kind != knowledge.Prose && si.s.Kind != knowledge.ListIntro {
				continue
			}
			if !containsAlias(si, par) || !namesRelated(si, t) {
				continue
			}
			return si
		}
	}
	return nil
}

// containsAlias reports whether a sentence names a topic word for word.
func containsAlias(si *sentInfo, t *topicInfo) bool {
	for _, a := range t.aliases {
		if a.whole && hasSeq(si.content, a.stems) {
			return true
		}
	}
	return false
}

// namesRelated reports whether a sentence names a topic's distinctive word
// in some form ("neurophysiology" for the neurophysiologist).
func namesRelated(si *sentInfo, t *topicInfo) bool {
	for _, a := range t.aliases {
		for _, s := range si.content {
			if related(s, a.head) {
				return true
			}
		}
	}
	return false
}

func isUnder(t, anc *knowledge.Topic) bool {
	for p := t.Parent; p != nil; p = p.Parent {
		if p == anc {
			return true
		}
	}
	return false
}

// more points to the "find out more" link of a topic's section.
func (e *Engine) more(t *topicInfo) (Answer, bool) {
	for x := t.t; x != nil; x = x.Parent {
		var sec *knowledge.Section
		for _, s := range e.topicSecs[e.topicBy[x]] {
			if len(s.More) > 0 {
				sec = s
				break
			}
		}
		if sec == nil {
			continue
		}
		var lines []string
		for _, l := range sec.More {
			txt := strings.TrimRight(l.Text, ".")
			if u := firstNonEmpty(l.URL, sec.Doc.URL); u != "" {
				txt += ": " + u
			} else {
				txt += " on NHS Careers (" + sec.Doc.Title + ")"
			}
			lines = append(lines, txt+".")
		}
		a := e.answer(IntentMore, t, strings.Join(lines, " "), sec)
		if len(sec.More) > 0 && sec.More[0].URL != "" {
			a.Sources[0].URL = sec.More[0].URL
		}
		return a, true
	}
	return Answer{}, false
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// source lists the documents answers come from.
func (e *Engine) source() Answer {
	var docs []string
	a := Answer{Intent: IntentSource, Answered: true, Confidence: 1}
	for _, d := range e.kb.Documents {
		s := d.Title
		if len(d.Breadcrumb) > 0 {
			s += " (" + strings.Join(d.Breadcrumb, " > ") + ")"
		}
		if d.URL != "" {
			s += " " + d.URL
		}
		docs = append(docs, s)
		a.Sources = append(a.Sources, Source{Document: d.Title, URL: d.URL})
	}
	a.Text = e.lx.Replies["source"] + " " + strings.Join(docs, "; ") + "."
	a.Suggestions = e.examples
	return a
}

func (e *Engine) smalltalk(intent string) Answer {
	return Answer{Intent: intent, Answered: true, Confidence: 1, Text: e.fill(e.lx.Replies[intent]), Suggestions: e.examples}
}

func (e *Engine) outOfScope(p *plan) Answer {
	a := Answer{Intent: IntentFallback, Text: e.fill(e.lx.Replies["out_of_scope"])}
	if p.topic != nil {
		a.Suggestions = e.suggest(p.topic, "")
	} else {
		a.Suggestions = e.examples
	}
	return a
}

func (e *Engine) fallback(a *analysis, intent string, t *topicInfo) Answer {
	ans := Answer{Intent: IntentFallback, Text: e.fill(e.lx.Replies["fallback"])}
	if t != nil {
		ans.Suggestions = e.suggest(t, "")
	} else {
		ans.Suggestions = e.didYouMean(a)
	}
	return ans
}

// fill expands {subject}, {areas} and {examples} in a reply.
func (e *Engine) fill(s string) string {
	var areas []string
	if r := e.mainRoot(); r != nil {
		areas = childNames(r)
	}
	r := strings.NewReplacer("{subject}", e.subject, "{areas}", joinList(areas),
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

// describe names what the loaded pages are about and picks example
// questions from their topics.
func (e *Engine) describe() (string, []string) {
	var names []string
	for _, d := range e.kb.Documents {
		if len(names) == 3 {
			names[2] = "more"
			break
		}
		n := topicName(d.Title)
		switch {
		case n == "":
			continue
		case n != d.Title:
			names = append(names, lowerName(d.Title)) // "Careers in X"
		default:
			names = append(names, lowerName(n)+" careers")
		}
	}
	subject := "NHS careers"
	if len(names) > 0 {
		subject = joinList(names)
	}
	var ex []string
	root := e.mainRoot()
	if root != nil {
		ex = append(ex, fmt.Sprintf("What areas does %s include?", lowerName(root.t.Name)))
		for _, c := range root.t.Children {
			ex = append(ex, fmt.Sprintf("What is %s?", lowerName(c.Name)))
			if len(c.Children) > 0 {
				ex = append(ex, fmt.Sprintf("Where do %s staff work?", lowerName(c.Children[len(c.Children)-1].Name)))
			}
			if len(ex) >= 3 {
				break
			}
		}
	}
	return subject, ex
}

// suggest offers follow-up questions about a topic and its parent.
func (e *Engine) suggest(t *topicInfo, answered string) []string {
	var out []string
	add := func(intent, q string) {
		if intent != answered && len(out) < 3 {
			out = append(out, q)
		}
	}
	name := lowerName(t.t.Name)
	if par := t.t.Parent; par != nil && par.Parent != nil {
		add(IntentOverview, fmt.Sprintf("What do %s staff do?", lowerName(par.Name)))
	} else {
		add(IntentOverview, fmt.Sprintf("What is %s?", name))
	}
	if len(t.t.Children) > 0 {
		add(IntentList, fmt.Sprintf("What areas does %s include?", name))
	}
	add(IntentLocation, fmt.Sprintf("Where do %s staff work?", name))
	for x := t.t; x != nil; x = x.Parent {
		if x.Section != nil && len(x.Section.More) > 0 {
			add(IntentMore, fmt.Sprintf("Find out more about %s", lowerName(x.Name)))
			break
		}
	}
	return out
}

// didYouMean suggests topics whose names look like the question's words.
func (e *Engine) didYouMean(a *analysis) []string {
	var out []string
	seen := map[*topicInfo]bool{}
	for _, t := range a.terms {
		for _, s := range t.stems {
			for _, al := range e.aliasIdx[s] {
				if !seen[al.topic] && len(out) < 3 {
					seen[al.topic] = true
					out = append(out, fmt.Sprintf("What is %s?", lowerName(al.topic.t.Name)))
				}
			}
		}
	}
	if len(out) == 0 {
		return e.examples
	}
	return out
}

// topicName strips "Careers in" and the like from a title.
func topicName(title string) string {
	l := strings.ToLower(title)
	for _, p := range []string{"careers in the ", "careers in ", "a career in ", "working in ", "roles in the ", "roles in ", "jobs in "} {
		if strings.HasPrefix(l, p) {
			return title[len(p):]
		}
	}
	return strings.TrimSpace(title)
}

// childNamesIn names the parts of a topic that one document describes.
func childNamesIn(t *topicInfo, doc *knowledge.Document) []string {
	var out []string
	for _, c := range t.t.Children {
		if c.Section != nil && c.Section.Doc == doc {
			out = append(out, lowerName(c.Name))
		}
	}
	if len(out) == 0 {
		return childNames(t)
	}
	return out
}

func childNames(t *topicInfo) []string {
	var out []string
	for _, c := range t.t.Children {
		out = append(out, lowerName(c.Name))
	}
	return out
}

// lowerName lower-cases a name's first letter unless it is an acronym.
func lowerName(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	if n < len(s) {
		r2, _ := utf8.DecodeRuneInString(s[n:])
		if unicode.IsUpper(r2) {
			return s
		}
	}
	return string(unicode.ToLower(r)) + s[n:]
}

func capFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func joinList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func countAreas(n int) string {
	words := []string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
	if n < len(words) {
		if n == 1 {
			return "one area"
		}
		return words[n] + " areas"
	}
	return fmt.Sprintf("%d areas", n)
}

func endsAsIntro(t string) bool {
	t = strings.TrimSpace(t)
	return strings.HasSuffix(t, ":") || strings.HasSuffix(t, " -") || strings.HasSuffix(t, "–") || strings.HasSuffix(t, "—")
}

// itemsAfter returns the list items that follow a sentence introducing
// them.
func itemsAfter(intro *knowledge.Sentence) []string {
	var items []string
	sents := intro.Section.Sentences
	for i := range sents {
		if sents[i] != intro {
			continue
		}
		for _, s := range sents[i+1:] {
			if s.Kind != knowledge.ListItem {
				break
			}
			items = append(items, s.Text)
		}
		break
	}
	return items
}

// withItems completes a sentence that introduces a list with its items.
func withItems(intro string, items []string) string {
	if len(items) == 0 {
		return intro
	}
	clean := make([]string, 0, len(items))
	for _, it := range items {
		clean = append(clean, strings.TrimRight(strings.TrimSpace(it), ".;,"))
	}
	return strings.TrimSpace(intro) + " " + joinList(clean) + "."
}
