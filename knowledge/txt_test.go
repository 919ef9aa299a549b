package knowledge

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

const seedPath = "seed/careers-in-healthcare-science.txt"

func readSeed(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(seedPath)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// blocksOf returns the texts of the blocks of one kind.
func blocksOf(blocks []Block, kind BlockKind) []string {
	var out []string
	for _, b := range blocks {
		if b.Kind == kind {
			out = append(out, b.Text)
		}
	}
	return out
}

func TestParseTextSeed(t *testing.T) {
	meta, blocks, err := parseText(seedPath, readSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("breadcrumb", func(t *testing.T) {
		want := []string{"NHS Careers", "Explore by career", "Healthcare science", "Careers in healthcare science"}
		if !reflect.DeepEqual(meta.Breadcrumb, want) {
			t.Errorf("breadcrumb = %q, want %q", meta.Breadcrumb, want)
		}
	})
	t.Run("title", func(t *testing.T) {
		if meta.Title != "Careers in healthcare science" {
			t.Errorf("title = %q", meta.Title)
		}
		// The seed cites the public page it was saved from (its Source: line).
		if want := "http://www.nhscareers.nhs.uk/explore-by-career/healthcare-science/careers-in-healthcare-science/"; meta.URL != want {
			t.Errorf("URL = %q, want %q", meta.URL, want)
		}
	})
	t.Run("headings", func(t *testing.T) {
		want := []string{"Careers in healthcare science", "Life sciences", "Physiological sciences", "Clinical engineering and medical physics"}
		if got := blocksOf(blocks, Heading); !reflect.DeepEqual(got, want) {
			t.Errorf("headings = %q, want %q (title once, then the three section headings)", got, want)
		}
		if blocks[0].Kind != Heading || blocks[0].Level != 1 {
			t.Errorf("first block = %+v, want the level 1 title", blocks[0])
		}
		for _, b := range blocks[1:] {
			if b.Kind == Heading && b.Level != 2 {
				t.Errorf("heading %q level %d, want 2", b.Text, b.Level)
			}
		}
	})
	t.Run("bullets", func(t *testing.T) {
		want := []string{"blood diagnostic services", "infection sciences", "tissue and cellular science", "genetics."}
		if got := blocksOf(blocks, Bullet); !reflect.DeepEqual(got, want) {
			t.Errorf("bullets = %q, want %q", got, want)
		}
	})
	t.Run("more lines", func(t *testing.T) {
		want := []string{
			"Find out more about careers in the life sciences",
			"Find out more about careers in the physiological sciences",
			"Find out more about careers in clinical engineering and medical physics",
			"Find out more about careers in bioinformatics",
		}
		if got := blocksOf(blocks, More); !reflect.DeepEqual(got, want) {
			t.Errorf("more = %q, want %q", got, want)
		}
	})
	t.Run("no stray spaces", func(t *testing.T) {
		for _, b := range blocks {
			if strings.ContainsAny(b.Text, "\u00a0\t\r\n") || strings.Contains(b.Text, "  ") || b.Text != strings.TrimSpace(b.Text) {
				t.Errorf("line %d: unfolded white space in %q", b.Line, b.Text)
			}
		}
	})
	t.Run("lines", func(t *testing.T) {
		for _, b := range blocks {
			if b.Line < 1 {
				t.Errorf("block %q has no line", b.Text)
			}
		}
		// "Life sciences" is on line 9 of the seed.
		for _, b := range blocks {
			if b.Kind == Heading && b.Text == "Life sciences" && b.Line != 9 {
				t.Errorf("Life sciences heading on line %d, want 9", b.Line)
			}
		}
	})
}

func TestParseText(t *testing.T) {
	long := strings.Repeat("Scientists work in laboratories. ", 20000) // ~660 KB on one line
	tests := []struct {
		name       string
		in         string
		title      string
		url        string
		breadcrumb []string
		headings   []string // level 2 headings
		bullets    []string
		paras      []string
		more       []string
	}{
		{
			name:     "source line",
			in:       "Audiology\n\nSource: https://www.healthcareers.nhs.uk/audiology\n\nAudiologists test hearing.\n",
			title:    "Audiology",
			url:      "https://www.healthcareers.nhs.uk/audiology",
			headings: nil,
			paras:    []string{"Audiologists test hearing."},
		},
		{
			name:  "source line with trailing words",
			in:    "Audiology\n\nSource: http://example.org/a (saved 2024)\n\nAudiologists test hearing.\n",
			title: "Audiology",
			url:   "http://example.org/a",
			paras: []string{"Audiologists test hearing."},
		},
		{
			name:  "source without URL is text",
			in:    "Audiology\n\nSource: the NHS website.\n",
			title: "Audiology",
			paras: []string{"Source: the NHS website."},
		},
		{
			name:    "bullet markers",
			in:      "Areas\n\nThe areas are:\n\n• one area\n- two areas\n* three areas\n  •   four   areas  \n",
			title:   "Areas",
			paras:   []string{"The areas are:"},
			bullets: []string{"one area", "two areas", "three areas", "four areas"},
		},
		{
			name:  "dash without space is not a bullet",
			in:    "Weather\n\n-5 degrees is cold.\n",
			title: "Weather",
			paras: []string{"-5 degrees is cold."},
		},
		{
			name:  "nbsp and stray spaces folded",
			in:    "Genetics\u00a0\u00a0\n\n\u00a0 Genetics\u00a0staff  are \t often\u00a0 based in hospitals. \u00a0\n",
			title: "Genetics",
			paras: []string{"Genetics staff are often based in hospitals."},
		},
		{
			name:       "title repeated twice appears once",
			in:         "A > B\n\nMy page\n\nMy page\n\nText here.\n",
			title:      "My page",
			breadcrumb: []string{"A", "B"},
			paras:      []string{"Text here."},
		},
		{
			name:     "line ending in colon is not a heading",
			in:       "Page\n\nFirst paragraph.\n\nThe areas are:\n\n• one\n",
			title:    "Page",
			paras:    []string{"First paragraph.", "The areas are:"},
			bullets:  []string{"one"},
			headings: nil,
		},
		{
			name:    "line ending in dash is not a heading",
			in:      "Page\n\nFirst paragraph.\n\nLife sciences is divided into four areas -\n\n• one\n",
			title:   "Page",
			paras:   []string{"First paragraph.", "Life sciences is divided into four areas -"},
			bullets: []string{"one"},
		},
		{
			name:     "heading between paragraphs",
			in:       "Page\n\nFirst paragraph.\n\nWhere you'll work\n\nIn hospitals.\n",
			title:    "Page",
			headings: []string{"Where you'll work"},
			paras:    []string{"First paragraph.", "In hospitals."},
		},
		{
			name:  "lower case line is not a heading",
			in:    "Page\n\nFirst paragraph.\n\nand more\n\nIn hospitals.\n",
			title: "Page",
			paras: []string{"First paragraph.", "and more", "In hospitals."},
		},
		{
			name:  "paragraph lines joined",
			in:    "Page\n\nOne line\nwraps here.\n",
			title: "Page",
			paras: []string{"One line wraps here."},
		},
		{
			name:       "CRLF line endings",
			in:         "A > B > C\r\n\r\nPage\r\n\r\nPage\r\n\r\nIntro text.\r\n\r\nHeading\r\n\r\nBody text.\r\n\r\n• item\r\n\r\nFind out more about heading\r\n",
			title:      "Page",
			breadcrumb: []string{"A", "B", "C"},
			headings:   []string{"Heading"},
			paras:      []string{"Intro text.", "Body text."},
			bullets:    []string{"item"},
			more:       []string{"Find out more about heading"},
		},
		{
			name:  "very long line",
			in:    "Page\n\n" + long + "\n",
			title: "Page",
			paras: []string{strings.TrimSpace(long)},
		},
		{
			name:  "more lines",
			in:    "Page\n\nText.\n\nRead more about genetics\nLearn more about audiology\n",
			title: "Page",
			paras: []string{"Text."},
			more:  []string{"Read more about genetics", "Learn more about audiology"},
		},
		{
			name:     "breadcrumb only on first line",
			in:       "Page\n\nText.\n\nA > B\n",
			title:    "Page",
			headings: []string{"A > B"},
			paras:    []string{"Text."},
		},
		{
			name:  "a lone sentence is not a title",
			in:    "Audiologists test hearing and balance in hospital clinics.\n",
			paras: []string{"Audiologists test hearing and balance in hospital clinics."},
		},
		{
			name:    "a lone list intro is not a title",
			in:      "The areas are:\n\n• one\n",
			paras:   []string{"The areas are:"},
			bullets: []string{"one"},
		},
		{
			name: "unbulleted list lines after a colon are items",
			in: "Housekeeper\n\nAs a housekeeper, you will lead ward services. The work can include:\ntalking to and reassuring patients\n" +
				"ordering non-clinical supplies\nreceiving visitors\nWith additional training, you may work with patients.\n",
			title:   "Housekeeper",
			paras:   []string{"As a housekeeper, you will lead ward services. The work can include:", "With additional training, you may work with patients."},
			bullets: []string{"talking to and reassuring patients", "ordering non-clinical supplies", "receiving visitors"},
		},
		{
			name:     "a heading after capitalised list lines is not an item",
			in:       "Porter\n\nUseful subjects include:\nEnglish\nMaths\nTraining\nWhen you start you will get the training you need to do the job.\n",
			title:    "Porter",
			paras:    []string{"Useful subjects include:", "When you start you will get the training you need to do the job."},
			bullets:  []string{"English", "Maths"},
			headings: []string{"Training"},
		},
		{
			name:     "a question line over bullets is a heading",
			in:       "Microbiology\n\nYou will work in a laboratory.\nHow about the benefits?\n- flexible working\n- a good pension\n",
			title:    "Microbiology",
			paras:    []string{"You will work in a laboratory."},
			headings: []string{"How about the benefits?"},
			bullets:  []string{"flexible working", "a good pension"},
		},
		{
			name:  "one short line after a colon is the paragraph's",
			in:    "Page\n\nThe roles include the following:\nphysiology and genetics\n\nMore text.\n",
			title: "Page",
			paras: []string{"The roles include the following: physiology and genetics", "More text."},
		},
		{
			name:  "control characters dropped",
			in:    "Page\n\nText\x07 with\x1b bell.\n",
			title: "Page",
			paras: []string{"Text with bell."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			meta, blocks, err := parseText("in.txt", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if meta.Title != tt.title {
				t.Errorf("title = %q, want %q", meta.Title, tt.title)
			}
			if meta.URL != tt.url {
				t.Errorf("URL = %q, want %q", meta.URL, tt.url)
			}
			if !reflect.DeepEqual(meta.Breadcrumb, tt.breadcrumb) {
				t.Errorf("breadcrumb = %q, want %q", meta.Breadcrumb, tt.breadcrumb)
			}
			var headings []string
			titles := 0
			for _, b := range blocks {
				if b.Kind == Heading && b.Level == 2 {
					headings = append(headings, b.Text)
				}
				if b.Kind == Heading && b.Level == 1 {
					titles++
				}
			}
			if want := len(tt.title) / max(len(tt.title), 1); titles != want {
				t.Errorf("%d title headings, want %d", titles, want)
			}
			check := func(what string, got, want []string) {
				t.Helper()
				if !reflect.DeepEqual(got, want) {
					if len(what) > 0 && len(got) == 1 && len(got[0]) > 200 {
						t.Errorf("%s: got %d items (first %d bytes), want %d", what, len(got), len(got[0]), len(want))
						return
					}
					t.Errorf("%s = %q, want %q", what, got, want)
				}
			}
			check("headings", headings, tt.headings)
			check("bullets", blocksOf(blocks, Bullet), tt.bullets)
			check("paragraphs", blocksOf(blocks, Paragraph), tt.paras)
			check("more", blocksOf(blocks, More), tt.more)
		})
	}
}

func TestParseTextErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // substrings of the error
	}{
		{"invalid UTF-8", "Page\n\nGood line.\n\nBad \xff\xfe line.\n", []string{"bad.txt:5:", "UTF-8"}},
		{"line too long", "Page\n\n" + strings.Repeat("x", maxLine+10) + "\n", []string{"bad.txt:3:", "line longer than"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := parseText("bad.txt", []byte(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  a  b  ", "a b"},
		{"a\u00a0\u00a0b", "a b"},
		{"\ufeffa\u200bb", "ab"}, // a zero-width space is not seen: one word, as the other parsers read it
		{"radio\u00adgraphy", "radiography"},
		{"a\tb\r", "a b"},
		{"a\x00b", "ab"},
		{"\u00a0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := normText(tt.in); got != tt.want {
				t.Errorf("normText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
