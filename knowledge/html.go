package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html"
)

// parseHTML turns a saved web page into Meta and blocks with the
// golang.org/x/net/html tokenizer. Headings h1..h6 keep their level; p, dt,
// dd, blockquote and text directly inside div/section/main/article become
// Paragraph blocks, li Bullet blocks (a nested p folded in), table rows
// Paragraph blocks with cells joined by "; ", and "Find out more" paragraphs
// or links More blocks with the link made absolute against the page URL.
// Page chrome is ignored: script, style, noscript, template, svg, nav,
// footer, aside, form, header (except its h1), hidden elements and
// role=navigation/contentinfo. The breadcrumb (an element whose aria-label,
// class or id says "breadcrumb") is read into Meta even inside a nav.
//
// The tokenizer, rather than html.Parse, is used so blocks get line numbers;
// the HTML5 implied end tags that matter for text (p, li, dt/dd, table cells
// and rows, headings) are applied by hand.
func parseHTML(path string, data []byte) (Meta, []Block, error) {
	if err := checkDocBytes(path, data); err != nil {
		return Meta{}, nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	p := &htmlParser{line: 1, open: make(map[string]int)}
	attrs := make(map[string]string)
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if err := z.Err(); err != nil && !errors.Is(err, io.EOF) {
				return Meta{}, nil, fmt.Errorf("%s:%d: read HTML: %v", path, p.line, err)
			}
			break
		}
		raw := z.Raw()
		startLine := p.line
		leading := 0 // newlines before the first non-space byte (text tokens)
		if tt == html.TextToken {
			trimmed := bytes.TrimLeft(raw, " \t\r\n\f")
			leading = countNewlines(raw[:len(raw)-len(trimmed)])
		}
		p.line += countNewlines(raw)
		switch tt {
		case html.TextToken:
			p.text(string(z.Text()), startLine+leading)
		case html.StartTagToken, html.SelfClosingTagToken:
			var name string
			name, attrs = readTag(z, attrs)
			p.start(name, attrs, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			p.end(tagName(name))
		}
	}
	p.closeAll()
	return p.finish()
}

// countNewlines counts line ends: "\n", and "\r" not followed by "\n".
func countNewlines(b []byte) int {
	n := 0
	for i, c := range b {
		if c == '\n' || (c == '\r' && (i+1 >= len(b) || b[i+1] != '\n')) {
			n++
		}
	}
	return n
}

// readTag returns the name and attributes of the tag just read. attrs is
// cleared and refilled, one map for a whole page: the parser
// keeps no map beyond the tag it was read for. Only the attributes the
// parser looks at (htmlAttrs) are kept.
func readTag(z *html.Tokenizer, attrs map[string]string) (string, map[string]string) {
	name, more := z.TagName()
	clear(attrs)
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		key, ok := htmlAttrs[string(k)]
		if !ok {
			continue
		}
		if _, dup := attrs[key]; !dup { // the first of duplicates wins, as in HTML5
			attrs[key] = string(v)
		}
	}
	return tagName(name), attrs
}

// htmlAttrs are the attributes the parser reads (the tokenizer gives
// names in lower case), each mapped to itself so that a name read as
// bytes finds its string without a copy.
var htmlAttrs = selfMap("rel", "href", "property", "content", "role", "class", "hidden", "aria-hidden",
	"id", "aria-label", "style")

// htmlTags are the tag names of the sets below and other common ones.
var htmlTags = func() map[string]string {
	m := selfMap("a", "span", "b", "i", "em", "strong", "small", "sup", "sub", "abbr", "code", "time",
		"label", "picture", "thead", "tbody", "tfoot", "tr", "col", "colgroup", "ul", "ol", "li", "title")
	for _, set := range []map[string]bool{htmlVoid, htmlChrome, htmlStrong, htmlWeak, htmlBoundary, htmlBlock,
		htmlHeadContent, htmlPScope, htmlListScope} {
		for n := range set {
			m[n] = n
		}
	}
	return m
}()

// tagName returns name as a string, without a copy for a known tag.
func tagName(name []byte) string {
	if s, ok := htmlTags[string(name)]; ok {
		return s
	}
	return string(name)
}

func selfMap(names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = n
	}
	return m
}

var (
	htmlVoid = setOf("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
		"param", "source", "track", "wbr", "keygen", "frame", "basefont", "bgsound")
	// htmlChrome are elements whose content is never page text.
	htmlChrome = setOf("script", "style", "noscript", "template", "svg", "math", "nav", "footer",
		"aside", "form", "iframe", "object", "canvas", "select", "button", "textarea", "audio",
		"video", "dialog", "noembed", "noframes", "head")
	// htmlStrong collectors own all text below them (a p inside an li is
	// part of the bullet).
	htmlStrong = setOf("h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th")
	// htmlWeak collectors make a Paragraph of their own text.
	htmlWeak = setOf("p", "dt", "dd", "blockquote", "div", "section", "main", "article", "body",
		"figcaption", "caption", "address", "pre", "details", "summary", "figure", "center",
		"fieldset", "legend", "html", "header", "hgroup")
	// htmlBoundary stops the search for a strong collector.
	htmlBoundary = setOf("ul", "ol", "menu", "dl", "table")
	// htmlBlock tags separate words (a space) and close an open p.
	htmlBlock = setOf("address", "article", "aside", "blockquote", "details", "div", "dl",
		"fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
		"header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table",
		"ul", "li", "dd", "dt", "summary", "center", "caption", "tr", "td", "th", "tbody",
		"thead", "tfoot", "body", "html")
	htmlHeadContent = setOf("title", "meta", "link", "style", "script", "noscript", "base",
		"template", "head", "html")
	// htmlPScope ends the search for an open p (HTML5 "button scope").
	htmlPScope = setOf("table", "td", "th", "caption", "template", "button", "object", "html",
		"marquee", "applet")
	htmlListScope = setOf("ul", "ol", "menu", "table", "td", "th", "template", "html", "body",
		"blockquote", "section", "article", "main", "nav", "aside", "header", "footer", "dl")
)

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

func isHeadingTag(name string) bool {
	return len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6'
}

// htmlMaxDepth bounds the open-element stack so that deeply nested (or
// never closed) tags cannot make parsing quadratic.
const htmlMaxDepth = 512

// cellKind marks text collected for a table cell (rows become Paragraphs).
const cellKind BlockKind = -1

// hElem is an open element.
type hElem struct {
	tag      string
	id       int
	hard     bool // inside chrome: no page text
	header   bool // inside a header element (only its h1 counts)
	crumb    bool // inside the breadcrumb
	crumbOwn bool // this element started a breadcrumb item
	href     string
	strongC  *hElem // nearest li/td/th/heading owning text here, if any
	weakC    *hElem // nearest p-like or container element
	link     bool   // an a element with an href
	linkAt   int    // buffer length when this link started
}

type htmlParser struct {
	line  int
	stack []*hElem
	open  map[string]int // open elements by tag, so closeIn rarely scans
	links []*hElem       // open a elements with an href, outermost first
	seq   int

	// Current text block.
	buf      strings.Builder
	bufOwner int // id of the collector the buffer belongs to (-1: none)
	bufKind  BlockKind
	bufLevel int
	bufLine  int
	bufLinks []mdLink
	bufOpen  bool

	// Current table row.
	rowOpen  bool
	rowCells []string
	rowLinks []mdLink
	rowLine  int

	out []Block

	title      strings.Builder
	inTitle    bool
	canonical  string
	ogURL      string
	crumbs     []string // from li items
	linkCrumbs []string // from links outside li items
	crumbBuf   strings.Builder
	crumbInAny bool // an item is being collected
	crumbDone  bool // a breadcrumb container has been closed
}

func (p *htmlParser) top() *hElem {
	if len(p.stack) == 0 {
		return nil
	}
	return p.stack[len(p.stack)-1]
}

func (p *htmlParser) start(name string, attrs map[string]string, selfClosing bool) {
	if !htmlHeadContent[name] {
		p.closeIn("head", nil) // the body has begun, even without <body>
	}
	switch name {
	case "link":
		if hasToken(attrs["rel"], "canonical") && p.canonical == "" {
			p.canonical = strings.TrimSpace(attrs["href"])
		}
		return
	case "meta":
		if strings.EqualFold(strings.TrimSpace(attrs["property"]), "og:url") && p.ogURL == "" {
			p.ogURL = strings.TrimSpace(attrs["content"])
		}
		return
	case "br", "wbr":
		if name == "br" {
			p.space()
		}
		return
	}
	if name == "title" {
		// Raw text follows; keep it for Meta.Title unless inside svg/chrome.
		if t := p.top(); (t == nil || !t.hard || t.tag == "head") && p.title.Len() == 0 {
			p.inTitle = true
		}
	}

	// HTML5 implied end tags.
	switch {
	case name == "li":
		p.closeIn("li", htmlListScope)
	case name == "dt" || name == "dd":
		p.closeIn("dt", setOf("dl", "table", "td", "th", "template", "html", "body"))
		p.closeIn("dd", setOf("dl", "table", "td", "th", "template", "html", "body"))
	case name == "tr":
		p.closeIn("tr", setOf("table", "thead", "tbody", "tfoot", "template", "html"))
	case name == "td" || name == "th":
		p.closeIn("td", setOf("tr", "table", "template", "html"))
		p.closeIn("th", setOf("tr", "table", "template", "html"))
	case name == "thead" || name == "tbody" || name == "tfoot":
		for _, t := range []string{"thead", "tbody", "tfoot"} {
			p.closeIn(t, setOf("table", "template", "html"))
		}
	case isHeadingTag(name):
		if t := p.top(); t != nil && isHeadingTag(t.tag) {
			p.popTo(len(p.stack) - 1)
		}
	}
	if htmlBlock[name] && name != "li" && name != "dd" && name != "dt" {
		p.closeIn("p", htmlPScope)
	}
	if htmlBlock[name] {
		p.space()
	}
	if htmlVoid[name] || selfClosing && !htmlStrong[name] && !htmlWeak[name] {
		return
	}

	if len(p.stack) >= htmlMaxDepth {
		return // pathological nesting: treat as if the tag were absent
	}
	parent := p.top()
	p.seq++
	e := &hElem{tag: name, id: p.seq}
	if parent != nil {
		e.hard, e.header, e.crumb = parent.hard, parent.header, parent.crumb
	}
	if htmlChrome[name] || isHiddenElem(attrs) {
		e.hard = true
	}
	if name == "header" || strings.EqualFold(attrs["role"], "banner") {
		e.header = true
	}
	if name == "a" {
		if href, ok := attrs["href"]; ok {
			e.link = true
			e.href = strings.TrimSpace(href)
			if strings.HasPrefix(e.href, "#") && strings.Contains(strings.ToLower(attrs["class"]), "skip") {
				e.hard = true // "Skip to main content"
			}
		}
	}
	if htmlBreadcrumb(attrs) {
		e.hard = true // breadcrumb text goes to Meta, not to blocks
		if !e.crumb && !p.crumbDone {
			e.crumb = true // only the first breadcrumb is read
		}
	}
	if e.crumb {
		e.hard = true // breadcrumb text goes to Meta, not to blocks
		if !p.crumbInAny && (name == "li" || name == "a") {
			p.crumbInAny = true
			e.crumbOwn = true
			p.crumbBuf.Reset()
		}
	}
	if e.link {
		e.linkAt = p.buf.Len()
		p.links = append(p.links, e)
	}
	setCollectors(e, parent)
	p.stack = append(p.stack, e)
	p.open[name]++
}

// chromeMarks in an element's class, id or label mark site furniture.
var chromeMarks = []string{"cookie", "consent", "gdpr", "newsletter", "feedback", "survey",
	"share-", "social", "skip-link", "skiplink", "back-to-top", "print-page", "modal", "popup"}

// isHiddenElem reports hidden, screen-reader-only and navigation-role
// elements.
func isHiddenElem(attrs map[string]string) bool {
	if attrs == nil {
		return false
	}
	if _, ok := attrs["hidden"]; ok {
		return true
	}
	if strings.EqualFold(strings.TrimSpace(attrs["aria-hidden"]), "true") {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(attrs["role"])) {
	case "navigation", "contentinfo", "search", "complementary":
		return true
	}
	// Screen-reader-only text ("Information: ", "(opens in a new tab)") is
	// not what the page shows, so answers should not quote it.
	cls := strings.ToLower(attrs["class"])
	if strings.Contains(cls, "visually-hidden") || strings.Contains(cls, "sr-only") {
		return true
	}
	if role := strings.ToLower(attrs["role"]); role == "dialog" || role == "alertdialog" || role == "banner" {
		return true
	}
	// Site furniture that is not marked up as nav, header or footer:
	// cookie and consent banners, feedback and newsletter prompts, share
	// buttons, skip links.
	marks := cls + " " + strings.ToLower(attrs["id"]) + " " + strings.ToLower(attrs["aria-label"])
	for _, w := range chromeMarks {
		if strings.Contains(marks, w) {
			return true
		}
	}
	st := strings.ToLower(strings.ReplaceAll(attrs["style"], " ", ""))
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden")
}

// htmlBreadcrumb reports an element marked as a breadcrumb trail.
func htmlBreadcrumb(attrs map[string]string) bool {
	for _, k := range []string{"aria-label", "class", "id"} {
		if strings.Contains(strings.ToLower(attrs[k]), "breadcrumb") {
			return true
		}
	}
	return false
}

// hasToken reports whether a space-separated attribute value holds tok.
func hasToken(v, tok string) bool {
	for _, f := range strings.Fields(v) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// closeIn closes the nearest open name element unless a scope element comes
// first.
func (p *htmlParser) closeIn(name string, scope map[string]bool) {
	if p.open[name] == 0 {
		return
	}
	for i := len(p.stack) - 1; i >= 0; i-- {
		t := p.stack[i].tag
		if t == name {
			p.popTo(i)
			return
		}
		if scope[t] {
			return
		}
	}
}

func (p *htmlParser) headingOpen() bool {
	return p.open["h1"]+p.open["h2"]+p.open["h3"]+p.open["h4"]+p.open["h5"]+p.open["h6"] > 0
}

func (p *htmlParser) end(name string) {
	switch name {
	case "br":
		p.space()
		return
	case "title":
		p.inTitle = false
	}
	if htmlBlock[name] {
		p.space()
	}
	if p.open[name] == 0 && !(isHeadingTag(name) && p.headingOpen()) {
		return // an end tag with no open element is ignored, as browsers do
	}
	for i := len(p.stack) - 1; i >= 0; i-- {
		t := p.stack[i].tag
		if t == name || isHeadingTag(name) && isHeadingTag(t) {
			p.popTo(i)
			return
		}
	}
	// An end tag with no open element is ignored, as browsers do.
}

// popTo closes stack[i] and everything above it.
func (p *htmlParser) popTo(i int) {
	for len(p.stack) > i {
		e := p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
		p.open[e.tag]--
		if e.link && len(p.links) > 0 {
			p.links = p.links[:len(p.links)-1]
		}
		p.closed(e)
	}
}

func (p *htmlParser) closeAll() { p.popTo(0); p.flush(); p.flushRow() }

func (p *htmlParser) closed(e *hElem) {
	if e.crumbOwn {
		if s := normText(p.crumbBuf.String()); s != "" {
			if e.tag == "li" {
				p.crumbs = append(p.crumbs, s)
			} else {
				p.linkCrumbs = append(p.linkCrumbs, s)
			}
		}
		p.crumbBuf.Reset()
		p.crumbInAny = false
	}
	if e.crumb && (len(p.stack) == 0 || !p.top().crumb) && len(p.crumbs)+len(p.linkCrumbs) > 0 {
		p.crumbDone = true
	}
	if e.link && p.bufOpen && e.linkAt <= p.buf.Len() {
		if t := normText(p.buf.String()[e.linkAt:]); t != "" {
			p.bufLinks = append(p.bufLinks, mdLink{text: t, dest: e.href})
		}
	}
	if p.bufOpen && p.bufOwner == e.id {
		p.flush()
	}
	if e.tag == "tr" {
		p.flushRow()
	}
}

// collector finds the element that owns text at the current position: the
// nearest li, td/th or heading not beyond a list or table, else the nearest
// p-like or container element (see setCollectors).
func (p *htmlParser) collector() (id int, kind BlockKind, level int) {
	t := p.top()
	if t == nil {
		return 0, Paragraph, 0 // text outside any element: a fragment
	}
	if e := t.strongC; e != nil {
		switch {
		case e.tag == "li":
			return e.id, Bullet, 0
		case e.tag == "td" || e.tag == "th":
			return e.id, cellKind, 0
		default:
			return e.id, Heading, int(e.tag[1] - '0')
		}
	}
	if t.weakC != nil {
		return t.weakC.id, Paragraph, 0
	}
	return 0, Paragraph, 0
}

// setCollectors caches e's collectors from its parent's, so finding the
// owner of a text token does not walk the stack.
func setCollectors(e, parent *hElem) {
	switch {
	case htmlStrong[e.tag]:
		e.strongC = e
	case htmlBoundary[e.tag]:
		// A list or table starts afresh: its items own their text.
	case parent != nil:
		e.strongC, e.weakC = parent.strongC, parent.weakC
	}
	if htmlWeak[e.tag] {
		e.weakC = e
	}
}

func (p *htmlParser) text(s string, line int) {
	t := p.top()
	if p.inTitle {
		p.title.WriteString(s)
		return
	}
	if t != nil && t.crumb {
		if p.crumbInAny {
			p.crumbBuf.WriteString(s)
		}
		return
	}
	if t != nil && t.tag == "head" && strings.TrimSpace(s) != "" {
		p.popTo(len(p.stack) - 1) // text ends the head, as in HTML5
		t = p.top()
	}
	if t != nil && t.hard {
		return
	}
	blank := strings.TrimSpace(s) == ""
	if blank && !p.bufOpen {
		return
	}
	id, kind, level := p.collector()
	if t != nil && t.header && !(kind == Heading && level == 1) {
		return
	}
	if p.bufOpen && p.bufOwner != id {
		p.flush()
	}
	if !p.bufOpen {
		if blank {
			return
		}
		p.bufOpen = true
		p.bufOwner, p.bufKind, p.bufLevel, p.bufLine = id, kind, level, line
		p.bufLinks = nil
		p.buf.Reset()
		// Links opened before this text (an <a> around the whole block)
		// start at offset 0.
		for _, e := range p.links {
			e.linkAt = 0
		}
	}
	p.buf.WriteString(s)
}

// space separates words at element boundaries.
func (p *htmlParser) space() {
	if p.bufOpen {
		p.buf.WriteByte(' ')
	}
	if p.crumbInAny {
		p.crumbBuf.WriteByte(' ')
	}
}

func (p *htmlParser) flush() {
	if !p.bufOpen {
		return
	}
	p.bufOpen = false
	// Links still open when the block ends are cut here.
	for _, e := range p.links {
		if e.linkAt <= p.buf.Len() {
			if t := normText(p.buf.String()[e.linkAt:]); t != "" {
				p.bufLinks = append(p.bufLinks, mdLink{text: t, dest: e.href})
			}
			e.linkAt = 1 << 30 // already recorded
		}
	}
	txt := normText(p.buf.String())
	p.buf.Reset()
	if txt == "" {
		return
	}
	switch p.bufKind {
	case Heading:
		p.out = append(p.out, Block{Kind: Heading, Level: p.bufLevel, Text: txt, Line: p.bufLine})
	case cellKind:
		if !p.rowOpen {
			p.rowOpen, p.rowLine = true, p.bufLine
		}
		p.rowCells = append(p.rowCells, txt)
		p.rowLinks = append(p.rowLinks, p.bufLinks...)
		if !p.inRow() {
			p.flushRow()
		}
	default:
		p.out = appendTextBlocks(p.out, p.bufKind, txt, p.bufLinks, p.bufLine)
	}
	p.bufLinks = nil
}

func (p *htmlParser) inRow() bool { return p.open["tr"] > 0 }

func (p *htmlParser) flushRow() {
	if !p.rowOpen {
		return
	}
	p.out = appendTextBlocks(p.out, Paragraph, strings.Join(p.rowCells, "; "), p.rowLinks, p.rowLine)
	p.rowOpen, p.rowCells, p.rowLinks = false, nil, nil
}

func (p *htmlParser) finish() (Meta, []Block, error) {
	var meta Meta
	meta.URL = p.canonical
	if meta.URL == "" {
		meta.URL = p.ogURL
	}
	for _, b := range p.out {
		if b.Kind == Heading && b.Level == 1 {
			meta.Title = b.Text
			break
		}
	}
	if meta.Title == "" {
		meta.Title = trimSiteSuffix(normText(p.title.String()))
	}
	meta.Breadcrumb = p.crumbs
	if len(meta.Breadcrumb) == 0 {
		meta.Breadcrumb = p.linkCrumbs
	}
	resolveMoreURLs(p.out, meta.URL)
	return meta, p.out, nil
}

// trimSiteSuffix drops a trailing " - NHS Careers" / " | Site" part of a
// <title>, when the suffix names the NHS.
func trimSiteSuffix(t string) string {
	for _, sep := range []string{" | ", " - ", " – ", " — "} {
		if i := strings.LastIndex(t, sep); i > 0 && strings.Contains(t[i:], "NHS") {
			return strings.TrimSpace(t[:i])
		}
	}
	return t
}
