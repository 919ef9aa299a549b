package knowledge

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"spaces only", "   ", nil},
		{"one sentence", "Genetics staff are often based in specialist hospitals.", []string{"Genetics staff are often based in specialist hospitals."}},
		{"no final stop", "Two sentences. Second one", []string{"Two sentences.", "Second one"}},
		{"two sentences", "Staff work in labs. They test samples.", []string{"Staff work in labs.", "They test samples."}},
		{"extra spaces between", "One.   Two.", []string{"One.", "Two."}},
		{"question mark", "What is genetics? It is the study of genes.", []string{"What is genetics?", "It is the study of genes."}},
		{"exclamation", "Join us! We are hiring.", []string{"Join us!", "We are hiring."}},
		{"abbreviation e.g.", "Some tests, e.g. Hearing tests, are quick. Others take days.", []string{"Some tests, e.g. Hearing tests, are quick.", "Others take days."}},
		{"abbreviation i.e.", "The lab, i.e. The genetics lab, is big.", []string{"The lab, i.e. The genetics lab, is big."}},
		{"title Dr.", "Ask Dr. Smith about it. She knows.", []string{"Ask Dr. Smith about it.", "She knows."}},
		{"title Mrs. in brackets", "The head (Mrs. Jones) runs it.", []string{"The head (Mrs. Jones) runs it."}},
		{"etc. before lower case", "Blood, urine etc. are tested.", []string{"Blood, urine etc. are tested."}},
		{"decimal", "About 3.5 million tests are done. Most are routine.", []string{"About 3.5 million tests are done.", "Most are routine."}},
		{"decimal at start of sentence", "Staff work shifts. 37.5 hours is a normal week.", []string{"Staff work shifts.", "37.5 hours is a normal week."}},
		{"no split before lower case", "It uses the www.nhs.uk site. and then more", []string{"It uses the www.nhs.uk site. and then more"}},
		{"closing straight quote", `He said "It works." Then he left.`, []string{`He said "It works."`, "Then he left."}},
		{"closing curly quote", "He said “It works.” Then he left.", []string{"He said “It works.”", "Then he left."}},
		{"closing single curly quote", "She said ‘yes.’ Then she left.", []string{"She said ‘yes.’", "Then she left."}},
		{"closing bracket", "Some work in labs (most do.) Others do not.", []string{"Some work in labs (most do.)", "Others do not."}},
		{"opening quote starts sentence", `It is done. "Great," they said.`, []string{"It is done.", `"Great," they said.`}},
		{"opening curly quote starts sentence", "It is done. “Great,” they said.", []string{"It is done.", "“Great,” they said."}},
		{"opening bracket starts sentence", "It is done. (Mostly.)", []string{"It is done.", "(Mostly.)"}},
		{"ellipsis", "Wait... Then go.", []string{"Wait...", "Then go."}},
		{"non-ASCII capital", "Staff travel. Ýmir is a place.", []string{"Staff travel.", "Ýmir is a place."}},
		{"trailing punctuation only", "...", []string{"..."}},
		{"stop then space at end", "Done. ", []string{"Done."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitSentences(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SplitSentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			// Splitting never loses or invents text.
			if j := strings.Join(got, ""); strings.ReplaceAll(j, " ", "") != strings.ReplaceAll(tt.in, " ", "") {
				t.Errorf("pieces %q do not make up the input %q", got, tt.in)
			}
		})
	}
}

func TestSplitSentencesSeed(t *testing.T) {
	b, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range b.Sentences {
		if s.Text == "" || s.Text != strings.TrimSpace(s.Text) {
			t.Errorf("sentence %d %q is empty or untrimmed", s.ID, s.Text)
		}
	}
	want := "Genetics staff are often based in specialist hospitals."
	found := false
	for _, s := range b.Sentences {
		found = found || s.Text == want
	}
	if !found {
		t.Errorf("seed sentences lack %q", want)
	}
}
