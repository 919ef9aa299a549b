package knowledge

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseMarkdown(t *testing.T) {
	tests := []struct {
		name string
		in   string
		meta Meta
		want []Block
	}{
		{
			name: "headings and paragraphs",
			in:   "# Title\n\nIntro text.\n\n## Section\n\nBody.\n\n### Sub\n\n#### Deep\n",
			meta: Meta{Title: "Title"},
			want: []Block{
				{Kind: Heading, Level: 1, Text: "Title", Line: 1},
				{Kind: Paragraph, Text: "Intro text.", Line: 3},
				{Kind: Heading, Level: 2, Text: "Section", Line: 5},
				{Kind: Paragraph, Text: "Body.", Line: 7},
				{Kind: Heading, Level: 3, Text: "Sub", Line: 9},
				{Kind: Heading, Level: 4, Text: "Deep", Line: 11},
			},
		},
		{
			name: "setext headings",
			in:   "Big title\n=========\n\nSmaller\n-------\n\ntext\n",
			meta: Meta{Title: "Big title"},
			want: []Block{
				{Kind: Heading, Level: 1, Text: "Big title", Line: 1},
				{Kind: Heading, Level: 2, Text: "Smaller", Line: 4},
				{Kind: Paragraph, Text: "text", Line: 7},
			},
		},
		{
			name: "inline markup removed, link text kept, whitespace folded",
			in:   "Some *emphasis*, __strong__, `code`, ~~gone~~ and a [link](http://x.test/) here.\nNext\u00a0\u00a0line   with  spaces.\n",
			want: []Block{
				{Kind: Paragraph, Text: "Some emphasis, strong, code, gone and a link here. Next line with spaces.", Line: 1},
			},
		},
		{
			name: "escapes, entities, hard breaks, images and inline html",
			in:   "\\*not emphasis\\* &amp; caf&eacute; &#8217; end  \nbreak <span>tag</span> ![alt text](i.png) done\n",
			want: []Block{
				{Kind: Paragraph, Text: "*not emphasis* & café \u2019 end break tag done", Line: 1},
			},
		},
		{
			name: "tight, nested and ordered lists",
			in:   "Areas:\n\n- blood\n- infection\n  - virology\n  - bacteriology\n- genetics\n\n1. first\n2. second\n",
			want: []Block{
				{Kind: Paragraph, Text: "Areas:", Line: 1},
				{Kind: Bullet, Text: "blood", Line: 3},
				{Kind: Bullet, Text: "infection", Line: 4},
				{Kind: Bullet, Text: "virology", Line: 5},
				{Kind: Bullet, Text: "bacteriology", Line: 6},
				{Kind: Bullet, Text: "genetics", Line: 7},
				{Kind: Bullet, Text: "first", Line: 9},
				{Kind: Bullet, Text: "second", Line: 10},
			},
		},
		{
			name: "loose list item with two paragraphs is one bullet",
			in:   "* First part.\n\n  Second part.\n\n* Other\n",
			want: []Block{
				{Kind: Bullet, Text: "First part. Second part.", Line: 1},
				{Kind: Bullet, Text: "Other", Line: 5},
			},
		},
		{
			name: "find out more paragraph and list item",
			in: "[Find out more about careers in genetics](https://example.test/genetics)\n\n" +
				"FIND OUT MORE about audiology\n\n" +
				"- find out more about [cardiac science](/cardiac)\n\n" +
				"Read more about [genomics](https://example.test/genomics)\n\n" +
				"Finding out more is easy\n",
			want: []Block{
				{Kind: More, Text: "Find out more about careers in genetics", URL: "https://example.test/genetics", Line: 1},
				{Kind: More, Text: "FIND OUT MORE about audiology", Line: 3},
				{Kind: More, Text: "find out more about cardiac science", URL: "/cardiac", Line: 5},
				{Kind: More, Text: "Read more about genomics", URL: "https://example.test/genomics", Line: 7},
				{Kind: Paragraph, Text: "Finding out more is easy", Line: 9},
			},
		},
		{
			name: "trailing find out more link is split off",
			in:   "Genetics staff work in labs. [Find out more about genetics](https://example.test/g)\n",
			want: []Block{
				{Kind: Paragraph, Text: "Genetics staff work in labs.", Line: 1},
				{Kind: More, Text: "Find out more about genetics", URL: "https://example.test/g", Line: 1},
			},
		},
		{
			name: "block quotes kept, code, html blocks and rules ignored",
			in:   "> Quoted text\n> continues.\n\n```\ncode block\n```\n\n    indented code\n\n<div>\nhtml block\n</div>\n\n***\n\nAfter.\n",
			want: []Block{
				{Kind: Paragraph, Text: "Quoted text continues.", Line: 1},
				{Kind: Paragraph, Text: "After.", Line: 16},
			},
		},
		{
			name: "table rows become paragraphs",
			in:   "| Area | Where |\n|---|---|\n| Genetics | specialist hospitals |\n| Audiology | *clinics* |\n",
			want: []Block{
				{Kind: Paragraph, Text: "Area; Where", Line: 1},
				{Kind: Paragraph, Text: "Genetics; specialist hospitals", Line: 3},
				{Kind: Paragraph, Text: "Audiology; clinics", Line: 4},
			},
		},
		{
			name: "front matter gives meta and shifts lines",
			in: "---\ntitle: \"Life\u00a0sciences\"\nurl: https://www.example.test/life/\nbreadcrumb:\n  - NHS Careers\n  - Healthcare science\nauthor: ignored\n---\n\n" +
				"# Heading differs\n\n[Find out more](more/genetics)\n",
			meta: Meta{Title: "Life sciences", URL: "https://www.example.test/life/", Breadcrumb: []string{"NHS Careers", "Healthcare science"}},
			want: []Block{
				{Kind: Heading, Level: 1, Text: "Heading differs", Line: 10},
				{Kind: More, Text: "Find out more", URL: "https://www.example.test/life/more/genetics", Line: 12},
			},
		},
		{
			name: "front matter source key and breadcrumb string",
			in:   "---\r\nSource: https://example.test/p\r\nbreadcrumb: A > B›C\r\n...\r\nText\r\n",
			meta: Meta{URL: "https://example.test/p", Breadcrumb: []string{"A", "B", "C"}},
			want: []Block{{Kind: Paragraph, Text: "Text", Line: 5}},
		},
		{
			name: "canonical key, numeric title",
			in:   "---\ncanonical: https://example.test/c\ntitle: 2024\n---\n",
			meta: Meta{Title: "2024", URL: "https://example.test/c"},
		},
		{
			name: "unclosed front matter is a thematic break",
			in:   "---\ntitle: x\n",
			want: []Block{{Kind: Paragraph, Text: "title: x", Line: 2}},
		},
		{
			name: "byte order mark",
			in:   "\uFEFF# Title\n",
			meta: Meta{Title: "Title"},
			want: []Block{{Kind: Heading, Level: 1, Text: "Title", Line: 1}},
		},
		{
			name: "deep but allowed nesting and wide indentation",
			in:   "> > > - - x\n\n" + strings.Repeat(" ", 200) + "indented text\n",
			want: []Block{
				{Kind: Bullet, Text: "x", Line: 1},
			},
		},
		{
			name: "empty document",
			in:   "",
		},
		{
			name: "only white space and markup",
			in:   "\n\n   \n***\n<!-- comment -->\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			meta, got, err := parseMarkdown("page.md", []byte(tt.in))
			if err != nil {
				t.Fatalf("parseMarkdown: %v", err)
			}
			if !reflect.DeepEqual(meta, tt.meta) {
				t.Errorf("meta = %#v, want %#v", meta, tt.meta)
			}
			assertBlocks(t, got, tt.want)
		})
	}
}

func TestParseMarkdownErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // substrings of the error
	}{
		{"invalid UTF-8", "# Title\n\nbad \xff\xfe byte\n", []string{"dir/page.md:3:", "UTF-8"}},
		{"NUL byte", "text\x00more", []string{"dir/page.md:1:", "binary"}},
		{"bad YAML", "---\ntitle: [unclosed\n---\n# T\n", []string{"dir/page.md:", "front matter"}},
		{"front matter is a list", "---\n- a\n- b\n---\n", []string{"dir/page.md:", "front matter"}},
		{"title is a map", "---\ntitle:\n  a: b\n---\n", []string{"dir/page.md:", "title must be text"}},
		{"nested too deep", "# T\n\n" + strings.Repeat("> ", 40) + "x\n", []string{"dir/page.md:3:", "nested"}},
		{"nested too deep after front matter", "---\ntitle: T\n---\n" + strings.Repeat("- ", 40) + "x\n", []string{"dir/page.md:4:", "nested"}},
		{"breadcrumb entries are maps", "---\nbreadcrumb:\n  - a: b\n---\n", []string{"dir/page.md:", "breadcrumb"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, blocks, err := parseMarkdown("dir/page.md", []byte(tt.in))
			if err == nil {
				t.Fatalf("parseMarkdown succeeded with %d blocks, want an error", len(blocks))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// seedBlocks is what the seed page must give in .md and .html alike.
var seedBlocks = []Block{
	{Kind: Heading, Level: 1, Text: "Careers in healthcare science"},
	{Kind: Paragraph, Text: "There are a variety of different jobs within the healthcare science sector of the NHS and staff will work in four broad areas:"},
	{Kind: Heading, Level: 2, Text: "Life sciences"},
	{Kind: Paragraph, Text: "Life sciences is divided into four areas -"},
	{Kind: Bullet, Text: "blood diagnostic services"},
	{Kind: Bullet, Text: "infection sciences"},
	{Kind: Bullet, Text: "tissue and cellular science"},
	{Kind: Bullet, Text: "genetics."},
	{Kind: Paragraph, Text: "The life sciences play a crucial role in helping to improve understanding of illnesses and their treatment. Working in this area, may mean being responsible for developing new treatments for common medical problems, such as infertility or allergies. You will also work with doctors to choose the most appropriate treatment."},
	{Kind: Paragraph, Text: "The majority of your time will be spent in hospital laboratories but you might also work on hospital wards or in the community. Genetics staff are often based in specialist hospitals."},
	{Kind: More, Text: "Find out more about careers in the life sciences", URL: "https://www.healthcareers.nhs.uk/explore-roles/life-sciences"},
	{Kind: Heading, Level: 2, Text: "Physiological sciences"},
	{Kind: Paragraph, Text: "Staff in the physiological sciences work with patients directly and identify problems with the way that the body works. You would use the very latest techniques and equipment to identify any abnormalities and help to restore body functions - such as problems with hearing, heart and lungs, gastro-intestinal tract or the brain and peripheral nervous system."},
	{Kind: Paragraph, Text: "Most scientists in this area work in hospitals, where you could be based in clinics, departments or operating theatres. However, you could work in a community setting, such as at a health centre or visiting patients in their own homes or at school. You'll work with patients of all ages, from newborn babies to the elderly."},
	{Kind: More, Text: "Find out more about careers in the physiological sciences", URL: "https://www.healthcareers.nhs.uk/explore-roles/physiological-sciences"},
	{Kind: Heading, Level: 2, Text: "Clinical engineering and medical physics"},
	{Kind: Paragraph, Text: "Staff in clinical engineering and medical physics work with other NHS clinical teams to ensure their equipment, such as renal dialysis machines, is working safely and effectively."},
	{Kind: Paragraph, Text: "You'll also be responsible for developing new techniques and technology to measure what is happening in the body and to diagnose and treat disease. This might include ultrasound, radiation, magnetic resonance or clinical photography."},
	{Kind: Paragraph, Text: "You might also develop techniques to design artificial limbs and body parts or improve facial reconstruction for those involved in accidents or born with disabilities."},
	{Kind: More, Text: "Find out more about careers in clinical engineering and medical physics", URL: "https://www.healthcareers.nhs.uk/explore-roles/clinical-engineering-and-medical-physics"},
	{Kind: Heading, Level: 2, Text: "Bioinformatics"},
	{Kind: Paragraph, Text: "Bioinformatics is an interdisciplinary field responsible for developing and improving methods for acquiring, storing, organising and analysing biological data that supports the delivery of patient care."},
	{Kind: More, Text: "Find out more about careers in bioinformatics", URL: "https://www.healthcareers.nhs.uk/explore-roles/bioinformatics"},
}

var seedMeta = Meta{
	Title:      "Careers in healthcare science",
	URL:        "https://www.healthcareers.nhs.uk/explore-roles/healthcare-science/careers-healthcare-science",
	Breadcrumb: []string{"NHS Careers", "Explore by career", "Healthcare science", "Careers in healthcare science"},
}

func TestParseSeedFormats(t *testing.T) {
	tests := []struct {
		file  string
		parse func(string, []byte) (Meta, []Block, error)
		lines map[string]int // block text prefix -> line
	}{
		{"testdata/seed.md", parseMarkdown, map[string]int{"Careers in": 7, "genetics.": 18, "Bioinformatics": 44, "Find out more about careers in bioinformatics": 48}},
		{"testdata/seed.html", parseHTML, map[string]int{"Careers in": 61, "genetics.": 70, "Bioinformatics": 84, "Find out more about careers in bioinformatics": 86}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			data, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			meta, got, err := tt.parse(tt.file, data)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if !reflect.DeepEqual(meta, seedMeta) {
				t.Errorf("meta = %#v, want %#v", meta, seedMeta)
			}
			assertBlocks(t, withoutLines(got), seedBlocks)
			for prefix, line := range tt.lines {
				found := false
				for _, b := range got {
					if b.Text == prefix || (strings.HasPrefix(b.Text, prefix) && b.Kind == Heading && b.Level == 1) {
						found = true
						if b.Line != line {
							t.Errorf("%q at line %d, want %d", b.Text, b.Line, line)
						}
						break
					}
				}
				if !found {
					t.Errorf("no block %q", prefix)
				}
			}
		})
	}
}

func assertBlocks(t *testing.T, got, want []Block) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if reflect.DeepEqual(got, want) {
		return
	}
	n := max(len(got), len(want))
	for i := range n {
		var g, w Block
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("block %d:\n got  %+v\n want %+v", i, g, w)
		}
	}
}

func withoutLines(bs []Block) []Block {
	out := make([]Block, len(bs))
	for i, b := range bs {
		b.Line = 0
		out[i] = b
	}
	return out
}

// addFileSeeds adds the testdata documents with the given extension to f.
func addFileSeeds(f *testing.F, ext string) {
	f.Helper()
	files, _ := filepath.Glob("testdata/*" + ext)
	more, _ := filepath.Glob("testdata/pages/*" + ext)
	for _, name := range append(files, more...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkFuzzBlocks asserts the invariants every parser result keeps.
func checkFuzzBlocks(t *testing.T, blocks []Block) {
	t.Helper()
	for i, b := range blocks {
		if b.Kind < Heading || b.Kind > More {
			t.Fatalf("block %d: invalid kind %d", i, b.Kind)
		}
		if b.Text == "" {
			t.Fatalf("block %d (%s): empty text", i, b.Kind)
		}
		if !utf8.ValidString(b.Text) {
			t.Fatalf("block %d: invalid UTF-8 %q", i, b.Text)
		}
		if normText(b.Text) != b.Text {
			t.Fatalf("block %d: text not folded: %q", i, b.Text)
		}
		if b.Kind == Heading && (b.Level < 1 || b.Level > 6) {
			t.Fatalf("block %d: heading level %d", i, b.Level)
		}
		if b.Line < 0 {
			t.Fatalf("block %d: line %d", i, b.Line)
		}
	}
}

func FuzzParseMarkdown(f *testing.F) {
	addFileSeeds(f, ".md")
	for _, s := range []string{"", "---\n", "---\n---\n", "---\ntitle: [\n---\n", "# \n", "- \n  - \n", "> > > x", "| a |\n|---|\n| b |", "[Find out more](<>)", "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		meta, blocks, err := parseMarkdown("fuzz.md", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.md") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		_ = meta
		checkFuzzBlocks(t, blocks)
	})
}
