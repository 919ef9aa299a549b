// Package synth writes synthetic career pages in the seed's .txt style, for
// benchmarks and load tests of large knowledge bases.
package synth

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

var syllables = []string{"ca", "ri", "on", "ta", "le", "mi", "no", "ph", "sy", "lo", "gen", "ter", "bio", "neu", "car", "dio",
	"path", "ol", "ogy", "ic", "ra", "vas", "cu", "lar", "der", "ma", "hae", "mo", "im", "mu", "ne", "en", "do", "cri"}

var places = []string{"hospital laboratories", "clinics", "the community", "specialist centres", "operating theatres",
	"outpatient departments", "patients' homes", "research units", "GP practices", "mobile units"}

var tools = []string{"microscopes", "scanners", "analysers", "monitors", "ultrasound", "lasers", "sequencers", "software"}

// word makes a pseudo-word of n syllables.
func word(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(syllables[r.IntN(len(syllables))])
	}
	return b.String()
}

// Page returns the text of synthetic page i: a breadcrumb, a title, an
// intro listing its areas, and a section per area with where staff work,
// who they work with, their equipment and a "find out more" line.
func Page(i int) string {
	r := rand.New(rand.NewPCG(uint64(i), 42))
	field := word(r, 3) + " science"
	var b strings.Builder
	fmt.Fprintf(&b, "NHS Careers > Explore by career > %s > Careers in %s\n\n", field, field)
	fmt.Fprintf(&b, "Careers in %s\n\nCareers in %s\n\nSource: https://example.org/careers/%d\n\n", field, field, i)
	n := 3 + r.IntN(3)
	areas := make([]string, n)
	for j := range areas {
		areas[j] = word(r, 2+r.IntN(2)) + " " + []string{"sciences", "physiology", "engineering", "therapy"}[r.IntN(4)]
	}
	fmt.Fprintf(&b, "Staff in %s work in %d areas:\n\n", field, n)
	for _, a := range areas {
		fmt.Fprintf(&b, "  • %s\n", a)
	}
	b.WriteString("\n")
	for _, a := range areas {
		fmt.Fprintf(&b, "%s\n\n", strings.ToUpper(a[:1])+a[1:])
		fmt.Fprintf(&b, "Staff in %s study the %s and %s of patients. They help doctors to diagnose and treat %s conditions.\n\n",
			a, word(r, 3), word(r, 2), word(r, 3))
		fmt.Fprintf(&b, "Most %s staff work in %s, but some work in %s.\n\n", a, places[r.IntN(len(places))], places[r.IntN(len(places))])
		fmt.Fprintf(&b, "You will use %s and %s to measure %s.\n\n", tools[r.IntN(len(tools))], tools[r.IntN(len(tools))], word(r, 3))
		fmt.Fprintf(&b, "Find out more about careers in %s\n\n", a)
	}
	return b.String()
}

// WriteDir writes n synthetic pages into dir.
func WriteDir(dir string, n int) error {
	for i := 0; i < n; i++ {
		p := filepath.Join(dir, fmt.Sprintf("page-%04d.txt", i))
		if err := os.WriteFile(p, []byte(Page(i)), 0o644); err != nil {
			return err
		}
	}
	return nil
}
