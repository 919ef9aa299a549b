package knowledge

import (
	"reflect"
	"strings"
	"testing"
)

// tree renders topics as "name > child, child" lines, parents first, for
// comparison in tests.
func tree(topics []*Topic) map[string][]string {
	m := map[string][]string{}
	for _, t := range topics {
		var kids []string
		for _, c := range t.Children {
			kids = append(kids, c.Name)
		}
		m[t.Name] = kids
	}
	return m
}

func topicByName(tb testing.TB, b *Base, name string) *Topic {
	tb.Helper()
	for _, t := range b.Topics {
		if t.Name == name {
			return t
		}
	}
	tb.Fatalf("no topic %q", name)
	return nil
}

func sentenceTexts(ss []*Sentence) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Text)
	}
	return out
}

// TestDefaultSeed reads the seed as saved text (knowledge/seed), the
// format whose lost headings it checks; the embedded copy is the same page
// in Markdown (TestEmbeddedSeedIsTheSeed).
func TestDefaultSeed(t *testing.T) {
	b, err := Load("seed")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Documents) != 1 {
		t.Fatalf("%d documents, want 1", len(b.Documents))
	}
	doc := b.Documents[0]
	t.Run("document", func(t *testing.T) {
		if doc.Title != "Careers in healthcare science" {
			t.Errorf("title = %q", doc.Title)
		}
		if len(doc.Breadcrumb) != 4 {
			t.Errorf("breadcrumb = %q", doc.Breadcrumb)
		}
		if len(b.Problems) != 0 {
			t.Errorf("problems = %v, want none", b.Problems)
		}
	})
	t.Run("sections", func(t *testing.T) {
		var got []string
		for _, s := range doc.Sections {
			got = append(got, s.Heading)
		}
		want := []string{"", "Life sciences", "Physiological sciences", "Clinical engineering and medical physics", "Bioinformatics"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("sections = %q, want %q", got, want)
		}
		for _, s := range doc.Sections[1:] {
			if s.Parent != nil || s.Level != 2 || !reflect.DeepEqual(s.Path, []string{s.Heading}) {
				t.Errorf("section %q: parent %v level %d path %q, want top level", s.Heading, s.Parent, s.Level, s.Path)
			}
			if len(s.More) != 1 {
				t.Errorf("section %q has %d more links, want 1", s.Heading, len(s.More))
			}
		}
	})
	t.Run("implicit bioinformatics section", func(t *testing.T) {
		s := doc.Sections[4]
		if len(s.Sentences) != 2 || !strings.HasPrefix(s.Sentences[0].Text, "Bioinformatics is an interdisciplinary field") {
			t.Errorf("Bioinformatics sentences = %q", sentenceTexts(s.Sentences))
		}
		if s.Line != 43 {
			t.Errorf("Bioinformatics line = %d, want 43", s.Line)
		}
		// And the clinical engineering section did not swallow it.
		for _, sen := range doc.Sections[3].Sentences {
			if strings.Contains(sen.Text, "Bioinformatics") {
				t.Errorf("clinical engineering holds %q", sen.Text)
			}
		}
	})
	t.Run("life sciences list", func(t *testing.T) {
		s := doc.Sections[1]
		want := []string{"blood diagnostic services", "infection sciences", "tissue and cellular science", "genetics"}
		if !reflect.DeepEqual(s.Bullets, want) {
			t.Errorf("bullets = %q, want %q", s.Bullets, want)
		}
		if s.Sentences[0].Kind != ListIntro || s.Sentences[0].Text != "Life sciences is divided into four areas -" {
			t.Errorf("first sentence %q kind %d, want the list intro", s.Sentences[0].Text, s.Sentences[0].Kind)
		}
		for _, sen := range s.Sentences[1:5] {
			if sen.Kind != ListItem {
				t.Errorf("%q kind %d, want ListItem", sen.Text, sen.Kind)
			}
		}
	})
	t.Run("sentence ids", func(t *testing.T) {
		for i, s := range b.Sentences {
			if s.ID != i || s.Section == nil || s.Section.Doc != doc {
				t.Errorf("sentence %d: id %d section %v", i, s.ID, s.Section)
			}
		}
	})
	t.Run("topics", func(t *testing.T) {
		want := map[string][]string{
			"healthcare science":                       {"Life sciences", "Physiological sciences", "Clinical engineering and medical physics", "Bioinformatics"},
			"Life sciences":                            {"blood diagnostic services", "infection sciences", "tissue and cellular science", "genetics"},
			"blood diagnostic services":                nil,
			"infection sciences":                       nil,
			"tissue and cellular science":              nil,
			"genetics":                                 nil,
			"Physiological sciences":                   nil,
			"Clinical engineering and medical physics": nil,
			"Bioinformatics":                           nil,
		}
		if got := tree(b.Topics); !reflect.DeepEqual(got, want) {
			t.Errorf("topics = %v\nwant %v", got, want)
		}
		for _, tp := range b.Topics {
			if tp.Key != strings.ToLower(tp.Name) {
				t.Errorf("topic %q key %q", tp.Name, tp.Key)
			}
			for _, c := range tp.Children {
				if c.Parent != tp {
					t.Errorf("%q is a child of %q but its parent is %v", c.Name, tp.Name, c.Parent)
				}
			}
		}
		if p := topicByName(t, b, "genetics").Parent; p == nil || p.Name != "Life sciences" {
			t.Errorf("genetics parent = %v, want Life sciences", p)
		}
		if s := topicByName(t, b, "Physiological sciences").Section; s == nil || s.Heading != "Physiological sciences" {
			t.Errorf("Physiological sciences section = %v", s)
		}
		if s := topicByName(t, b, "healthcare science").Section; s == nil || s.Heading != "" {
			t.Errorf("healthcare science section = %v, want the introduction", s)
		}
	})
	t.Run("mentions", func(t *testing.T) {
		tests := []struct {
			topic   string
			has     []string
			hasNot  []string
			atLeast int
		}{
			{"genetics", []string{"genetics.", "Genetics staff are often based in specialist hospitals."}, nil, 2},
			{"Life sciences", []string{"Find out more about careers in the life sciences"}, []string{"Genetics staff are often based in specialist hospitals."}, 2},
			{"Physiological sciences", []string{"Find out more about careers in the physiological sciences"}, nil, 2},
			{"Bioinformatics", []string{"Find out more about careers in bioinformatics"}, nil, 2},
			// "infection sciences" is not "sciences" alone: whole phrases only.
			{"infection sciences", []string{"infection sciences"}, []string{"Find out more about careers in the life sciences"}, 1},
		}
		for _, tt := range tests {
			t.Run(tt.topic, func(t *testing.T) {
				got := sentenceTexts(topicByName(t, b, tt.topic).Sentences)
				if len(got) < tt.atLeast {
					t.Errorf("%d sentences %q, want at least %d", len(got), got, tt.atLeast)
				}
				for _, h := range tt.has {
					if !contains(got, h) {
						t.Errorf("sentences %q lack %q", got, h)
					}
				}
				for _, h := range tt.hasNot {
					if contains(got, h) {
						t.Errorf("sentences %q hold %q", got, h)
					}
				}
			})
		}
	})
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestLoadTestdataPage(t *testing.T) {
	b, err := Load("testdata/txt/allied-health-professions.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Problems) != 0 {
		t.Errorf("problems = %v", b.Problems)
	}
	doc := b.Documents[0]
	if doc.Title != "Careers in the allied health professions" {
		t.Errorf("title = %q", doc.Title)
	}
	if doc.URL != "https://www.healthcareers.nhs.uk/explore-roles/allied-health-professionals" {
		t.Errorf("URL = %q", doc.URL)
	}
	var heads []string
	for _, s := range doc.Sections {
		heads = append(heads, s.Heading)
	}
	if want := []string{"", "Therapies", "Diagnostic radiography", "Where you'll work"}; !reflect.DeepEqual(heads, want) {
		t.Errorf("sections = %q, want %q", heads, want)
	}
	ther := doc.Sections[1]
	if want := []string{"Occupational therapy - helping people carry out everyday tasks after illness or injury",
		"Physiotherapy - restoring movement and function through exercise and manual therapy",
		"Speech and language therapy - supporting people with communication and swallowing difficulties"}; !reflect.DeepEqual(ther.Bullets, want) {
		t.Errorf("bullets = %q", ther.Bullets)
	}
	if ther.Sentences[0].Kind != ListIntro {
		t.Errorf("%q is not a list intro", ther.Sentences[0].Text)
	}
	want := map[string][]string{
		"allied health professions":   {"Therapies", "Diagnostic radiography"},
		"Therapies":                   {"Occupational therapy", "Physiotherapy", "Speech and language therapy"},
		"Occupational therapy":        nil,
		"Physiotherapy":               nil,
		"Speech and language therapy": nil,
		"Diagnostic radiography":      nil,
	}
	if got := tree(b.Topics); !reflect.DeepEqual(got, want) {
		t.Errorf("topics = %v\nwant %v", got, want)
	}
	// "Where you'll work" is an aspect of the page, not a topic, and its
	// sentence still mentions the page's topic.
	if got := sentenceTexts(topicByName(t, b, "allied health professions").Sentences); !contains(got, "Allied health professionals work in hospitals, GP surgeries, schools and the community.") &&
		!contains(got, "There are fourteen allied health professions in the NHS.") {
		t.Errorf("allied health professions sentences = %q", got)
	}
	if got := sentenceTexts(topicByName(t, b, "Physiotherapy").Sentences); !contains(got, "Physiotherapy - restoring movement and function through exercise and manual therapy") {
		t.Errorf("Physiotherapy sentences = %q", got)
	}
}

func TestMoreTopic(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Find out more about careers in the life sciences", "life sciences"},
		{"Find out more about careers in bioinformatics", "bioinformatics"},
		{"Find out more about a career in audiology.", "audiology"},
		{"find out more about working in the NHS!", "NHS"},
		{"Read more about genetics", "genetics"},
		{"Learn more about roles in clinical engineering and medical physics", "clinical engineering and medical physics"},
		{"  Find out more about jobs in radiography  ", "radiography"},
		{"Find out more", ""},
		{"Find out more about", ""},
		{"Genetics staff are often based in specialist hospitals.", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := MoreTopic(tt.in); got != tt.want {
				t.Errorf("MoreTopic(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestItemTopic(t *testing.T) {
	tests := []struct{ in, want string }{
		{"genetics.", "genetics"},
		{"blood diagnostic services", "blood diagnostic services"},
		{"Audiology - testing hearing and balance", "Audiology"},
		{"Audiology – testing hearing and balance", "Audiology"},
		{"Audiology: testing hearing and balance.", "Audiology"},
		{"Speech and language therapy - supporting people with communication", "Speech and language therapy"},
		{"Cardio-respiratory physiology - tests of the heart and lungs", "Cardio-respiratory physiology"},
		{"X-ray imaging: pictures of the inside of the body", "X-ray imaging"},
		{"gastro-intestinal tract", "gastro-intestinal tract"},
		{"You will work with patients of all ages in many places", ""},
		{"Staff test samples. They report results", ""},
		{"Is it for me?", ""},
		{"", ""},
		{" ; ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := itemTopic(tt.in); got != tt.want {
				t.Errorf("itemTopic(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsAspect(t *testing.T) {
	tests := []struct {
		heading string
		want    bool
	}{
		{"Where you'll work", true},
		{"What do they do?", true},
		{"Who you'll work with", true},
		{"How to find out more", true},
		{"Your career", true},
		{"Is it for me", true},
		{"Overview", true},
		{"Audiology", false},
		{"Life sciences", false},
		{"Clinical engineering and medical physics", false},
		{"Working life", true},
		{"Entry requirements", true},
		{"Cardiac physiology", false},
		{"Genetics?", true},
		{"A very long heading that reads like a whole sentence of text", true},
	}
	for _, tt := range tests {
		t.Run(tt.heading, func(t *testing.T) {
			if got := isAspect(tt.heading); got != tt.want {
				t.Errorf("isAspect(%q) = %v, want %v", tt.heading, got, tt.want)
			}
		})
	}
}

func TestTopicName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Careers in healthcare science", "healthcare science"},
		{"Careers in the allied health professions", "allied health professions"},
		{"A career in audiology", "audiology"},
		{"Working in the NHS", "NHS"},
		{"Life sciences", "Life sciences"},
		{"Genetics:", "Genetics"},
		{"Careers", "Careers"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := topicName(tt.in); got != tt.want {
				t.Errorf("topicName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestContainsPhrase(t *testing.T) {
	tests := []struct {
		text, phrase string
		want         bool
	}{
		{"genetics staff", "genetics", true},
		{"the life sciences play", "life sciences", true},
		{"geneticsx", "genetics", false},
		{"xgenetics genetics", "genetics", true},
		{"sciences", "life sciences", false},
		{"about café life", "café", true},
		{"cafés", "café", false},
	}
	for _, tt := range tests {
		t.Run(tt.text+"/"+tt.phrase, func(t *testing.T) {
			if got := containsPhrase(" "+tt.text+" ", tt.phrase); got != tt.want {
				t.Errorf("containsPhrase(%q, %q) = %v", tt.text, tt.phrase, got)
			}
		})
	}
}

func TestBuildStructure(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		sections []string // heading paths joined with " / "
		topics   map[string][]string
		problems []string
	}{
		{
			name:     "nested markdown-like levels",
			sections: []string{"A", "A / B", "C"},
			topics:   map[string][]string{"Doc": {"A", "C"}, "A": {"B"}, "B": nil, "C": nil},
		},
		{
			name:     "list after colon intro names topics",
			in:       "Doc\n\nAreas\n\nThe areas are:\n\n• first area\n• second area\n\nStaff work in the first area mostly.\n",
			sections: []string{"Areas"},
			topics:   map[string][]string{"Doc": {"Areas"}, "Areas": {"first area", "second area"}, "first area": nil, "second area": nil},
		},
		{
			name:     "bullets without an intro are not topics",
			in:       "Doc\n\nAreas\n\nStaff do many things.\n\n• test blood\n• report results\n",
			sections: []string{"Areas"},
			topics:   map[string][]string{"Doc": {"Areas"}, "Areas": nil},
		},
		{
			name:     "name - definition bullets are topics without an intro",
			in:       "Doc\n\nAreas\n\nStaff do many things.\n\n• Audiology - hearing tests\n• Cardiology - heart tests\n",
			sections: []string{"Areas"},
			topics:   map[string][]string{"Doc": {"Areas"}, "Areas": {"Audiology", "Cardiology"}, "Audiology": nil, "Cardiology": nil},
		},
		{
			name:     "aspect heading is no topic and its list belongs to the parent",
			in:       "Careers in audiology\n\nIntro text.\n\nWhat you'll do\n\nYou will do:\n\n• hearing tests\n• balance tests\n",
			sections: []string{"", "What you'll do"},
			topics:   map[string][]string{"audiology": {"hearing tests", "balance tests"}, "hearing tests": nil, "balance tests": nil},
		},
		{
			name:     "heading without text is a problem",
			in:       "Doc\n\nIntro text.\n\nEmpty heading\n\nSecond heading\n\nSome text.\n",
			sections: []string{"", "Empty heading", "Second heading"},
			topics:   map[string][]string{"Doc": {"Empty heading", "Second heading"}, "Empty heading": nil, "Second heading": nil},
			problems: []string{`in.txt:5: heading "Empty heading" has no text`},
		},
		{
			name:     "implicit section named by subject when no more line follows",
			in:       "Doc\n\nAreas\n\nText here.\n\nFind out more about areas\n\nRadiology is a field of imaging.\n",
			sections: []string{"Areas", "Radiology"},
			topics:   map[string][]string{"Doc": {"Areas", "Radiology"}, "Areas": nil, "Radiology": nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc *Document
			var problems []Problem
			if tt.in == "" {
				blocks := []Block{
					{Kind: Heading, Level: 1, Text: "Doc", Line: 1},
					{Kind: Heading, Level: 2, Text: "A", Line: 2},
					{Kind: Paragraph, Text: "Text of A.", Line: 3},
					{Kind: Heading, Level: 3, Text: "B", Line: 4},
					{Kind: Paragraph, Text: "Text of B.", Line: 5},
					{Kind: Heading, Level: 2, Text: "C", Line: 6},
					{Kind: Paragraph, Text: "Text of C.", Line: 7},
				}
				doc, problems = build("in.md", Meta{}, blocks)
			} else {
				meta, blocks, err := parseText("in.txt", []byte(tt.in))
				if err != nil {
					t.Fatal(err)
				}
				doc, problems = build("in.txt", meta, blocks)
			}
			var secs []string
			for _, s := range doc.Sections {
				secs = append(secs, strings.Join(s.Path, " / "))
			}
			if !reflect.DeepEqual(secs, tt.sections) {
				t.Errorf("sections = %q, want %q", secs, tt.sections)
			}
			if got := tree(deriveTopics([]*Document{doc})); !reflect.DeepEqual(got, tt.topics) {
				t.Errorf("topics = %v, want %v", got, tt.topics)
			}
			var ps []string
			for _, p := range problems {
				ps = append(ps, p.Error())
			}
			if !reflect.DeepEqual(ps, tt.problems) {
				t.Errorf("problems = %q, want %q", ps, tt.problems)
			}
		})
	}
}

// TestEmbeddedSeedIsTheSeed checks that the embedded Markdown page and the
// saved text give the same sections and sentences, and that the embedded
// one carries the links of its "find out more" lines.
func TestEmbeddedSeedIsTheSeed(t *testing.T) {
	emb, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	txt, err := Load("seed")
	if err != nil {
		t.Fatal(err)
	}
	a, b := emb.Documents[0], txt.Documents[0]
	if a.Title != b.Title || a.URL != b.URL || len(a.Sections) != len(b.Sections) {
		t.Fatalf("embedded %q %q %d sections, text %q %q %d", a.Title, a.URL, len(a.Sections), b.Title, b.URL, len(b.Sections))
	}
	for i := range a.Sections {
		if got, want := sentenceTexts(a.Sections[i].Sentences), sentenceTexts(b.Sections[i].Sentences); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("section %d: embedded %q, text %q", i, got, want)
		}
	}
	links := 0
	for _, s := range a.Sections {
		for _, l := range s.More {
			if strings.HasPrefix(l.URL, "http") {
				links++
			}
		}
	}
	if links != 4 {
		t.Errorf("%d find-out-more links in the embedded page, want 4", links)
	}
}
