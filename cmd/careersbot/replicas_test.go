package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careersbot/careersbot/internal/testutil"
)

// Two `careersbot serve` replicas sharing Redis and PostgreSQL, driven
// through Slack's Events API (a stand-in for the Web API on 127.0.0.1)
// and /v1/ask.

const (
	replicaToken  = "xoxb-42-replica-Hunter2"
	replicaSecret = "replica-signing-Hunter2"
)

// newRunID keeps a test's Slack ids apart from any other test (or run)
// using the same Redis server.
func newRunID() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// slackPost is one chat.postMessage the stand-in accepted.
type slackPost struct{ channel, thread, text string }

// slackStandin is Slack's Web API as the replicas use it: auth.test and
// chat.postMessage, which it can answer with 500 a given number of times.
type slackStandin struct {
	srv *httptest.Server

	mu      sync.Mutex // protects the fields below
	posts   []slackPost
	fail500 int
	failed  int
}

func newSlackStandin(t *testing.T) *slackStandin {
	t.Helper()
	s := &slackStandin{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/auth.test", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true,"user_id":"UBOT","team_id":"T1","bot_id":"B1","user":"careersbot","team":"T"}`)
	})
	mux.HandleFunc("POST /api/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || (r.Header.Get("Authorization") != "Bearer "+replicaToken && r.PostForm.Get("token") != replicaToken) {
			http.Error(w, "bad request", 400)
			return
		}
		s.mu.Lock()
		if s.fail500 > 0 {
			s.fail500--
			s.failed++
			s.mu.Unlock()
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		s.posts = append(s.posts, slackPost{r.PostForm.Get("channel"), r.PostForm.Get("thread_ts"), r.PostForm.Get("text")})
		n := len(s.posts)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1800000000.%06d"}`, r.PostForm.Get("channel"), n)
	})
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *slackStandin) all() []slackPost {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]slackPost(nil), s.posts...)
}

// in returns the posts in one channel.
func (s *slackStandin) in(channel string) []slackPost {
	var out []slackPost
	for _, p := range s.all() {
		if p.channel == channel {
			out = append(out, p)
		}
	}
	return out
}

// waitPosts waits until channel has n posts, then a moment more for any
// that should not come, and returns them.
func (s *slackStandin) waitPosts(t *testing.T, channel string, n int) []slackPost {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for len(s.in(channel)) < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	got := s.in(channel)
	if len(got) != n {
		t.Fatalf("%d replies in %s, want %d: %+v", len(got), channel, n, got)
	}
	return got
}

// replicaEnv is the environment of every replica.
func replicaEnv(slack *slackStandin, redisURL, pgURL string, extra ...string) map[string]string {
	env := map[string]string{
		"SLACK_BOT_TOKEN":            replicaToken,
		"SLACK_SIGNING_SECRET":       replicaSecret,
		"SLACK_API_URL":              slack.srv.URL + "/api/",
		"CAREERSBOT_REDIS_URL":       redisURL,
		"CAREERSBOT_UNANSWERED_DB":   pgURL,
		"CAREERSBOT_RATE_PER_MINUTE": "0",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	return env
}

// startReplicas starts two replicas of serve with env.
func startReplicas(t *testing.T, env map[string]string) [2]*served {
	t.Helper()
	return [2]*served{startServe(t, env, nil), startServe(t, env, nil)}
}

// mention is an app_mention event callback.
func mention(eventID, channel, ts, threadTS, text string) []byte {
	ev := map[string]any{"type": "app_mention", "user": "U0ASKER", "text": "<@UBOT> " + text,
		"ts": ts, "channel": channel, "event_ts": ts}
	if threadTS != "" {
		ev["thread_ts"] = threadTS
	}
	b, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "api_app_id": "A1",
		"event_id": eventID, "event_time": 1700000000, "event": ev})
	return b
}

// deliver posts a signed Events API request to a replica, as Slack does;
// retry > 0 marks it as Slack's retry number retry.
func deliver(t *testing.T, replica *served, body []byte, retry int) {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, []byte(replicaSecret))
	fmt.Fprintf(m, "v0:%s:%s", ts, body)
	req, err := http.NewRequest("POST", replica.url+"/slack/events", bytes.NewReader(body))
	if err != nil {
		t.Error(err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(m.Sum(nil)))
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("delivery: status %d", resp.StatusCode)
	}
}

// ask is POST /v1/ask; it returns the status and the decoded reply.
func ask(t *testing.T, replica *served, question, conversation string) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"question": question, "conversation": conversation})
	resp, body := request(t, "POST", replica.url+"/v1/ask", string(b))
	var r map[string]any
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("reply %s: %v", body, err)
	}
	return resp.StatusCode, r
}

func channelName(name, runID string) string { return "C" + strings.ToUpper(name+runID) }

func TestReplicasShareState(t *testing.T) {
	runID := newRunID()
	channel := func(name string) string { return channelName(name, runID) }
	slack := newSlackStandin(t)
	pg := testutil.NewPostgresDatabase(t, testutil.PostgresURL(t))
	r := startReplicas(t, replicaEnv(slack, testutil.RedisURL(t), pg))
	a, b := r[0], r[1]

	t.Run("a retry delivered to the other replica is answered once", func(t *testing.T) {
		ch := channel("retry")
		ev := mention("EvRetry"+runID, ch, "1700000001.000100", "", "what is genetics")
		deliver(t, a, ev, 0)
		deliver(t, b, ev, 1)
		deliver(t, a, ev, 2)
		slack.waitPosts(t, ch, 1)
	})

	t.Run("200 events each delivered to both replicas at once are answered once", func(t *testing.T) {
		ch := channel("burst")
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range 200 {
			ev := mention(fmt.Sprintf("EvBurst%d-%s", i, runID), ch, fmt.Sprintf("1700000100.%06d", i), "", "what is genetics")
			for _, rep := range r {
				wg.Go(func() { <-start; deliver(t, rep, ev, 0) })
			}
		}
		close(start)
		wg.Wait()
		posts := slack.waitPosts(t, ch, 200)
		threads := map[string]int{}
		for _, p := range posts {
			threads[p.thread]++
		}
		for th, n := range threads {
			if n != 1 {
				t.Errorf("thread %s answered %d times", th, n)
			}
		}
		if len(threads) != 200 {
			t.Errorf("%d threads answered, want 200", len(threads))
		}
	})

	t.Run("a thread follow-up on the other replica keeps its context", func(t *testing.T) {
		ch := channel("thread")
		deliver(t, a, mention("EvCtx1"+runID, ch, "1700000200.000100", "", "tell me about genetics"), 0)
		slack.waitPosts(t, ch, 1)
		deliver(t, b, mention("EvCtx2"+runID, ch, "1700000200.000200", "1700000200.000100", "where do they work?"), 0)
		posts := slack.waitPosts(t, ch, 2)
		if p := posts[1]; p.thread != "1700000200.000100" || !strings.Contains(p.text, "specialist hospitals") {
			t.Errorf("follow-up answered %+v, want the genetics location in the thread", p)
		}
		// The same over /v1/ask.
		conv := "follow-up-" + runID
		if _, rep := ask(t, b, "tell me about genetics", conv); rep["topic"] != "genetics" {
			t.Fatalf("first turn: %v", rep)
		}
		if _, rep := ask(t, a, "where do they work?", conv); rep["topic"] != "genetics" || !strings.Contains(fmt.Sprint(rep["answer"]), "specialist hospitals") {
			t.Errorf("follow-up on the other replica: %v", rep)
		}
	})

	t.Run("a 500 from chat.postMessage then Slack's retry on the other replica is answered once", func(t *testing.T) {
		ch := channel("fail")
		slack.mu.Lock()
		slack.fail500 = 1
		slack.mu.Unlock()
		ev := mention("Ev500"+runID, ch, "1700000300.000100", "", "what is genetics")
		deliver(t, a, ev, 0)
		deadline := time.Now().Add(10 * time.Second)
		for {
			slack.mu.Lock()
			failed := slack.failed
			slack.mu.Unlock()
			if failed == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the failing post never came")
			}
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(200 * time.Millisecond) // the claim is released after the failed post
		deliver(t, b, ev, 1)
		deliver(t, a, ev, 2)
		slack.waitPosts(t, ch, 1)
	})

	t.Run("the report shows unanswered questions from both replicas", func(t *testing.T) {
		want := map[string]bool{}
		for i := range 5 {
			for n, rep := range r {
				q := fmt.Sprintf("zorblax quuxification %s replica%d number%d", runID, n, i)
				want[q] = true
				if _, reply := ask(t, rep, q, ""); reply["answered"] != false {
					t.Fatalf("%q was answered: %v", q, reply)
				}
			}
		}
		for _, rep := range r {
			waitFor(t, func() bool { return metric(t, rep.url, "careersbot_unanswered_recorded_total") >= 5 })
		}
		out, _, err := runMain(t, nil, "report", "unanswered", "--db", pg, "--json")
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Total  int `json:"total"`
			Groups []struct {
				Wordings []struct {
					Text string `json:"text"`
				} `json:"wordings"`
			} `json:"groups"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		for _, g := range rep.Groups {
			for _, w := range g.Wordings {
				delete(want, w.Text)
			}
		}
		if len(want) != 0 {
			t.Errorf("report lacks %d questions: %v\n%s", len(want), want, out)
		}
	})

	for _, rep := range r {
		h := health(t, rep.url)
		if h["status"] != "ok" || fmt.Sprint(h["shared_state"]) != "map[postgres:true redis:true]" {
			t.Errorf("healthz %v", h)
		}
		if v := metric(t, rep.url, `careersbot_shared_state_up{store="redis"}`); v != 1 {
			t.Errorf("redis gauge %v", v)
		}
	}
}

func TestReplicasShareRateLimit(t *testing.T) {
	slack := newSlackStandin(t)
	_, redisURL := testutil.StartRedis(t) // a bucket of its own
	r := startReplicas(t, replicaEnv(slack, redisURL, "", "CAREERSBOT_RATE_PER_MINUTE", "1",
		"CAREERSBOT_RATE_BURST", "3", "CAREERSBOT_UNANSWERED_RECORD", "false"))
	// /v1/ask limits by client address: every request here is 127.0.0.1,
	// one user for both replicas.
	var got []int
	for i := range 5 {
		status, _ := ask(t, r[i%2], "what is genetics", "")
		got = append(got, status)
	}
	if fmt.Sprint(got) != "[200 200 200 429 429]" {
		t.Errorf("statuses %v, want three answers between both replicas, then 429s", got)
	}
}

// Behind a load balancer (CAREERSBOT_TRUSTED_PROXIES) each web user has a
// bucket of their own, shared by the replicas; a caller that is not the
// balancer cannot pick its own address.
func TestReplicasRateLimitBehindBalancer(t *testing.T) {
	slack := newSlackStandin(t)
	_, redisURL := testutil.StartRedis(t)
	r := startReplicas(t, replicaEnv(slack, redisURL, "", "CAREERSBOT_RATE_PER_MINUTE", "1",
		"CAREERSBOT_RATE_BURST", "2", "CAREERSBOT_UNANSWERED_RECORD", "false", "CAREERSBOT_TRUSTED_PROXIES", "127.0.0.1"))
	askAs := func(rep *served, client string) int {
		req, _ := http.NewRequest("POST", rep.url+"/v1/ask", strings.NewReader(`{"question":"what is genetics"}`))
		req.Header.Set("X-Forwarded-For", client)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	got := []int{askAs(r[0], "198.51.100.1"), askAs(r[1], "198.51.100.1"), askAs(r[0], "198.51.100.1"),
		askAs(r[1], "198.51.100.2"), askAs(r[0], "6.6.6.6, 198.51.100.2"), askAs(r[1], "198.51.100.2")}
	if fmt.Sprint(got) != "[200 200 429 200 200 429]" {
		t.Errorf("statuses %v, want two answers for each web user across both replicas, then 429", got)
	}
}

// Redis killed mid-run: both replicas keep answering from their own
// state, report "degraded", and once Redis is back de-duplication is
// shared again.
func TestReplicasRedisKilledAndRestarted(t *testing.T) {
	runID := newRunID()
	srv, redisURL := testutil.StartRedis(t)
	slack := newSlackStandin(t)
	r := startReplicas(t, replicaEnv(slack, redisURL, "", "CAREERSBOT_UNANSWERED_RECORD", "false"))
	a, b := r[0], r[1]

	ch := channelName("outage", runID)
	ev := mention("EvBefore"+runID, ch, "1700000400.000100", "", "what is genetics")
	deliver(t, a, ev, 0)
	deliver(t, b, ev, 1)
	slack.waitPosts(t, ch, 1)

	srv.Kill()
	for i := range 10 {
		for _, rep := range r {
			if status, reply := ask(t, rep, "where do genetics staff work", ""); status != 200 || reply["answered"] != true {
				t.Fatalf("during the outage: %d %v", status, reply)
			}
		}
		deliver(t, r[i%2], mention(fmt.Sprintf("EvDuring%d-%s", i, runID), ch, fmt.Sprintf("1700000401.%06d", i), "", "what is genetics"), 0)
	}
	slack.waitPosts(t, ch, 11)
	for _, rep := range r {
		waitFor(t, func() bool { return health(t, rep.url)["status"] == "degraded" })
		if v := metric(t, rep.url, `careersbot_shared_state_up{store="redis"}`); v != 0 {
			t.Errorf("redis gauge %v during the outage", v)
		}
	}

	srv.Start()
	for _, rep := range r {
		waitFor(t, func() bool { return health(t, rep.url)["status"] == "ok" })
	}
	ev = mention("EvAfter"+runID, ch, "1700000402.000100", "", "what is genetics")
	deliver(t, b, ev, 0)
	deliver(t, a, ev, 1)
	slack.waitPosts(t, ch, 12)
	for _, rep := range r {
		if n := strings.Count(rep.stderr.String(), "redis unreachable"); n != 1 {
			t.Errorf("outage logged %d times by one replica, want once", n)
		}
	}
}

// PostgreSQL restarted mid-run: no unanswered question is lost.
func TestReplicasPostgresRestarted(t *testing.T) {
	srv, pg := testutil.StartPostgres(t)
	slack := newSlackStandin(t)
	r := startReplicas(t, replicaEnv(slack, testutil.RedisURL(t), pg))
	asked := 0
	askAll := func(phase string) {
		for i := range 5 {
			for n, rep := range r {
				q := fmt.Sprintf("zorblax %s replica%d number%d", phase, n, i)
				if status, reply := ask(t, rep, q, ""); status != 200 || reply["answered"] != false {
					t.Fatalf("%q: %d %v", q, status, reply)
				}
				asked++
			}
		}
	}
	askAll("before")
	srv.Stop()
	askAll("during")
	for _, rep := range r {
		waitFor(t, func() bool { return health(t, rep.url)["status"] == "degraded" })
	}
	askAll("still-during")
	srv.Start()
	for _, rep := range r {
		waitFor(t, func() bool { return health(t, rep.url)["status"] == "ok" })
	}
	askAll("after")
	for _, rep := range r {
		if err := rep.stop(t); err != nil {
			t.Fatal(err)
		}
	}
	out, _, err := runMain(t, nil, "report", "unanswered", "--db", pg, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Total != asked {
		t.Errorf("report total %d, want %d (every question asked)", rep.Total, asked)
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The passwords in CAREERSBOT_REDIS_URL and CAREERSBOT_UNANSWERED_DB appear
// nowhere: not in the logs (start-up, an outage, the recovery), /metrics or
// /healthz.
func TestReplicaURLSecretsNotShown(t *testing.T) {
	const redisPW, pgPW = "Hunter2-redis-pw", "Hunter2-pg-pw"
	srv, redisURL := testutil.StartRedis(t, "--requirepass", redisPW)
	pg := testutil.NewPostgresDatabase(t, testutil.PostgresURL(t))
	slack := newSlackStandin(t)
	env := replicaEnv(slack,
		strings.Replace(redisURL, "redis://", "redis://:"+redisPW+"@", 1),
		strings.Replace(pg, "postgres@", "postgres:"+pgPW+"@", 1), // trust authentication ignores it
		"CAREERSBOT_LOG_LEVEL", "debug")
	s := startServe(t, env, nil)
	ask(t, s, "where do genetics staff work", "c1")
	ask(t, s, "zorblax quux", "")
	srv.Kill()
	ask(t, s, "where do genetics staff work", "c1")
	waitFor(t, func() bool { return health(t, s.url)["status"] == "degraded" })
	srv.Start()
	waitFor(t, func() bool { return health(t, s.url)["status"] == "ok" })
	_, metrics := request(t, "GET", s.url+"/metrics", "")
	_, hz := request(t, "GET", s.url+"/healthz", "")
	if err := s.stop(t); err != nil {
		t.Fatal(err)
	}
	logs := s.stderr.String()
	for name, out := range map[string]string{"logs": logs, "metrics": string(metrics), "healthz": string(hz)} {
		for _, pw := range []string{redisPW, pgPW} {
			if strings.Contains(out, pw) {
				t.Errorf("%s show a password:\n%s", name, out)
			}
		}
	}
	for _, want := range []string{"redis unreachable", "shared state back", "xxxxx@127.0.0.1"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}

	// A wrong password stops serve at start-up, naming the setting only.
	const wrong = "Hunter2-wrong-pw"
	env["CAREERSBOT_REDIS_URL"] = strings.Replace(redisURL, "redis://", "redis://:"+wrong+"@", 1)
	env["CAREERSBOT_ADDR"] = "127.0.0.1:0"
	_, stderr, err := runMain(t, env, "serve")
	if err == nil || !strings.Contains(err.Error(), "CAREERSBOT_REDIS_URL") || strings.Contains(err.Error()+stderr, wrong) {
		t.Errorf("serve with a wrong Redis password: %v\n%s", err, stderr)
	}
}
