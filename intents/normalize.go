package intents

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// Slack <@U024BE7LH>, <@U1|name>, Discord <@123>, <@!123>, <@&role>,
	// channels <#C1|general>, <#123>, special <!here>, custom emoji <:x:1>.
	markupRe = regexp.MustCompile(`<[@#!][^>\s]*>|<a?:\w+:\d+>`)
	// Slack links <http://x|label> keep their label.
	slackLinkRe = regexp.MustCompile(`<(?:https?|mailto):[^|>\s]*\|([^>]*)>|<(?:https?|mailto):[^>\s]*>`)
	urlRe       = regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+`)
	emojiCodeRe = regexp.MustCompile(`:[a-z0-9_+-]+:`)
	// plain @everyone/@here and user handles
	atRe = regexp.MustCompile(`@\w+`)
	// HTML tags and code ("<script>", "window.__x=2"): not anyone's words
	tagRe  = regexp.MustCompile(`</?[a-zA-Z][^<>]*>`)
	codeRe = regexp.MustCompile(`\S*(?:__|=|[{};]|\(\))\S*`)
)

// Clean strips chat markup from a message: Slack and Discord mentions,
// links (keeping their labels), URLs, HTML tags and code, :emoji: codes,
// HTML entities and Markdown emphasis. What is left is the user's own
// words.
func Clean(s string) string {
	// each pattern only where its first character is (most questions
	// carry no markup at all)
	if strings.IndexByte(s, '<') >= 0 {
		s = markupRe.ReplaceAllString(s, " ")
		s = slackLinkRe.ReplaceAllString(s, " $1 ")
		s = tagRe.ReplaceAllString(s, " ")
	}
	if strings.ContainsAny(s, "_={};") || strings.Contains(s, "()") {
		s = codeRe.ReplaceAllString(s, " ")
	}
	if strings.Contains(s, "://") || strings.Contains(s, "www.") || strings.Contains(s, "WWW.") {
		s = urlRe.ReplaceAllString(s, " ")
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	if strings.IndexByte(s, ':') >= 0 {
		s = emojiCodeRe.ReplaceAllString(s, " ")
	}
	if strings.IndexByte(s, '@') >= 0 {
		s = atRe.ReplaceAllString(s, " ")
	}
	return s
}

// Words lower-cases cleaned text and splits it into words: letters and
// digits, with apostrophes dropped ("what's" -> "whats", "people's" ->
// "peoples" then "people") and everything else (punctuation, emoji,
// symbols, hyphens) a separator. Words of plain ASCII letters and digits,
// the usual case, are cut from the text without copying.
func Words(s string) []string {
	return appendWords(make([]string, 0, len(s)/6+1), s)
}

// appendWords appends the words of s (as Words splits them) to words.
func appendWords(words []string, s string) []string { return appendWordsLower(words, s, "") }

// asciiLower returns s lower-cased when it is all ASCII (so that the
// offsets of the two agree), else "".
func asciiLower(s string) string {
	upper := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80:
			return ""
		case c >= 'A' && c <= 'Z':
			upper = true
		}
	}
	if !upper {
		return s
	}
	return strings.ToLower(s)
}

// appendWordsLower is appendWords with, when not "", s lower-cased by
// asciiLower: capitalised words are cut from it rather than copied.
func appendWordsLower(words []string, s, lower string) []string {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x80 || c == '\'' {
			w, next := slowWord(s, i)
			if w != "" {
				words = append(words, w)
			}
			i = next
			continue
		}
		if !isAlnum(c) {
			i++
			continue
		}
		j, allUpper, anyUpper := i, true, false
		for j < len(s) && s[j] < 0x80 && isAlnum(s[j]) {
			switch {
			case s[j] >= 'A' && s[j] <= 'Z':
				anyUpper = true
			case s[j] >= 'a' && s[j] <= 'z':
				allUpper = false
			}
			j++
		}
		if j < len(s) && (s[j] >= 0x80 || s[j] == '\'') {
			// an apostrophe or a letter beyond ASCII: the careful way
			w, next := slowWord(s, i)
			if w != "" {
				words = append(words, w)
			}
			i = next
			continue
		}
		w := s[i:j]
		switch {
		case anyUpper && lower != "":
			w = lower[i:j]
		case anyUpper:
			w = strings.ToLower(w)
		}
		if allUpper && anyUpper && len(w) >= 2 && acronymClash[w] {
			w += "_" // "IT" (the career) is not "it"
		}
		words = append(words, w)
		i = j
	}
	return words
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// slowWord reads the word that starts at or after i, rune by rune, and
// returns it (possibly "") with the index after it.
func slowWord(s string, i int) (string, int) {
	var b strings.Builder
	upper := true // every letter of the word so far is a capital
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !unicode.IsUpper(r) {
				upper = false
			}
			b.WriteRune(unicode.ToLower(r))
		case (r == '\'' || r == '’') && b.Len() > 0:
			b.WriteRune(r)
		default:
			if b.Len() > 0 {
				return finishWord(b.String(), upper), i
			}
			return "", i + size
		}
		i += size
	}
	return finishWord(b.String(), upper), i
}

func finishWord(w string, upper bool) string {
	if w == "" {
		return ""
	}
	// "IT" (the career) is not "it": a capitalised short word that would
	// otherwise be a stop word keeps a mark.
	if upper && len(w) >= 2 && acronymClash[w] {
		w += "_"
	}
	// possessive 's: people's -> people (but keep "whats", "its")
	if strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s") {
		base := strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		switch base {
		case "what", "where", "who", "how", "that", "there", "it", "he", "she", "here", "let":
			w = base + "s"
		default:
			w = base
		}
	}
	return strings.Map(func(r rune) rune {
		if r == '\'' || r == '’' {
			return -1
		}
		return r
	}, w)
}

// acronymClash lists stop words that, written in capitals, name something:
// IT (information technology), AS and A levels, OR (operating room).
var acronymClash = map[string]bool{"it": true, "or": true, "as": true, "us": true, "am": true, "pa": true}

// ukSpelling maps an American spelling to the British one: the table
// first, then -ize/-yze forms by rule.
func ukSpelling(w string, table map[string]string) string {
	if uk, ok := table[w]; ok {
		return uk
	}
	for _, p := range usPrefixes {
		if strings.HasPrefix(w, p[0]) && len(w) > len(p[0]) {
			return p[1] + w[len(p[0]):]
		}
	}
	if len(w) < 7 {
		return w
	}
	for _, suf := range [][2]string{
		{"izations", "isations"}, {"ization", "isation"}, {"izing", "ising"}, {"ized", "ised"},
		{"izes", "ises"}, {"ize", "ise"}, {"yzing", "ysing"}, {"yzed", "ysed"}, {"yze", "yse"},
	} {
		if strings.HasSuffix(w, suf[0]) {
			return strings.TrimSuffix(w, suf[0]) + suf[1]
		}
	}
	return w
}

// usPrefixes are American spellings of medical word stems: anesthetic,
// pediatric, hematology, esophagus, gynecology, orthopedic, fetal.
var usPrefixes = [][2]string{
	{"anesth", "anaesth"}, {"pediatr", "paediatr"}, {"hemat", "haemat"}, {"hemo", "haemo"},
	{"esoph", "oesoph"}, {"gyneco", "gynaeco"}, {"orthoped", "orthopaed"}, {"leukem", "leukaem"},
	{"anemi", "anaemi"}, {"edema", "oedema"}, {"estrog", "oestrog"},
}
