package intents

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/careersbot/careersbot/knowledge"
)

func TestZDiag(t *testing.T) {
	file := os.Getenv("ZEVAL")
	if file == "" {
		t.Skip()
	}
	var kb *knowledge.Base
	var err error
	if p := os.Getenv("ZKB"); p != "" {
		kb, err = knowledge.Load(p)
	} else {
		kb, err = knowledge.Default()
	}
	if err != nil {
		t.Fatal(err)
	}
	e, _ := New(kb)
	f, _ := os.Open(file)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	cats := map[string]int{}
	for sc.Scan() {
		var c struct {
			ID     string
			Turns  []string
			Expect struct {
				Answered bool
				Any, All []string
			}
		}
		json.Unmarshal(sc.Bytes(), &c)
		if !c.Expect.Answered || len(c.Expect.Any) == 0 {
			continue
		}
		var ctx Context
		var a Answer
		for _, tu := range c.Turns {
			a = e.Answer(context.Background(), Question{Text: tu, Context: ctx})
			if a.Answered {
				ctx = Context{Topic: a.Topic, Intent: a.Intent}
			}
		}
		low := strings.ToLower(strings.Join(strings.Fields(a.Text), " "))
		ok := false
		for _, x := range c.Expect.Any {
			if strings.Contains(low, strings.ToLower(x)) {
				ok = true
			}
		}
		if ok {
			continue
		}
		// where is the expected phrase?
		var want *sentInfo
		for _, si := range e.ix.sents {
			st := strings.ToLower(strings.Join(strings.Fields(si.s.Text), " "))
			for _, x := range c.Expect.Any {
				if strings.Contains(st, strings.ToLower(strings.Join(strings.Fields(x), " "))) {
					want = si
				}
			}
			if want != nil {
				break
			}
		}
		cat := "nowhere"
		q := e.analyse(strings.TrimSpace(Clean(c.Turns[len(c.Turns)-1])), ctx)
		all := e.rankDocs(q)
		if want != nil {
			docRank := -1
			for i, d := range all {
				if d.doc == want.doc {
					docRank = i
				}
			}
			switch {
			case docRank == 0:
				cat = "rightdoc"
			case docRank > 0 && docRank < 3:
				cat = "doc2-3"
			default:
				cat = "wrongdoc"
			}
			if !a.Answered {
				cat += "-refused"
			}
		}
		if want != nil && a.Why != nil {
			// rank of the wanted sentence among the passages
			docs := e.candidates(all)
			if q.followup && len(q.ctxDocs) > 0 && q.content == 0 {
				docs = nil
				for _, d := range q.ctxDocs {
					docs = append(docs, docCand{d, 1})
				}
			}
			hits := e.findTopics(q, docs)
			var hit *topicHit
			if len(hits) > 0 {
				hit = &hits[0]
			}
			ps := e.rankPassages(q, docs, hit, e.intentBit[q.intentName()], q.intent == nil || q.is(IntentRole), nil)
			r := -1
			for i, p := range ps {
				if p.si == want || p.si.next == want {
					r = i
					break
				}
			}
			key := "rank>5"
			switch {
			case r < 0:
				key = "notcand"
			case r < 5:
				key = fmt.Sprintf("rank%d", r)
			}
			cats[key]++
		}
		cats[cat]++
		if os.Getenv("ZV") != "" {
			w := ""
			if want != nil {
				w = want.s.Text
				if len(w) > 120 {
					w = w[:120]
				}
			}
			got := a.Text
			if len(got) > 120 {
				got = got[:120]
			}
			fmt.Printf("%s [%s] intent=%s %q\n   want: %s\n   got:  %s\n", cat, c.ID, q.intentName(), c.Turns[len(c.Turns)-1], w, got)
		}
	}
	fmt.Println(cats)
}
