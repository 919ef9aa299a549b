package knowledge

import (
	"net/url"
	"strings"
)

// checkURL reports why a page or link URL may not be passed on to answers
// (sources[].url, "find out more" links), or "" if it may. Only http and
// https links are kept: any other scheme (javascript:, data:, file:,
// vbscript: ...) would run or open something in a reader's browser or
// chat client. A relative link (no scheme) is kept; it is resolved against
// the page's URL where the page has one.
func checkURL(raw string, page bool) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "is not a valid URL"
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme == "" && !page:
		return ""
	case scheme != "http" && scheme != "https":
		return "is not an http or https URL"
	case u.Host == "":
		return "has no host"
	}
	return ""
}

// dropBadURLs clears the document URL and "find out more" links that
// checkURL refuses, reporting each as a problem (kb check shows them; the
// answers never carry them). The URL itself is not quoted: it is not the
// page's text, and it may be long or hostile.
func dropBadURLs(path string, doc *Document) []Problem {
	var problems []Problem
	if why := checkURL(doc.URL, true); why != "" {
		problems = append(problems, Problem{Path: path, Msg: "the page URL " + why + "; it is left out of answers"})
		doc.URL = ""
	}
	for _, s := range doc.Sections {
		for i := range s.More {
			if why := checkURL(s.More[i].URL, false); why != "" {
				problems = append(problems, Problem{Path: path, Line: s.Line,
					Msg: "the link of " + quote(s.More[i].Text) + " " + why + "; it is left out of answers"})
				s.More[i].URL = ""
			}
		}
	}
	return problems
}
