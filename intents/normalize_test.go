package intents

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWordsAndClean(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"plain", "Where do genetics staff work?", []string{"where", "do", "genetics", "staff", "work"}},
		{"slack mention", "<@U024BE7LH> where do they work", []string{"where", "do", "they", "work"}},
		{"slack mention with name", "<@U024BE7LH|careersbot> hi", []string{"hi"}},
		{"discord mentions", "<@!123456> <@789> <@&42> hello", []string{"hello"}},
		{"channel and specials", "<!here> <!channel> <#C123|general> hi", []string{"hi"}},
		{"slack link keeps label", "see <https://example.com|NHS page> please", []string{"see", "nhs", "page", "please"}},
		{"bare url dropped", "what is https://example.com/x?y=1 about", []string{"what", "is", "about"}},
		{"emoji dropped", "👋 hi! 🧬 genetics :dna: ?", []string{"hi", "genetics"}},
		{"nbsp and tabs", "life\u00a0sciences\tstaff", []string{"life", "sciences", "staff"}},
		{"apostrophes", "what's people's job", []string{"whats", "people", "job"}},
		{"curly apostrophe", "what’s bioinformatics", []string{"whats", "bioinformatics"}},
		{"hyphen splits", "gastro-intestinal tract", []string{"gastro", "intestinal", "tract"}},
		{"markdown", "**what** is _life sciences_ `code`", []string{"what", "is", "life", "sciences", "code"}},
		{"entities", "blood &amp; tissue", []string{"blood", "tissue"}},
		{"everyone ping", "@everyone where @here", []string{"where"}},
		{"control characters", "gen\x00etics\x07 staff", []string{"gen", "etics", "staff"}},
		{"IT is not it", "what do IT staff do, is it fun", []string{"what", "do", "it_", "staff", "do", "is", "it", "fun"}},
		{"empty", "", nil},
		{"emoji only", "🎉🎉🎉", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Words(Clean(tt.in))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Words(Clean(%q)) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestUKSpelling(t *testing.T) {
	table := map[string]string{"analyze": "analyse", "center": "centre"}
	tests := map[string]string{
		"organizing": "organising", "analyze": "analyse", "specialized": "specialised",
		"center": "centre", "size": "size", "prize": "prize", "hospital": "hospital",
		"organization": "organisation",
	}
	for in, want := range tests {
		if got := ukSpelling(in, table); got != want {
			t.Errorf("ukSpelling(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRoot(t *testing.T) {
	// forms the stemmer keeps apart meet at their root
	same := [][2]string{
		{"scientist", "sciences"}, {"physicist", "physics"}, {"bioinformatician", "bioinformatics"},
		{"therapist", "therapy"}, {"radiographer", "radiography"},
		{"midwives", "midwife"}, {"genetic", "genetics"}, {"biochemist", "biochemistry"},
	}
	for _, p := range same {
		if a, b := termOf(p[0]), termOf(p[1]); a != b {
			t.Errorf("termOf(%q) = %q, termOf(%q) = %q: want the same", p[0], a, p[1], b)
		}
	}
	// and short roots stay apart
	apart := [][2]string{{"care", "career"}, {"cell", "cellular"}, {"general", "genetics"}, {"nurse", "nutrition"}}
	for _, p := range apart {
		if a, b := termOf(p[0]), termOf(p[1]); a == b {
			t.Errorf("termOf(%q) = termOf(%q) = %q: want them apart", p[0], p[1], a)
		}
	}
}

func TestSpellDict(t *testing.T) {
	d := newSpellDict(map[string]int{"genetics": 3, "bioinformatics": 3, "physiological": 3,
		"where": 2, "what": 2, "hospital": 1, "generic": 1, "medical": 3, "lung": 1, "radiography": 2,
		"reason": 2, "specialty": 2, "spending": 1, "spread": 1}, DefaultTuning)
	tests := map[string]string{
		"genitics":       "genetics",       // wrong letter
		"genetcis":       "genetics",       // swapped letters
		"bioinfromatics": "bioinformatics", // swapped letters
		"physiolgical":   "physiological",  // dropped letter
		"physiollogical": "physiological",  // doubled letter
		"bioinfmatics":   "bioinformatics", // two dropped letters: a subsequence
		"radiograpy":     "radiography",
		"medcal":         "medical",
		"long":           "", // too short to correct: "long" is not "lung"
		"xyzzy":          "",
		"genetics":       "", // known words are not corrected
		"season":         "", // a wrong first letter in a short word: an everyday word, not "reason"
		"especially":     "", // nor two edits and a wrong first letter ("specialty")
	}
	for in, want := range tests {
		if got := d.correct(in); got != want {
			t.Errorf("correct(%q) = %q, want %q", in, got, want)
		}
	}
	if got := d.correct("genitics"); got != "genetics" {
		t.Errorf("cached correct = %q", got)
	}
	// "spreading" is spread with an ending, not a typo of "spending";
	// "genetic" + s is not another word
	if !d.inflectsOther("spreading", "spending") {
		t.Error(`inflectsOther("spreading", "spending") = false`)
	}
	if d.inflectsOther("geneticss", "genetics") {
		t.Error(`inflectsOther("geneticss", "genetics") = true`)
	}
}

func TestQuantities(t *testing.T) {
	e := seedEngine(t)
	tests := map[string]string{
		"how long is the degree":                  "duration",
		"how many years does it take":             "duration",
		"how many areas are there":                "count",
		"how much do nurses earn":                 "money",
		"how often do they visit":                 "frequency",
		"what age range do children's nurses see": "age",
		"when does recruitment open":              "when",
		"where do they work":                      "",
	}
	for q, want := range tests {
		got := ""
		ws := Words(q)
		fs := make([]*wordFacts, len(ws))
		for i, w := range ws {
			fs[i] = e.facts(w)
		}
		if qt, _ := e.detectQuantity(ws, fs); qt != nil {
			got = qt.name
		}
		if got != want {
			t.Errorf("detectQuantity(%q) = %q, want %q", q, got, want)
		}
	}
}

func FuzzNormalise(f *testing.F) {
	for _, s := range []string{"<@U024BE7LH> where do genetics staff work", "👋 hi!", "what's <https://x|y>",
		"\x00\xff\xfe", strings.Repeat("a", 300), "@everyone <!here>", "&amp;&lt;", "IT OR AS"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, w := range Words(Clean(s)) {
			if w == "" {
				t.Fatal("empty word")
			}
			if !utf8.ValidString(w) && utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 word %q from valid input", w)
			}
			if strings.ContainsAny(w, " \t\n<>@") {
				t.Fatalf("word %q holds a separator", w)
			}
		}
	})
}

// The question path cuts capitalised words from one lower-cased copy of
// the message; the words must be the ones Words gives.
func TestWordsFromLowerCopy(t *testing.T) {
	for _, s := range []string{
		"Where Do Genetics Staff Work?!", "I work in IT, OR theatres and A levels", "WHAT'S A PWP",
		"Café staff in Zürich", "what does a physio do", "", "NHS 111 and GCSEs", "x-ray Radiographer's day",
	} {
		got := appendWordsLower(nil, s, asciiLower(s))
		if want := Words(s); !slices.Equal(got, want) {
			t.Errorf("%q: words %q from the lower-case copy, Words gives %q", s, got, want)
		}
	}
}

func TestTxtNumbers(t *testing.T) {
	e := seedEngine(t)
	for in, want := range map[string]string{
		"wot do u need 2 be a nurse":                  "wot do u need to be a nurse",
		"in medical physics wot r they responsible 4": "in medical physics wot r they responsible for",
		"is there an age limit 4 nhs apprenticeships": "is there an age limit for nhs apprenticeships",
		"do i need 4 gcses":                           "do i need 4 gcses",
		"is it 2 years or 4 years":                    "is it 2 years or 4 years",
		"can i start on band 4":                       "can i start on band 4",
		"i have 2 a levels":                           "i have 2 a levels",
		"level 2 and 4 apprenticeships":               "level 2 and 4 apprenticeships",
	} {
		ws := strings.Fields(in)
		e.txtNumbers(ws)
		if got := strings.Join(ws, " "); got != want {
			t.Errorf("txtNumbers(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSegmentsSplitLeadIns(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"Question: what does a porter do?", []string{"Question:", " what does a porter do?"}},
		{"Please help - who do orthoptists work with", []string{"Please help -", " who do orthoptists work with"}},
		{"do they work 9-5 or shifts", []string{"do they work 9-5 or shifts"}},
		{"is it 10:30 to 6", []string{"is it 10:30 to 6"}},
		{"My son is 15 and wants to work in a hospital: what could he do?", []string{"My son is 15 and wants to work in a hospital: what could he do?"}},
		{"Hi. Where do dietitians work?", []string{"Hi.", " Where do dietitians work?"}},
		{"Just curious, where do dietitians work?", []string{"Just curious,", " where do dietitians work?"}},
		{"In Scotland, where do dietitians work?", []string{"In Scotland, where do dietitians work?"}},
	} {
		var got []string
		for _, sg := range segments(c.text, nil, func(w string) bool { return w == "just" || w == "curious" }) {
			got = append(got, c.text[sg[0]:sg[1]])
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("segments(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
