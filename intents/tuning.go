package intents

// Tuning holds every weight and threshold of the ranking in one place, so
// that the next person can see what the engine trades off. The confidence
// model's weights are data (data/confidence.yaml), fitted offline.
type Tuning struct {
	// BM25F over documents: the document-identity field (title,
	// breadcrumb, URL slug, file name), the heading and topic-name field,
	// and the body (every sentence).
	K1                                   float64
	IdentityWeight, HeadingWeight, BodyW float64
	IdentityB, HeadingB, BodyB           float64

	// Question terms: how much an expansion counts next to a word the
	// user typed.
	SynonymWeight, AcronymWeight float64
	CueTermWeight                float64 // a word of the matched intent cue ("where", "salary"), ranking pages
	CuePassWeight                float64 // the same, ranking passages
	GenericWeight                float64 // "staff", "role", "career"
	ContextWeight                float64 // the conversation's topic, added to a follow-up
	PreambleWeight               float64 // words of a long message's sentences before its question
	PreambleAsked                float64 // the same when the question sentence names a subject of its own
	UnpunctuatedWords            int     // a one-sentence message this long is searched for where its question starts
	PreambleMinWords             int     // the fewest words before a question found so

	// A page whose identity (title, breadcrumb, heading, URL) names no
	// occupation is also about the occupation most of its sentences name,
	// when at least BodyOccupationMin do and no other is named as often.
	BodyOccupationMin int

	// A topic whose name the question holds only in part counts when it
	// holds this share of the name's weight, and at least this much idf
	// ("medical physics" names "Clinical engineering and medical physics").
	TopicPartial, TopicPartialIDF float64

	// A page that never uses an occupation the question names as its
	// subject scores this share, when another candidate page uses it.
	OccupationAbsent float64

	// Documents considered for passages: at most DocCandidates, each
	// scoring at least DocKeep times the best.
	DocCandidates int
	DocKeep       float64
	MemberDocs    int // pages searched for both sides of "is X part of Y"

	// Passage scoring inside the candidate documents.
	PassDoc      float64 // the document's share of the best document score
	PassText     float64 // the share of the question's other words in the sentence (idf-weighted)
	PassHeading  float64 // a question term in the sentence's heading path, as a share of one in its text
	PassNext     float64 // a question word in the sentence quoted with it, as a share of one in it
	PassItems    float64 // a question word in the items of the list the sentence introduces
	PassPhrase   float64 // each pair of adjacent question words that stand side by side in it
	PassIdentity float64 // the share of the question's page-identity words in the sentence (others: PassText)
	PassTopic    float64 // the sentence belongs to the topic the question names
	PassMarker   float64 // the sentence carries a marker of the asked-for answer type
	PassMarkers  float64 // ... and a second, different one
	PassAsked    float64 // it names the noun the question asks for ("what tests": tests)
	PassNoNeed   float64 // it says what is not needed, and the question says the asker lacks something
	PassTypeHead float64 // the sentence sits under a heading of the asked-for type
	PassQuantity float64 // the sentence states the quantity asked for (how long, how much)
	PassLead     float64 // first sentence of its section (overviews, roles)
	PassLong     float64 // penalty per 100 characters beyond 250 (long sentences match by chance)
	PassMoreLine float64 // penalty for "find out more" lines outside more-questions

	// A question word tells passages apart when fewer than this share of
	// the pages use it (half of it of the sentences, for a small base).
	RareShare float64

	// Extraction: the chosen sentence plus the rest of its paragraph, up
	// to this many characters and sentences.
	AnswerChars, AnswerSentences int
	AnswerShort                  int     // an answer shorter than this goes on into the next paragraph
	SecondPassage                float64 // a second passage scoring this share of the best is quoted too
	QuotedList                   float64 // a list a page gives scoring this share of the best passage beats naming a topic's parts

	// GateCap is the confidence at most of an answer a hard rule refuses
	// (an occupation no page is about).
	GateCap float64

	// Spelling: edit distance allowed by word length.
	SpellOneFrom, SpellTwoFrom int
}

// DefaultTuning is the engine's tuning.
var DefaultTuning = Tuning{
	K1:             2.4,
	IdentityWeight: 5, HeadingWeight: 2.5, BodyW: 1,
	IdentityB: 0.3, HeadingB: 0.5, BodyB: 0.75,

	SynonymWeight: 0.6, AcronymWeight: 0.9,
	CueTermWeight: 0.15, CuePassWeight: 0.5, GenericWeight: 0.3, ContextWeight: 0.7, PreambleWeight: 0.5, PreambleAsked: 0,
	UnpunctuatedWords: 12, PreambleMinWords: 4,

	TopicPartial: 0.4, TopicPartialIDF: 3,
	BodyOccupationMin: 3, OccupationAbsent: 0.6,

	DocCandidates: 3,
	DocKeep:       0.6,
	MemberDocs:    8,

	PassDoc:      4.0,
	PassText:     3.0,
	PassHeading:  1.0,
	PassNext:     0.5,
	PassItems:    0.6,
	PassPhrase:   0.5,
	PassIdentity: 1.0,
	PassTopic:    0.8,
	PassMarker:   1.2,
	PassMarkers:  0.3,
	PassAsked:    0.5,
	PassNoNeed:   3,
	PassTypeHead: 1.5,
	PassQuantity: 5,
	PassLead:     0.3,
	PassLong:     0.15,
	PassMoreLine: 1.5,

	RareShare: 0.34,

	AnswerChars: 480, AnswerSentences: 3, AnswerShort: 200, SecondPassage: 0.75, QuotedList: 0.8,

	GateCap: 0.1,

	SpellOneFrom: 5, SpellTwoFrom: 9,
}
