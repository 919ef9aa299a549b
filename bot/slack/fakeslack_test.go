package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careersbot/careersbot/internal/testutil"

	"github.com/gorilla/websocket"

	"github.com/careersbot/careersbot/bot"
)

// Test credentials. The harness fails any test whose logs contain them.
const (
	testBotToken = "xoxb-1111-test-bot-token"
	testAppToken = "xapp-1-A111-test-app-token"
	testSecret   = "8f742231b10e8888abcd99yyyzzz85a5"
	testTeam     = "T0001"
	botUserID    = "UBOT0001"
	botID        = "BBOT0001"
)

// waitFor is how long a test waits for something that should happen at
// once; it only bounds failures, passing tests never wait for it.
const waitFor = 10 * time.Second

// post is one accepted chat.postMessage call.
type post struct {
	Channel  string
	ThreadTS string
	Text     string
	Blocks   string
	Form     url.Values
}

// hookPost is one message posted to a response_url.
type hookPost struct {
	Path string
	Body map[string]any
}

// ackMsg is one Socket Mode acknowledgement received by the stand-in.
type ackMsg struct {
	EnvelopeID string          `json:"envelope_id"`
	Payload    json.RawMessage `json:"payload"`
}

// fakeSlack is a stand-in for Slack on 127.0.0.1: the Web API methods the
// adapter calls (auth.test, chat.postMessage, apps.connections.open), a
// websocket speaking Socket Mode (hello, envelopes, acks, pings,
// disconnect) and response_url endpoints.
type fakeSlack struct {
	tb  testing.TB
	srv *httptest.Server

	posts chan post
	hooks chan hookPost
	acks  chan ackMsg
	conns chan *fakeConn

	mu        sync.Mutex // protects the fields below
	rateLimit int        // chat.postMessage calls still to answer with 429
	fail500   int        // chat.postMessage calls still to answer with 500
	failed    int        // 500s sent
	limited   int        // 429s sent
	open404   int        // apps.connections.open calls still to answer with 404
	opens     int        // apps.connections.open calls answered
	postCount int        // chat.postMessage calls accepted
	authCalls int
	live      []*fakeConn
}

func newFakeSlack(tb testing.TB) *fakeSlack {
	tb.Helper()
	f := &fakeSlack{
		tb:    tb,
		posts: make(chan post, 1000),
		hooks: make(chan hookPost, 100),
		acks:  make(chan ackMsg, 1000),
		conns: make(chan *fakeConn, 10),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/auth.test", f.authTest)
	mux.HandleFunc("POST /api/chat.postMessage", f.postMessage)
	mux.HandleFunc("POST /api/apps.connections.open", f.connectionsOpen)
	mux.HandleFunc("GET /link/", f.socket)
	mux.HandleFunc("POST /hooks/", f.hook)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		tb.Errorf("stand-in: unexpected %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	f.srv = httptest.NewServer(mux)
	return f
}

// close drops every socket and stops the server.
func (f *fakeSlack) close() {
	f.mu.Lock()
	live := f.live
	f.live = nil
	f.mu.Unlock()
	for _, c := range live {
		c.drop()
	}
	f.srv.Close()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeSlack) authTest(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || bearerOrForm(r) != testBotToken {
		writeJSON(w, 200, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	f.mu.Lock()
	f.authCalls++
	f.mu.Unlock()
	writeJSON(w, 200, map[string]any{"ok": true, "url": "https://fake.slack.test/", "team": "Fake",
		"user": "careersbot", "team_id": testTeam, "user_id": botUserID, "bot_id": botID})
}

func bearerOrForm(r *http.Request) string {
	if t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return t
	}
	return r.PostForm.Get("token")
}

func (f *fakeSlack) postMessage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || bearerOrForm(r) != testBotToken {
		writeJSON(w, 200, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	f.mu.Lock()
	if f.rateLimit > 0 {
		f.rateLimit--
		f.limited++
		f.mu.Unlock()
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"ok": false, "error": "ratelimited"})
		return
	}
	if f.fail500 > 0 {
		f.fail500--
		f.failed++
		f.mu.Unlock()
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	f.postCount++
	n := f.postCount
	f.mu.Unlock()
	p := post{Channel: r.PostForm.Get("channel"), ThreadTS: r.PostForm.Get("thread_ts"),
		Text: r.PostForm.Get("text"), Blocks: r.PostForm.Get("blocks"), Form: r.PostForm}
	if p.Channel == "" {
		writeJSON(w, 200, map[string]any{"ok": false, "error": "channel_not_found"})
		return
	}
	f.posts <- p
	writeJSON(w, 200, map[string]any{"ok": true, "channel": p.Channel, "ts": fmt.Sprintf("1800000000.%06d", n)})
}

func (f *fakeSlack) connectionsOpen(w http.ResponseWriter, r *http.Request) {
	if bearerOrForm(r) != testAppToken {
		writeJSON(w, 200, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	f.mu.Lock()
	if f.open404 > 0 {
		f.open404--
		f.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	f.opens++
	n := f.opens
	f.mu.Unlock()
	u := "ws" + strings.TrimPrefix(f.srv.URL, "http") + fmt.Sprintf("/link/?ticket=ticket-%d", n)
	writeJSON(w, 200, map[string]any{"ok": true, "url": u})
}

func (f *fakeSlack) hook(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		f.tb.Errorf("stand-in: response_url body: %v", err)
	}
	f.hooks <- hookPost{Path: r.URL.Path, Body: body}
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "ok")
}

// fakeConn is one Socket Mode websocket connection, server side.
type fakeConn struct {
	f       *fakeSlack
	ws      *websocket.Conn
	writeMu sync.Mutex // protects writes of data frames on ws
	done    chan struct{}
	once    sync.Once
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (f *fakeSlack) socket(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Query().Get("ticket"), "ticket-") {
		http.Error(w, "no ticket", http.StatusUnauthorized)
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &fakeConn{f: f, ws: ws, done: make(chan struct{})}
	f.mu.Lock()
	f.live = append(f.live, c)
	f.mu.Unlock()
	c.send(map[string]any{"type": "hello", "num_connections": 1,
		"debug_info":      map[string]any{"host": "fake-applink", "approximate_connection_time": 18060},
		"connection_info": map[string]any{"app_id": "A111"}})
	go c.pinger()
	f.conns <- c
	// Read acknowledgements until the connection ends.
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			c.drop()
			return
		}
		var a ackMsg
		if err := json.Unmarshal(data, &a); err != nil || a.EnvelopeID == "" {
			f.tb.Errorf("stand-in: bad acknowledgement %q", data)
			continue
		}
		f.acks <- a
	}
}

// pinger sends websocket pings, as Slack does; socketmode reconnects when
// they stop.
func (c *fakeConn) pinger() {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		if err := c.ws.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(time.Second)); err != nil {
			return
		}
		select {
		case <-c.done:
			return
		case <-t.C:
		}
	}
}

func (c *fakeConn) send(v any) {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if err := c.ws.WriteJSON(v); err != nil {
		select {
		case <-c.done:
		default:
			c.f.tb.Errorf("stand-in: websocket write: %v", err)
		}
	}
}

// drop cuts the connection without a close frame, like a network failure.
func (c *fakeConn) drop() {
	c.once.Do(func() {
		close(c.done)
		_ = c.ws.NetConn().Close()
	})
}

// disconnect asks the client to reconnect, as Slack does before it
// retires a connection.
func (c *fakeConn) disconnect() {
	c.send(map[string]any{"type": "disconnect", "reason": "refresh_requested",
		"debug_info": map[string]any{"host": "fake-applink"}})
}

// Envelope and event builders, shaped like Slack's own payloads.

func callbackPayload(eventID string, inner map[string]any) map[string]any {
	return map[string]any{"token": "verification-token", "team_id": testTeam, "api_app_id": "A111",
		"type": "event_callback", "event_id": eventID, "event_time": 1700000000,
		"authorizations": []any{map[string]any{"team_id": testTeam, "user_id": botUserID, "is_bot": true}},
		"event":          inner}
}

func eventsEnvelope(envelopeID, eventID string, inner map[string]any) map[string]any {
	return map[string]any{"type": "events_api", "envelope_id": envelopeID, "accepts_response_payload": false,
		"retry_attempt": 0, "retry_reason": "", "payload": callbackPayload(eventID, inner)}
}

func mentionEvent(user, channel, ts, threadTS, text string) map[string]any {
	e := map[string]any{"type": "app_mention", "user": user, "text": "<@" + botUserID + "> " + text,
		"ts": ts, "channel": channel, "event_ts": ts}
	if threadTS != "" {
		e["thread_ts"] = threadTS
	}
	return e
}

func dmEvent(user, channel, ts, text string) map[string]any {
	return map[string]any{"type": "message", "channel_type": "im", "user": user, "text": text,
		"ts": ts, "channel": channel, "event_ts": ts}
}

func commandPayload(text string) map[string]string {
	return map[string]string{"token": "verification-token", "team_id": testTeam, "team_domain": "fake",
		"channel_id": "C0CMD", "channel_name": "careers", "user_id": "U0ASKER", "user_name": "asker",
		"command": "/careers", "text": text, "api_app_id": "A111", "is_enterprise_install": "false",
		"response_url": "", "trigger_id": "1337.42.trigger"}
}

// clickPayload is a block_actions payload for a click on suggestion button
// 0 of a message with timestamp msgTS (in thread threadTS, if set).
func clickPayload(channel, msgTS, threadTS, question string, ephemeral bool, responseURL string) map[string]any {
	container := map[string]any{"type": "message", "message_ts": msgTS, "channel_id": channel, "is_ephemeral": ephemeral}
	message := map[string]any{"type": "message", "user": botUserID, "bot_id": botID, "ts": msgTS, "text": "an answer"}
	if threadTS != "" {
		container["thread_ts"] = threadTS
		message["thread_ts"] = threadTS
	}
	p := map[string]any{"type": "block_actions", "api_app_id": "A111", "token": "verification-token",
		"trigger_id": "trigger-" + msgTS + "-" + question,
		"user":       map[string]any{"id": "U0CLICK", "username": "clicker", "team_id": testTeam},
		"team":       map[string]any{"id": testTeam, "domain": "fake"},
		"channel":    map[string]any{"id": channel, "name": "careers"},
		"container":  container, "response_url": responseURL,
		"actions": []any{map[string]any{"type": "button", "action_id": actionPrefix + "0", "block_id": suggestionBlockID,
			"value": question, "text": map[string]any{"type": "plain_text", "text": question}, "action_ts": "1700000001.000200"}},
	}
	if !ephemeral {
		p["message"] = message
	}
	return p
}

// recorder is a bot.Handler that records every message and answers by
// echoing the question, so a reply in the wrong thread shows.
type recorder struct {
	mu   sync.Mutex // protects msgs
	msgs []bot.Message
	gate chan struct{} // when set, Handle waits for it to close
}

func (r *recorder) Handle(ctx context.Context, m bot.Message) bot.Reply {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	gate := r.gate
	r.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
		}
	}
	var rep bot.Reply
	rep.Question = m.Text
	rep.Answered = true
	rep.Intent = "echo"
	rep.Text = "echo: " + m.Text
	return rep
}

func (r *recorder) messages() []bot.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Message(nil), r.msgs...)
}

// testLogger returns a debug logger into a buffer, and checks at the end
// of the test that no credential was ever logged; the logs are shown when
// the test fails.
func testLogger(tb testing.TB) *slog.Logger {
	tb.Helper()
	l, _ := testLogs(tb)
	return l
}

// testLogs is testLogger that also returns the log buffer.
func testLogs(tb testing.TB) (*slog.Logger, *testutil.SyncBuffer) {
	tb.Helper()
	buf := &testutil.SyncBuffer{}
	tb.Cleanup(func() {
		logs := buf.String()
		for _, secret := range []string{testBotToken, testAppToken, testSecret, "ticket-"} {
			if strings.Contains(logs, secret) {
				tb.Errorf("a credential (%.8s…) was logged", secret)
			}
		}
		if tb.Failed() {
			tb.Logf("adapter logs:\n%s", logs)
		}
	})
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// next receives from ch or fails the test after waitFor.
func next[T any](tb testing.TB, ch <-chan T, what string) T {
	tb.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitFor):
		tb.Fatalf("timed out waiting for %s", what)
	}
	var zero T
	return zero
}

// settle waits until every answer dispatched so far has finished.
func settle(tb testing.TB, a *Adapter) {
	tb.Helper()
	if !a.pool.Wait(waitFor) {
		tb.Fatal("answers still running")
	}
}

// noMore checks that nothing more arrived on ch.
func noMore[T any](tb testing.TB, ch <-chan T, what string) {
	tb.Helper()
	select {
	case v := <-ch:
		tb.Errorf("unexpected %s: %+v", what, v)
	default:
	}
}
