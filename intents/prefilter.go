package intents

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
)

// requiredFactors returns strings one of which every match of pattern
// holds, lower-cased (the text they are looked for in is lower-cased
// too), or nil when it finds none: a cheap test that spares running the
// pattern on text that cannot match. It walks the pattern's syntax the
// way code search prefilters do: a literal requires itself, a small
// character class one of its characters, a sequence the most selective
// of its parts, an alternation one of its branches' factors; whatever
// can match the empty string requires nothing.
func requiredFactors(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	return factors(re.Simplify())
}

// maxClassRunes is the largest character class whose characters are
// taken as factors (\d is ten).
const maxClassRunes = 12

func factors(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return nil
		}
		return []string{strings.ToLower(string(re.Rune))}
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if hi-lo+1 > maxClassRunes || len(out)+int(hi-lo+1) > maxClassRunes {
				return nil
			}
			for r := lo; r <= hi; r++ {
				if s := strings.ToLower(string(r)); !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
		return out
	case syntax.OpCapture, syntax.OpPlus:
		return factors(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return factors(re.Sub[0])
		}
		return nil
	case syntax.OpConcat:
		var best []string
		for _, sub := range re.Sub {
			if f := factors(sub); f != nil && (best == nil || moreSelective(f, best)) {
				best = f
			}
		}
		return best
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			f := factors(sub)
			if f == nil {
				return nil
			}
			for _, s := range f {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
		return out
	}
	return nil // any character, empty-width assertions, stars: nothing is required
}

// moreSelective prefers the factors a text is less likely to hold: the
// longer shortest factor, counting a digit or a symbol as three letters
// (prose has letters everywhere, "to" often, digits seldom), then fewer
// factors.
func moreSelective(a, b []string) bool {
	la, lb := weakest(a), weakest(b)
	if la != lb {
		return la > lb
	}
	return len(a) < len(b)
}

// nonLetterWeight is what a digit or symbol counts for in weakest.
const nonLetterWeight = 3

// weakest is the weight of the factor a text most likely holds.
func weakest(f []string) int {
	n := -1
	for _, s := range f {
		w := 0
		for _, r := range s {
			if unicode.IsLetter(r) || r == ' ' {
				w++
			} else {
				w += nonLetterWeight
			}
		}
		if n < 0 || w < n {
			n = w
		}
	}
	return n
}

// holdsAny reports whether text holds one of the factors (none: true).
func holdsAny(text string, factors []string) bool {
	if factors == nil {
		return true
	}
	for _, f := range factors {
		if strings.Contains(text, f) {
			return true
		}
	}
	return false
}
