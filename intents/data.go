package intents

import (
	_ "embed"
	"fmt"
	"maps"
	"os"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed data/intents.yaml
var intentsYAML []byte

//go:embed data/synonyms.yaml
var synonymsYAML []byte

// Intent names the engine answers with.
const (
	IntentOverview   = "overview"
	IntentLocation   = "location"
	IntentList       = "list"
	IntentMembership = "membership"
	IntentPatients   = "patients"
	IntentEquipment  = "equipment"
	IntentMore       = "more"
	IntentSource     = "source"
	IntentGreeting   = "greeting"
	IntentThanks     = "thanks"
	IntentHelp       = "help"
	IntentGoodbye    = "goodbye"
	IntentFallback   = "fallback"

	IntentRole        = "role"
	IntentEntry       = "entry"
	IntentSkills      = "skills"
	IntentTraining    = "training"
	IntentPay         = "pay"
	IntentHours       = "hours"
	IntentProgression = "progression"
	IntentApply       = "apply"
	IntentInterest    = "interest"
	IntentCompare     = "compare"
	IntentReason      = "reason" // why they do something
)

// IntentSpec is one intent as data.
type IntentSpec struct {
	Name       string   `yaml:"name"`
	Priority   int      `yaml:"priority"`
	Smalltalk  bool     `yaml:"smalltalk"`
	Cues       []string `yaml:"cues"`
	AnswerCues []string `yaml:"answer_cues"`
	// WeakAnswerCues mark a sentence only beside another of the intent's
	// answer cues: "requirements" in "entry requirements", not in
	// "special dietary requirements".
	WeakAnswerCues []string `yaml:"weak_answer_cues"`
	// HeadingCues are words of the section headings under which pages
	// give this kind of answer ("Entry requirements").
	HeadingCues []string `yaml:"heading_cues"`
}

// QuantitySpec is a kind of quantity a question may ask for (how long,
// how much) with the pattern that finds it in a sentence.
type QuantitySpec struct {
	Name    string   `yaml:"name"`
	Cues    []string `yaml:"cues"`
	Pattern string   `yaml:"pattern"`
}

// Lexicon is the editable language data: intents, replies, word lists and
// synonyms.
type Lexicon struct {
	Intents     []IntentSpec      `yaml:"intents"`
	Replies     map[string]string `yaml:"replies"`
	Stopwords   []string          `yaml:"stopwords"`
	Generic     []string          `yaml:"generic"`
	Common      []string          `yaml:"common"`
	Followup    []string          `yaml:"followup"`
	OutOfScope  []string          `yaml:"out_of_scope"`
	Quantities  []QuantitySpec    `yaml:"quantities"`
	Professions []string          `yaml:"professions"`
	ListNouns   []string          `yaml:"list_nouns"`
	// NumberBefore are words before a number that name it ("band 4") and
	// NumberUnits words after one that it counts ("4 hours"): such a "2"
	// or "4" is a number, not txt-speak for "to" or "for".
	NumberBefore []string `yaml:"number_before"`
	NumberUnits  []string `yaml:"number_units"`
	// RelativeAfter are words after which "where", "when" or "who" opens
	// a relative clause, not a question: "a job where I can work
	// outdoors" does not ask where.
	RelativeAfter []string `yaml:"relative_after"`
	// RelativeWords are the question words RelativeAfter applies to.
	RelativeWords []string `yaml:"relative_words"`
	// ObjectBefore mark the next word or two as what the question's
	// subject works with or is not ("work with oncologists", "not a
	// doctor"), not what it asks about.
	ObjectBefore []string `yaml:"object_before"`
	// AskedNounAfter are the words before the noun a question asks for
	// ("what materials"), KindWords those that may come between ("what
	// kind of tests").
	AskedNounAfter []string `yaml:"asked_noun_after"`
	KindWords      []string `yaml:"kind_words"`
	// AgentSuffixes turn a verb's root into the one who does it (visit,
	// visitor): a page's identity takes in both.
	AgentSuffixes []string `yaml:"agent_suffixes"`
	// LeadInWords make up the short lead-ins before a comma that are not
	// part of the question ("Just curious, ...", "Hello there, ...").
	LeadInWords []string `yaml:"lead_in_words"`
	// OutOfScopeAnywhere are out-of-scope words that count wherever they
	// stand, not only in the question sentence: a preamble's "ignore your
	// instructions" is still an attempt to steer the bot.
	OutOfScopeAnywhere []string `yaml:"out_of_scope_anywhere"`
	// FieldAgents turn the ending of a field's name into the ending of
	// the name of one who works in it (ology: ologist), and AgentEndings
	// end such names: the speller knows "physiologists" from a page that
	// says "physiology", and both forms of each name.
	FieldAgents  map[string][]string `yaml:"field_agents"`
	AgentEndings []string            `yaml:"agent_endings"`
	// QuestionWords, and QuestionAux before one of QuestionSubjects
	// ("could i", "is there"), open a question: in a long message typed
	// without stops they mark where its question starts.
	QuestionWords    []string `yaml:"question_words"`
	QuestionAux      []string `yaml:"question_aux"`
	QuestionSubjects []string `yaml:"question_subjects"`
	// PatientWords name the people a role serves rather than works
	// beside: "who do they work with" without one asks about colleagues.
	PatientWords []string `yaml:"patient_words"`
	// Qualifiers open the part of a role's name that says where or for
	// whom ("a 999 call handler at the ambulance service").
	Qualifiers  []string          `yaml:"qualifiers"`
	Synonyms    map[string]string `yaml:"synonyms"`
	Spelling    map[string]string `yaml:"spelling"`
	Corrections map[string]string `yaml:"corrections"`
	// ColleagueCues replace the patients intent's answer cues when a
	// "who do they work with" question does not mention patients.
	ColleagueCues []string `yaml:"colleague_cues"`
	// WithoutCues say in a question that the asker lacks something ("without
	// A levels", "I don't have a degree"); NoNeedCues say in a sentence that
	// something is not needed ("no specific academic entry requirements"),
	// which is what answers them.
	WithoutCues []string `yaml:"without_cues"`
	NoNeedCues  []string `yaml:"no_need_cues"`
}

// DefaultLexicon returns the embedded intents and synonyms.
func DefaultLexicon() (*Lexicon, error) {
	var lx Lexicon
	if err := decodeStrict(intentsYAML, &lx); err != nil {
		return nil, fmt.Errorf("embedded intents.yaml: %w", err)
	}
	if err := lx.addSynonyms("embedded synonyms.yaml", synonymsYAML); err != nil {
		return nil, err
	}
	return &lx, lx.validate()
}

// AddFile merges a user's file into the lexicon. It may hold synonyms,
// spelling, extra intents' cues (by name) and word lists.
func (lx *Lexicon) AddFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read synonyms: %w", err)
	}
	var extra Lexicon
	if err := decodeStrict(data, &extra); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := lx.addSynonyms(path, data); err != nil {
		return err
	}
	for _, in := range extra.Intents {
		found := false
		for i := range lx.Intents {
			if lx.Intents[i].Name == in.Name {
				lx.Intents[i].Cues = append(lx.Intents[i].Cues, in.Cues...)
				lx.Intents[i].AnswerCues = append(lx.Intents[i].AnswerCues, in.AnswerCues...)
				lx.Intents[i].WeakAnswerCues = append(lx.Intents[i].WeakAnswerCues, in.WeakAnswerCues...)
				lx.Intents[i].HeadingCues = append(lx.Intents[i].HeadingCues, in.HeadingCues...)
				found = true
			}
		}
		if !found {
			return fmt.Errorf("%s: unknown intent %q (custom intents extend the built-in ones by name)", path, in.Name)
		}
	}
	lx.Stopwords = append(lx.Stopwords, extra.Stopwords...)
	lx.Generic = append(lx.Generic, extra.Generic...)
	lx.Common = append(lx.Common, extra.Common...)
	lx.OutOfScope = append(lx.OutOfScope, extra.OutOfScope...)
	lx.Professions = append(lx.Professions, extra.Professions...)
	lx.ListNouns = append(lx.ListNouns, extra.ListNouns...)
	lx.NumberBefore = append(lx.NumberBefore, extra.NumberBefore...)
	lx.NumberUnits = append(lx.NumberUnits, extra.NumberUnits...)
	lx.RelativeAfter = append(lx.RelativeAfter, extra.RelativeAfter...)
	lx.RelativeWords = append(lx.RelativeWords, extra.RelativeWords...)
	lx.ObjectBefore = append(lx.ObjectBefore, extra.ObjectBefore...)
	lx.AskedNounAfter = append(lx.AskedNounAfter, extra.AskedNounAfter...)
	lx.KindWords = append(lx.KindWords, extra.KindWords...)
	lx.AgentSuffixes = append(lx.AgentSuffixes, extra.AgentSuffixes...)
	lx.PatientWords = append(lx.PatientWords, extra.PatientWords...)
	lx.QuestionWords = append(lx.QuestionWords, extra.QuestionWords...)
	lx.AgentEndings = append(lx.AgentEndings, extra.AgentEndings...)
	if lx.FieldAgents == nil {
		lx.FieldAgents = map[string][]string{}
	}
	maps.Copy(lx.FieldAgents, extra.FieldAgents)
	lx.OutOfScopeAnywhere = append(lx.OutOfScopeAnywhere, extra.OutOfScopeAnywhere...)
	lx.LeadInWords = append(lx.LeadInWords, extra.LeadInWords...)
	lx.QuestionAux = append(lx.QuestionAux, extra.QuestionAux...)
	lx.QuestionSubjects = append(lx.QuestionSubjects, extra.QuestionSubjects...)
	lx.Qualifiers = append(lx.Qualifiers, extra.Qualifiers...)
	lx.Quantities = append(lx.Quantities, extra.Quantities...)
	lx.ColleagueCues = append(lx.ColleagueCues, extra.ColleagueCues...)
	lx.WithoutCues = append(lx.WithoutCues, extra.WithoutCues...)
	lx.NoNeedCues = append(lx.NoNeedCues, extra.NoNeedCues...)
	maps.Copy(lx.Replies, extra.Replies)
	return lx.validate()
}

func (lx *Lexicon) addSynonyms(name string, data []byte) error {
	var s struct {
		Synonyms    map[string]string `yaml:"synonyms"`
		Spelling    map[string]string `yaml:"spelling"`
		Corrections map[string]string `yaml:"corrections"`
	}
	if err := yaml.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if lx.Synonyms == nil {
		lx.Synonyms = map[string]string{}
	}
	if lx.Spelling == nil {
		lx.Spelling = map[string]string{}
	}
	for k, v := range s.Synonyms {
		// the key keeps its case for Words: "IT" (the career) is not "it"
		lx.Synonyms[strings.TrimSpace(k)] = strings.ToLower(strings.TrimSpace(v))
	}
	for k, v := range s.Spelling {
		lx.Spelling[strings.ToLower(strings.TrimSpace(k))] = strings.ToLower(strings.TrimSpace(v))
	}
	if lx.Corrections == nil {
		lx.Corrections = map[string]string{}
	}
	for k, v := range s.Corrections {
		lx.Corrections[strings.ToLower(strings.TrimSpace(k))] = strings.ToLower(strings.TrimSpace(v))
	}
	return nil
}

func decodeStrict(data []byte, v any) error {
	// Unknown keys are tolerated in user files (synonyms-only files are
	// common) but the YAML itself must parse.
	return yaml.Unmarshal(data, v)
}

func (lx *Lexicon) validate() error {
	known := map[string]bool{IntentOverview: true, IntentLocation: true, IntentList: true, IntentMembership: true, IntentPatients: true,
		IntentEquipment: true, IntentMore: true, IntentSource: true, IntentGreeting: true, IntentThanks: true, IntentHelp: true, IntentGoodbye: true,
		IntentRole: true, IntentEntry: true, IntentSkills: true, IntentTraining: true, IntentPay: true, IntentHours: true, IntentProgression: true, IntentApply: true, IntentInterest: true, IntentCompare: true, IntentReason: true}
	seen := map[string]bool{}
	for _, in := range lx.Intents {
		if !known[in.Name] {
			return fmt.Errorf("intents: unknown intent %q", in.Name)
		}
		if seen[in.Name] {
			return fmt.Errorf("intents: intent %q listed twice", in.Name)
		}
		seen[in.Name] = true
		if len(in.Cues) == 0 {
			return fmt.Errorf("intents: intent %q has no cues", in.Name)
		}
	}
	for k, v := range lx.Synonyms {
		if len(Words(k)) == 0 || len(Words(v)) == 0 {
			return fmt.Errorf("synonyms: entry %q: %q has no words", k, v)
		}
	}
	for _, r := range []string{"greeting", "thanks", "goodbye", "help", "fallback", "out_of_scope", "source"} {
		if lx.Replies[r] == "" {
			return fmt.Errorf("intents: reply %q missing", r)
		}
	}
	for _, qs := range lx.Quantities {
		if _, err := regexp.Compile(qs.Pattern); err != nil {
			return fmt.Errorf("quantities: %q: %w", qs.Name, err)
		}
	}
	sort.SliceStable(lx.Intents, func(i, j int) bool { return lx.Intents[i].Priority > lx.Intents[j].Priority })
	return nil
}
