package knowledge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds returns the seed page, the testdata pages and a few small
// awkward inputs.
func fuzzSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	seeds := [][]byte{readSeed(tb)}
	files, err := filepath.Glob("testdata/*/*")
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range files {
		if info, err := os.Stat(f); err == nil && info.IsDir() {
			continue // testdata/real holds page sets, not pages
		}
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		seeds = append(seeds, data)
	}
	for _, s := range []string{
		"", " ", "\n\n\n", "A > B\n", "Title\n\nTitle\n", "Title\r\n\r\nText.\r\n",
		"Title\n\nIntro:\n\n• a - b\n• c: d\n", "\u00a0•\u00a0x\n", "Find out more about\n",
		"T\n\nA\n\nFind out more about x\n\ny is z.\n", "\xff\xfe", "x\x00y", "İ\n\nİstanbul İ.\n",
		"Source: https://\n", "-\n*\n•\n", "T\n\n.\n\n. . .\n",
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

// checkDoc asserts what must hold of any document a parser accepts.
func checkDoc(t *testing.T, doc *Document) {
	t.Helper()
	n := 0
	for _, s := range doc.Sections {
		if s.Doc != doc {
			t.Errorf("section %q does not point at its document", s.Heading)
		}
		for _, sen := range s.Sentences {
			n++
			if strings.TrimSpace(sen.Text) == "" {
				t.Errorf("section %q has an empty sentence", s.Heading)
			}
			if !utf8.ValidString(sen.Text) {
				t.Errorf("sentence %q is not valid UTF-8", sen.Text)
			}
			if sen.Section != s {
				t.Errorf("sentence %q does not point at its section", sen.Text)
			}
		}
	}
	if n == 0 {
		t.Errorf("document accepted with no sentences")
	}
	b := newBase([]*Document{doc}, nil)
	for _, tp := range b.Topics {
		if tp.Name == "" || tp.Key != strings.ToLower(tp.Name) {
			t.Errorf("topic %q has key %q", tp.Name, tp.Key)
		}
		if isAncestor(tp, tp.Parent) {
			t.Errorf("topic %q is its own ancestor", tp.Name)
		}
	}
}

func FuzzParseText(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		meta, blocks, err := parseText("fuzz.txt", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.txt") {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		for _, b := range blocks {
			if b.Line < 1 {
				t.Errorf("block %q has line %d", b.Text, b.Line)
			}
		}
		doc, problems := build("fuzz.txt", meta, blocks)
		for _, p := range problems {
			if p.Path != "fuzz.txt" {
				t.Errorf("problem %v does not name the file", p)
			}
		}
		noText := false
		for _, p := range problems {
			noText = noText || p.Msg == "no text found"
		}
		if !noText {
			checkDoc(t, doc)
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		for ext := range uint8(3) {
			f.Add(ext, s)
		}
	}
	exts := []string{".txt", ".md", ".html"}
	f.Fuzz(func(t *testing.T, ext uint8, data []byte) {
		name := "fuzz" + exts[int(ext)%len(exts)]
		doc, problems, err := Parse(name, data)
		if err != nil {
			if doc != nil {
				t.Errorf("document returned with error %v", err)
			}
			if !strings.HasPrefix(err.Error(), name) {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		for _, p := range problems {
			if p.Path != name || p.Fatal() {
				t.Errorf("problem %v: wrong file or fatal with a document", p)
			}
		}
		checkDoc(t, doc)
	})
}
