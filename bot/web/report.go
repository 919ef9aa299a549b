package web

import (
	"time"

	"github.com/careersbot/careersbot/bot"
)

// Explanation is the console's JSON of an answer tried there, with why it
// was chosen. The fields after Suggestions are empty when the engine did
// not say.
type Explanation struct {
	Question    string   `json:"question"`
	Answered    bool     `json:"answered"`
	Intent      string   `json:"intent"`
	Topic       string   `json:"topic"`
	Answer      string   `json:"answer"`
	Confidence  float64  `json:"confidence"`
	Sources     []Source `json:"sources"`
	Suggestions []string `json:"suggestions"`

	Document   string             `json:"document"`    // the page quoted
	Section    string             `json:"section"`     // its section
	AnswerType string             `json:"answer_type"` // what the question was taken to ask for
	Features   map[string]float64 `json:"features"`    // what the confidence was computed from
}

// Source cites where an answer came from.
type Source = bot.Source

// explanation is r as the console shows it.
func explanation(r bot.Reply) Explanation {
	x := Explanation{
		Question: r.Question, Answered: r.Answered, Intent: r.Intent, Topic: r.Topic,
		Answer: r.Text, Confidence: r.Confidence, Sources: r.Sources, Suggestions: r.Suggestions,
	}
	if w := r.Why; w != nil {
		x.Document, x.Section, x.AnswerType = w.Document, w.Section, w.AnswerType
		if len(w.Values) > 0 {
			x.Features = w.FeatureMap()
		}
	}
	if x.Sources == nil {
		x.Sources = []Source{}
	}
	if x.Suggestions == nil {
		x.Suggestions = []string{}
	}
	if x.Features == nil {
		x.Features = map[string]float64{}
	}
	return x
}

// Knowledge is the console's view of the knowledge base in service.
type Knowledge struct {
	Documents []Document `json:"documents"`
	Topics    []Topic    `json:"topics"`   // depth first, parents before children
	Problems  []Problem  `json:"problems"` // what `kb check` reports for the loaded pages
	Sections  int        `json:"sections"`
	Sentences int        `json:"sentences"`
	LoadedAt  time.Time  `json:"loaded_at"`
	LoadTime  float64    `json:"load_time_seconds"`
	Reloads   int        `json:"reloads"`     // successful reloads since start
	Reload    *Reload    `json:"last_reload"` // nil until one was tried
}

// Document is one loaded page.
type Document struct {
	Title    string `json:"title"`
	Path     string `json:"path"`
	URL      string `json:"url"`
	Sections int    `json:"sections"`
}

// Topic is one topic, Depth 0 for a root.
type Topic struct {
	Name      string `json:"name"`
	Depth     int    `json:"depth"`
	Sentences int    `json:"sentences"`
}

// Problem is one finding about the pages.
type Problem struct {
	Severity string `json:"severity"` // "error" or "warning"
	Message  string `json:"message"`
}

// Reload is the result of the last reload.
type Reload struct {
	At    time.Time `json:"at"`
	OK    bool      `json:"ok"`
	Error string    `json:"error,omitempty"` // why it failed; the old pages kept serving
}
