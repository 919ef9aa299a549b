package knowledge

import (
	"strconv"
	"time"
)

// Document is one loaded page.
type Document struct {
	Path       string // file the document came from
	Title      string
	URL        string
	Breadcrumb []string
	Sections   []*Section
}

// Section is one heading of a document with its text. Sources cite it.
type Section struct {
	Doc       *Document
	Heading   string   // "" for the document's introduction
	Path      []string // heading path below the title
	Level     int
	Line      int
	Sentences []*Sentence
	Bullets   []string
	More      []Link // "Find out more" links
	Parent    *Section
	// Topic is what the section is about: the topic its heading names, or
	// for an aspect heading ("Where do audiologists work?") its parent's.
	Topic *Topic
}

// Link is a "find out more" line or link.
type Link struct {
	Text string
	URL  string
}

// SentenceKind tells where a sentence came from.
type SentenceKind int

// Sentence kinds.
const (
	Prose SentenceKind = iota
	ListIntro
	ListItem
	MoreLine
)

// Sentence is one sentence of a section, the unit answers quote.
type Sentence struct {
	ID      int
	Text    string
	Kind    SentenceKind
	Section *Section
	Line    int
}

// Topic is a thing a document talks about: a heading, a list item or a
// defined name. Parent is the topic it is part of (genetics -> life sciences).
// Topics belong to their document: the same name on two pages is two
// topics that share a name.
type Topic struct {
	ID        int
	Doc       *Document // the page the topic belongs to
	Name      string    // display name as written ("Life sciences")
	Key       string    // lower-case name
	Parent    *Topic
	Children  []*Topic
	Section   *Section    // the section the topic heads, if any
	Sentences []*Sentence // sentences that mention it
}

// Base is a loaded knowledge base. It is immutable once built, so it is safe
// for concurrent readers; reloads build a new Base.
type Base struct {
	Documents []*Document
	Topics    []*Topic
	Sentences []*Sentence
	LoadTime  time.Duration
	Problems  []Problem // non-fatal findings (kb check reports them)
}

// Problem is something wrong with a document, with its place.
type Problem struct {
	Path  string
	Line  int
	Msg   string
	fatal bool // the document could not be loaded
}

// Fatal reports whether the problem kept a document from loading.
func (p Problem) Fatal() bool { return p.fatal }

func (p Problem) Error() string {
	if p.Path == "" {
		return p.Msg
	}
	if p.Line > 0 {
		return p.Path + ":" + strconv.Itoa(p.Line) + ": " + p.Msg
	}
	return p.Path + ": " + p.Msg
}
