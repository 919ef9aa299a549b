package discord

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careersbot/careersbot/internal/testutil"

	"github.com/gorilla/websocket"

	"github.com/careersbot/careersbot/bot"
)

// Ids used by the stand-in (Discord ids are digit strings).
const (
	testToken   = "test-token.secret"
	testAppID   = "111111111111111111"
	testBotID   = "222222222222222222"
	testGuildID = "333333333333333333"
	testChanID  = "444444444444444444"
	testUserID  = "555555555555555555"
	testDMID    = "666666666666666666"
)

// waitLimit bounds every wait in these tests, so a bug fails instead of
// hanging; nothing is timed.
const waitLimit = 10 * time.Second

// restCall is one REST request the stand-in received.
type restCall struct {
	Method, Path, Auth string
	Body               []byte
	Status             int // what the stand-in answered
}

// gwFrame is one gateway payload.
type gwFrame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

// rateLimit makes the stand-in answer the first n requests whose path has
// the prefix with 429.
type rateLimit struct {
	method, prefix string
	n              int
	global         bool
}

// standin is a local stand-in for Discord: REST under /api/v9 and a
// websocket gateway at /gw/ speaking HELLO, IDENTIFY, READY, heartbeats,
// RESUME and dispatches.
type standin struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex // protects everything below
	changed  chan struct{}
	calls    []restCall
	limits   []*rateLimit
	conn     *websocket.Conn // current gateway connection
	wmu      *sync.Mutex     // serialises writes to conn
	conns    int
	idents   []json.RawMessage
	resumes  []resumePayload
	beats    []int64
	seq      int64
	sessions int
	session  string
	ready    bool // the current connection has had READY or RESUMED

	disallowed int // intents refused with close 4014; set before the adapter runs
}

type resumePayload struct {
	Token     string `json:"token"`
	SessionID string `json:"session_id"`
	Seq       int64  `json:"seq"`
}

func newStandin(t testing.TB) *standin {
	t.Helper()
	s := &standin{t: t, changed: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v9/gateway", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"url": "ws://" + r.Host + "/gw"})
	})
	mux.HandleFunc("GET /api/v9/gateway/bot", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"url": "ws://" + r.Host + "/gw", "shards": 1})
	})
	mux.HandleFunc("GET /api/v9/users/@me", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"id": testBotID, "username": "careersbot", "bot": true})
	})
	commands := func(w http.ResponseWriter, r *http.Request, body []byte) {
		var cmds []map[string]any
		if err := json.Unmarshal(body, &cmds); err != nil {
			http.Error(w, `{"message":"bad json","code":50109}`, http.StatusBadRequest)
			return
		}
		for i, c := range cmds {
			c["id"] = strconv.Itoa(900 + i)
			c["application_id"] = r.PathValue("app")
			c["version"] = "1"
		}
		writeJSON(w, cmds)
	}
	mux.HandleFunc("PUT /api/v9/applications/{app}/commands", s.rest(commands))
	mux.HandleFunc("PUT /api/v9/applications/{app}/guilds/{guild}/commands", s.rest(commands))
	mux.HandleFunc("POST /api/v9/interactions/{id}/{token}/callback", s.rest(func(w http.ResponseWriter, r *http.Request, body []byte) {
		w.WriteHeader(http.StatusNoContent)
	}))
	message := func(w http.ResponseWriter, r *http.Request, body []byte) {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			http.Error(w, `{"message":"bad json","code":50109}`, http.StatusBadRequest)
			return
		}
		m["id"] = "777777777777777777"
		m["channel_id"] = r.PathValue("channel")
		m["author"] = map[string]any{"id": testBotID, "username": "careersbot", "bot": true}
		writeJSON(w, m)
	}
	mux.HandleFunc("POST /api/v9/channels/{channel}/messages", s.rest(message))
	mux.HandleFunc("PATCH /api/v9/webhooks/{app}/{token}/messages/{message}", s.rest(message))
	mux.HandleFunc("/gw/", s.serveGateway)
	mux.HandleFunc("/", s.rest(func(w http.ResponseWriter, r *http.Request, body []byte) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"message":"404: Not Found","code":0}`)
	}))
	s.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		s.mu.Lock()
		if s.conn != nil {
			s.conn.Close()
		}
		s.mu.Unlock()
		s.srv.Close()
	})
	return s
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// notify wakes waiters; call with s.mu held.
func (s *standin) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// rest records a REST call, applies any rate limit, then calls h.
func (s *standin) rest(h func(w http.ResponseWriter, r *http.Request, body []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		var limit *rateLimit
		for _, l := range s.limits {
			if l.n > 0 && l.method == r.Method && strings.HasPrefix(r.URL.Path, l.prefix) {
				l.n--
				limit = l
				break
			}
		}
		s.mu.Unlock()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		if limit != nil {
			h := w.Header()
			h.Set("Content-Type", "application/json")
			h.Set("Retry-After", "1")
			h.Set("X-RateLimit-Limit", "5")
			h.Set("X-RateLimit-Remaining", "0")
			h.Set("X-RateLimit-Reset-After", "0.02")
			h.Set("X-RateLimit-Bucket", "abcd1234")
			if limit.global {
				h.Set("X-RateLimit-Global", "true")
				h.Set("X-RateLimit-Scope", "global")
			} else {
				h.Set("X-RateLimit-Scope", "user")
			}
			rec.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(rec, `{"message":"You are being rate limited.","retry_after":0.02,"global":`+strconv.FormatBool(limit.global)+`}`)
		} else {
			h(rec, r, body)
		}
		s.mu.Lock()
		s.calls = append(s.calls, restCall{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"), Body: body, Status: rec.status})
		s.notify()
		s.mu.Unlock()
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// limit makes the next n requests to method+prefix answer 429.
func (s *standin) limit(method, prefix string, n int, global bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = append(s.limits, &rateLimit{method: method, prefix: prefix, n: n, global: global})
}

var upgrader = websocket.Upgrader{}

// serveGateway speaks the gateway protocol on one connection.
func (s *standin) serveGateway(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("v") != "9" || r.URL.Query().Get("encoding") != "json" {
		http.Error(w, "want ?v=9&encoding=json", http.StatusBadRequest)
		return
	}
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	wmu := &sync.Mutex{}
	s.mu.Lock()
	if s.conn != nil {
		s.conn.Close()
	}
	s.conn, s.wmu, s.ready = c, wmu, false
	s.conns++
	s.notify()
	s.mu.Unlock()
	defer func() {
		c.Close()
		s.mu.Lock()
		if s.conn == c {
			s.conn, s.ready = nil, false
		}
		s.notify()
		s.mu.Unlock()
	}()
	send := func(v any) error {
		wmu.Lock()
		defer wmu.Unlock()
		return c.WriteJSON(v)
	}
	if send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}}) != nil {
		return
	}
	for {
		var f gwFrame
		if err := c.ReadJSON(&f); err != nil {
			return
		}
		switch f.Op {
		case 1: // heartbeat
			var seq int64
			json.Unmarshal(f.D, &seq)
			s.mu.Lock()
			s.beats = append(s.beats, seq)
			s.notify()
			s.mu.Unlock()
			send(map[string]any{"op": 11})
		case 2: // identify
			var id struct {
				Intents int `json:"intents"`
			}
			json.Unmarshal(f.D, &id)
			s.mu.Lock()
			s.idents = append(s.idents, f.D)
			if id.Intents&s.disallowed != 0 {
				s.notify()
				s.mu.Unlock()
				wmu.Lock()
				c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4014, "Disallowed intent(s)."))
				wmu.Unlock()
				return
			}
			s.sessions++
			s.session = "session-" + strconv.Itoa(s.sessions)
			s.seq++
			seq, session := s.seq, s.session
			s.mu.Unlock()
			err := send(map[string]any{"op": 0, "t": "READY", "s": seq, "d": map[string]any{
				"v":           9,
				"session_id":  session,
				"user":        map[string]any{"id": testBotID, "username": "careersbot", "bot": true},
				"application": map[string]any{"id": testAppID, "flags": 0},
				"guilds":      []any{map[string]any{"id": testGuildID, "unavailable": true}},
			}})
			s.mu.Lock()
			s.ready = err == nil && s.conn == c
			s.notify()
			s.mu.Unlock()
		case 6: // resume
			var p resumePayload
			json.Unmarshal(f.D, &p)
			s.mu.Lock()
			s.resumes = append(s.resumes, p)
			ok := p.SessionID == s.session
			s.seq++
			seq := s.seq
			s.mu.Unlock()
			if !ok {
				send(map[string]any{"op": 9, "d": false})
				continue
			}
			err := send(map[string]any{"op": 0, "t": "RESUMED", "s": seq, "d": map[string]any{}})
			s.mu.Lock()
			s.ready = err == nil && s.conn == c
			s.notify()
			s.mu.Unlock()
		}
	}
}

// waitFor waits until cond (called with s.mu held) holds.
func (s *standin) waitFor(what string, cond func() bool) {
	s.t.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok, ch := cond(), s.changed
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			s.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// waitReady waits for a connection that has had READY or RESUMED.
func (s *standin) waitReady() {
	s.t.Helper()
	s.waitFor("gateway ready", func() bool { return s.ready })
}

// send writes a raw gateway payload to the current connection.
func (s *standin) send(v any) {
	s.t.Helper()
	s.mu.Lock()
	c, wmu := s.conn, s.wmu
	s.mu.Unlock()
	if c == nil {
		s.t.Fatal("no gateway connection")
	}
	wmu.Lock()
	defer wmu.Unlock()
	if err := c.WriteJSON(v); err != nil {
		s.t.Fatalf("gateway write: %v", err)
	}
}

// dispatch sends an op 0 event with the next sequence number and returns it.
func (s *standin) dispatch(event string, d any) int64 {
	s.t.Helper()
	s.mu.Lock()
	s.seq++
	seq := s.seq
	s.mu.Unlock()
	s.send(map[string]any{"op": 0, "t": event, "s": seq, "d": d})
	return seq
}

// drop closes the gateway connection without a close frame.
func (s *standin) drop() {
	s.t.Helper()
	s.mu.Lock()
	c := s.conn
	s.conn, s.ready = nil, false
	s.mu.Unlock()
	if c == nil {
		s.t.Fatal("no gateway connection to drop")
	}
	c.Close()
}

// callsTo returns the REST calls whose method and path match.
func (s *standin) callsTo(method, path string) []restCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []restCall
	for _, c := range s.calls {
		if c.Method == method && c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// waitCalls waits for n successful calls to method+path and returns all
// calls to it.
func (s *standin) waitCalls(method, path string, n int) []restCall {
	s.t.Helper()
	s.waitFor(strconv.Itoa(n)+" "+method+" "+path, func() bool {
		ok := 0
		for _, c := range s.calls {
			if c.Method == method && c.Path == path && c.Status < 300 {
				ok++
			}
		}
		return ok >= n
	})
	return s.callsTo(method, path)
}

// recorder is a bot.Handler fake that answers with a function and records
// the messages it was given.
type recorder struct {
	mu     sync.Mutex // protects msgs
	msgs   []bot.Message
	answer func(ctx context.Context, m bot.Message) bot.Reply
}

func (h *recorder) Handle(ctx context.Context, m bot.Message) bot.Reply {
	h.mu.Lock()
	h.msgs = append(h.msgs, m)
	h.mu.Unlock()
	return h.answer(ctx, m)
}

func (h *recorder) messages() []bot.Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.Message(nil), h.msgs...)
}

// echo answers every question with "answer to: QUESTION", a source and two
// suggestions.
func echo(_ context.Context, m bot.Message) bot.Reply {
	var r bot.Reply
	r.Question = m.Text
	r.Answered = true
	r.Intent = "overview"
	r.Text = "answer to: " + m.Text
	r.Confidence = 0.9
	r.Sources = []bot.Source{{Document: "Careers in healthcare science", Section: "Life sciences", URL: "https://example.org/hcs"}}
	r.Suggestions = []string{"What is genetics?", "Where do genetics staff work?"}
	return r
}

// harness is an Adapter running against a stand-in.
type harness struct {
	s    *standin
	a    *Adapter
	h    *recorder
	logs *testutil.SyncBuffer
}

// startGateway runs an Adapter with a bot token against a new stand-in and
// waits for READY. The adapter stops when the test ends.
func startGateway(t *testing.T, cfg Config, answer func(context.Context, bot.Message) bot.Reply, setup ...func(*standin)) *harness {
	t.Helper()
	if answer == nil {
		answer = echo
	}
	s := newStandin(t)
	for _, f := range setup {
		f(s)
	}
	cfg.BotToken = testToken
	cfg.BaseURL = s.srv.URL
	hs := &harness{s: s, h: &recorder{answer: answer}, logs: &testutil.SyncBuffer{}}
	log := slog.New(slog.NewTextHandler(hs.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := New(cfg, hs.h, log)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	hs.a = a
	t.Cleanup(func() { // runs after RunAdapter's cleanup has stopped the adapter
		checkLogs(t, hs.logs.String())
	})
	testutil.RunAdapter(t, a, waitLimit)
	s.waitReady()
	return hs
}

// checkLogs fails the test if the adapter logged a token or message text,
// or nothing at all.
func checkLogs(t *testing.T, logs string) {
	t.Helper()
	if strings.Contains(logs, "secret") {
		t.Errorf("logs contain a token:\n%s", logs)
	}
	// Questions in these tests mention genetics or are numbered.
	if strings.Contains(logs, "genetics") || strings.Contains(logs, "question #") {
		t.Errorf("logs contain message text:\n%s", logs)
	}
	if !strings.Contains(logs, "discord") {
		t.Errorf("nothing logged")
	}
}
