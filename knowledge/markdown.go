package knowledge

import (
	"bytes"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"gopkg.in/yaml.v3"
)

// mdParser is shared: a goldmark parser keeps no per-document state, so it is
// safe for concurrent use once built.
var mdParser = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough)).Parser()

// parseMarkdown turns a CommonMark document (with optional YAML front matter)
// into Meta and blocks. Headings keep their level, paragraphs and block quotes
// become Paragraph blocks, list items (nested ones too) Bullet blocks, table
// rows Paragraph blocks with cells joined by "; ", and paragraphs or items
// that start with "Find out more" More blocks carrying their link. Code
// blocks, HTML blocks and thematic breaks are ignored.
func parseMarkdown(path string, data []byte) (Meta, []Block, error) {
	var meta Meta
	if err := checkDocBytes(path, data); err != nil {
		return meta, nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))

	body, fmLines, fm, found := splitFrontMatter(data)
	if found {
		if err := parseFrontMatter(fm, &meta); err != nil {
			return Meta{}, nil, fmt.Errorf("%s: front matter (lines 1-%d): %v", path, fmLines, err)
		}
	}

	if line, depth := maxNesting(body); depth > mdMaxNesting {
		return Meta{}, nil, fmt.Errorf("%s:%d: Markdown nested about %d levels deep (block quotes, lists or indentation); the limit is %d", path, fmLines+line, depth, mdMaxNesting)
	}
	doc := mdParser.Parse(text.NewReader(body))
	w := mdWalker{src: body, lines: newLineIndex(body, fmLines)}
	w.blocks(doc)

	if meta.Title == "" {
		for _, b := range w.out {
			if b.Kind == Heading && b.Level == 1 {
				meta.Title = b.Text
				break
			}
		}
	}
	resolveMoreURLs(w.out, meta.URL)
	return meta, w.out, nil
}

// mdMaxNesting bounds container nesting: goldmark's time grows faster than
// linearly with depth, and no real page nests lists or quotes this deep.
const mdMaxNesting = 32

// maxNesting estimates the deepest container nesting of any line: block
// quote and list markers at its start plus, when it has any, half its
// indentation (lists nest by indenting). It returns
// the 1-based line and the depth.
func maxNesting(b []byte) (line, depth int) {
	n := 0
	for len(b) > 0 {
		var l []byte
		l, b, _ = cutLine(b)
		n++
		d, cols := 0, 0
	markers:
		for i := 0; i < len(l); {
			switch c := l[i]; {
			case c == ' ':
				cols++
				i++
			case c == '\t':
				cols += 4
				i++
			case c == '>':
				d++
				i = skipOneSpace(l, i+1)
			case c == '-' || c == '+' || c == '*':
				if i+1 < len(l) && l[i+1] != ' ' && l[i+1] != '\t' {
					break markers
				}
				d++
				i = skipOneSpace(l, i+1)
			case c >= '0' && c <= '9':
				j := i
				for j < len(l) && j-i < 9 && l[j] >= '0' && l[j] <= '9' {
					j++
				}
				if j >= len(l) || (l[j] != '.' && l[j] != ')') {
					break markers
				}
				d++
				i = skipOneSpace(l, j+1)
			default:
				break markers
			}
		}
		if d > 0 { // indentation nests only lines that open a container
			d += cols / 2
		}
		if d > depth {
			line, depth = n, d
		}
	}
	return line, depth
}

// skipOneSpace skips the space that follows a container marker.
func skipOneSpace(l []byte, i int) int {
	if i < len(l) && (l[i] == ' ' || l[i] == '\t') {
		return i + 1
	}
	return i
}

// checkDocBytes rejects input that cannot be a text document: invalid UTF-8
// or NUL bytes (a binary file).
func checkDocBytes(path string, data []byte) error {
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return fmt.Errorf("%s:%d: not valid UTF-8 (byte offset %d); save the file as UTF-8", path, 1+bytes.Count(data[:off], []byte("\n")), off)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return fmt.Errorf("%s:%d: NUL byte: this looks like a binary file, not a text document", path, 1+bytes.Count(data[:i], []byte("\n")))
	}
	return nil
}

// splitFrontMatter finds YAML front matter: a first line "---", then YAML,
// then a line "---" or "...". It returns the body after it, the number of
// lines the front matter took and the YAML text.
func splitFrontMatter(data []byte) (body []byte, lines int, fm []byte, found bool) {
	first, rest, ok := cutLine(data)
	if !ok || strings.TrimRight(string(first), " \t\r") != "---" {
		return data, 0, nil, false
	}
	pos := len(data) - len(rest)
	n := 1
	for len(rest) > 0 {
		line, next, _ := cutLine(rest)
		n++
		t := strings.TrimRight(string(line), " \t\r")
		if t == "---" || t == "..." {
			end := len(data) - len(next)
			return data[end:], n, data[pos : len(data)-len(rest)], true
		}
		rest = next
	}
	// No closing line: not front matter; goldmark sees a thematic break.
	return data, 0, nil, false
}

// cutLine splits off the first line (without its "\n").
func cutLine(b []byte) (line, rest []byte, hadNewline bool) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i], b[i+1:], true
	}
	return b, nil, false
}

// parseFrontMatter reads the keys careersbot knows: title, url (or source or
// canonical) and breadcrumb (a list or an "A > B" string). Others are ignored.
func parseFrontMatter(fm []byte, meta *Meta) error {
	var m map[string]any
	if err := yaml.Unmarshal(fm, &m); err != nil {
		return err
	}
	get := func(key string) (any, bool) {
		for k, v := range m {
			if strings.EqualFold(k, key) {
				return v, true
			}
		}
		return nil, false
	}
	if v, ok := get("title"); ok {
		s, ok := yamlScalar(v)
		if !ok {
			return fmt.Errorf("title must be text, not %T", v)
		}
		meta.Title = normText(s)
	}
	for _, key := range []string{"url", "source", "canonical"} {
		if v, ok := get(key); ok {
			s, ok := yamlScalar(v)
			if !ok {
				return fmt.Errorf("%s must be text, not %T", key, v)
			}
			meta.URL = strings.TrimSpace(s)
			break
		}
	}
	if v, ok := get("breadcrumb"); ok {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				s, ok := yamlScalar(e)
				if !ok {
					return fmt.Errorf("breadcrumb entries must be text, not %T", e)
				}
				if s = normText(s); s != "" {
					meta.Breadcrumb = append(meta.Breadcrumb, s)
				}
			}
		default:
			s, ok := yamlScalar(v)
			if !ok {
				return fmt.Errorf("breadcrumb must be a list or an \"A > B\" string, not %T", v)
			}
			meta.Breadcrumb = splitBreadcrumb(s)
		}
	}
	return nil
}

// yamlScalar renders a YAML scalar as text; nil (an empty value) is "".
func yamlScalar(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", true
	case string:
		return v, true
	case int, int64, uint64, float64, bool:
		return fmt.Sprint(v), true
	}
	return "", false
}

// splitBreadcrumb splits "A > B > C" (also "›" and "»") into its parts.
func splitBreadcrumb(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '>' || r == '›' || r == '»' }) {
		if p = normText(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// lineIndex maps byte offsets of the Markdown body to 1-based file lines.
type lineIndex struct {
	starts []int // byte offset of each body line's start
	base   int   // lines before the body (front matter)
}

func newLineIndex(b []byte, base int) lineIndex {
	starts := []int{0}
	for i, c := range b {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return lineIndex{starts: starts, base: base}
}

func (li lineIndex) line(off int) int {
	// Number of line starts <= off.
	n := sort.Search(len(li.starts), func(i int) bool { return li.starts[i] > off })
	return li.base + n
}

// mdLink is a link found inside a block's inline content.
type mdLink struct {
	text, dest string
}

type mdWalker struct {
	src   []byte
	lines lineIndex
	out   []Block
}

// blocks walks block-level children of n in order.
func (w *mdWalker) blocks(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Heading:
			txt, _ := w.inline(c)
			w.emit(Block{Kind: Heading, Level: c.Level, Text: txt, Line: w.lineOf(c)})
		case *ast.Paragraph, *ast.TextBlock:
			txt, links := w.inline(c)
			w.emitText(Paragraph, txt, links, w.lineOf(c))
		case *ast.Blockquote:
			w.blocks(c)
		case *ast.List:
			w.list(c)
		case *extast.Table:
			w.table(c)
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.ThematicBreak:
			// Not page text.
		default:
			if c.Type() == ast.TypeBlock {
				w.blocks(c)
			}
		}
	}
}

// list emits one Bullet per item, then the item's nested lists.
func (w *mdWalker) list(l *ast.List) {
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		var parts []string
		var links []mdLink
		line := 0
		var nested []ast.Node
		var collect func(n ast.Node)
		collect = func(n ast.Node) {
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				switch c := c.(type) {
				case *ast.List, *extast.Table:
					nested = append(nested, c)
				case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
					txt, ls := w.inline(c)
					if txt != "" {
						if line == 0 {
							line = w.lineOf(c)
						}
						parts = append(parts, txt)
						links = append(links, ls...)
					}
				case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.ThematicBreak:
				default:
					if c.Type() == ast.TypeBlock {
						collect(c)
					}
				}
			}
		}
		collect(it)
		w.emitText(Bullet, strings.Join(parts, " "), links, line)
		for _, n := range nested {
			switch n := n.(type) {
			case *ast.List:
				w.list(n)
			case *extast.Table:
				w.table(n)
			}
		}
	}
}

// table emits one Paragraph per row (header row included), cells joined by "; ".
func (w *mdWalker) table(t *extast.Table) {
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		var links []mdLink
		line := 0
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			txt, ls := w.inline(cell)
			if txt == "" {
				continue
			}
			if line == 0 {
				line = w.lineOf(cell)
			}
			cells = append(cells, txt)
			links = append(links, ls...)
		}
		w.emitText(Paragraph, strings.Join(cells, "; "), links, line)
	}
}

// emitText adds a Paragraph or Bullet, or a More block when the text starts
// with "Find out more". A "Find out more" link at the end of other text is
// split off into its own More block.
func (w *mdWalker) emitText(kind BlockKind, txt string, links []mdLink, line int) {
	w.out = appendTextBlocks(w.out, kind, txt, links, line)
}

func appendTextBlocks(out []Block, kind BlockKind, txt string, links []mdLink, line int) []Block {
	if txt == "" {
		return out
	}
	if startsFindOutMore(txt) {
		b := Block{Kind: More, Text: txt, Line: line}
		for _, l := range links {
			if l.dest != "" {
				b.URL = l.dest
				break
			}
		}
		return append(out, b)
	}
	for _, l := range links {
		if !startsFindOutMore(l.text) {
			continue
		}
		// "Some text. [Find out more about X](url)": keep both.
		if i := strings.LastIndex(txt, l.text); i > 0 {
			rest := normText(txt[:i] + txt[i+len(l.text):])
			if rest != "" {
				out = append(out, Block{Kind: kind, Text: rest, Line: line})
			}
			return append(out, Block{Kind: More, Text: l.text, URL: l.dest, Line: line})
		}
	}
	return append(out, Block{Kind: kind, Text: txt, Line: line})
}

func (w *mdWalker) emit(b Block) {
	if b.Text != "" {
		w.out = append(w.out, b)
	}
}

// lineOf is the 1-based file line of a block node's first byte.
func (w *mdWalker) lineOf(n ast.Node) int {
	if n.Type() == ast.TypeBlock {
		if ls := n.Lines(); ls != nil && ls.Len() > 0 {
			return w.lines.line(ls.At(0).Start)
		}
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			return w.lines.line(t.Segment.Start)
		}
		if l := w.lineOf(c); l > 0 {
			return l
		}
	}
	return 0
}

// inline returns the plain text of n's inline content (markup removed, link
// text kept, whitespace folded) and the links in it.
func (w *mdWalker) inline(n ast.Node) (string, []mdLink) {
	var sb strings.Builder
	var links []mdLink
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				v := c.Segment.Value(w.src)
				if c.IsRaw() {
					sb.Write(v)
				} else {
					sb.Write(mdUnescape(v))
				}
				if c.SoftLineBreak() || c.HardLineBreak() {
					sb.WriteByte(' ')
				}
			case *ast.String:
				sb.Write(c.Value)
			case *ast.CodeSpan:
				for t := c.FirstChild(); t != nil; t = t.NextSibling() {
					switch t := t.(type) {
					case *ast.Text:
						sb.Write(t.Segment.Value(w.src))
					case *ast.String:
						sb.Write(t.Value)
					}
				}
			case *ast.Link:
				start := sb.Len()
				walk(c)
				links = append(links, mdLink{
					text: normText(sb.String()[start:]),
					dest: strings.TrimSpace(string(mdUnescape(c.Destination))),
				})
			case *ast.AutoLink:
				sb.Write(c.Label(w.src))
				links = append(links, mdLink{text: string(c.Label(w.src)), dest: string(c.URL(w.src))})
			case *ast.Image, *ast.RawHTML:
				// Images have no page text; inline HTML tags are markup.
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return normText(sb.String()), links
}

// mdUnescape resolves backslash escapes and character references the way a
// Markdown renderer would.
func mdUnescape(v []byte) []byte {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return v
	}
	return util.UnescapePunctuations(util.ResolveEntityNames(util.ResolveNumericReferences(v)))
}

// startsFindOutMore reports whether text is a "Find out more ..." line (also
// "Read more about" and "Learn more about", as the .txt parser accepts).
func startsFindOutMore(s string) bool {
	for _, p := range [...]string{"find out more", "read more about", "learn more about"} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return true
		}
	}
	return false
}

// resolveMoreURLs makes relative More links absolute against the document's
// URL, when it has an absolute one.
func resolveMoreURLs(blocks []Block, base string) {
	if base == "" {
		return
	}
	bu, err := url.Parse(base)
	if err != nil || !bu.IsAbs() {
		return
	}
	for i := range blocks {
		if blocks[i].URL == "" {
			continue
		}
		ref, err := url.Parse(blocks[i].URL)
		if err != nil || ref.IsAbs() {
			continue
		}
		blocks[i].URL = bu.ResolveReference(ref).String()
	}
}
