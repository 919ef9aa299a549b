package knowledge

import (
	"regexp"
	"strings"
)

// build turns a parsed file into a Document: sections from headings,
// sentences from paragraphs, bullets and "find out more" lines.
func build(path string, meta Meta, blocks []Block) (*Document, []Problem) {
	doc := &Document{Path: path, Title: meta.Title, URL: meta.URL, Breadcrumb: meta.Breadcrumb}
	var problems []Problem
	if doc.Title == "" {
		for _, b := range blocks {
			if b.Kind == Heading {
				doc.Title = b.Text
				break
			}
		}
	}
	intro := &Section{Doc: doc}
	cur := intro
	var stack []*Section // open sections by level
	closed := false      // cur ended with a "find out more" line
	var items []string   // list items so far, which may name a lost heading
	titleSeen := false

	newSection := func(heading string, level, line int) *Section {
		for len(stack) > 0 && stack[len(stack)-1].Level >= level {
			stack = stack[:len(stack)-1]
		}
		s := &Section{Doc: doc, Heading: heading, Level: level, Line: line}
		if len(stack) > 0 {
			s.Parent = stack[len(stack)-1]
			s.Path = append(append([]string(nil), s.Parent.Path...), heading)
		} else {
			s.Path = []string{heading}
		}
		stack = append(stack, s)
		doc.Sections = append(doc.Sections, s)
		return s
	}
	// Sentences are allocated together, as many at a time as there are
	// blocks left (each but a heading gives one or more), up to 64.
	var slab []Sentence
	left := 0 // blocks left after the current one
	addSentence := func(s *Section, text string, kind SentenceKind, line int) {
		if len(slab) == cap(slab) {
			slab = make([]Sentence, 0, min(64, 1+left))
		}
		slab = append(slab, Sentence{Text: text, Kind: kind, Section: s, Line: line})
		s.Sentences = append(s.Sentences, &slab[len(slab)-1])
	}

	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		left = len(blocks) - i - 1
		if strings.TrimSpace(b.Text) == "" {
			continue
		}
		switch b.Kind {
		case Heading:
			if !titleSeen && (b.Level <= 1 || b.Text == doc.Title) {
				titleSeen = true
				if doc.Title == "" {
					doc.Title = b.Text
				}
				continue
			}
			titleSeen = true
			level := b.Level
			if level < 2 {
				level = 2
			}
			cur, closed = newSection(b.Text, level, b.Line), false
		case Paragraph:
			if closed || b.Break && cur != intro {
				// Text after a section's "find out more" line, or after a
				// wide gap, and before the next heading: a section whose
				// heading the saved page lost. Name it after the next
				// "find out more" line, the page's list item it starts
				// with, or the subject of its first sentence.
				if h := implicitHeading(b, blocks[i+1:], items); h != "" && !strings.EqualFold(h, cur.Heading) {
					level := cur.Level
					if level < 2 {
						level = 2
					}
					cur = newSection(h, level, b.Line)
				}
				closed = false
			}
			sents := SplitSentences(b.Text)
			for j, t := range sents {
				kind := Prose
				if j == len(sents)-1 && (endsAsListIntro(t) || !endsSentence(t)) && i+1 < len(blocks) && blocks[i+1].Kind == Bullet {
					kind = ListIntro
				}
				addSentence(cur, t, kind, b.Line)
			}
		case Bullet:
			item := strings.TrimRight(b.Text, " .;,")
			items = append(items, item)
			cur.Bullets = append(cur.Bullets, item)
			addSentence(cur, b.Text, ListItem, b.Line)
		case More:
			cur.More = append(cur.More, Link{Text: b.Text, URL: b.URL})
			addSentence(cur, b.Text, MoreLine, b.Line)
			closed = cur != intro
		}
	}
	if len(intro.Sentences) > 0 || len(doc.Sections) == 0 {
		doc.Sections = append([]*Section{intro}, doc.Sections...)
	}
	n := 0
	for _, s := range doc.Sections {
		n += len(s.Sentences)
	}
	if n == 0 {
		problems = append(problems, Problem{Path: path, Msg: "no text found"})
	}
	if doc.Title == "" {
		problems = append(problems, Problem{Path: path, Msg: "no title found"})
	}
	for _, s := range doc.Sections {
		if s.Heading != "" && len(s.Sentences) == 0 && !hasChild(doc, s) {
			problems = append(problems, Problem{Path: path, Line: s.Line, Msg: "heading " + quote(s.Heading) + " has no text"})
		}
	}
	problems = append(problems, dropBadURLs(path, doc)...)
	return doc, problems
}

func hasChild(doc *Document, s *Section) bool {
	for _, c := range doc.Sections {
		if c.Parent == s {
			return true
		}
	}
	return false
}

func quote(s string) string { return "\"" + s + "\"" }

// endsSentence reports whether text ends as a sentence does; a paragraph
// that does not, right before a list, introduces it ("A porter could be
// moving").
func endsSentence(t string) bool {
	t = strings.TrimRight(strings.TrimSpace(t), "\"'’”)")
	return strings.HasSuffix(t, ".") || strings.HasSuffix(t, "!") || strings.HasSuffix(t, "?")
}

// endsAsListIntro reports whether a sentence introduces the list after it.
func endsAsListIntro(t string) bool {
	t = strings.TrimSpace(t)
	return strings.HasSuffix(t, ":") || strings.HasSuffix(t, " -") || strings.HasSuffix(t, "–") ||
		strings.HasSuffix(t, "—") || strings.HasSuffix(t, "include") || strings.HasSuffix(t, "including") ||
		strings.HasSuffix(t, "for example") || strings.HasSuffix(t, "such as") || strings.HasSuffix(t, "e.g")
}

var (
	moreAbout   = regexp.MustCompile(`(?i)^(?:find out|read|learn) more about (?:(?:a )?careers? in |working in |roles in |jobs in )?(?:the )?(.+?)[.!]?$`)
	subjectVerb = regexp.MustCompile(`^([A-Z][\w'’-]*(?: [\w'’-]+){0,4}?) (?:is|are|was|covers|includes) `)
)

// MoreTopic returns what a "Find out more about ..." line is about:
// "Find out more about careers in the life sciences" -> "life sciences".
func MoreTopic(line string) string {
	if m := moreAbout.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
		return strings.TrimSpace(m[1])
	}
	return ""
}

// implicitHeading names a section that has text but lost its heading.
func implicitHeading(b Block, rest []Block, items []string) string {
	for _, nb := range rest {
		if nb.Kind == Heading {
			break
		}
		if nb.Kind == More {
			if t := MoreTopic(nb.Text); t != "" {
				return capitalise(t)
			}
			break
		}
	}
	low := strings.ToLower(b.Text)
	best := ""
	for _, it := range items {
		if l := strings.ToLower(it); len(l) > len(best) && strings.HasPrefix(low, l+" ") && itemTopic(it) != "" {
			best = it
		}
	}
	if best != "" {
		return capitalise(best)
	}
	if m := subjectVerb.FindStringSubmatch(b.Text); m != nil {
		return m[1]
	}
	return ""
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
