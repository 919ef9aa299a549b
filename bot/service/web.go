package service

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/engine"
	"github.com/careersbot/careersbot/bot/web"
	"github.com/careersbot/careersbot/intents"
	"github.com/careersbot/careersbot/knowledge"
)

// webState is what the web pages see of the knowledge in service: the
// chat's intro, the console's report and the engine behind "try a
// question". The service updates it on every load and reload.
type webState struct {
	mu     sync.RWMutex // protects engine and report
	engine *intents.Engine
	report web.Knowledge
}

// loaded records a knowledge base in service.
func (w *webState) loaded(e *intents.Engine, base *knowledge.Base, took time.Duration, at time.Time, reloads int) {
	r := knowledgeReport(base)
	r.LoadTime = took.Seconds()
	r.LoadedAt = at.UTC()
	r.Reloads = reloads
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.engine != nil {
		r.Reload = &web.Reload{At: at.UTC(), OK: true}
	}
	w.engine, w.report = e, r
}

// reloadFailed records a failed reload; the old pages keep serving.
func (w *webState) reloadFailed(err error, at time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.report.Reload = &web.Reload{At: at.UTC(), Error: err.Error()}
}

func (w *webState) intro() web.Intro {
	w.mu.RLock()
	e := w.engine
	w.mu.RUnlock()
	return web.Intro{Subject: e.Subject(), Examples: e.Examples()}
}

func (w *webState) knowledge() web.Knowledge {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.report
}

// explain answers a question tried in the console straight from the
// engine: no conversation, no rate limit, not recorded as unanswered.
func (w *webState) explain(ctx context.Context, q string) bot.Reply {
	w.mu.RLock()
	e := w.engine
	w.mu.RUnlock()
	return engine.Reply(e.Answer(ctx, intents.Question{Text: q}))
}

// knowledgeReport is the console's view of base: its pages, topics (depth
// first) and the problems `kb check` reports.
func knowledgeReport(base *knowledge.Base) web.Knowledge {
	var k web.Knowledge
	for _, d := range base.Documents {
		k.Documents = append(k.Documents, web.Document{Title: d.Title, Path: d.Path, URL: d.URL, Sections: len(d.Sections)})
		k.Sections += len(d.Sections)
	}
	k.Sentences = len(base.Sentences)
	var walk func(t *knowledge.Topic, depth int)
	walk = func(t *knowledge.Topic, depth int) {
		k.Topics = append(k.Topics, web.Topic{Name: t.Name, Depth: depth, Sentences: len(t.Sentences)})
		for _, c := range t.Children {
			walk(c, depth+1)
		}
	}
	for _, t := range base.Topics {
		if t.Parent == nil {
			walk(t, 0)
		}
	}
	for _, p := range base.Problems {
		sev := "warning"
		if p.Fatal() {
			sev = "error"
		}
		k.Problems = append(k.Problems, web.Problem{Severity: sev, Message: strings.TrimSpace(p.Error())})
	}
	return k
}
