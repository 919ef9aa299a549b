package knowledge

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden dumps in testdata/golden")

// TestGoldenLoad loads the project's pages, the embedded seed and the
// public real pages beside the repository, and compares a dump of what
// came out (documents, sections, sentences, bullets, links, topics and
// problems, in order) with the dumps in testdata/golden, so that a change
// made for speed can be shown to change nothing. After a change meant to
// alter what loading produces, rewrite them with
//
//	go test -run TestGoldenLoad ./knowledge -update
//
// and review the diff.
func TestGoldenLoad(t *testing.T) {
	sets := []struct {
		name  string
		paths []string // nil: the embedded seed
	}{
		{"seed", nil},
		{"testdata", []string{"testdata/seed.html", "testdata/seed.md", "testdata/pages", "testdata/real", "testdata/txt"}},
		{"pages-with-seed", []string{"testdata/pages", "seed"}},
		{"pages-dev", []string{"../../shared/eval/pages-dev"}},
	}
	for _, s := range sets {
		t.Run(s.name, func(t *testing.T) {
			var b *Base
			var problems []Problem
			if s.paths == nil {
				b, problems = LoadFS(seedFS, "seed-linked")
			} else {
				if _, err := os.Stat(s.paths[0]); err != nil && s.name == "pages-dev" {
					t.Skipf("no public pages beside the repository: %v", err)
				}
				b, problems = Check(s.paths...)
			}
			got := dumpBase(b, problems)
			file := filepath.Join("testdata", "golden", s.name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (write it with -update)", err)
			}
			if got != string(want) {
				gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
				for i := range min(len(gl), len(wl)) {
					if gl[i] != wl[i] {
						t.Fatalf("%s line %d:\n got %s\nwant %s\n(if loading is meant to produce this now, rewrite the dumps with -update and review the diff)", file, i+1, gl[i], wl[i])
					}
				}
				t.Fatalf("%s: %d lines, want %d", file, len(gl), len(wl))
			}
		})
	}
}

// dumpBase writes everything a load produced, one fact a line, with
// pointers shown as what they point to.
func dumpBase(b *Base, problems []Problem) string {
	var w strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&w, format+"\n", a...) }
	for _, d := range b.Documents {
		p("doc %s title=%q url=%q breadcrumb=%q", filepath.ToSlash(d.Path), d.Title, d.URL, d.Breadcrumb)
		for _, s := range d.Sections {
			parent, topic := "-", "-"
			if s.Parent != nil {
				parent = fmt.Sprintf("%q", s.Parent.Path)
			}
			if s.Topic != nil {
				topic = fmt.Sprintf("%d:%q", s.Topic.ID, s.Topic.Name)
			}
			if s.Doc != d {
				p("  section in another document!")
			}
			p("  section heading=%q path=%q level=%d line=%d parent=%s topic=%s", s.Heading, s.Path, s.Level, s.Line, parent, topic)
			for _, sen := range s.Sentences {
				if sen.Section != s {
					p("    sentence in another section!")
				}
				p("    sentence %d kind=%d line=%d %q", sen.ID, sen.Kind, sen.Line, sen.Text)
			}
			for _, x := range s.Bullets {
				p("    bullet %q", x)
			}
			for _, l := range s.More {
				p("    more %q %q", l.Text, l.URL)
			}
		}
	}
	for i, s := range b.Sentences {
		if s.ID != i {
			p("sentence %d has id %d!", i, s.ID)
		}
	}
	for _, tp := range b.Topics {
		parent, sec, doc := "-", "-", "-"
		if tp.Parent != nil {
			parent = fmt.Sprintf("%d", tp.Parent.ID)
		}
		if tp.Section != nil {
			sec = fmt.Sprintf("%q", tp.Section.Path)
		}
		if tp.Doc != nil {
			doc = filepath.ToSlash(tp.Doc.Path)
		}
		children := make([]int, len(tp.Children))
		for i, c := range tp.Children {
			children[i] = c.ID
		}
		sens := make([]int, len(tp.Sentences))
		for i, s := range tp.Sentences {
			sens[i] = s.ID
		}
		p("topic %d %q key=%q doc=%s parent=%s section=%s children=%v sentences=%v", tp.ID, tp.Name, tp.Key, doc, parent, sec, children, sens)
	}
	for _, pr := range problems {
		p("problem %s fatal=%v", filepath.ToSlash(pr.Error()), pr.Fatal())
	}
	for _, pr := range b.Problems {
		p("kept problem %s", filepath.ToSlash(pr.Error()))
	}
	return w.String()
}
