package bot

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the JSON form of r (the reply contract,
// docs/reply.md) to b, without a newline: the very bytes encoding/json
// writes for r.Normalized() with HTML escaping off, without reflection or
// allocations beyond growing b. It fails, appending nothing, only on a
// confidence that JSON cannot hold (NaN or infinite), as encoding/json does.
func (r Reply) AppendJSON(b []byte) ([]byte, error) {
	c := r.Confidence
	if math.IsNaN(c) || math.IsInf(c, 0) {
		return b, fmt.Errorf("json: unsupported value: %s", strconv.FormatFloat(c, 'g', -1, 64))
	}
	b = append(b, `{"question":`...)
	b = appendJSONString(b, r.Question)
	b = append(b, `,"answered":`...)
	b = strconv.AppendBool(b, r.Answered)
	b = append(b, `,"intent":`...)
	b = appendJSONString(b, r.Intent)
	b = append(b, `,"topic":`...)
	b = appendJSONString(b, r.Topic)
	b = append(b, `,"answer":`...)
	b = appendJSONString(b, r.Text)
	b = append(b, `,"confidence":`...)
	b = appendJSONFloat(b, c)
	b = append(b, `,"sources":[`...)
	for i, s := range r.Sources {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"document":`...)
		b = appendJSONString(b, s.Document)
		b = append(b, `,"section":`...)
		b = appendJSONString(b, s.Section)
		b = append(b, `,"url":`...)
		b = appendJSONString(b, s.URL)
		b = append(b, '}')
	}
	b = append(b, `],"suggestions":[`...)
	for i, s := range r.Suggestions {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, "]}"...), nil
}

// appendJSONFloat writes f as encoding/json does (like ES6: 'f' format,
// exponents only for very small or large magnitudes, unpadded).
func appendJSONFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 is written e-9.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// jsonPlain holds the bytes a JSON string carries as they are: ASCII
// from space up, except quote and backslash.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendJSONString writes s quoted as encoding/json does with HTML
// escaping off: quote, backslash and control characters escaped (\b, \f,
// \n, \r, \t by name), invalid UTF-8 as \ufffd, and U+2028 and U+2029
// escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight plain bytes at a time (see jsonPlain), tested at once as
		// one word: none from 0x80, none below space, no quote, no
		// backslash. Then byte by byte.
		for ; i+8 <= len(s); i += 8 {
			const lo, hi = 0x0101010101010101, 0x8080808080808080
			w := s[i : i+8]
			x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
				uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
			q, bs := x^(lo*'"'), x^(lo*'\\')
			if (x|(x-lo*0x20)&^x|(q-lo)&^q|(bs-lo)&^bs)&hi != 0 {
				break
			}
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if jsonPlain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
