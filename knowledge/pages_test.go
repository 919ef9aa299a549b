package knowledge

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestEvalFiles checks the evaluation files beside the sample pages are
// well-formed (SPEC section 6) and that each sample page has one.
func TestEvalFiles(t *testing.T) {
	pages, err := filepath.Glob("testdata/pages/*")
	if err != nil || len(pages) < 3 {
		t.Fatalf("sample pages: %v (%d found, want at least 3)", err, len(pages))
	}
	for _, page := range pages {
		base := strings.TrimSuffix(filepath.Base(page), filepath.Ext(page))
		t.Run(base, func(t *testing.T) {
			// the page's cases, with those true of it alone (eval/alone)
			// and the all-pages versions of those (eval/together)
			files := []string{filepath.Join("testdata", "eval", base+".jsonl")}
			for _, dir := range []string{"alone", "together"} {
				if p := filepath.Join("testdata", "eval", dir, base+".jsonl"); fileExists(p) {
					files = append(files, p)
				}
			}
			ids := map[string]bool{}
			n, unanswered := 0, 0
			for _, file := range files {
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				together := strings.Contains(file, "together")
				sc := bufio.NewScanner(strings.NewReader(string(data)))
				for sc.Scan() {
					n++
					var c struct {
						ID     string   `json:"id"`
						Turns  []string `json:"turns"`
						Expect *struct {
							Answered *bool    `json:"answered"`
							Any      []string `json:"any"`
							All      []string `json:"all"`
							None     []string `json:"none"`
						} `json:"expect"`
						Tags []string `json:"tags"`
					}
					dec := json.NewDecoder(strings.NewReader(sc.Text()))
					dec.DisallowUnknownFields()
					if err := dec.Decode(&c); err != nil {
						t.Fatalf("line %d: %v", n, err)
					}
					switch {
					case c.ID == "" || ids[c.ID]:
						t.Errorf("line %d: missing or duplicate id %q", n, c.ID)
					case len(c.Turns) == 0:
						t.Errorf("line %d: no turns", n)
					case c.Expect == nil || c.Expect.Answered == nil:
						t.Errorf("line %d: expect.answered is required", n)
					case len(c.Tags) == 0:
						t.Errorf("line %d: no tags", n)
					}
					ids[c.ID] = true
					if together {
						n-- // a case counted once, in its single-page form
					}
					if c.Expect != nil && c.Expect.Answered != nil && !*c.Expect.Answered {
						unanswered++
					}
				}
				if err := sc.Err(); err != nil {
					t.Fatal(err)
				}
			}
			if n < 15 || n > 25 {
				t.Errorf("%d cases, want 15-25", n)
			}
			if unanswered < 4 {
				t.Errorf("%d out-of-scope cases, want at least 4", unanswered)
			}
		})
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// TestParsePages checks the sample pages of other topics parse into the
// structure they were written with.
func TestParsePages(t *testing.T) {
	tests := []struct {
		file     string
		parse    func(string, []byte) (Meta, []Block, error)
		title    string
		url      string
		headings []string
		bullets  []string // a few of the bullets
		more     map[string]string
	}{
		{
			file:     "testdata/pages/physiological-sciences.md",
			parse:    parseMarkdown,
			title:    "Physiological sciences",
			url:      "https://www.healthcareers.nhs.uk/explore-roles/healthcare-science/roles-healthcare-science/physiological-sciences",
			headings: []string{"Physiological sciences", "Audiology", "Cardiac science", "Neurophysiology", "Respiratory and sleep physiology", "Gastrointestinal physiology", "Where physiological scientists work"},
			bullets:  []string{"hearing tests for newborn babies", "electrocardiograms (ECGs)", "electroencephalography (EEG)"},
			more: map[string]string{
				"Find out more about careers in audiology": "https://www.healthcareers.nhs.uk/explore-roles/healthcare-science/roles-healthcare-science/physiological-sciences/audiology",
			},
		},
		{
			file:     "testdata/pages/clinical-engineering-and-medical-physics.html",
			parse:    parseHTML,
			title:    "Clinical engineering and medical physics",
			url:      "https://www.healthcareers.nhs.uk/explore-roles/healthcare-science/roles-healthcare-science/clinical-engineering-and-medical-physics",
			headings: []string{"Clinical engineering and medical physics", "Radiotherapy physics", "Nuclear medicine", "Rehabilitation engineering", "Medical electronics and device management", "Where you could work"},
			bullets:  []string{"planning radiotherapy treatment", "wheelchairs and specialist seating"},
			more: map[string]string{
				"Find out more about careers in radiotherapy physics": "https://www.healthcareers.nhs.uk/explore-roles/healthcare-science/roles-healthcare-science/clinical-engineering-and-medical-physics/radiotherapy-physics",
			},
		},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			data, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			meta, blocks, err := tt.parse(tt.file, data)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if meta.Title != tt.title || meta.URL != tt.url {
				t.Errorf("meta = %q %q, want %q %q", meta.Title, meta.URL, tt.title, tt.url)
			}
			var headings []string
			bullets := map[string]bool{}
			more := map[string]string{}
			for _, b := range blocks {
				switch b.Kind {
				case Heading:
					headings = append(headings, b.Text)
				case Bullet:
					bullets[b.Text] = true
				case More:
					more[b.Text] = b.URL
				}
			}
			if !reflect.DeepEqual(headings, tt.headings) {
				t.Errorf("headings = %q, want %q", headings, tt.headings)
			}
			for _, b := range tt.bullets {
				if !bullets[b] {
					t.Errorf("no bullet %q", b)
				}
			}
			for text, u := range tt.more {
				if got, ok := more[text]; !ok || got != u {
					t.Errorf("more %q = %q (found %v), want %q", text, got, ok, u)
				}
			}
		})
	}
}
