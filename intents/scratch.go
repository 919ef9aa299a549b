package intents

// scratch is the memory one answer works in: the analysed question, the
// request, page scores, candidate lists, topic hits and passages. It is
// taken from a pool when a question is analysed and put back once its
// Answer is built, so answering allocates little beyond the Answer it
// returns; nothing an Answer holds points into it.
type scratch struct {
	q        query
	r        request
	acc      *scores
	terms    [48]qterm
	pairs    [24]qterm
	stems    [16]string
	top      [docKeep]docCand
	cands    [docKeep]docCand
	hits     [2][16]topicHit
	hitsUsed int
	passages [6 * (passageKeep + 1)]passage
	passUsed int
}

// newScratch takes a scratch from the pool, cleared.
func (e *Engine) newScratch() *scratch {
	s := e.scratchPool.Get().(*scratch)
	s.q = query{s: s}
	s.r = request{}
	s.hitsUsed, s.passUsed = 0, 0
	return s
}

// release gives a query's scratch back to the pool: nothing of the query
// may be used after.
func (e *Engine) release(q *query) {
	if s := q.s; s != nil {
		q.s = nil
		e.scratchPool.Put(s)
	}
}

// passageBuf returns an empty list with room for rankPassages' results.
func (q *query) passageBuf() []passage {
	const n = passageKeep + 1
	if s := q.s; s != nil && s.passUsed+n <= len(s.passages) {
		p := s.passages[s.passUsed : s.passUsed : s.passUsed+n]
		s.passUsed += n
		return p
	}
	return make([]passage, 0, n)
}

// hitBuf returns an empty list for findTopics' results.
func (q *query) hitBuf() []topicHit {
	if s := q.s; s != nil && s.hitsUsed < len(s.hits) {
		h := s.hits[s.hitsUsed][:0:len(s.hits[s.hitsUsed])]
		s.hitsUsed++
		return h
	}
	return make([]topicHit, 0, 8)
}
