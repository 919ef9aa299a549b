package intents

import (
	"math"
	"path"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/careersbot/careersbot/knowledge"
)

// The index is built once, when the engine is made: every question is then
// answered from postings and precomputed per-sentence values, so its cost
// depends on the question's terms and the few pages it reaches, not on the
// size of the base.

// Document fields scored with BM25F.
const (
	fieldIdentity = iota // title, breadcrumb, URL slug, file name: what the page is
	fieldHeading         // section headings and topic names
	fieldBody            // every sentence
	numFields
)

// posting is one document holding a term, with the term's precomputed
// BM25F weight in it (idf times saturated, length-normalised field tf).
type posting struct {
	doc    int32
	weight float32
}

type docInfo struct {
	d        *knowledge.Document
	name     string          // what the page is about, for answers and follow-ups
	title    string          // how sources name it
	url      string          // its web address, if it has one
	idTerms  []int32         // terms of the identity field, sorted
	bodyOcc  int32           // the occupation its text is about, added to an identity that names none (-1: none)
	idStems  map[string]bool // stems of the identity's words, finer than its terms
	nameIDs  []int32         // terms of its name (what it is about), sorted
	sents    []int32         // its sentences, in order
	topics   []*topicInfo
	fieldLen [numFields]int
}

// sentInfo is what the index knows of a sentence. The fields passage
// ranking reads of every sentence of a candidate page come first, so that
// a sentence no question term reaches costs one cache line.
type sentInfo struct {
	reach     uint64 // termBloom of the terms it is scored on (its own, its heading's, its neighbours', its items')
	markers   uint64 // intents whose answer cues it carries (bit = intent index)
	strong    uint64 // intents two or more of whose answer cues it carries
	headTypes uint64 // intents whose heading cues its headings carry
	own       uint64 // termBloom of its own terms
	headBloom uint64 // termBloom of its heading's
	topic     *topicInfo
	textLen   int32                  // len(s.Text)
	kind      knowledge.SentenceKind // s.Kind
	lead      bool                   // first prose sentence of its section
	intro     bool                   // among the first prose sentences of its page
	junk      bool                   // a date, notice or link label: never an answer on its own
	noNeed    bool                   // it says something is not needed ("no specific entry requirements")

	s          *knowledge.Sentence
	doc        int32
	pos        int          // index within its document
	next       *sentInfo    // the next sentence of its paragraph, quoted with it
	prev       *sentInfo    // the sentence before, when this one refers back to it ("This can include ...")
	items      []int32      // a list intro's items' terms, sorted (quoted with it)
	terms      []int32      // terms of the text, sorted, unique
	seq        []int32      // terms of the text in order (phrases)
	head       []int32      // terms of its heading path and section topic, sorted
	ownMarkers uint64       // the markers of its own words (a list intro's markers take its items' too)
	mentions   []*topicInfo // topics of its page that mention it
	// quantities caches which quantities the sentence states (how long,
	// how much), worked out the first time a question asks: quantityDone
	// marks it computed. Atomic, so that concurrent answers may fill it.
	quantities atomic.Uint32
	// quoted caches what extract quotes for it, worked out the first
	// time it is quoted (a pure function of the page).
	quoted atomic.Pointer[quote]
}

// quote is an extract: the answer's text and the sentences it quotes
// (capped, so that appending to them copies).
type quote struct {
	text string
	used []*sentInfo
}

const quantityDone = 1 << 31

// says reports whether the sentence states quantity qt.
func (e *Engine) says(si *sentInfo, qt *quantity) bool {
	m := si.quantities.Load()
	if m&quantityDone == 0 {
		m = quantityDone
		lower := strings.ToLower(si.s.Text)
		for i := range e.quantities {
			if holdsAny(lower, e.quantities[i].need) && e.quantities[i].re.MatchString(si.s.Text) {
				m |= e.quantities[i].bit
			}
		}
		si.quantities.Store(m)
	}
	return m&qt.bit != 0
}

type topicInfo struct {
	t        *knowledge.Topic
	doc      int32
	terms    []int32  // terms of its name, sorted
	stems    []string // stems of its name's content words
	bloom    uint64   // termBloom of terms
	page     bool     // the page's own topic (from its title), not a part of it
	parent   *topicInfo
	children []*topicInfo
}

type acronym struct {
	doc   int32 // -1: any page
	terms []int32
}

type index struct {
	vocab    map[string]int32 // root -> term id
	roots    []string         // term id -> root
	docPost  [][]posting      // term -> documents
	docDF    []int32
	headish  []bool // the term is in some page's identity or headings
	sentDF   []int32
	idf      []float64 // each term's idf among the sentences
	docs     []*docInfo
	sents    []*sentInfo
	topics   []*topicInfo
	byName   map[string][]int32 // lower-case page or topic name -> pages (follow-ups)
	acronyms map[string][]acronym
	words    map[string]int // surface words of the base with their counts (spelling)
	sorted   []string       // the same words in order, for short forms by prefix
	nSents   int
}

func (ix *index) term(r string) int32 {
	if id, ok := ix.vocab[r]; ok {
		return id
	}
	id := int32(len(ix.docDF))
	ix.vocab[r] = id
	ix.roots = append(ix.roots, r)
	ix.docPost = append(ix.docPost, nil)
	ix.docDF = append(ix.docDF, 0)
	ix.headish = append(ix.headish, false)
	ix.sentDF = append(ix.sentDF, 0)
	return id
}

// relatedIdentity adds to a page's identity terms the agent nouns of
// its verbs and the verbs of its agent nouns that the base uses: "health
// visiting" names the health visitor, "counsellor" counselling.
// It returns the terms it added.
func (e *Engine) relatedIdentity(info *docInfo) []int32 {
	ix := e.ix
	var extra []int32
	for _, id := range info.idTerms {
		r := ix.roots[id]
		if len(r) < 5 {
			continue
		}
		for _, suf := range e.lx.AgentSuffixes {
			if x := ix.lookup(r + suf); x >= 0 && !has(info.idTerms, x) && !slices.Contains(extra, x) {
				extra = append(extra, x)
			}
			if base, ok := strings.CutSuffix(r, suf); ok && len(base) >= 5 {
				if x := ix.lookup(base); x >= 0 && !has(info.idTerms, x) && !slices.Contains(extra, x) {
					extra = append(extra, x)
				}
			}
		}
	}
	if len(extra) > 0 {
		info.idTerms = sortUnique(append(slices.Clone(extra), info.idTerms...))
	}
	return extra
}

// lookup returns the id of a root, or -1.
func (ix *index) lookup(r string) int32 {
	if id, ok := ix.vocab[r]; ok {
		return id
	}
	return -1
}

// tokens turns text into the roots of its content words (stop words
// dropped), counting the surface words for the speller when count is set.
func (e *Engine) tokens(text string, count bool) []string {
	var out []string
	for _, w := range Words(text) {
		w = ukSpelling(w, e.lx.Spelling)
		if count {
			e.ix.words[w]++
		}
		if e.stop[w] {
			continue
		}
		out = append(out, termOf(w))
	}
	return out
}

// stems returns the stems of text's content words: finer than terms,
// so that "pharmacist" and "pharmacy" stay apart where it matters.
func (e *Engine) stems(text string) []string {
	var out []string
	for _, w := range Words(text) {
		if w = ukSpelling(w, e.lx.Spelling); !e.stop[w] {
			out = append(out, stem(w))
		}
	}
	return out
}

// textTokens is one text analysed once at load: its words (British
// spelling), their roots (stop words included, for cue phrases) and the
// term ids of its content words, in order.
type textTokens struct {
	words, roots []string
	ids          []int32
	facts        *sentFacts // a sentence's, worked out with its split
}

// sentFacts is what a sentence's own text says, found on every core at
// load: its answer-type markers, whether it names a place or is a notice,
// and what colleagueMask needs.
type sentFacts struct {
	markers, strong   uint64
	place, junk       bool
	together, collCue bool
	noNeed            bool     // it says something is not needed ("no specific entry requirements")
	occupations       []string // roots of the occupations it names
}

func (e *Engine) analyseText(text string, count bool, rootOf map[string][2]string) textTokens {
	return e.indexTokens(e.splitText(text, rootOf), count)
}

// splitText is the part of analyseText that needs nothing of the index,
// so that pages can be split on every core: words and their roots.
func (e *Engine) splitText(text string, rootOf map[string][2]string) textTokens {
	var t textTokens
	t.words = Words(text)
	t.roots = make([]string, len(t.words))
	for i, w := range t.words {
		wr, ok := rootOf[w] // the British spelling and its root
		if !ok {
			uk := ukSpelling(w, e.lx.Spelling)
			wr = [2]string{uk, termOf(uk)}
			rootOf[w] = wr
		}
		t.words[i], t.roots[i] = wr[0], wr[1]
	}
	return t
}

// indexTokens gives split text its term ids, counting its words.
func (e *Engine) indexTokens(t textTokens, count bool) textTokens {
	for i, w := range t.words {
		if count {
			e.ix.words[w]++
		}
		if !e.stop[w] {
			t.ids = append(t.ids, e.ix.term(t.roots[i]))
		}
	}
	return t
}

// splitPages splits every sentence of pages [from, to) into words and
// roots, on every core: the costly part of indexing, which needs no
// shared state. Indexing asks for a batch at a time, so that only one
// batch's words are held at once.
func (e *Engine) splitPages(from, to int, caches []map[string][2]string) [][]textTokens {
	docs := e.kb.Documents[from:to]
	out := make([][]textTokens, len(docs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(len(caches), max(1, len(docs))) {
		wg.Add(1)
		go func(rootOf map[string][2]string) {
			defer wg.Done()
			var lite []string // reused from sentence to sentence
			for di := int(next.Add(1) - 1); di < len(docs); di = int(next.Add(1) - 1) {
				var ts []textTokens
				for _, sec := range docs[di].Sections {
					for _, s := range sec.Sentences {
						t := e.splitText(s.Text, rootOf)
						t.facts = e.sentenceFacts(s, t, &lite)
						ts = append(ts, t)
					}
				}
				out[di] = ts
			}
		}(caches[w])
	}
	wg.Wait()
	return out
}

// splitBatch is how many pages are split at a time.
const splitBatch = 256

// seq is every word's root, stop words included, for cue phrases.
func (e *Engine) seq(text string) []string {
	ws := Words(text)
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = termOf(ukSpelling(w, e.lx.Spelling))
	}
	return out
}

func (e *Engine) termSet(text string, count bool) []int32 {
	var ids []int32
	for _, r := range e.tokens(text, count) {
		ids = append(ids, e.ix.term(r))
	}
	return sortUnique(ids)
}

func sortUnique(ids []int32) []int32 {
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := ids[:0]
	for i, id := range ids {
		if i == 0 || id != ids[i-1] {
			out = append(out, id)
		}
	}
	return out
}

// termBloom is a 64-bit set of term ids: a sentence whose bloom shares no
// bit with a question's cannot hold any of its terms.
func termBloom(ids []int32) uint64 {
	var b uint64
	for _, id := range ids {
		b |= 1 << (uint32(id) * 2654435769 >> 26)
	}
	return b
}

func has(sorted []int32, id int32) bool {
	lo, hi := 0, len(sorted)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if sorted[m] < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(sorted) && sorted[lo] == id
}

var (
	slugSplit = regexp.MustCompile(`[^A-Za-z]+`)
	// "Careers in X", "A day as a X", "Working in X": the subject is X.
	titlePrefix = regexp.MustCompile(`(?i)^(?:(?:a )?careers? in|working in|work in|roles in|jobs in|a career in|explore|about|a day (?:as|in the life of) an?|life as an?|becoming an?|how to become an?)\s+(?:the\s+)?`)
)

// identity is what a page says it is: its title, the breadcrumb's last
// steps, its URL's last path segments and its file name. Many real pages
// have no title line or lose headings in a text copy, so all of them
// count, in one field.
func identity(d *knowledge.Document) []string {
	var parts []string
	if d.Title != "" {
		parts = append(parts, d.Title)
	}
	if n := len(d.Breadcrumb); n > 0 {
		parts = append(parts, d.Breadcrumb[n-1])
		if n > 1 {
			parts = append(parts, d.Breadcrumb[n-2])
		}
	}
	if d.URL != "" {
		u := d.URL
		if i := strings.IndexAny(u, "?#"); i >= 0 {
			u = u[:i]
		}
		segs := strings.Split(strings.Trim(u, "/"), "/")
		if len(segs) > 3 { // scheme, "", host
			last := segs[len(segs)-1]
			last = strings.TrimSuffix(strings.TrimSuffix(last, ".htm"), ".html")
			parts = append(parts, slugSplit.ReplaceAllString(last, " "))
		}
	}
	if d.Path != "" {
		base := path.Base(strings.ReplaceAll(d.Path, "\\", "/"))
		base = strings.TrimSuffix(base, path.Ext(base))
		parts = append(parts, slugSplit.ReplaceAllString(base, " "))
	}
	return parts
}

// termCount is a term's frequency in one field of one page.
type termCount struct{ id, n int32 }

func (e *Engine) buildIndex() {
	ix := &index{vocab: map[string]int32{}, byName: map[string][]int32{}, acronyms: map[string][]acronym{}, words: map[string]int{}}
	e.ix = ix
	// each page's term frequencies per field, kept compact until the
	// BM25F weights can be worked out (they need every page's lengths);
	// counted in maps reused from page to page
	type docTF struct{ tf [numFields][]termCount }
	tfs := make([]docTF, len(e.kb.Documents))
	var counts [numFields]map[int32]int
	for f := range counts {
		counts[f] = map[int32]int{}
	}
	rootOf := map[string][2]string{} // word -> British spelling and root, for this build
	caches := make([]map[string][2]string, runtime.GOMAXPROCS(0))
	for i := range caches {
		caches[i] = map[string][2]string{}
	}
	var split [][]textTokens // the current batch's pages, split
	batchFrom := 0
	sentByText := map[*knowledge.Sentence]*sentInfo{} // one page's, reused
	topicsOf := map[*knowledge.Document][]*knowledge.Topic{}
	for _, t := range e.kb.Topics {
		topicsOf[t.Doc] = append(topicsOf[t.Doc], t)
	}
	for di, d := range e.kb.Documents {
		if di%splitBatch == 0 {
			batchFrom = di
			split = e.splitPages(di, min(di+splitBatch, len(e.kb.Documents)), caches)
		}
		info := &docInfo{d: d}
		ix.docs = append(ix.docs, info)
		for f := range numFields {
			clear(counts[f])
		}
		addTok := func(f int, t textTokens) []int32 {
			for _, id := range t.ids {
				counts[f][id]++
			}
			info.fieldLen[f] += len(t.ids)
			return t.ids
		}
		add := func(f int, text string, count bool) []int32 {
			return addTok(f, e.analyseText(text, count, rootOf))
		}
		var idIDs []int32
		for _, p := range identity(d) {
			idIDs = append(idIDs, add(fieldIdentity, p, true)...)
		}
		if occ := e.bodyOccupation(d, split[di-batchFrom]); occ != "" {
			// "What we do" on the dietetics service's pages: its
			// sentences say whom it is about
			id := e.ix.term(occ)
			counts[fieldIdentity][id]++
			info.fieldLen[fieldIdentity]++
			idIDs = append(idIDs, id)
			info.bodyOcc = id
		} else {
			info.bodyOcc = -1
		}
		info.idTerms = sortUnique(idIDs)
		info.idStems = map[string]bool{}
		for _, p := range identity(d) {
			for _, st := range e.stems(p) {
				info.idStems[st] = true
			}
		}
		for _, sec := range d.Sections {
			if sec.Heading != "" {
				add(fieldHeading, sec.Heading, true)
			}
		}
		// topics of this page
		topicOf := map[*knowledge.Topic]*topicInfo{}
		for _, t := range topicsOf[d] {
			ti := &topicInfo{t: t, doc: int32(di), terms: sortUnique(e.termSet(t.Name, false)), stems: e.stems(t.Name)}
			ti.bloom = termBloom(ti.terms)
			ti.page = t.Section != nil && t.Section.Heading == ""
			topicOf[t] = ti
			info.topics = append(info.topics, ti)
			ix.topics = append(ix.topics, ti)
			if t.Section == nil || t.Section.Heading == "" || !strings.EqualFold(t.Section.Heading, t.Name) {
				add(fieldHeading, t.Name, false)
			}
		}
		for _, ti := range info.topics {
			if p := topicOf[ti.t.Parent]; p != nil {
				ti.parent = p
				p.children = append(p.children, ti)
			}
		}
		// sentences, in one block per page: ranking reads a page's
		// sentences in order
		nSents := 0
		for _, sec := range d.Sections {
			nSents += len(sec.Sentences)
		}
		slab := make([]sentInfo, nSents)
		introLeft := 2
		for _, sec := range d.Sections {
			var headIDs []int32
			for _, h := range sec.Path {
				headIDs = append(headIDs, e.termSet(h, false)...)
			}
			secTopic := topicOf[sec.Topic]
			if secTopic != nil {
				headIDs = append(headIDs, secTopic.terms...)
			}
			head := sortUnique(headIDs)
			headTypes := e.cueMask(e.headCues, strings.Join(sec.Path, " . "))
			leadDone := false
			for _, s := range sec.Sentences {
				si := &slab[len(info.sents)]
				si.s, si.doc, si.pos, si.head, si.headTypes, si.topic = s, int32(di), len(info.sents), head, headTypes, secTopic
				si.textLen, si.kind = int32(len(s.Text)), s.Kind
				tok := e.indexTokens(split[di-batchFrom][len(info.sents)], true)
				ids := addTok(fieldBody, tok)
				si.seq = ids
				si.terms = sortUnique(append([]int32(nil), ids...))
				f := tok.facts
				si.markers, si.strong, si.junk, si.noNeed = f.markers, f.strong, f.junk, f.noNeed
				si.markers |= e.colleagueMask(f, info.idTerms)
				si.ownMarkers = si.markers
				if s.Kind == knowledge.Prose || s.Kind == knowledge.ListIntro {
					if !leadDone && !si.junk {
						si.lead, leadDone = true, true
					}
					if introLeft > 0 && !si.junk {
						si.intro = true
						introLeft--
					}
				}
				for _, id := range si.terms {
					ix.sentDF[id]++
				}
				info.sents = append(info.sents, int32(len(ix.sents)))
				ix.sents = append(ix.sents, si)
			}
		}
		for i, sid := range info.sents {
			si := ix.sents[sid]
			if si.s.Kind != knowledge.ListIntro {
				continue
			}
			var ids []int32
			for _, nid := range info.sents[i+1:] {
				n := ix.sents[nid]
				if n.s.Kind != knowledge.ListItem || n.s.Section != si.s.Section {
					break
				}
				ids = append(ids, n.terms...)
				si.markers |= n.markers // "Useful abilities include:" says what its items say
			}
			si.items = sortUnique(ids)
		}
		for i := 1; i < len(info.sents); i++ {
			prev, cur := ix.sents[info.sents[i-1]], ix.sents[info.sents[i]]
			if prev.s.Section == cur.s.Section && prev.s.Line == cur.s.Line && cur.s.Kind == knowledge.Prose && !cur.junk {
				prev.next = cur
				if refersBack(cur.s.Text) && prev.s.Kind == knowledge.Prose && !prev.junk {
					cur.prev = prev
				}
			}
		}
		for _, sid := range info.sents {
			si := ix.sents[sid]
			si.own, si.headBloom = termBloom(si.terms), termBloom(si.head)
			si.reach = si.own | si.headBloom | termBloom(si.items)
			if si.next != nil {
				si.reach |= termBloom(si.next.terms)
			}
			if si.prev != nil {
				si.reach |= termBloom(si.prev.terms)
			}
		}
		clear(sentByText)
		for _, sid := range info.sents {
			sentByText[ix.sents[sid].s] = ix.sents[sid]
		}
		for _, ti := range info.topics {
			for _, x := range ti.t.Sentences {
				if si := sentByText[x]; si != nil && !slices.Contains(si.mentions, ti) {
					si.mentions = append(si.mentions, ti)
				}
			}
		}
		info.name = e.pageName(d, counts[fieldBody])
		for f := range numFields {
			tc := make([]termCount, 0, len(counts[f]))
			for id, n := range counts[f] {
				tc = append(tc, termCount{id, int32(n)})
			}
			tfs[di].tf[f] = tc
		}
		info.title, info.url = titleOf(info), safeURL(d.URL)
		info.nameIDs = sortUnique(e.termSet(info.name, false))
		e.addAcronyms(int32(di), info)
	}
	for di, info := range ix.docs {
		// and so the identity field holds them too, once each
		for _, x := range e.relatedIdentity(info) {
			tfs[di].tf[fieldIdentity] = append(tfs[di].tf[fieldIdentity], termCount{x, 1})
			info.fieldLen[fieldIdentity]++
			ix.headish[x] = true
		}
	}
	ix.nSents = len(ix.sents)
	ix.idf = make([]float64, len(ix.sentDF))
	for id, df := range ix.sentDF {
		ix.idf[id] = bm25IDF(ix.nSents, int(df))
	}
	for w := range ix.words {
		ix.sorted = append(ix.sorted, w)
	}
	sort.Strings(ix.sorted)
	// BM25F weights into the postings.
	var avg [numFields]float64
	for _, info := range ix.docs {
		for f := range numFields {
			avg[f] += float64(info.fieldLen[f])
		}
	}
	n := float64(len(ix.docs))
	for f := range numFields {
		avg[f] = math.Max(avg[f]/math.Max(n, 1), 1)
	}
	t := e.tune
	w := [numFields]float64{t.IdentityWeight, t.HeadingWeight, t.BodyW}
	b := [numFields]float64{t.IdentityB, t.HeadingB, t.BodyB}
	seen := map[int32]float64{}
	for di, info := range ix.docs {
		clear(seen)
		for f := range numFields {
			norm := 1 - b[f] + b[f]*float64(info.fieldLen[f])/avg[f]
			for _, c := range tfs[di].tf[f] {
				id, tf := c.id, c.n
				seen[id] += w[f] * float64(tf) / norm
				if f != fieldBody {
					ix.headish[id] = true
				}
			}
		}
		for id, tfw := range seen {
			ix.docDF[id]++
			ix.docPost[id] = append(ix.docPost[id], posting{doc: int32(di), weight: float32(tfw / (t.K1 + tfw))})
		}
		tfs[di] = docTF{} // done with
	}
	for id, ps := range ix.docPost {
		idf := bm25IDF(len(ix.docs), int(ix.docDF[id]))
		for i := range ps {
			ps[i].weight *= float32(idf)
		}
		sort.Slice(ps, func(i, j int) bool { return ps[i].doc < ps[j].doc })
	}
	for di, info := range ix.docs {
		key := strings.ToLower(info.name)
		ix.byName[key] = append(ix.byName[key], int32(di))
		for _, ti := range info.topics {
			k := strings.ToLower(ti.t.Name)
			if l := ix.byName[k]; len(l) == 0 || l[len(l)-1] != int32(di) {
				ix.byName[k] = append(ix.byName[k], int32(di))
			}
		}
	}
}

func bm25IDF(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// sentIDF weighs a term by how rare it is among all sentences.
func (ix *index) sentIDF(id int32) float64 {
	if int(id) < len(ix.idf) {
		return ix.idf[id]
	}
	return bm25IDF(ix.nSents, 0)
}

var junkLine = regexp.MustCompile(`(?i)^(?:last (?:updated|reviewed)|page last|published|updated|posted|date|website:|read .{0,40}(?:story|transcript)|watch|video|transcript|image|photo|non-urgent advice:?$)`)

// junkStart is a quick test of the first letter junkLine can match.
func junkStart(t string) bool {
	if t == "" {
		return false
	}
	switch t[0] | 0x20 {
	case 'l', 'p', 'u', 'd', 'w', 'r', 't', 'v', 'i', 'n':
		return true
	}
	return false
}

// isJunk reports a sentence that is a date, notice or link label rather
// than something a page says about its subject.
func isJunk(s *knowledge.Sentence) bool {
	t := strings.TrimSpace(s.Text)
	if junkStart(t) && junkLine.MatchString(t) {
		return true
	}
	letters := 0
	for i := 0; i < len(t) && letters < 12; i++ {
		if c := t[i] | 0x20; c >= 'a' && c <= 'z' {
			letters++
		}
	}
	return letters < 12 || strings.Count(t, "|") >= 2
}

// pageName chooses what a page is about from its identity: the title's
// subject unless the title is an aspect ("What kind of patients will I
// work with?") or a sentence, else the candidate whose words the page
// itself uses most.
func (e *Engine) pageName(d *knowledge.Document, body map[int32]int) string {
	var cands []string
	titled := d.Title != "" && !looksAspect(d.Title) && !e.aspectTitle(d.Title)
	// a page that is one aspect of a subject: the breadcrumb item above
	// its title names the subject
	aspectOf := ""
	if bc := d.Breadcrumb; d.Title != "" && e.aspectTitle(d.Title) && len(bc) >= 2 && strings.EqualFold(strings.TrimSpace(bc[len(bc)-1]), strings.TrimSpace(d.Title)) {
		aspectOf = strings.TrimSpace(bc[len(bc)-2])
	}
	if d.Title != "" {
		cands = append(cands, titlePrefix.ReplaceAllString(strings.TrimSpace(d.Title), ""))
	}
	for _, sec := range d.Sections {
		if sec.Heading != "" && sec.Topic != nil && sec.Topic.Section == sec {
			cands = append(cands, sec.Topic.Name) // the first heading that names a topic
			break
		}
	}
	ids := identity(d)
	if d.Title != "" && len(ids) > 0 {
		ids = ids[1:] // the title is in already
	}
	for _, p := range ids {
		cands = append(cands, strings.TrimSpace(p))
	}
	best, bestScore := "", math.Inf(-1)
	for i, c := range cands {
		rs := e.tokens(c, false)
		if len(rs) == 0 || len(rs) > 7 {
			continue
		}
		found := 0
		for _, r := range rs {
			if id := e.ix.lookup(r); id >= 0 && body[id] > 0 {
				found++
			}
		}
		score := float64(found)/float64(len(rs)) - 0.08*float64(len(rs))
		if i == 0 && titled {
			score += 0.5 // a title that is not an aspect or a sentence
		}
		if looksAspect(c) || e.aspectTitle(c) {
			score -= 0.5 // a question heading names no subject, nor "Skills, qualifications and training"
		}
		if aspectOf != "" && c == aspectOf {
			score += 0.5 // "Health visiting > Skills, qualifications and training"
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	if best == "" {
		best = d.Title
	}
	return strings.TrimRight(best, " .:;,-–—?!")
}

// aspectTitle reports a title made only of the words of answer-type
// headings ("Skills, qualifications and training", "Pay and benefits"):
// the page is one aspect of the subject its breadcrumb names.
func (e *Engine) aspectTitle(t string) bool {
	content := 0
	for _, w := range Words(t) {
		if e.stop[w] {
			continue
		}
		if !e.headWords[w] {
			return false
		}
		content++
	}
	return content > 0
}

// looksAspect reports a title that names an aspect of a page or reads as a
// sentence rather than naming a subject.
func looksAspect(t string) bool {
	first, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(t)), " ")
	switch first {
	case "what", "where", "who", "how", "why", "when", "which", "introduction", "the", "overview",
		"starting", "compare", "a", "an", "your", "our", "about", "welcome", "home":
		return true
	}
	return strings.HasSuffix(t, "?") || strings.Count(t, " ") > 5
}

// hasPlaceName reports a capitalised name after "in", "at", "across" or
// "around" ("based in Nottingham and Lincoln"): where something is.
func hasPlaceName(t string) bool {
	for _, p := range []string{" in ", " at ", " across ", " around "} {
		for i := 0; ; {
			j := strings.Index(t[i:], p)
			if j < 0 {
				break
			}
			rest := strings.TrimPrefix(t[i+j+len(p):], "the ")
			if n := capitalisedRun(rest); n >= 4 {
				return true
			}
			i += j + 1
		}
	}
	return false
}

// capitalisedRun is the length of the capitalised word at the start of s
// (a capital, then lower-case letters), or 0.
func capitalisedRun(s string) int {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return 0
	}
	n := 1
	for n < len(s) && s[n] >= 'a' && s[n] <= 'z' {
		n++
	}
	return n
}

var definedAcronym = regexp.MustCompile(`\(([A-Z][A-Za-z]{1,6})\)`)

// addAcronyms learns the short forms of a page's names: the initials of
// its multi-word names and topics ("operating department practitioner" ->
// ODP), and the forms the page defines ("... Practitioner Training
// Programme (PTP)").
func (e *Engine) addAcronyms(di int32, info *docInfo) {
	add := func(name string) {
		var initials strings.Builder
		var ids []int32
		for _, w := range Words(name) {
			if e.stop[w] || w == "nhs" {
				continue
			}
			initials.WriteByte(w[0])
			ids = append(ids, e.ix.term(termOf(w)))
		}
		if len(ids) < 2 || len(ids) > 6 {
			return
		}
		k := initials.String()
		for _, a := range e.ix.acronyms[k] {
			if a.doc == di {
				return
			}
		}
		e.ix.acronyms[k] = append(e.ix.acronyms[k], acronym{doc: di, terms: ids})
	}
	add(info.name)
	for _, ti := range info.topics {
		add(ti.t.Name)
	}
	for _, si := range info.sents {
		text := e.ix.sents[si].s.Text
		for _, m := range definedAcronym.FindAllStringSubmatchIndex(text, -1) {
			short := strings.TrimSuffix(strings.ToLower(text[m[2]:m[3]]), "s") // "(PWPs)"
			words := Words(text[:m[0]])
			// the words before the brackets whose initials spell it
			var ids []int32
			j := len(short) - 1
			for i := len(words) - 1; i >= 0 && j >= 0 && len(words)-i <= 2*len(short)+2; i-- {
				w := words[i]
				if e.stop[w] {
					continue
				}
				if w[0] != short[j] {
					break
				}
				ids = append(ids, e.ix.term(termOf(w)))
				j--
			}
			if j < 0 {
				e.ix.acronyms[short] = append(e.ix.acronyms[short], acronym{doc: -1, terms: ids})
			}
		}
	}
}

// cueSet is a list of cue phrases for many intents, indexed by the root
// of their first word; symbols ("£") are matched as text.
type cueSet struct {
	byFirst map[string][]cuePhrase
	symbols []cuePhrase
}

// colleagueBit marks sentences about colleagues, in the markers beside
// the intents' bits.
const colleagueBit = uint64(1) << 63

type cuePhrase struct {
	bit   uint64
	roots []string
	text  string
	weak  bool // counts only beside another of its intent's cues
}

// newCueSet gathers the intents' cues that get returns, and, when weak is
// not nil, their weak cues.
func (e *Engine) newCueSet(get, weak func(*IntentSpec) []string, lite bool) *cueSet {
	cs := &cueSet{byFirst: map[string][]cuePhrase{}}
	add := func(bit uint64, c string, isWeak bool) {
		rs := e.seq(c)
		if lite {
			rs = liteForms(spellUK(Words(c), e.lx.Spelling))
		}
		if len(rs) == 0 {
			cs.symbols = append(cs.symbols, cuePhrase{bit: bit, text: c, weak: isWeak})
			return
		}
		cs.byFirst[rs[0]] = append(cs.byFirst[rs[0]], cuePhrase{bit: bit, roots: rs, weak: isWeak})
	}
	for i := range e.lx.Intents {
		bit := uint64(1) << uint(i)
		for _, c := range get(&e.lx.Intents[i]) {
			add(bit, c, false)
		}
		if weak != nil {
			for _, c := range weak(&e.lx.Intents[i]) {
				add(bit, c, true)
			}
		}
	}
	return cs
}

// cueMask returns the intents whose cues the text carries.
func (e *Engine) cueMask(cs *cueSet, text string) uint64 {
	return e.cueMaskRoots(cs, e.seq(text), text)
}

// markerMasks is cueMaskRoots for the answer cues, with the intents whose
// cues the text carries two or more of ("of any age", "elderly",
// "patients": a sentence about which patients, not one naming them).
func (e *Engine) markerMasks(cs *cueSet, rs []string, text string) (mask, strong uint64) {
	var seen []*cuePhrase
	var weak uint64 // intents with a weak cue so far
	count := func(c *cuePhrase) {
		if (mask|weak)&c.bit != 0 {
			strong |= c.bit // the second: a marker, however weak each
			mask |= c.bit
		}
		if c.weak {
			weak |= c.bit
		} else {
			mask |= c.bit
		}
		seen = append(seen, c)
	}
	for i, r := range rs {
		for j := range cs.byFirst[r] {
			c := &cs.byFirst[r][j]
			if i+len(c.roots) <= len(rs) && equalSeq(rs[i:i+len(c.roots)], c.roots) && !slices.Contains(seen, c) {
				count(c)
			}
		}
	}
	for j := range cs.symbols {
		if c := &cs.symbols[j]; strings.Contains(text, c.text) {
			count(c)
		}
	}
	return mask, strong
}

// cueMaskRoots is cueMask for a text whose roots are known.
func (e *Engine) cueMaskRoots(cs *cueSet, rs []string, text string) uint64 {
	var mask uint64
	for i, r := range rs {
		for _, c := range cs.byFirst[r] {
			if mask&c.bit == 0 && i+len(c.roots) <= len(rs) && equalSeq(rs[i:i+len(c.roots)], c.roots) {
				mask |= c.bit
			}
		}
	}
	for _, c := range cs.symbols {
		if strings.Contains(text, c.text) {
			mask |= c.bit
		}
	}
	return mask
}

func equalSeq(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// completion returns the base's most used word that starts with w ("physio"
// -> "physiotherapist", "rehab" -> "rehabilitation"), or "".
func (ix *index) completion(w string) string {
	i := sort.SearchStrings(ix.sorted, w)
	best, n := "", 0
	for ; i < len(ix.sorted) && strings.HasPrefix(ix.sorted[i], w); i++ {
		if c := ix.sorted[i]; c != w && ix.words[c] > n {
			best, n = c, ix.words[c]
		}
	}
	return best
}

// The kinds of phrase of sentCues, found in one pass over a sentence.
const (
	sentColleague = 1 << iota // "work closely with", "multidisciplinary"
	sentNoNeed                // "no specific", "don't need"
)

// addPhrases adds phrases of one kind (bit) to a cue set.
func (e *Engine) addPhrases(cs *cueSet, phrases []string, bit uint64) {
	for _, c := range phrases {
		if rs := e.seq(c); len(rs) > 0 {
			cs.byFirst[rs[0]] = append(cs.byFirst[rs[0]], cuePhrase{bit: bit, roots: rs})
		}
	}
}

// colleagueMask marks a sentence about the people a role works beside:
// one that says "with", "alongside" or "team" and names an occupation other
// than the page's own ("You will work with doctors to choose ...").
func (e *Engine) colleagueMask(f *sentFacts, idTerms []int32) uint64 {
	if f.collCue {
		return colleagueBit
	}
	if f.together {
		for _, r := range f.occupations {
			if !has(idTerms, e.ix.lookup(r)) {
				return colleagueBit
			}
		}
	}
	return 0
}

// bodyOccupation returns the root of the occupation a page is about when
// its identity names none: the one most of its sentences name, if at
// least Tuning.BodyOccupationMin do and no other as many; else "".
func (e *Engine) bodyOccupation(d *knowledge.Document, ts []textTokens) string {
	if e.tune.BodyOccupationMin <= 0 {
		return ""
	}
	for _, p := range identity(d) {
		for _, w := range Words(p) {
			if e.isOccupation(ukSpelling(w, e.lx.Spelling)) {
				return ""
			}
		}
	}
	var roots []string
	var counts []int
	for _, t := range ts {
		if t.facts == nil {
			continue
		}
		for i, r := range t.facts.occupations {
			if slices.Contains(t.facts.occupations[:i], r) {
				continue // once a sentence
			}
			if j := slices.Index(roots, r); j >= 0 {
				counts[j]++
			} else {
				roots, counts = append(roots, r), append(counts, 1)
			}
		}
	}
	best, n, second := "", 0, 0
	for i, c := range counts {
		switch {
		case c > n:
			best, n, second = roots[i], c, n
		case c > second:
			second = c
		}
	}
	if n < e.tune.BodyOccupationMin || second == n {
		return ""
	}
	return best
}

// sentenceFacts works out what a sentence's own text says (it needs
// nothing of the index).
func (e *Engine) sentenceFacts(s *knowledge.Sentence, t textTokens, lite *[]string) *sentFacts {
	f := &sentFacts{junk: isJunk(s)}
	*lite = appendLiteForms((*lite)[:0], t.words)
	f.markers, f.strong = e.markerMasks(e.answerCues, *lite, s.Text)
	if hasPlaceName(s.Text) {
		f.markers |= e.intentBit[IntentLocation]
	}
	for i, w := range t.words {
		switch w {
		case "with", "alongside", "team", "teams", "colleague", "colleagues", "multidisciplinary":
			f.together = true
		}
		if e.isOccupation(w) {
			f.occupations = append(f.occupations, t.roots[i])
		}
	}
	m := e.cueMaskRoots(e.sentCues, t.roots, "")
	f.collCue, f.noNeed = m&sentColleague != 0, m&sentNoNeed != 0
	return f
}

// refersBack reports a sentence that opens by pointing at the one before
// ("This can include anxiety, depression, ...").
func refersBack(t string) bool {
	first, _, _ := strings.Cut(t, " ")
	switch strings.ToLower(strings.Trim(first, ",")) {
	case "this", "these", "those", "such", "it", "they", "this,", "which":
		return true
	}
	return false
}

// liteForms lower-cased words with plurals folded ("hospitals" ->
// "hospital", "laboratories" -> "laboratory") but not stemmed, so that an
// answer cue such as "clinic" does not also match "clinical".
func liteForms(ws []string) []string { return appendLiteForms(make([]string, 0, len(ws)), ws) }

// appendLiteForms appends the words' lite forms to out.
func appendLiteForms(out []string, ws []string) []string {
	for _, w := range ws {
		switch {
		case len(w) > 4 && strings.HasSuffix(w, "ies"):
			w = w[:len(w)-3] + "y"
		case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
			w = w[:len(w)-1]
		}
		out = append(out, w)
	}
	return out
}
