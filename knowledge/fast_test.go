package knowledge

import (
	"bufio"
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The loader's fast paths must give exactly what the plain code they
// replaced gives; these are that plain code, kept as the reference.

func isMoreLineReference(t string) bool {
	l := strings.ToLower(t)
	return (strings.HasPrefix(l, "find out more") || strings.HasPrefix(l, "read more about") ||
		strings.HasPrefix(l, "learn more about")) && len(t) < 200
}

var fastCases = []string{
	"", " ", "  ", "a", " a", "a ", "a  b", "a b", "Plain line of text.", "tab\there", "cr\r", "nbsp\u00a0here",
	"zero\u200bwidth", "\ufeffbom", "ctl\x01\x7f", "\u0085nel", "curly ’quotes’ – dash", "\xff bad \xc3",
	"Find out more", "find out more about x", "FIND OUT MORE!", "Find out mor", "Read more about", "learn more about it",
	"Fİnd out more", "read more aboutİ", "İ", "FİND", "ﬁnd out more", strings.Repeat("find out more ", 20),
	"e.g", "E.G", "Dr", "DR", "etc", "İe", "İ.E", "FİG", "approx", "APPROX", "approxi", "İncl", "no", "No", "Kelvin K",
	"Mr. Smith. He said e.g. That. Etc. Then Dr. Jones.", "Ask İe. Then fİg. Next.",
}

// wordCases put a double space, a control byte, DEL, a tab, a non-ASCII
// letter and a no-break space at every offset of a long line, across the
// eight-byte words the fast paths test at once.
func wordCases() []string {
	var out []string
	base := "abcdefghijklmnopqrstuvwx"
	for i := 0; i < len(base); i++ {
		for _, ins := range []string{"  ", " ", "\x01", "\x7f", "\t", "é", "\u00a0", "\xff"} {
			out = append(out, base[:i]+ins+base[i:], "A "+base[:i]+ins+base[i:]+" z")
		}
	}
	return out
}

func TestFastPathsMatchReference(t *testing.T) {
	for _, s := range append(fastCases, wordCases()...) {
		if got, want := normText(s), normTextReference(s); got != want {
			t.Errorf("normText(%q) = %q, want %q", s, got, want)
		}
		if got, want := normLine([]byte(s)), normTextReference(s); got != want {
			t.Errorf("normLine(%q) = %q, want %q", s, got, want)
		}
		if got, want := isMoreLine(s), isMoreLineReference(s); got != want {
			t.Errorf("isMoreLine(%q) = %v, want %v", s, got, want)
		}
		if got, want := isAbbreviation(s), abbreviations[strings.ToLower(s)]; got != want {
			t.Errorf("isAbbreviation(%q) = %v, want %v", s, got, want)
		}
		if got, want := string(appendLower([]byte("x"), s)), "x"+strings.ToLower(s); got != want {
			t.Errorf("appendLower(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzFastPaths(f *testing.F) {
	for _, s := range fastCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := normText(s), normTextReference(s); got != want {
			t.Errorf("normText(%q) = %q, want %q", s, got, want)
		}
		if got, want := normLine([]byte(s)), normTextReference(s); got != want {
			t.Errorf("normLine(%q) = %q, want %q", s, got, want)
		}
		if got, want := isMoreLine(s), isMoreLineReference(s); got != want {
			t.Errorf("isMoreLine(%q) = %v, want %v", s, got, want)
		}
		if got, want := isAbbreviation(s), abbreviations[strings.ToLower(s)]; got != want {
			t.Errorf("isAbbreviation(%q) = %v, want %v", s, got, want)
		}
		if got, want := string(appendLower(nil, s)), strings.ToLower(s); got != want {
			t.Errorf("appendLower(%q) = %q, want %q", s, got, want)
		}
	})
}

func topicNameReference(heading string) string {
	n := enumeration.ReplaceAllString(strings.TrimSpace(heading), "")
	n = genericPrefix.ReplaceAllString(n, "")
	return strings.TrimRight(n, " .:;,-–—?!")
}

var headingCases = []string{"", " ", "Careers in healthcare science", "careers in the NHS", "A career in nursing",
	"a careers in x", "Working in the ambulance service", "Roles in pharmacy", "Jobs in  labs", "Explore   roles",
	"About us", "About", "Explorer", "1. Pharmacy technician", "(2) Porter", "12) Twelve", "123. No", "1.x",
	"1. Careers in audiology", "Life sciences", "What do they do?", "ABOUT THE NHS", "EXPLORE the roles", "  About  the team  ",
	"Career in x", "ﬁ careers in", "Ｃareers in x"}

func TestTopicNameMatchesReference(t *testing.T) {
	for _, h := range headingCases {
		if got, want := topicName(h), topicNameReference(h); got != want {
			t.Errorf("topicName(%q) = %q, want %q", h, got, want)
		}
	}
}

func FuzzTopicName(f *testing.F) {
	for _, h := range headingCases {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, h string) {
		if got, want := topicName(h), topicNameReference(h); got != want {
			t.Errorf("topicName(%q) = %q, want %q", h, got, want)
		}
	})
}

// normTextReference is normText written plainly, rune by rune.
func normTextReference(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '\u00A0' || r == '\u2007' || r == '\u202F':
			space = true
			continue
		case r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\u2060' || r == '\uFEFF' || r == '\u00AD' || unicode.IsControl(r):
			continue
		}
		if space && sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		space = false
		sb.WriteRune(r)
	}
	return sb.String()
}

func TestNormBlockTextMatchesReference(t *testing.T) {
	for _, s := range append(fastCases, "soft\u00adhyphen", "joiner\u200d\u2060", "fig\u2007space", "narrow\u202fnbsp", "a\x01b") {
		if got, want := normText(s), normTextReference(s); got != want {
			t.Errorf("normText(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzNormBlockText(f *testing.F) {
	for _, s := range fastCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := normText(s), normTextReference(s); got != want {
			t.Errorf("normText(%q) = %q, want %q", s, got, want)
		}
	})
}

// scanLinesReference is how lines were read before: a bufio.Scanner
// with max as its largest token.
func scanLinesReference(text string, max int) ([]string, int) {
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, min(len(text)+1, 4)), max)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return lines, len(lines) + 1
	}
	return lines, 0
}

func eachLineStrings(text string, max int) ([]string, int) {
	var lines []string
	n := eachLine([]byte(text), max, func(b []byte) { lines = append(lines, string(b)) })
	return lines, n
}

var lineCases = []string{"", "\n", "\n\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "\r", "\r\r\n", "a\n\nb\n\n\n",
	"12345678\n", "1234567\n", "123456789", "12345678", "1234567", "short\n123456789012\nafter", "1234567\r\n", "123456\r\n"}

func TestEachLineMatchesScanner(t *testing.T) {
	for _, s := range lineCases {
		for _, max := range []int{8, 64} {
			gl, gt := eachLineStrings(s, max)
			wl, wt := scanLinesReference(s, max)
			if gt != wt || gt == 0 && (len(gl) != len(wl) || strings.Join(gl, "|") != strings.Join(wl, "|")) {
				t.Errorf("eachLine(%q, %d) = %q, %d; Scanner %q, %d", s, max, gl, gt, wl, wt)
			}
		}
	}
}

func FuzzEachLine(f *testing.F) {
	for _, s := range lineCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		gl, gt := eachLineStrings(s, 8)
		wl, wt := scanLinesReference(s, 8)
		if gt != wt || gt == 0 && (len(gl) != len(wl) || strings.Join(gl, "\x00") != strings.Join(wl, "\x00")) {
			t.Errorf("eachLine(%q) = %q, %d; Scanner %q, %d", s, gl, gt, wl, wt)
		}
	})
}

func splitSentencesReference(p string) []string {
	var out []string
	start := 0
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		i += size
		if r != '.' && r != '!' && r != '?' {
			continue
		}
		end := i
		for end < len(p) {
			c, n := utf8.DecodeRuneInString(p[end:])
			if !strings.ContainsRune(`"')]”’`, c) {
				break
			}
			end += n
		}
		if end >= len(p) || p[end] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(strings.TrimLeft(p[end:], " "))
		if !unicode.IsUpper(next) && !unicode.IsDigit(next) && !strings.ContainsRune(`"'“‘(`, next) {
			continue
		}
		if r == '.' && abbreviations[strings.ToLower(lastWord(p[start:i-1]))] {
			continue
		}
		if s := strings.TrimSpace(p[start:end]); s != "" {
			out = append(out, s)
		}
		start = end
		i = end
	}
	if s := strings.TrimSpace(p[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

func FuzzSplitSentences(f *testing.F) {
	for _, s := range fastCases {
		f.Add(s)
	}
	f.Add("One. Two! Three? \"Four.\" (Five.) e.g. Six. Dr. Who. 7. Eight\xff. Nine’ Ten.”  “Eleven")
	f.Fuzz(func(t *testing.T, s string) {
		got, want := SplitSentences(s), splitSentencesReference(s)
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
			t.Errorf("SplitSentences(%q) = %q, want %q", s, got, want)
		}
	})
}
