package intents

import (
	"fmt"
	"strings"

	"github.com/careersbot/careersbot/knowledge"
)

// overviewAnswerer answers "what is X": the opening of the section about
// the topic the question names, or of the page it names; a topic that is
// only a list item is introduced by what it is part of.
type overviewAnswerer struct{}

func init() { register(IntentOverview, overviewAnswerer{}) }

func (overviewAnswerer) answer(e *Engine, r *request) (*result, bool) {
	if h := r.hit(); h != nil && (len(r.docs) == 0 || h.t.doc == r.docs[0].doc || h.full >= 0.99) {
		t := h.t
		if sec := t.t.Section; sec != nil {
			if res := e.opening(t.doc, sec, t); res != nil {
				res.topic = t.t.Name
				return res, true
			}
		}
		// a list item: what mentions it, else what it is part of
		for _, s := range t.t.Sentences {
			if s.Kind == knowledge.Prose {
				si := e.sentOf(t.doc, s)
				text, used := e.extract(si)
				return &result{text: text, sents: used, doc: t.doc, topic: t.t.Name, exact: true}, true
			}
		}
		if p := t.parent; p != nil {
			text := fmt.Sprintf("%s is part of %s.", capFirst(t.t.Name), lowerName(p.t.Name))
			var used []*sentInfo
			if p.t.Section != nil {
				if res := e.opening(p.doc, p.t.Section, p); res != nil {
					text += " " + res.text
					used = res.sents
				}
			}
			return &result{text: text, sents: used, doc: t.doc, topic: t.t.Name, exact: true}, true
		}
	}
	if len(r.docs) > 0 && r.q.content > 0 {
		d := e.ix.docs[r.docs[0].doc]
		for _, sid := range d.sents {
			si := e.ix.sents[sid]
			if si.intro {
				text, used := e.extract(si)
				return &result{text: text, sents: used, doc: si.doc, topic: d.name}, true
			}
		}
	}
	return passageAnswerer{lead: true}.answer(e, r)
}

// opening quotes the first two sentences of a section (a list's intro with
// its items counting as one); a sentence ending in a colon before the
// section's subsections names them.
func (e *Engine) opening(doc int32, sec *knowledge.Section, t *topicInfo) *result {
	var parts []string
	var used []*sentInfo
	size := 0
	for _, s := range sec.Sentences {
		if len(parts) >= 2 || size >= 450 {
			break
		}
		si := e.sentOf(doc, s)
		if si == nil || si.junk || s.Kind == knowledge.MoreLine || s.Kind == knowledge.ListItem {
			continue
		}
		txt := s.Text
		if s.Kind == knowledge.ListIntro {
			txt, _ = e.extract(si)
		} else if strings.HasSuffix(strings.TrimSpace(txt), ":") && t != nil && len(t.children) > 0 {
			txt = withItems(txt, childNames(t))
		}
		parts = append(parts, txt)
		used = append(used, si)
		size += len(txt)
	}
	if len(parts) == 0 {
		return nil
	}
	return &result{text: strings.Join(parts, " "), sents: used, doc: doc, exact: true}
}

// sentOf finds the index entry of a sentence of page doc.
func (e *Engine) sentOf(doc int32, s *knowledge.Sentence) *sentInfo {
	for _, sid := range e.ix.docs[doc].sents {
		if si := e.ix.sents[sid]; si.s == s {
			return si
		}
	}
	return nil
}

func childNames(t *topicInfo) []string {
	var out []string
	for _, c := range t.children {
		out = append(out, lowerName(c.t.Name))
	}
	return out
}
