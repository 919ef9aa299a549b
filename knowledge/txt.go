package knowledge

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxLine is the longest line the text parser accepts.
const maxLine = 1 << 20

// parseText parses a web page saved as text (the seed's style): an
// optional breadcrumb first line ("A > B > C"), a title (often repeated),
// short heading lines, paragraphs, bullet lines and "Find out more" lines,
// with an optional "Source: URL" line.
func parseText(path string, data []byte) (Meta, []Block, error) {
	var meta Meta
	if !utf8.Valid(data) {
		return meta, nil, fmt.Errorf("%s:%d: not UTF-8 text", path, invalidUTF8Line(data))
	}
	type line struct {
		text string
		n    int
	}
	lines := make([]line, 0, bytes.Count(data, []byte{'\n'})+1)
	nonBlank := 0
	if n := eachLine(data, maxLine, func(b []byte) {
		l := line{normLine(b), len(lines) + 1}
		if l.text != "" {
			nonBlank++
		}
		lines = append(lines, l)
	}); n > 0 {
		return meta, nil, fmt.Errorf("%s:%d: line longer than %d bytes", path, n, maxLine)
	}

	blocks := make([]Block, 0, nonBlank) // each block is one line or more
	var para []string                    // lines of the paragraph being read
	paraLine := 0
	paraBreak := false // the paragraph follows two or more blank lines
	flush := func() {
		if len(para) > 0 {
			blocks = append(blocks, Block{Kind: Paragraph, Text: strings.Join(para, " "), Line: paraLine, Break: paraBreak})
			para = para[:0]
		}
	}
	headsProse := func(t string, lines []line, i int) bool {
		// A page copied without blank lines: a short line with no
		// full stop, then a long sentence, is a heading.
		if i+1 >= len(lines) || len(t) > 60 {
			return false
		}
		next := lines[i+1].text
		if next == "" || bulletText(next) != "" || isMoreLine(next) || len(next) <= len(t) {
			return false
		}
		return len(next) > 40 && strings.ContainsAny(next[len(next)-1:], ".!?:") || endsAsListIntro(next)
	}
	headsList := func(t string, lines []line, i int) bool {
		// a question line over a bulleted list ("How about the
		// benefits?" then "- flexible working"): a heading that lost its
		// mark-up
		return strings.HasSuffix(t, "?") && i+1 < len(lines) && bulletText(lines[i+1].text) != ""
	}
	blankBefore := true
	blanks := 0   // blank lines just read
	listCase := 0 // reading unbulleted list lines: 1 lower-case ones, 2 capitalised
	for i, l := range lines {
		t := l.text
		if t == "" {
			flush()
			blankBefore = true
			blanks++
			listCase = 0
			continue
		}
		// A page copied without its bullets: after a line that introduces
		// a list ("The work can include:"), two or more short lines with
		// no full stop are its items, one a line.
		if c := itemCase(t); c != 0 && !(c == 2 && headsProse(t, lines, i)) && (listCase == c ||
			listCase == 0 && len(para) > 0 && strings.HasSuffix(para[len(para)-1], ":") &&
				i+1 < len(lines) && itemCase(lines[i+1].text) == c) {
			flush()
			blocks = append(blocks, Block{Kind: Bullet, Text: t, Line: l.n})
			listCase = c
			blankBefore = false
			blanks = 0
			continue
		}
		listCase = 0
		gap := blanks >= 2
		blanks = 0
		nextBlank := i+1 >= len(lines) || lines[i+1].text == ""
		switch {
		case len(blocks) == 0 && len(para) == 0 && meta.Breadcrumb == nil && meta.Title == "" && isBreadcrumb(t):
			for _, p := range strings.Split(t, ">") {
				if p = strings.TrimSpace(p); p != "" {
					meta.Breadcrumb = append(meta.Breadcrumb, p)
				}
			}
		case sourceURL(t) != "":
			flush()
			meta.URL = sourceURL(t)
		case bulletText(t) != "":
			flush()
			blocks = append(blocks, Block{Kind: Bullet, Text: bulletText(t), Line: l.n})
		case isMoreLine(t):
			flush()
			blocks = append(blocks, Block{Kind: More, Text: t, Line: l.n})
		case meta.Title == "" && len(blocks) == 0 && len(para) == 0 && !endsClause(t) && (blankBefore && nextBlank ||
			looksLikeHeading(t) && i+1 < len(lines) && (lines[i+1].text == t || headsProse(t, lines, i))):
			meta.Title = t
			blocks = append(blocks, Block{Kind: Heading, Level: 1, Text: t, Line: l.n})
		case meta.Title != "" && t == meta.Title && len(blocks) == 1:
			// the page title repeated (the saved page's header and h1)
		case looksLikeHeading(t) && (blankBefore && nextBlank || paraEnded(para) && (headsProse(t, lines, i) || headsList(t, lines, i))):
			flush()
			blocks = append(blocks, Block{Kind: Heading, Level: 2, Text: t, Line: l.n})
		default:
			if len(para) == 0 {
				paraLine, paraBreak = l.n, gap
			}
			para = append(para, t)
		}
		blankBefore = false
	}
	flush()
	return meta, blocks, nil
}

// eachLine calls f with each line of data as bufio.Scanner's ScanLines
// splits it (at "\n", dropping a "\r" before it, no empty line after a
// final newline), without copying data. A line of max bytes or more stops
// it, as a Scanner with that maximum refuses it: tooLong is its 1-based
// number.
func eachLine(data []byte, max int, f func(line []byte)) (tooLong int) {
	for n := 1; len(data) > 0; n++ {
		l := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(l) >= max {
			return n
		}
		f(bytes.TrimSuffix(l, []byte{'\r'}))
	}
	return 0
}

// invalidUTF8Line returns the 1-based line of the first invalid UTF-8
// sequence in data.
func invalidUTF8Line(data []byte) int {
	n := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		if r == '\n' {
			n++
		}
		i += size
	}
	return n
}

// itemCase reports whether a line reads as an unbulleted list item: short,
// with no sentence or list-intro punctuation at its end, and not a
// bullet, link or question; 1 when it starts in lower case, 2 when
// capitalised, 0 when it is not an item.
func itemCase(t string) int {
	if t == "" || len(t) > 160 || strings.Count(t, " ") > 25 || bulletText(t) != "" || isMoreLine(t) {
		return 0
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	if strings.ContainsRune(".!?:;", last) || endsAsListIntro(t) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(t)
	switch {
	case unicode.IsLower(r):
		return 1
	case unicode.IsUpper(r) || unicode.IsDigit(r):
		return 2
	}
	return 0
}

// paraEnded reports whether the paragraph being read is empty or its last
// line ends a sentence, so that a heading may follow without a blank line.
func paraEnded(para []string) bool {
	if len(para) == 0 {
		return true
	}
	last := para[len(para)-1]
	return last != "" && strings.ContainsAny(last[len(last)-1:], ".!?:")
}

func isBreadcrumb(t string) bool {
	return strings.Count(t, " > ") >= 1 && len(t) < 300 && !strings.ContainsAny(t, ".?!")
}

// sourceURL returns the URL of a "Source: URL" line.
func sourceURL(t string) string {
	for _, p := range []string{"Source:", "source:", "URL:", "Url:"} {
		if rest, ok := strings.CutPrefix(t, p); ok {
			rest = strings.TrimSpace(rest)
			if strings.HasPrefix(rest, "http://") || strings.HasPrefix(rest, "https://") {
				if i := strings.IndexByte(rest, ' '); i >= 0 {
					rest = rest[:i]
				}
				return rest
			}
		}
	}
	return ""
}

// bulletText returns the item of a bullet line, or "".
func bulletText(t string) string {
	for _, m := range []string{"•", "·", "▪", "◦", "‣", "-", "*", "–"} {
		if rest, ok := strings.CutPrefix(t, m); ok {
			if rest == "" || rest[0] != ' ' {
				return ""
			}
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

// isMoreLine reports whether t is a "Find out more ..." line.
func isMoreLine(t string) bool {
	return len(t) < 200 && (hasLowerPrefix(t, "find out more") || hasLowerPrefix(t, "read more about") ||
		hasLowerPrefix(t, "learn more about"))
}

// hasLowerPrefix reports whether strings.ToLower(s) starts with the
// lower-case ASCII prefix, lowering only the bytes compared when they are
// ASCII.
func hasLowerPrefix(s, prefix string) bool {
	if len(s) < len(prefix) {
		// ToLower can lengthen a string only by lowering non-ASCII
		// letters, so a short ASCII s cannot match.
		for i := 0; i < len(s); i++ {
			if s[i] >= utf8.RuneSelf {
				return strings.HasPrefix(strings.ToLower(s), prefix)
			}
		}
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.HasPrefix(strings.ToLower(s), prefix)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// endsClause reports whether t ends like a sentence or a list intro, which
// a title or heading does not.
func endsClause(t string) bool {
	last, _ := utf8.DecodeLastRuneInString(t)
	return strings.ContainsRune(".,;:-–—", last)
}

// looksLikeHeading reports whether a line standing alone reads as a heading:
// short, capitalised, no sentence punctuation at the end.
func looksLikeHeading(t string) bool {
	if len(t) > 90 || strings.Count(t, " ") > 10 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t)
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	return last != '!' && !endsClause(t) && !endsAsListIntro(t) && !readsAsClause(t)
}

// clauseVerb is a modal or auxiliary verb: a line that starts with a
// subject and has one reads as a clause ("A porter could be moving",
// before a list), unless it asks a question ("Where will I work").
var clauseVerb = regexp.MustCompile(`(?i)\b(?:could|can|may|might|will|would|should|must|is|are|was|were)\b`)

var questionStart = regexp.MustCompile(`(?i)^(?:what|where|who|whom|whose|why|when|which|how|is|are|can|could|do|does|will|would|should)\b`)

// clauseStart is how a clause starts that a heading does not: with an
// article or a pronoun as its subject ("A porter could be moving"), where
// a heading starts with what it names ("Areas you might cover").
var clauseStart = regexp.MustCompile(`(?i)^(?:a|an|the|this|these|they|you|we|it|he|she|our|your|their|most|many|some|all)\b`)

func readsAsClause(t string) bool {
	return !strings.HasSuffix(t, "?") && clauseStart.MatchString(t) && !questionStart.MatchString(t) && clauseVerb.MatchString(t)
}
