package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a full stop that does not end a sentence.
var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "etc": true, "dr": true, "mr": true, "mrs": true, "ms": true,
	"st": true, "no": true, "approx": true, "incl": true, "vs": true, "prof": true, "eg": true,
	"ie": true, "fig": true, "dept": true, "nb": true,
}

// SplitSentences splits a paragraph into sentences: a '.', '!' or '?' (and
// any closing quotes or brackets) followed by white space and a capital
// letter, digit or opening quote ends a sentence, unless the word before
// it is a known abbreviation.
func SplitSentences(p string) []string {
	var out []string
	start := 0
	for i := 0; i < len(p); {
		// The next '.', '!' or '?': ASCII bytes are always whole runes.
		j := strings.IndexAny(p[i:], ".!?")
		if j < 0 {
			break
		}
		r := rune(p[i+j])
		i += j + 1
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
		if r == '.' && isAbbreviation(lastWord(p[start:i-1])) {
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

// isAbbreviation reports whether abbreviations holds the word lower-cased,
// lowering an ASCII word in place of a copy.
func isAbbreviation(w string) bool {
	var low [8]byte
	if len(w) > len(low) {
		return false // no abbreviation is that long, in any case
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return abbreviations[strings.ToLower(w)]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	return abbreviations[string(low[:len(w)])]
}

func lastWord(s string) string {
	if i := strings.LastIndexAny(s, " (\"'"); i >= 0 {
		return s[i+1:]
	}
	return s
}
