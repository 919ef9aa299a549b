package bot

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// encodingJSON is the reference: what encoding/json writes for r's
// contract, without the newline Encode adds.
func encodingJSON(tb testing.TB, r Reply) []byte {
	tb.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r.Normalized()); err != nil {
		tb.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

var tricky = []string{
	"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "tab\there\nnew\rret\bbs\fff",
	"\x00\x01\x1f\x7f", "café – naïve… 🧬", "line\u2028sep\u2029para", "bad \xff utf8 \xc3", "\xe2\x80",
	strings.Repeat("long ", 500),
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	var replies []Reply
	for _, s := range tricky {
		replies = append(replies, Reply{Question: s, Answered: true, Intent: s, Topic: s, Text: s, Confidence: 0.5,
			Sources:     []Source{{Document: s, Section: s, URL: s}, {Document: "b"}},
			Suggestions: []string{s, "x?"}})
	}
	for _, c := range []float64{0, 1, -1, 0.82678, 1.0 / 3, 1e-7, 1e-6, 123456789, 1e20, 1e21, 5e-324, math.MaxFloat64, -2.5e-10} {
		replies = append(replies, Reply{Confidence: c})
	}
	replies = append(replies, Reply{}, Reply{Sources: []Source{}, Suggestions: []string{}},
		Reply{Status: StatusRefused, Why: &Why{Document: "d", Names: []string{"a"}, Values: []float64{1}}})
	for i, r := range replies {
		got, err := r.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := encodingJSON(t, r); !bytes.Equal(got, want) {
			t.Errorf("reply %d:\n got %s\nwant %s", i, got, want)
		}
		// Appends to what b holds.
		if got, _ := r.AppendJSON([]byte("x")); !bytes.Equal(got[1:], encodingJSON(t, r)) || got[0] != 'x' {
			t.Errorf("reply %d: appending to a prefix lost it: %s", i, got)
		}
	}
}

func TestAppendJSONRejectsNaN(t *testing.T) {
	for _, c := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		b, err := Reply{Confidence: c}.AppendJSON([]byte("x"))
		if err == nil || string(b) != "x" {
			t.Errorf("confidence %v: %q, %v; want an error and nothing appended", c, b, err)
		}
	}
}

func FuzzAppendJSON(f *testing.F) {
	for _, s := range tricky {
		f.Add(s, s, 0.5)
	}
	f.Fuzz(func(t *testing.T, a, b string, c float64) {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return
		}
		r := Reply{Question: a, Text: b, Topic: a + b, Confidence: c, Sources: []Source{{Document: b, URL: a}}, Suggestions: []string{a, b}}
		got, err := r.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := encodingJSON(t, r); !bytes.Equal(got, want) {
			t.Errorf("\n got %s\nwant %s", got, want)
		}
	})
}

func BenchmarkAppendJSON(b *testing.B) {
	r := Reply{Question: "where do genetics staff work", Answered: true, Intent: "location", Topic: "genetics",
		Text:       "Life sciences is divided into four areas - blood diagnostic services, infection sciences, tissue and cellular science and genetics. Genetics staff are often based in specialist hospitals.",
		Confidence: 0.8267813, Sources: []Source{{Document: "Careers in healthcare science", Section: "Life sciences", URL: "https://www.healthcareers.nhs.uk/"}},
		Suggestions: []string{"What is life sciences?", "What does a genetics scientist do?"}}
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf, _ = r.AppendJSON(buf[:0])
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		for b.Loop() {
			buf.Reset()
			_ = enc.Encode(r.Normalized())
		}
	})
}
