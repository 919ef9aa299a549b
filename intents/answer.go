package intents

// Source cites the part of a document an answer was quoted from.
type Source struct {
	Document string `json:"document"`
	Section  string `json:"section"`
	URL      string `json:"url"`
}

// Answer is the engine's reply; bot turns it into the reply contract every
// front end renders (docs/reply.md).
// "I don't know" is Answered == false, never an error.
type Answer struct {
	Question    string   `json:"question"`
	Answered    bool     `json:"answered"`
	Intent      string   `json:"intent"`
	Topic       string   `json:"topic"`
	Text        string   `json:"answer"`
	Confidence  float64  `json:"confidence"`
	Sources     []Source `json:"sources"`
	Suggestions []string `json:"suggestions"`

	// Why says how the answer was chosen (the team console shows it). It
	// is not part of the JSON reply.
	Why *Why `json:"-"`

	offTopic  bool // quoted from outside the question's topic (lowers confidence)
	belonging bool // says what a topic is part of, from the topic tree
}

// Context is what a conversation remembers between turns. The engine is
// stateless: callers hand the previous turn's Context back with the next
// Question.
type Context struct {
	Topic  string `json:"topic,omitempty"`
	Intent string `json:"intent,omitempty"`
}

// Question is one message to answer, with the conversation's context.
type Question struct {
	Text    string
	Context Context
}

// Why explains an answer: the page and section it came from, the answer
// type the question was taken to ask for, and the named features the
// confidence was computed from.
type Why struct {
	Document   string   `json:"document"`
	Section    string   `json:"section"`
	AnswerType string   `json:"answer_type"`
	Features   Features `json:"features"`
}
