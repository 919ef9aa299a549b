package knowledge

import (
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
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
	// Both patterns are anchored at the start and match no empty text,
	// so cutting the one match off is replacing every match, without a
	// copy; each runs only where its first character may start it.
	n := strings.TrimSpace(heading)
	if n != "" && (n[0] == '(' || '0' <= n[0] && n[0] <= '9') {
		if m := enumeration.FindStringIndex(n); m != nil {
			n = n[m[1]:]
		}
	}
	if n != "" && strings.IndexByte("acwrjeACWRJE", n[0]) >= 0 {
		if m := genericPrefix.FindStringIndex(n); m != nil {
			n = n[m[1]:]
		}
	}
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
// items and "Name - definition" lines, with parents and mentions. Topics
// belong to their page, so each page's are found on its own, on every
// core, then numbered in page order.
func deriveTopics(docs []*Document) []*Topic {
	per := make([][]*Topic, len(docs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(docs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sc mentionScratch
			for i := int(next.Add(1) - 1); i < len(docs); i = int(next.Add(1) - 1) {
				per[i] = docTopics(docs[i], &sc)
			}
		}()
	}
	wg.Wait()
	n := 0
	for _, ts := range per {
		n += len(ts)
	}
	topics := make([]*Topic, 0, n)
	for _, ts := range per {
		for _, t := range ts {
			t.ID = len(topics)
			topics = append(topics, t)
		}
	}
	return topics
}

// mentionScratch is what finding one page's mentions reuses.
type mentionScratch struct {
	sents []*Sentence
	lows  []string
	text  []byte // the page's padded lower-case sentences, end to end
	ends  []int
}

// docTopics finds the topics of one page, numbered from 0 in the order
// found.
func docTopics(d *Document, sc *mentionScratch) []*Topic {
	byKey := map[string]*Topic{}
	var topics []*Topic
	get := func(name string, parent *Topic) *Topic {
		key := strings.ToLower(name)
		if t, ok := byKey[key]; ok {
			if t.Parent == nil && parent != nil && parent != t && !isAncestor(t, parent) {
				t.Parent = parent
				parent.Children = append(parent.Children, t)
			}
			return t
		}
		t := &Topic{ID: len(topics), Doc: d, Name: name, Key: key, Parent: parent}
		if parent != nil {
			parent.Children = append(parent.Children, t)
		}
		byKey[key] = t
		topics = append(topics, t)
		return t
	}
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
	if len(topics) == 0 {
		return nil
	}
	// Mentions: each sentence of the page that names a topic as a
	// phrase, the page's sentences lower-cased once.
	sents, lows, text, ends := sc.sents[:0], sc.lows[:0], sc.text[:0], sc.ends[:0]
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
	for _, t := range topics {
		if t.Key == "" {
			continue
		}
		for i, l := range lows {
			if containsPhrase(l, t.Key) && !hasSentence(t, sents[i]) {
				t.Sentences = append(t.Sentences, sents[i])
			}
		}
	}
	clear(sents) // keep no page alive through the scratch
	sc.sents, sc.lows, sc.text, sc.ends = sents, lows[:0], text, ends
	return topics
}

// appendLower appends strings.ToLower(s) to b: ASCII copied and lowered
// in place, other text rune by rune (ToLower itself on invalid UTF-8).
func appendLower(b []byte, s string) []byte {
	start := len(b)
	b = append(b, s...)
	for i := start; i < len(b); i++ {
		c := b[i]
		if c >= utf8.RuneSelf {
			return appendLowerRunes(b[:i], s[i-start:], b[:start], s)
		}
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// appendLowerRunes appends the lower case of rest, the part of s from its
// first non-ASCII byte, to b, which holds s lowered up to there; on
// invalid UTF-8 it appends strings.ToLower(s) to orig instead.
func appendLowerRunes(b []byte, rest string, orig []byte, s string) []byte {
	for i := 0; i < len(rest); {
		c := rest[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(rest[i:])
		if r == utf8.RuneError && size == 1 {
			return append(orig, strings.ToLower(s)...)
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
