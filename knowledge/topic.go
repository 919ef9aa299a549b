package knowledge

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// aspectWords start headings that name an aspect of their parent ("Where
// you'll work", "How to find out more") rather than a topic of their own.
var aspectWords = map[string]bool{
	"what": true, "where": true, "who": true, "whom": true, "how": true, "why": true, "when": true,
	"which": true, "do": true, "does": true, "can": true, "is": true, "are": true, "your": true,
	"you": true, "you'll": true, "about": true, "more": true, "overview": true, "introduction": true,
	"summary": true, "related": true, "see": true, "contents": true, "find": true, "further": true,
	"other": true, "useful": true, "next": true, "get": true, "getting": true, "in": true,
	"working": true, "job": true, "typical": true, "day": true, "equipment": true, "finding": true,
	"tools": true, "technology": true, "techniques": true,
}

// roleParts start the headings of a role page's practical parts: what it
// takes, what it pays, how to start. They are aspects, and their lists
// (skills, qualifications) are not topics.
var roleParts = map[string]bool{
	"entry": true, "pay": true, "salary": true, "skills": true, "training": true,
	"qualifications": true, "requirements": true, "benefits": true, "career": true,
	"personal": true, "hours": true, "courses": true, "funding": true, "apply": true,
	"applying": true, "how-to": true, "interests": true, "qualities": true, "progression": true,
	"development": true, "opportunities": true, "case": true, "real": true, "watch": true,
	"video": true, "links": true, "resources": true, "contact": true, "faqs": true, "faq": true,
}

// isRolePart reports whether a heading names a practical part of a role
// page ("Entry requirements", "Skills needed").
func isRolePart(heading string) bool {
	first, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(heading)), " ")
	return roleParts[strings.Trim(first, "'’\"")]
}

// genericPrefixes are stripped from titles and headings to name their
// topic: "Careers in healthcare science" -> "healthcare science".
var genericPrefix = regexp.MustCompile(`(?i)^(?:(?:a )?careers? in|working in|roles in|jobs in|a career in|explore|about)\s+(?:the\s+)?`)

// enumeration is a heading's number ("1. Pharmacy technician").
var enumeration = regexp.MustCompile(`^\(?\d{1,2}[.)]\s+`)

// topicName turns a title or heading into a topic name.
func topicName(heading string) string {
	n := enumeration.ReplaceAllString(strings.TrimSpace(heading), "")
	n = genericPrefix.ReplaceAllString(n, "")
	n = strings.TrimRight(n, " .:;,-–—?!")
	return n
}

// isAspect reports whether a heading names an aspect, not a topic.
func isAspect(heading string) bool {
	first, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(heading)), " ")
	first = strings.Trim(first, "'’\"")
	return aspectWords[first] || roleParts[first] || strings.HasSuffix(heading, "?") || strings.Count(heading, " ") > 7
}

// nameDefinition matches "Name - definition" and "Name: definition" items.
// The name may hold hyphens ("X-ray imaging", "Cardio-respiratory
// physiology"); only a dash with spaces round it, or a colon, ends it.
var nameDefinition = regexp.MustCompile(`^([^.:]{2,60}?)\s*(?:\s[-–—]\s|:\s)(.+)$`)

// hasDefinitionMark reports whether a line has what nameDefinition needs
// (a spaced dash or a colon), so that the pattern runs only where it may
// match.
func hasDefinitionMark(s string) bool {
	return strings.Contains(s, ": ") || strings.Contains(s, " - ") || strings.Contains(s, " – ") || strings.Contains(s, " — ")
}

// itemTopic returns the topic a list item names, or "" if it is a sentence.
func itemTopic(item string) string {
	item = strings.TrimRight(strings.TrimSpace(item), " .;,")
	if hasDefinitionMark(item) {
		if m := nameDefinition.FindStringSubmatch(item); m != nil && strings.Count(m[1], " ") < 6 {
			return strings.TrimSpace(m[1])
		}
	}
	if item == "" || strings.Count(item, " ") >= 6 || strings.ContainsAny(item, ".?!") {
		return ""
	}
	return item
}

// deriveTopics finds the topics of the documents: titles, headings, list
// items and "Name - definition" lines, with parents and mentions.
func deriveTopics(docs []*Document) []*Topic {
	type docKey struct {
		doc *Document
		key string
	}
	byKey := map[docKey]*Topic{}
	var topics []*Topic
	var cur *Document
	get := func(name string, parent *Topic) *Topic {
		key := strings.ToLower(name)
		if t, ok := byKey[docKey{cur, key}]; ok {
			if t.Parent == nil && parent != nil && parent != t && !isAncestor(t, parent) {
				t.Parent = parent
				parent.Children = append(parent.Children, t)
			}
			return t
		}
		t := &Topic{ID: len(topics), Doc: cur, Name: name, Key: key, Parent: parent}
		if parent != nil {
			parent.Children = append(parent.Children, t)
		}
		byKey[docKey{cur, key}] = t
		topics = append(topics, t)
		return t
	}
	for _, d := range docs {
		cur = d
		var docTopic *Topic
		if n := topicName(d.Title); n != "" {
			docTopic = get(n, crumbParent(d, n, get))
		}
		secTopic := map[*Section]*Topic{}
		for _, s := range d.Sections {
			parent := docTopic
			if s.Parent != nil {
				parent = secTopic[s.Parent]
			}
			t := parent
			if s.Heading == "" {
				if docTopic != nil && docTopic.Section == nil {
					docTopic.Section = s
				}
			} else if !isAspect(s.Heading) {
				if n := topicName(s.Heading); n != "" {
					t = get(n, parent)
					if t.Section == nil {
						t.Section = s
					}
				}
			}
			secTopic[s] = t
			s.Topic = t
			listParent := t
			inList := false
			if isRolePart(s.Heading) {
				listParent = nil // skills and qualifications are not topics
			}
			for _, sen := range s.Sentences {
				switch sen.Kind {
				case ListIntro:
					inList = true
				case ListItem:
					if n := itemTopic(sen.Text); n != "" && listParent != nil && (inList || hasDefinitionMark(sen.Text) && nameDefinition.MatchString(sen.Text)) {
						it := get(n, listParent)
						it.Sentences = append(it.Sentences, sen)
					}
				default:
					inList = false
				}
			}
		}
	}
	// Mentions: each sentence of a topic's page that names it as a
	// phrase. Pages are small, so each topic is looked for in its own
	// page's sentences, lower-cased once per page.
	byDoc := map[*Document][]*Topic{}
	for _, t := range topics {
		byDoc[t.Doc] = append(byDoc[t.Doc], t)
	}
	var sents []*Sentence
	var lows []string
	var text []byte // a page's padded lower-case sentences, end to end
	var ends []int
	for _, d := range docs {
		ts := byDoc[d]
		if len(ts) == 0 {
			continue
		}
		sents, lows, text, ends = sents[:0], lows[:0], text[:0], ends[:0]
		for _, s := range d.Sections {
			for _, sen := range s.Sentences {
				sents = append(sents, sen)
				text = append(text, ' ')
				text = appendLower(text, strings.Trim(sen.Text, " ."))
				text = append(text, ' ')
				ends = append(ends, len(text))
			}
		}
		all, start := string(text), 0
		for _, end := range ends {
			lows = append(lows, all[start:end])
			start = end
		}
		for _, t := range ts {
			if t.Key == "" {
				continue
			}
			for i, l := range lows {
				if containsPhrase(l, t.Key) && !hasSentence(t, sents[i]) {
					t.Sentences = append(t.Sentences, sents[i])
				}
			}
		}
	}
	return topics
}

// appendLower appends strings.ToLower(s) to b, rune by rune with no
// copy of s (falling back to ToLower on invalid UTF-8).
func appendLower(b []byte, s string) []byte {
	start := len(b)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return append(b[:start], strings.ToLower(s)...)
		}
		b = utf8.AppendRune(b, unicode.ToLower(r))
		i += size
	}
	return b
}

// genericCrumbs are breadcrumb steps that name the site, not a subject.
var genericCrumbs = map[string]bool{"home": true, "nhs careers": true, "health careers": true,
	"explore by career": true, "explore roles": true, "explore careers": true, "careers": true,
	"roles": true, "nhs": true}

// crumbParent returns the topic a page's breadcrumb puts above it
// ("... > Physiological sciences > Cardiac physiologist"), creating it,
// or nil when the breadcrumb names nothing above the page.
func crumbParent(d *Document, name string, get func(string, *Topic) *Topic) *Topic {
	crumbs := d.Breadcrumb
	if n := len(crumbs); n > 0 && (strings.EqualFold(crumbs[n-1], d.Title) || strings.EqualFold(topicName(crumbs[n-1]), name)) {
		crumbs = crumbs[:n-1]
	}
	if len(crumbs) == 0 {
		return nil
	}
	up := topicName(crumbs[len(crumbs)-1])
	if up == "" || genericCrumbs[strings.ToLower(up)] || strings.EqualFold(up, name) || isAspect(up) {
		return nil
	}
	return get(up, nil)
}

func isAncestor(t, of *Topic) bool {
	for p := of; p != nil; p = p.Parent {
		if p == t {
			return true
		}
	}
	return false
}

func hasSentence(t *Topic, s *Sentence) bool {
	for _, x := range t.Sentences {
		if x == s {
			return true
		}
	}
	return false
}

// containsPhrase reports whether the padded lower-case text holds phrase
// as whole words.
func containsPhrase(padded, phrase string) bool {
	i := strings.Index(padded, phrase)
	for i >= 0 {
		before, after := padded[i-1], byte(' ')
		if j := i + len(phrase); j < len(padded) {
			after = padded[j]
		}
		if !isWordByte(before) && !isWordByte(after) {
			return true
		}
		k := strings.Index(padded[i+1:], phrase)
		if k < 0 {
			break
		}
		i += 1 + k
	}
	return false
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 0x80
}
