package knowledge

import (
	"strings"
	"testing"
)

func TestCheckURL(t *testing.T) {
	tests := []struct {
		url     string
		page    bool
		refused bool
	}{
		{"", true, false},
		{"https://www.healthcareers.nhs.uk/x", true, false},
		{"HTTP://example.org/", true, false},
		{"javascript:alert(1)", false, true},
		{"JavaScript:alert(1)", true, true},
		{" javascript:alert(1)", false, true},
		{"data:text/html,<script>alert(1)</script>", false, true},
		{"vbscript:msgbox", false, true},
		{"file:///etc/passwd", true, true},
		{"https:///nohost", true, true},
		{"/relative/link", false, false},
		{"/relative/page", true, true},
		{"http://[::1", false, true},
	}
	for _, tc := range tests {
		if got := checkURL(tc.url, tc.page) != ""; got != tc.refused {
			t.Errorf("checkURL(%q, page=%v) refused = %v, want %v", tc.url, tc.page, got, tc.refused)
		}
	}
}

// Hostile URLs in every format are reported and dropped, never kept on the
// document where answers would quote them.
func TestHostileURLsDropped(t *testing.T) {
	pages := map[string]string{
		"page.md": "---\ntitle: Careers in genetics\nurl: javascript:alert(document.cookie)\n---\n\n" +
			"## Genetics\n\nGenetics staff are often based in specialist hospitals.\n\n" +
			"[Find out more about genetics](javascript:alert(1))\n",
		"page.html": `<html><head><title>Careers in genetics</title><link rel="canonical" href="javascript:alert(1)"></head><body>` +
			`<h1>Careers in genetics</h1><h2>Genetics</h2><p>Genetics staff are often based in specialist hospitals.</p>` +
			`<p><a href="data:text/html,x">Find out more about genetics</a></p></body></html>`,
	}
	for name, src := range pages {
		t.Run(name, func(t *testing.T) {
			doc, problems, err := Parse(name, []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if doc.URL != "" {
				t.Errorf("document URL kept: %q", doc.URL)
			}
			for _, s := range doc.Sections {
				for _, l := range s.More {
					if l.URL != "" {
						t.Errorf("link %q kept its URL %q", l.Text, l.URL)
					}
				}
			}
			var msgs []string
			for _, p := range problems {
				msgs = append(msgs, p.Error())
			}
			all := strings.Join(msgs, "\n")
			if !strings.Contains(all, "not an http or https URL") {
				t.Errorf("problems do not report the URL:\n%s", all)
			}
			if strings.Contains(all, "alert") {
				t.Errorf("problems quote the hostile URL:\n%s", all)
			}
		})
	}
}
