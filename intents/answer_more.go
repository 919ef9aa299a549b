package intents

import (
	"fmt"
)

// moreAnswerer answers "how do I find out more about X": the page's own
// "find out more" line for the topic, else the page's link.
type moreAnswerer struct{}

func init() { register(IntentMore, moreAnswerer{}) }

func (moreAnswerer) answer(e *Engine, r *request) (*result, bool) {
	if h := r.hit(); h != nil {
		for t := h.t; t != nil; t = t.parent {
			if sec := t.t.Section; sec != nil && len(sec.More) > 0 {
				l := sec.More[0]
				text := l.Text
				if u := safeURL(l.URL); u != "" {
					text += ": " + u
				} else if u := safeURL(sec.Doc.URL); u != "" {
					text += " (" + u + ")"
				}
				var used []*sentInfo
				for _, s := range sec.Sentences {
					if s.Text == l.Text {
						if si := e.sentOf(t.doc, s); si != nil {
							used = append(used, si)
						}
					}
				}
				return &result{text: text, sents: used, doc: t.doc, topic: h.t.t.Name, typed: true, exact: true}, true
			}
		}
	}
	if len(r.docs) == 0 {
		return nil, false
	}
	// a sentence that points somewhere ("see the trainee handbook")
	if res, ok := (passageAnswerer{}).answer(e, r); ok && res.typed && res.doc == r.docs[0].doc {
		return res, true
	}
	d := e.ix.docs[r.docs[0].doc]
	if u := safeURL(d.d.URL); u != "" {
		return &result{text: fmt.Sprintf("You can read more on the page %q: %s", docTitle(d), u), doc: r.docs[0].doc, topic: d.name, typed: true, exact: true}, true
	}
	return nil, false
}
