package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/redisstate"
	"github.com/careersbot/careersbot/bot/service"
	"github.com/careersbot/careersbot/bot/slack"
	"github.com/careersbot/careersbot/intents"
)

// Two or more replicas in-process, each with its own connection to one
// Redis (as separate processes would have), Slack's Events API on, and a
// stand-in for Slack's Web API on 127.0.0.1 that counts the replies.

const (
	replicaToken  = "xoxb-loadtest-token"
	replicaSecret = "loadtest-signing-secret"
)

// replicaSet is the replicas of one run.
type replicaSet struct {
	bases  []string
	stores []*redisstate.Store
	slack  *postCounter
	stop   func()
}

// roundTrips sums the Redis round trips of every replica.
func (r *replicaSet) roundTrips() int64 {
	var n int64
	for _, s := range r.stores {
		n += s.RoundTrips()
	}
	return n
}

// postCounter is Slack's Web API as the replicas use it (auth.test,
// chat.postMessage), counting replies by thread.
type postCounter struct {
	srv *httptest.Server

	mu      sync.Mutex     // protects threads and posts
	threads map[string]int // thread_ts -> replies
	posts   int
}

func newPostCounter() *postCounter {
	p := &postCounter{threads: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/auth.test", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true,"user_id":"UBOT","team_id":"T1","bot_id":"B1"}`)
	})
	mux.HandleFunc("POST /api/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad request", 400)
			return
		}
		p.mu.Lock()
		p.threads[r.PostForm.Get("thread_ts")]++
		p.posts++
		n := p.posts
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"ok":true,"channel":"C1","ts":"1800000000.%06d"}`, n)
	})
	p.srv = httptest.NewServer(mux)
	return p
}

func (p *postCounter) counts() (posts, threads, duplicates int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, n := range p.threads {
		if n > 1 {
			duplicates += n - 1
		}
	}
	return p.posts, len(p.threads), duplicates
}

// startReplicas runs n services sharing the Redis at redisURL, with no rate
// limit and no unanswered recording (the shared state is what is measured).
func startReplicas(n int, redisURL, kb string) (*replicaSet, error) {
	u, err := url.Parse(redisURL)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
		return nil, fmt.Errorf("-redis %s is not a redis:// URL", redisstate.Redacted(redisURL))
	}
	if err := loopbackOnly("http://" + u.Host); err != nil {
		return nil, fmt.Errorf("-redis must be on this machine (127.0.0.1, ::1 or localhost)")
	}
	set := &replicaSet{slack: newPostCounter()}
	ctx, cancel := context.WithCancel(context.Background())
	var done []chan error
	set.stop = func() {
		cancel()
		for _, d := range done {
			<-d
		}
		for _, s := range set.stores {
			s.Close()
		}
		set.slack.srv.Close()
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for range n {
		store, err := redisstate.Open(ctx, redisstate.Options{URL: redisURL, Log: log})
		if err != nil {
			set.stop()
			return nil, fmt.Errorf("-redis: %w", err)
		}
		set.stores = append(set.stores, store)
		claims := store.Claims()
		o := service.Options{
			Addr:      "127.0.0.1:0",
			Threshold: intents.DefaultThreshold,
			Version:   "loadtest",
			Log:       log,
			Shared:    store,
			Adapters: []service.AdapterFactory{func(h bot.Handler, log *slog.Logger) (bot.Adapter, error) {
				return slack.New(slack.Config{BotToken: replicaToken, SigningSecret: replicaSecret,
					APIURL: set.slack.srv.URL + "/api/", Claims: claims}, h, log)
			}},
		}
		if kb != "" {
			o.KB = []string{kb}
		}
		svc, err := service.New(ctx, o)
		if err != nil {
			set.stop()
			return nil, err
		}
		d := make(chan error, 1)
		done = append(done, d)
		go func() { d <- svc.Run(ctx) }()
		set.bases = append(set.bases, "http://"+svc.Addr().String())
	}
	return set, nil
}

// eventResult is the outcome of delivering events to every replica.
type eventResult struct {
	events, answered, duplicates, lost int
	elapsed                            time.Duration
	roundTrips                         int64
}

// deliverEvents sends events app mentions, each to every replica at the
// same moment (as Slack's retries to another replica, or to two Socket
// Mode connections, would arrive), clients at a time, and waits for the
// replies.
func deliverEvents(client *http.Client, set *replicaSet, events, clients int, run string) eventResult {
	rt0 := set.roundTrips()
	_, before, _ := set.slack.counts()
	start := time.Now()
	work := make(chan int)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for i := range work {
				body := eventBody(fmt.Sprintf("Ev%s-%d", run, i), fmt.Sprintf("1%s.%06d", run, i))
				var each sync.WaitGroup
				for _, base := range set.bases {
					each.Go(func() { postEvent(client, base, body) })
				}
				each.Wait()
			}
		})
	}
	for i := range events {
		work <- i
	}
	close(work)
	wg.Wait()
	// Replies are posted in the background: wait until they stop coming.
	last, lastChange := -1, time.Now()
	for time.Since(lastChange) < time.Second && time.Since(start) < time.Minute {
		posts, _, _ := set.slack.counts()
		if posts != last {
			last, lastChange = posts, time.Now()
		}
		time.Sleep(20 * time.Millisecond)
	}
	_, threads, dups := set.slack.counts()
	answered := threads - before
	return eventResult{events: events, answered: answered, duplicates: dups, lost: events - answered,
		elapsed: lastChange.Sub(start), roundTrips: set.roundTrips() - rt0}
}

func eventBody(id, ts string) []byte {
	b, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "event_id": id,
		"event": map[string]any{"type": "app_mention", "user": "U0ASKER", "channel": "C1", "ts": ts,
			"text": "<@UBOT> where do genetics staff work"}})
	return b
}

// postEvent delivers a signed Events API request.
func postEvent(client *http.Client, base string, body []byte) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, []byte(replicaSecret))
	fmt.Fprintf(m, "v0:%s:%s", ts, body)
	req, err := http.NewRequest("POST", base+"/slack/events", bytes.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(m.Sum(nil)))
	resp, err := client.Do(req)
	if err != nil {
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}
