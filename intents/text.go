package intents

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lowerName lower-cases a name's first letter unless it is an acronym.
func lowerName(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	if !unicode.IsUpper(r) {
		return s
	}
	if n < len(s) {
		r2, _ := utf8.DecodeRuneInString(s[n:])
		if unicode.IsUpper(r2) {
			return s
		}
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// containsFold reports whether sub is in s, letters compared without case.
func containsFold(s, sub string) bool {
	if sub == "" {
		return true
	}
	first := sub[0]
	ascii := first < utf8.RuneSelf
	for i := 0; i+len(sub) <= len(s); i++ {
		if c := s[i]; ascii && c < utf8.RuneSelf && c != first && asciiFold(c) != asciiFold(first) {
			continue // ASCII bytes that are not the same letter never fold together
		}
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

func capFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func joinList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// withItems completes a sentence that introduces a list with its items.
func withItems(intro string, items []string) string {
	if len(items) == 0 {
		return intro
	}
	clean := make([]string, 0, len(items))
	for _, it := range items {
		clean = append(clean, strings.TrimRight(strings.TrimSpace(it), ".;,"))
	}
	return strings.TrimSpace(intro) + " " + joinList(clean) + "."
}

// asciiFold is an ASCII byte in lower case.
func asciiFold(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
