package intents

import (
	"context"
	"fmt"
	"strings"
)

// describe names what the loaded pages are about and picks example
// questions the engine answers.
func (e *Engine) describe() (string, []string) {
	var names []string
	for _, d := range e.ix.docs {
		if len(names) == 3 {
			names[2] = "more"
			break
		}
		t := d.d.Title
		switch {
		case t != "" && !looksAspect(t) && titlePrefix.MatchString(t):
			names = append(names, lowerName(t)) // "Careers in X"
		default:
			names = append(names, lowerName(d.name)+" careers")
		}
	}
	subject := "NHS careers"
	if len(names) > 0 {
		subject = joinList(names)
	}
	var cands []string
	if root := e.mainRoot(); root != nil {
		cands = append(cands, fmt.Sprintf("What areas does %s include?", lowerName(root.t.Name)))
		for _, c := range root.children {
			cands = append(cands, fmt.Sprintf("What is %s?", lowerName(c.t.Name)))
			if len(c.children) > 0 {
				cands = append(cands, fmt.Sprintf("Where do %s staff work?", lowerName(c.children[len(c.children)-1].t.Name)))
			}
		}
	}
	for i, d := range e.ix.docs {
		if i == 6 {
			break
		}
		cands = append(cands, fmt.Sprintf("What does %s do?", withArticle(d.name)))
	}
	var ex []string
	for _, c := range cands {
		if len(ex) == 3 {
			break
		}
		if a := e.answer(context.Background(), Question{Text: c}, false); a.Answered {
			ex = append(ex, c)
		}
	}
	if len(ex) == 0 && len(cands) > 0 {
		// a threshold above every answer: still say what may be asked
		ex = cands[:min(3, len(cands))]
	}
	return subject, ex
}

// withArticle puts "a" or "an" before a singular role name ("a porter"),
// nothing before a plural or an area.
func withArticle(name string) string {
	n := lowerName(name)
	if strings.HasSuffix(n, "s") || strings.Contains(n, " and ") || strings.HasSuffix(n, "ing") {
		return n
	}
	if strings.ContainsRune("aeiou", rune(n[0])) {
		return "an " + n
	}
	return "a " + n
}

// areas names the top-level topics of the first page with parts.
func (e *Engine) areas() []string {
	if r := e.mainRoot(); r != nil {
		return childNames(r)
	}
	var out []string
	for i, d := range e.ix.docs {
		if i == 5 {
			out = append(out, "more")
			break
		}
		out = append(out, lowerName(d.name))
	}
	return out
}

// suggestions are questions about page doc that the engine itself answers
// from that page, other than the one just answered. They are worked out
// once per page and kept, with the list to give after each of their
// answers, so that answering allocates nothing for them; the lists are
// shared and must not be changed.
func (e *Engine) suggestions(doc int32, answered string) []string {
	if doc < 0 || int(doc) >= len(e.ix.docs) {
		return nil
	}
	v, ok := e.suggestCache.Load(doc)
	if !ok {
		v, _ = e.suggestCache.LoadOrStore(doc, e.suggestionsOf(doc))
	}
	s := v.(*suggested)
	for i, a := range s.answers {
		if a == answered {
			return s.after[i]
		}
	}
	return s.first
}

// maxSuggestions is how many suggestions an answer carries.
const maxSuggestions = 3

// suggested is a page's suggestions: the questions it answers, their
// answers, the first few of them and the few to give after each answer.
type suggested struct {
	answers []string
	first   []string
	after   [][]string // after[i]: the first few whose answer is not answers[i]
}

// suggestionsOf works out page doc's suggestions.
func (e *Engine) suggestionsOf(doc int32) *suggested {
	d := e.ix.docs[doc]
	var cands []string
	subject := lowerName(d.name)
	for _, ti := range d.topics {
		if ti.parent != nil && len(cands) < 4 {
			cands = append(cands, fmt.Sprintf("What is %s?", lowerName(ti.t.Name)))
		}
	}
	cands = append(cands,
		fmt.Sprintf("What does %s do?", withArticle(subject)),
		fmt.Sprintf("Where do %s staff work?", subject),
		fmt.Sprintf("What qualifications do I need for %s?", subject),
		fmt.Sprintf("What skills do I need for %s?", subject),
		fmt.Sprintf("Find out more about %s", subject))
	var qs []string
	s := &suggested{}
	for _, c := range cands {
		a := e.answer(context.Background(), Question{Text: c}, false)
		if a.Answered && a.Confidence >= e.threshold && a.Why != nil && len(a.Sources) > 0 && a.Sources[0].Document == docTitle(d) {
			qs, s.answers = append(qs, c), append(s.answers, a.Text)
		}
	}
	pick := func(skip int) []string { // skip < 0: none
		var out []string
		for i, q := range qs {
			if (skip < 0 || s.answers[i] != s.answers[skip]) && len(out) < maxSuggestions {
				out = append(out, q)
			}
		}
		return out[:len(out):len(out)]
	}
	s.first = pick(-1)
	for i := range s.answers {
		s.after = append(s.after, pick(i))
	}
	return s
}
