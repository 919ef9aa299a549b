package knowledge

// BlockKind says what a parsed block of a document is.
type BlockKind int

const (
	// Heading is a heading line; Level 1 is the document title.
	Heading BlockKind = iota + 1
	// Paragraph is running text.
	Paragraph
	// Bullet is one list item.
	Bullet
	// More is a "Find out more about ..." line or link.
	More
)

func (k BlockKind) String() string {
	switch k {
	case Heading:
		return "heading"
	case Paragraph:
		return "paragraph"
	case Bullet:
		return "bullet"
	case More:
		return "more"
	}
	return "unknown"
}

// Block is the format-neutral unit every parser emits: the .txt, .md and
// .html parsers turn a file into Meta and a sequence of blocks, and build
// turns blocks into sections, sentences and topics, so all formats give the
// same knowledge.
type Block struct {
	Kind  BlockKind
	Level int    // heading level (1 = title, 2 = section, 3 = subsection ...)
	Text  string // plain text, whitespace folded, no markup
	URL   string // link target, if the block is or carries a link
	Line  int    // 1-based line in the source file, 0 if unknown
	// Break marks a paragraph that follows a wider gap than usual (two
	// blank lines in a page saved as text): where a heading often was.
	Break bool
}

// Meta is what a document says about itself.
type Meta struct {
	Title      string   // page title, if the format names one
	URL        string   // public URL (front matter, canonical link, Source: line)
	Breadcrumb []string // "A > B > C" trail, if any
}
