package knowledge

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// normText is how every parser cleans a piece of text: runs of white
// space (U+00A0 and the other Unicode spaces) become single spaces,
// control characters and invisible format characters (zero-width spaces
// and joiners, the word joiner, soft hyphens, BOMs) are dropped, as a
// reader never sees them, so that "radio\u00adgraphy" is the word the
// index knows; invalid UTF-8 becomes U+FFFD, and the ends are trimmed.
func normText(s string) string {
	if t := strings.Trim(s, " "); isNormalText(t) {
		return t
	}
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case isSpaceRune(r):
			space = true
			continue
		case isInvisible(r) || unicode.IsControl(r):
			continue
		}
		if space && sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		space = false
		sb.WriteRune(r) // invalid UTF-8 becomes U+FFFD, as ranging over s gives it
	}
	return sb.String()
}

// normLine is normText of a line read as bytes, converting it to a string
// once when it is normal but for spaces at its ends (most lines are).
func normLine(b []byte) string {
	if t := bytes.Trim(b, " "); isNormalText(t) {
		return string(t)
	}
	return normText(string(b))
}

// isSpaceRune reports white space normText folds: Unicode's, and the
// no-break spaces it does not count.
func isSpaceRune(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00A0' || r == '\u2007' || r == '\u202F'
}

// isInvisible reports the format characters normText drops.
func isInvisible(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD':
		return true
	}
	return false
}

// isNormalText reports whether normText would return s as it is: valid
// UTF-8, no white space but single spaces and none at the ends, no
// control or invisible format characters.
func isNormalText[T string | []byte](s T) bool {
	if len(s) == 0 {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	space := false
	for i := 0; i < len(s); {
		// Eight bytes at a time while they are printable ASCII, tested
		// at once as one word; two spaces in a row are found there too.
		for ; i+8 <= len(s); i += 8 {
			const lo, hi, low7 = 0x0101010101010101, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f
			w := s[i : i+8]
			x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
				uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
			del := x ^ (lo * 0x7f)
			if (x|(x-lo*' ')&^x|(del-lo)&^del)&hi != 0 {
				break // a byte from 0x80, below space or DEL: byte by byte
			}
			sp := x ^ (lo * ' ')
			spaces := ^((sp&low7 + low7) | sp | low7) // the high bit of each space
			if spaces&(spaces<<8) != 0 || space && spaces&0x80 != 0 {
				return false
			}
			space = spaces>>63 != 0
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c == ' ' {
			if space {
				return false
			}
			space = true
			i++
			continue
		}
		space = false
		if c < utf8.RuneSelf {
			if c < ' ' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		// A short copy to decode, which stays on the stack.
		r, size := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
		if r == utf8.RuneError && size == 1 || isSpaceRune(r) || isInvisible(r) || unicode.IsControl(r) {
			return false
		}
		i += size
	}
	return true
}
