package slack

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careersbot/careersbot/internal/testutil"

	"github.com/careersbot/careersbot/bot"
)

// httpHarness runs a real adapter in HTTP mode (signing secret, no app
// token) behind an httptest server, with the stand-in as its Web API.
type httpHarness struct {
	f   *fakeSlack
	a   *Adapter
	rec *recorder
	srv *httptest.Server
}

func startHTTP(t *testing.T, setup func(cfg *Config, rec *recorder)) *httpHarness {
	t.Helper()
	f := newFakeSlack(t)
	t.Cleanup(f.close)
	rec := &recorder{}
	cfg := Config{BotToken: testBotToken, SigningSecret: testSecret, APIURL: f.srv.URL + "/api/"}
	if setup != nil {
		setup(&cfg, rec)
	}
	a, err := New(cfg, rec, testLogger(t))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	mux := http.NewServeMux()
	a.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	testutil.RunAdapter(t, a, waitFor)
	return &httpHarness{f: f, a: a, rec: rec, srv: srv}
}

// sign returns Slack's v0 signature of body at ts.
func sign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "v0:%d:", ts)
	m.Write(body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

// request is one signed (or deliberately mis-signed) request.
type request struct {
	path   string
	body   []byte
	ctype  string
	header map[string]string
}

func eventRequest(payload any) request {
	b, _ := json.Marshal(payload)
	return request{path: "/slack/events", body: b, ctype: "application/json"}
}

func formRequest(path string, form url.Values) request {
	return request{path: path, body: []byte(form.Encode()), ctype: "application/x-www-form-urlencoded"}
}

func commandRequest(text string) request {
	form := url.Values{}
	for k, v := range commandPayload(text) {
		form.Set(k, v)
	}
	return formRequest("/slack/commands", form)
}

func clickRequest(payload map[string]any) request {
	b, _ := json.Marshal(payload)
	return formRequest("/slack/interactions", url.Values{"payload": {string(b)}})
}

// do sends r signed with the right secret and the current time.
func (h *httpHarness) do(t *testing.T, r request) *http.Response {
	t.Helper()
	ts := time.Now().Unix()
	return h.send(t, r, strconv.FormatInt(ts, 10), sign(testSecret, ts, r.body))
}

func (h *httpHarness) send(t *testing.T, r request, ts, sig string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+r.path, bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", r.ctype)
	if ts != "" {
		req.Header.Set("X-Slack-Request-Timestamp", ts)
	}
	if sig != "" {
		req.Header.Set("X-Slack-Signature", sig)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", r.path, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHTTPURLVerification(t *testing.T) {
	h := startHTTP(t, nil)
	resp := h.do(t, eventRequest(map[string]any{"token": "verification-token", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}))
	if got := body(t, resp); resp.StatusCode != 200 || got != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("status %d, body %q", resp.StatusCode, got)
	}
}

func TestHTTPSignatureRefused(t *testing.T) {
	mention := eventRequest(callbackPayload("EvSig", mentionEvent("U0ASKER", "C0GEN", "1700000000.000100", "", "hi")))
	now := time.Now().Unix()
	stale := now - 6*60
	future := now + 6*60
	requests := map[string]request{
		"events":       mention,
		"commands":     commandRequest("where do genetics staff work"),
		"interactions": clickRequest(clickPayload("C0GEN", "1700000000.000500", "1700000000.000100", "q", false, "")),
	}
	tests := []struct {
		name    string
		ts, sig func(r request) (string, string)
	}{
		{name: "missing headers", ts: func(request) (string, string) { return "", "" }},
		{name: "missing signature", ts: func(request) (string, string) { return strconv.FormatInt(now, 10), "" }},
		{name: "forged with another secret", ts: func(r request) (string, string) {
			return strconv.FormatInt(now, 10), sign("not-the-secret", now, r.body)
		}},
		{name: "signature of another body", ts: func(r request) (string, string) {
			return strconv.FormatInt(now, 10), sign(testSecret, now, append([]byte(" "), r.body...))
		}},
		{name: "signature for another timestamp", ts: func(r request) (string, string) {
			return strconv.FormatInt(now, 10), sign(testSecret, now-1, r.body)
		}},
		{name: "stale timestamp", ts: func(r request) (string, string) {
			return strconv.FormatInt(stale, 10), sign(testSecret, stale, r.body)
		}},
		{name: "timestamp in the future", ts: func(r request) (string, string) {
			return strconv.FormatInt(future, 10), sign(testSecret, future, r.body)
		}},
		{name: "not hex", ts: func(request) (string, string) { return strconv.FormatInt(now, 10), "v0=zzzz" }},
		{name: "wrong version", ts: func(r request) (string, string) {
			return strconv.FormatInt(now, 10), strings.Replace(sign(testSecret, now, r.body), "v0=", "v1=", 1)
		}},
		{name: "bad timestamp", ts: func(r request) (string, string) { return "yesterday", sign(testSecret, now, r.body) }},
	}
	h := startHTTP(t, nil)
	for _, tt := range tests {
		for name, r := range requests {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				ts, sig := tt.ts(r)
				resp := h.send(t, r, ts, sig)
				if got := body(t, resp); resp.StatusCode != http.StatusUnauthorized || strings.Contains(got, "echo") {
					t.Errorf("status %d body %q, want 401", resp.StatusCode, got)
				}
			})
		}
	}
	settle(t, h.a)
	noMore(t, h.f.posts, "reply to a refused request")
	if msgs := h.rec.messages(); len(msgs) != 0 {
		t.Errorf("handler called for refused requests: %+v", msgs)
	}
}

func TestHTTPMention(t *testing.T) {
	h := startHTTP(t, nil)
	resp := h.do(t, eventRequest(callbackPayload("Ev1", mentionEvent("U0ASKER", "C0GEN", "1700000000.000300", "1700000000.000100", "who do they work with?"))))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	p := next(t, h.f.posts, "a reply")
	if p.Channel != "C0GEN" || p.ThreadTS != "1700000000.000100" || p.Text != "echo: who do they work with?" {
		t.Errorf("reply = %+v", p)
	}
	want := bot.Message{Adapter: "slack", Conversation: testTeam + ":C0GEN:1700000000.000100", User: "U0ASKER", Text: "who do they work with?"}
	if msgs := h.rec.messages(); len(msgs) != 1 || msgs[0] != want {
		t.Errorf("handler got %+v, want %+v", msgs, want)
	}
	if !h.a.Connected() {
		t.Error("not Connected after auth.test")
	}
}

func TestHTTPDirectMessage(t *testing.T) {
	h := startHTTP(t, nil)
	resp := h.do(t, eventRequest(callbackPayload("Ev1", dmEvent("U0ASKER", "D0DM", "1700000000.000100", "hello"))))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if p := next(t, h.f.posts, "a reply"); p.Channel != "D0DM" || p.ThreadTS != "" || p.Text != "echo: hello" {
		t.Errorf("reply = %+v", p)
	}
}

func TestHTTPRetryAnsweredOnce(t *testing.T) {
	h := startHTTP(t, nil)
	r := eventRequest(callbackPayload("Ev1", mentionEvent("U0ASKER", "C0GEN", "1700000000.000100", "", "where do they work")))
	if resp := h.do(t, r); resp.StatusCode != 200 || resp.Header.Get("X-Slack-No-Retry") != "" {
		t.Fatalf("first delivery: status %d, no-retry %q", resp.StatusCode, resp.Header.Get("X-Slack-No-Retry"))
	}
	for i := 1; i <= 2; i++ {
		retry := r
		retry.header = map[string]string{"X-Slack-Retry-Num": strconv.Itoa(i), "X-Slack-Retry-Reason": "http_timeout"}
		if resp := h.do(t, retry); resp.StatusCode != 200 || resp.Header.Get("X-Slack-No-Retry") != "1" {
			t.Errorf("retry %d: status %d, no-retry %q", i, resp.StatusCode, resp.Header.Get("X-Slack-No-Retry"))
		}
	}
	next(t, h.f.posts, "a reply")
	settle(t, h.a)
	noMore(t, h.f.posts, "a second reply")
	if n := len(h.rec.messages()); n != 1 {
		t.Errorf("handler called %d times", n)
	}
}

// A reply that Slack refused with a 500 is not lost: the claim on the event
// is released, so Slack's retry of it is answered, and answered once.
func TestHTTPPostFailedRetryAnsweredOnce(t *testing.T) {
	h := startHTTP(t, nil)
	h.f.mu.Lock()
	h.f.fail500 = 1
	h.f.mu.Unlock()
	r := eventRequest(callbackPayload("Ev500", mentionEvent("U0ASKER", "C0GEN", "1700000000.000500", "", "where do they work")))
	if resp := h.do(t, r); resp.StatusCode != 200 {
		t.Fatalf("first delivery: status %d", resp.StatusCode)
	}
	settle(t, h.a)
	h.f.mu.Lock()
	failed := h.f.failed
	h.f.mu.Unlock()
	if failed != 1 {
		t.Fatalf("stand-in answered %d posts with 500, want 1", failed)
	}
	noMore(t, h.f.posts, "a reply to the failed post")
	for i := 1; i <= 2; i++ {
		retry := r
		retry.header = map[string]string{"X-Slack-Retry-Num": strconv.Itoa(i), "X-Slack-Retry-Reason": "http_error"}
		if resp := h.do(t, retry); resp.StatusCode != 200 {
			t.Errorf("retry %d: status %d", i, resp.StatusCode)
		}
		settle(t, h.a)
	}
	p := next(t, h.f.posts, "the reply to the retry")
	if p.Channel != "C0GEN" || p.ThreadTS != "1700000000.000500" {
		t.Errorf("reply in %s/%s", p.Channel, p.ThreadTS)
	}
	noMore(t, h.f.posts, "a second reply")
	if n := len(h.rec.messages()); n != 2 {
		t.Errorf("handler called %d times, want 2 (the failed post, the retry)", n)
	}
}

func TestHTTPBotMessagesIgnored(t *testing.T) {
	botMention := mentionEvent("U0OTHERBOT", "C0GEN", "1700000000.000300", "", "from a bot")
	botMention["bot_id"] = "B0OTHER"
	own := dmEvent(botUserID, "D0DM", "1700000000.000500", "my own reply")
	own["bot_id"] = botID
	edit := dmEvent("U0ASKER", "D0DM", "1700000000.000600", "edited")
	edit["subtype"] = "message_changed"
	h := startHTTP(t, nil)
	for i, ev := range []map[string]any{botMention, own, edit} {
		if resp := h.do(t, eventRequest(callbackPayload(fmt.Sprintf("Ev%d", i), ev))); resp.StatusCode != 200 {
			t.Errorf("event %d: status %d", i, resp.StatusCode)
		}
	}
	settle(t, h.a)
	noMore(t, h.f.posts, "reply to a bot")
	if msgs := h.rec.messages(); len(msgs) != 0 {
		t.Errorf("handler got %+v", msgs)
	}
}

func TestHTTPSlashCommand(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		inChannel bool
		wantAsk   string
		wantType  string
	}{
		{name: "question", text: "where do genetics staff work", wantAsk: "where do genetics staff work", wantType: "ephemeral"},
		{name: "alone gives help", text: "", wantAsk: "help", wantType: "ephemeral"},
		{name: "in channel", text: "what is &lt;@U0BOSS&gt; @here", inChannel: true, wantAsk: "what is <@U0BOSS> @here", wantType: "in_channel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startHTTP(t, func(cfg *Config, _ *recorder) { cfg.InChannel = tt.inChannel })
			resp := h.do(t, commandRequest(tt.text))
			raw := body(t, resp)
			var got struct {
				ResponseType string            `json:"response_type"`
				Text         string            `json:"text"`
				Blocks       []json.RawMessage `json:"blocks"`
			}
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if err := json.Unmarshal([]byte(raw), &got); err != nil {
				t.Fatalf("body %s: %v", raw, err)
			}
			if got.ResponseType != tt.wantType || got.Text != escapeText("echo: "+tt.wantAsk) || len(got.Blocks) < 2 {
				t.Errorf("response = %s", raw)
			}
			if strings.Contains(raw, "<@U0BOSS>") || strings.Contains(raw, "@here") {
				t.Errorf("response contains a mention: %s", raw)
			}
			want := bot.Message{Adapter: "slack", Conversation: testTeam + ":C0CMD/U0ASKER", User: "U0ASKER", Text: tt.wantAsk}
			if msgs := h.rec.messages(); len(msgs) != 1 || msgs[0] != want {
				t.Errorf("handler got %+v, want %+v", msgs, want)
			}
		})
	}
}

// TestHTTPSlowSlashCommand: when the handler misses Slack's window, the
// command is acknowledged empty and answered through response_url.
func TestHTTPSlowSlashCommand(t *testing.T) {
	gate := make(chan struct{})
	h := startHTTP(t, func(_ *Config, rec *recorder) { rec.gate = gate })
	h.a.slashWait = 20 * time.Millisecond
	r := commandRequest("where do genetics staff work")
	form, _ := url.ParseQuery(string(r.body))
	form.Set("response_url", h.f.srv.URL+"/hooks/commands/T0001/1/xyz")
	r = formRequest("/slack/commands", form)
	resp := h.do(t, r)
	if got := body(t, resp); resp.StatusCode != 200 || got != "" {
		t.Errorf("acknowledgement: status %d body %q, want 200 and empty", resp.StatusCode, got)
	}
	close(gate)
	hp := next(t, h.f.hooks, "the late answer")
	if hp.Path != "/hooks/commands/T0001/1/xyz" || hp.Body["response_type"] != "ephemeral" || hp.Body["text"] != "echo: where do genetics staff work" {
		t.Errorf("late answer = %+v", hp)
	}
}

func TestHTTPButtonClick(t *testing.T) {
	h := startHTTP(t, nil)
	payload := clickPayload("C0GEN", "1700000000.000500", "1700000000.000100", "What do life sciences staff do?", false, "")
	if resp := h.do(t, clickRequest(payload)); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	p := next(t, h.f.posts, "a reply")
	if p.Channel != "C0GEN" || p.ThreadTS != "1700000000.000100" || p.Text != "echo: What do life sciences staff do?" {
		t.Errorf("reply = %+v", p)
	}
	// Another kind of interaction, or a click on someone else's button, is
	// acknowledged and ignored.
	other := clickPayload("C0GEN", "1700000000.000600", "", "x", false, "")
	other["actions"] = []any{map[string]any{"type": "button", "action_id": "approve", "value": "yes"}}
	if resp := h.do(t, clickRequest(other)); resp.StatusCode != 200 {
		t.Errorf("other action: status %d", resp.StatusCode)
	}
	if resp := h.do(t, clickRequest(map[string]any{"type": "view_submission", "user": map[string]any{"id": "U1"}})); resp.StatusCode != 200 {
		t.Errorf("view_submission: status %d", resp.StatusCode)
	}
	settle(t, h.a)
	noMore(t, h.f.posts, "reply to another action")
}

func TestHTTPBadRequests(t *testing.T) {
	h := startHTTP(t, nil)
	tests := []struct {
		name string
		r    request
		want int
	}{
		{"events not JSON", request{path: "/slack/events", body: []byte("{"), ctype: "application/json"}, 400},
		{"interactions without payload", formRequest("/slack/interactions", url.Values{"x": {"1"}}), 400},
		{"interactions with bad JSON", formRequest("/slack/interactions", url.Values{"payload": {"{"}}), 400},
		{"unknown event type", eventRequest(callbackPayload("EvX", map[string]any{"type": "some_future_event"})), 200},
		{"app_rate_limited", eventRequest(map[string]any{"type": "app_rate_limited", "minute_rate_limited": 1518467820}), 200},
		{"too large", request{path: "/slack/events", body: bytes.Repeat([]byte(" "), maxBody+1), ctype: "application/json"}, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if resp := h.do(t, tt.r); resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	settle(t, h.a)
	noMore(t, h.f.posts, "reply to a bad request")
}

func TestRoutesNeedSigningSecret(t *testing.T) {
	a, err := New(Config{BotToken: testBotToken, AppToken: testAppToken}, &recorder{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Routes(mux)
	for _, path := range []string{"/slack/events", "/slack/commands", "/slack/interactions"} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader("{}")))
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404 without a signing secret", path, rec.Code)
		}
	}
}

// TestHTTPBurst posts 200 mentions at once. Every request is answered
// with 200 while no answer can finish (the handler is held until the last
// response), and every question gets one reply, in its thread, with its
// own answer.
func TestHTTPBurst(t *testing.T) {
	const n = 200
	gate := make(chan struct{})
	h := startHTTP(t, func(_ *Config, rec *recorder) { rec.gate = gate })
	// Slack delivers over a handful of keep-alive connections.
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 16, MaxIdleConnsPerHost: 16}}
	defer client.CloseIdleConnections()
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Go(func() {
			ts := fmt.Sprintf("1700000000.%06d", i)
			r := eventRequest(callbackPayload(fmt.Sprintf("EvB%d", i),
				mentionEvent(fmt.Sprintf("U%04d", i), fmt.Sprintf("C%03d", i%7), ts, "", fmt.Sprintf("question %d", i))))
			tsNow := time.Now().Unix()
			req, _ := http.NewRequest(http.MethodPost, h.srv.URL+r.path, bytes.NewReader(r.body))
			req.Header.Set("Content-Type", r.ctype)
			req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(tsNow, 10))
			req.Header.Set("X-Slack-Signature", sign(testSecret, tsNow, r.body))
			resp, err := client.Do(req)
			if err != nil {
				return
			}
			codes[i] = resp.StatusCode
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		})
	}
	wg.Wait()
	for i, c := range codes {
		if c != 200 {
			t.Fatalf("delivery %d: status %d", i, c)
		}
	}
	close(gate)
	threads := map[string]post{}
	for range n {
		p := next(t, h.f.posts, "a reply")
		if _, dup := threads[p.ThreadTS]; dup {
			t.Errorf("thread %s answered twice", p.ThreadTS)
		}
		threads[p.ThreadTS] = p
	}
	settle(t, h.a)
	noMore(t, h.f.posts, "an extra reply")
	for i := range n {
		p := threads[fmt.Sprintf("1700000000.%06d", i)]
		if want := fmt.Sprintf("echo: question %d", i); p.Text != want || p.Channel != fmt.Sprintf("C%03d", i%7) {
			t.Errorf("question %d answered %q in %q", i, p.Text, p.Channel)
		}
	}
}

func TestHandlerPanicContained(t *testing.T) {
	f := newFakeSlack(t)
	t.Cleanup(f.close)
	a, err := New(Config{BotToken: testBotToken, SigningSecret: testSecret, APIURL: f.srv.URL + "/api"},
		bot.HandlerFunc(func(context.Context, bot.Message) bot.Reply { panic("boom") }), testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	h := &httpHarness{f: f, a: a, srv: srv}
	resp := h.do(t, commandRequest("anything"))
	if got := body(t, resp); resp.StatusCode != 200 || !strings.Contains(got, noAnswer) {
		t.Errorf("command: status %d body %q", resp.StatusCode, got)
	}
	h.do(t, eventRequest(callbackPayload("Ev1", mentionEvent("U0ASKER", "C0GEN", "1700000000.000100", "", "hi"))))
	settle(t, a)
	noMore(t, f.posts, "a reply from a panicking handler")
}

// TestHTTPURLVerificationNosniff: the challenge answer is text that must
// never be sniffed as HTML.
func TestHTTPURLVerificationNosniff(t *testing.T) {
	h := startHTTP(t, nil)
	resp := h.do(t, eventRequest(map[string]any{"challenge": "<html><script>x</script>", "type": "url_verification"}))
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("headers %v, want text/plain and nosniff", resp.Header)
	}
}

// TestRefusedRequestsDoNotFloodTheLog: an unauthenticated client sending
// many unsigned requests gets one log line a second, with a count, and
// each line carries the adapter key once.
func TestRefusedRequestsDoNotFloodTheLog(t *testing.T) {
	f := newFakeSlack(t)
	t.Cleanup(f.close)
	log, logs := testLogs(t)
	a, err := New(Config{BotToken: testBotToken, SigningSecret: testSecret, APIURL: f.srv.URL + "/api/"}, &recorder{}, log)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	h := &httpHarness{f: f, a: a, srv: srv}
	for range 50 {
		resp := h.send(t, commandRequest("hi"), "", "")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	lines := strings.Count(logs.String(), "request refused")
	if lines < 1 || lines > 3 {
		t.Errorf("%d log lines for 50 refused requests, want 1 (one a second):\n%s", lines, logs)
	}
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if n := strings.Count(l, "adapter=slack"); n != 1 {
			t.Errorf("adapter key %d times in %s", n, l)
		}
	}
}
