package knowledge

import (
	"os"
	"strings"
	"testing"
)

// TestHTMLFurnitureIgnored checks that page furniture not marked up as
// nav, header or footer (cookie banners, feedback prompts) never becomes
// text the bot could quote.
func TestHTMLFurnitureIgnored(t *testing.T) {
	page := `<html><body>
<div class="cookie-banner"><p>We use cookies to make this website work.</p></div>
<div id="gdpr-consent"><p>Accept all cookies?</p></div>
<div role="dialog"><p>Sign up to our newsletter.</p></div>
<section class="feedback-survey"><p>Was this page useful?</p></section>
<main><h1>Respiratory physiologist</h1><p>Respiratory physiologists test how well the lungs work.</p></main>
</body></html>`
	_, blocks, err := parseHTML("p.html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	var text []string
	for _, b := range blocks {
		text = append(text, b.Text)
	}
	all := strings.Join(text, " | ")
	for _, bad := range []string{"cookies", "newsletter", "useful"} {
		if strings.Contains(all, bad) {
			t.Errorf("furniture %q kept: %s", bad, all)
		}
	}
	if !strings.Contains(all, "lungs work") {
		t.Errorf("page text lost: %s", all)
	}
}

func TestBreadcrumbParentAndRoleParts(t *testing.T) {
	page := "NHS Careers > Explore by career > Healthcare science > Physiological sciences > Respiratory physiologist\n\n" +
		"Respiratory physiologist\n\nRespiratory physiologists test how well the lungs work. Tests include:\n\n" +
		"  • spirometry\n  • sleep studies\n\nSkills needed\n\nYou will need:\n\n  • good communication skills\n  • patience\n\n" +
		"Entry requirements\n\nYou need a degree in healthcare science.\n"
	doc, _, err := Parse("rp.txt", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	topics := deriveTopics([]*Document{doc})
	byName := map[string]*Topic{}
	for _, tp := range topics {
		byName[tp.Key] = tp
	}
	rp := byName["respiratory physiologist"]
	if rp == nil || rp.Parent == nil || rp.Parent.Key != "physiological sciences" {
		t.Fatalf("respiratory physiologist's parent: %+v", rp)
	}
	for _, item := range []string{"spirometry", "sleep studies"} {
		if byName[item] == nil || byName[item].Parent != rp {
			t.Errorf("list item %q is not a part of the role", item)
		}
	}
	for _, notTopic := range []string{"good communication skills", "patience", "skills needed", "entry requirements"} {
		if byName[notTopic] != nil {
			t.Errorf("%q became a topic", notTopic)
		}
	}
	for _, s := range doc.Sections {
		if s.Heading == "Skills needed" && s.Topic != rp {
			t.Errorf("aspect section %q belongs to %v, want the role", s.Heading, s.Topic)
		}
	}
}

// TestTextWithoutBlankLines checks that a page copied without blank lines
// between headings and paragraphs gives the same sections as the seed.
func TestTextWithoutBlankLines(t *testing.T) {
	data, err := os.ReadFile("seed/careers-in-healthcare-science.txt")
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(strings.ReplaceAll(l, "\u00a0", " ")) != "" {
			kept = append(kept, l)
		}
	}
	want, _, err := Parse("seed.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := Parse("dense.txt", []byte(strings.Join(kept, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != want.Title {
		t.Errorf("title %q, want %q", got.Title, want.Title)
	}
	var gh, wh []string
	for _, s := range got.Sections {
		gh = append(gh, s.Heading)
	}
	for _, s := range want.Sections {
		wh = append(wh, s.Heading)
	}
	if strings.Join(gh, "|") != strings.Join(wh, "|") {
		t.Errorf("sections %q, want %q", gh, wh)
	}
}

// TestLostHeadingAfterWideGap checks that a paragraph after two blank
// lines that starts with one of the page's list items opens that item's
// section, as when a saved page loses a heading.
func TestLostHeadingAfterWideGap(t *testing.T) {
	page := "Careers in medical physics\n\nThere are three specialisms:\n\n  • nuclear medicine\n  • medical electronics\n  • radiation safety\n\n" +
		"Nuclear medicine\n\nNuclear medicine staff use radioactive tracers.\n\n\n" +
		"Medical electronics staff repair infusion pumps and monitors.\n\nRadiation safety\n\nRadiation safety staff protect patients.\n"
	doc, _, err := Parse("mp.txt", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range doc.Sections {
		got = append(got, s.Heading)
	}
	want := "|Nuclear medicine|Medical electronics|Radiation safety"
	if strings.Join(got, "|") != want {
		t.Errorf("sections %q, want %q", strings.Join(got, "|"), want)
	}
}
