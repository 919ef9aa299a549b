package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careersbot/careersbot/internal/testutil"

	"github.com/careersbot/careersbot/bot"
)

// httpHarness serves an Adapter's routes, with the REST side pointed at a
// stand-in (for deferred edits).
type httpHarness struct {
	srv  *httptest.Server
	s    *standin
	a    *Adapter
	h    *recorder
	priv ed25519.PrivateKey
	logs *testutil.SyncBuffer
}

func startHTTP(t *testing.T, cfg Config, answer func(context.Context, bot.Message) bot.Reply) *httpHarness {
	t.Helper()
	if answer == nil {
		answer = echo
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	hh := &httpHarness{s: newStandin(t), h: &recorder{answer: answer}, priv: priv, logs: &testutil.SyncBuffer{}}
	cfg.PublicKey = hex.EncodeToString(pub)
	cfg.BaseURL = hh.s.srv.URL
	a, err := New(cfg, hh.h, slog.New(slog.NewTextHandler(hh.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	hh.a = a
	mux := http.NewServeMux()
	a.Routes(mux)
	hh.srv = httptest.NewServer(mux)
	t.Cleanup(func() { // runs after RunAdapter's cleanup has stopped the adapter
		hh.srv.Close()
		checkLogs(t, hh.logs.String())
	})
	testutil.RunAdapter(t, a, waitLimit)
	return hh
}

// post sends body to /discord/interactions with headers from sign.
func (hh *httpHarness) post(t *testing.T, body []byte, header http.Header) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", hh.srv.URL+"/discord/interactions", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// signed returns Discord's signature headers for body.
func signed(priv ed25519.PrivateKey, body []byte) http.Header {
	ts := fmt.Sprint(time.Now().Unix())
	sig := ed25519.Sign(priv, append([]byte(ts), body...))
	h := http.Header{}
	h.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	h.Set("X-Signature-Timestamp", ts)
	return h
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantEphemeral checks for a type 4 reply only the user sees.
func wantEphemeral(t *testing.T, body []byte) {
	t.Helper()
	r := decode[response](t, body)
	if r.Type != 4 || r.Data.Flags != 64 || r.Data.Content == "" {
		t.Errorf("response = %s, want an ephemeral type 4 message", body)
	}
	checkNoPings(t, body)
}

func TestHTTPInteractions(t *testing.T) {
	t.Parallel()
	hh := startHTTP(t, Config{Candidates: func() []string { return []string{"What is genetics?", "Where do audiologists work?"} }}, nil)
	_, otherKey, _ := ed25519.GenerateKey(nil)
	ping := []byte(`{"id":"1","application_id":"` + testAppID + `","type":1,"token":"itoken-secret-ping","version":1}`)
	command := mustJSON(t, commandInteraction("2001", "itoken-secret-2001", "801", "what is genetics @here"))
	autocomplete := mustJSON(t, map[string]any{
		"id": "2002", "application_id": testAppID, "type": 4, "token": "itoken-secret-2002", "version": 1,
		"channel_id": "802", "user": map[string]any{"id": testUserID, "username": "dm-user"},
		"data": map[string]any{"id": "900", "name": "careers", "type": 1,
			"options": []any{map[string]any{"name": "question", "type": 3, "value": "audio", "focused": true}}},
	})
	button := mustJSON(t, map[string]any{
		"id": "2003", "application_id": testAppID, "type": 3, "token": "itoken-secret-2003", "version": 1,
		"channel_id": "803", "user": map[string]any{"id": testUserID, "username": "dm-user"},
		"data": map[string]any{"custom_id": "ask:Where do audiologists work?", "component_type": 2},
	})

	tests := []struct {
		name    string
		body    []byte
		header  func(body []byte) http.Header
		status  int
		check   func(t *testing.T, body []byte)
		handled *bot.Message // what the handler should have been asked
	}{
		{name: "ping", body: ping, header: func(b []byte) http.Header { return signed(hh.priv, b) }, status: 200,
			check: func(t *testing.T, body []byte) {
				if strings.TrimSpace(string(body)) != `{"type":1}` {
					t.Errorf("body = %s, want {\"type\":1}", body)
				}
			}},
		{name: "missing signature", body: ping, header: func([]byte) http.Header { return http.Header{} }, status: 401},
		{name: "missing timestamp", body: ping, header: func(b []byte) http.Header {
			h := signed(hh.priv, b)
			h.Del("X-Signature-Timestamp")
			return h
		}, status: 401},
		{name: "signature not hex", body: ping, header: func(b []byte) http.Header {
			h := signed(hh.priv, b)
			h.Set("X-Signature-Ed25519", "zz"+h.Get("X-Signature-Ed25519")[2:])
			return h
		}, status: 401},
		{name: "signature too short", body: ping, header: func(b []byte) http.Header {
			h := signed(hh.priv, b)
			h.Set("X-Signature-Ed25519", h.Get("X-Signature-Ed25519")[:64])
			return h
		}, status: 401},
		{name: "signed by another key", body: ping, header: func(b []byte) http.Header { return signed(otherKey, b) }, status: 401},
		{name: "body changed after signing", body: ping, header: func(b []byte) http.Header {
			return signed(hh.priv, bytes.Replace(b, []byte(`"type":1`), []byte(`"type":2`), 1))
		}, status: 401},
		{name: "timestamp changed after signing", body: ping, header: func(b []byte) http.Header {
			h := signed(hh.priv, b)
			h.Set("X-Signature-Timestamp", "1")
			return h
		}, status: 401},
		{name: "bad command is refused before the handler", body: command, header: func([]byte) http.Header { return http.Header{} }, status: 401},
		{name: "too large", body: bytes.Repeat([]byte(" "), maxInteractionBody+1),
			header: func(b []byte) http.Header { return signed(hh.priv, b) }, status: 413},
		{name: "signed garbage", body: []byte(`{"type":`), header: func(b []byte) http.Header { return signed(hh.priv, b) }, status: 400},
		{name: "signed command without data", body: []byte(`{"id":"3","type":2,"token":"itoken-secret-3"}`),
			header: func(b []byte) http.Header { return signed(hh.priv, b) }, status: 400},
		{name: "signed command with a number for the question", body: []byte(`{"id":"4","type":2,"token":"itoken-secret-4","channel_id":"1","data":{"name":"careers","options":[{"name":"question","type":4,"value":7}]}}`),
			header: func(b []byte) http.Header { return signed(hh.priv, b) }, status: 200, check: wantEphemeral},
		{name: "signed unknown button", body: []byte(`{"id":"5","type":3,"token":"itoken-secret-5","channel_id":"1","data":{"custom_id":"vote:yes","component_type":2}}`),
			header: func(b []byte) http.Header { return signed(hh.priv, b) }, status: 200, check: wantEphemeral},
		{name: "signed modal submit", body: []byte(`{"id":"6","type":5,"token":"itoken-secret-6","channel_id":"1","data":{"custom_id":"m","components":[]}}`),
			header: func(b []byte) http.Header { return signed(hh.priv, b) }, status: 200, check: wantEphemeral},
		{name: "signed unknown type", body: []byte(`{"id":"7","type":99,"token":"itoken-secret-7"}`),
			header: func(b []byte) http.Header { return signed(hh.priv, b) }, status: 200, check: wantEphemeral},
		{name: "slash command", body: command, header: func(b []byte) http.Header { return signed(hh.priv, b) }, status: 200,
			check: func(t *testing.T, body []byte) {
				r := decode[response](t, body)
				if r.Type != 4 || !strings.Contains(r.Data.Content, "answer to: what is genetics @here") {
					t.Errorf("response = %s, want type 4 with the answer", body)
				}
				checkNoPings(t, body)
			},
			handled: &bot.Message{Adapter: "discord", Conversation: "discord:801:" + testUserID, User: testUserID, Text: "what is genetics @here"}},
		{name: "autocomplete", body: autocomplete, header: func(b []byte) http.Header { return signed(hh.priv, b) }, status: 200,
			check: func(t *testing.T, body []byte) {
				r := decode[response](t, body)
				if r.Type != 8 || len(r.Data.Choices) != 2 || r.Data.Choices[0].Name != "audio" || r.Data.Choices[1].Name != "Where do audiologists work?" {
					t.Errorf("response = %s, want type 8 with the typed text then the audiologists question", body)
				}
			}},
		{name: "button in a DM", body: button, header: func(b []byte) http.Header { return signed(hh.priv, b) }, status: 200,
			check: func(t *testing.T, body []byte) {
				r := decode[response](t, body)
				if r.Type != 4 || !strings.Contains(r.Data.Content, "answer to: Where do audiologists work?") {
					t.Errorf("response = %s, want type 4 with the answer", body)
				}
				checkNoPings(t, body)
			},
			handled: &bot.Message{Adapter: "discord", Conversation: "discord:803:" + testUserID, User: testUserID, Text: "Where do audiologists work?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(hh.h.messages())
			status, body := hh.post(t, tt.body, tt.header(tt.body))
			if status != tt.status {
				t.Fatalf("status %d, want %d (body %s)", status, tt.status, body)
			}
			if tt.check != nil {
				tt.check(t, body)
			}
			msgs := hh.h.messages()[before:]
			switch {
			case tt.handled == nil && len(msgs) != 0:
				t.Errorf("handler asked %+v, want nothing", msgs)
			case tt.handled != nil && (len(msgs) != 1 || msgs[0] != *tt.handled):
				t.Errorf("handler asked %+v, want %+v", msgs, *tt.handled)
			}
		})
	}

	t.Run("GET is not allowed", func(t *testing.T) {
		resp, err := http.Get(hh.srv.URL + "/discord/interactions")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("status %d, want 405", resp.StatusCode)
		}
	})
}

func TestHTTPInteractionsDeferred(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	hh := startHTTP(t, Config{DeferAfter: 1}, func(ctx context.Context, m bot.Message) bot.Reply {
		<-release
		return echo(ctx, m)
	})
	body := mustJSON(t, commandInteraction("2101", "itoken-secret-2101", "811", "slow question"))
	status, resp := hh.post(t, body, signed(hh.priv, body))
	if r := decode[response](t, resp); status != 200 || r.Type != 5 {
		t.Fatalf("status %d body %s, want 200 and type 5", status, resp)
	}
	close(release)
	edits := hh.s.waitCalls("PATCH", "/api/v9/webhooks/"+testAppID+"/itoken-secret-2101/messages/@original", 1)
	if m := decode[message](t, edits[0].Body); !strings.Contains(m.Content, "answer to: slow question") {
		t.Errorf("edited content = %q", m.Content)
	}
	checkNoPings(t, edits[0].Body)
	if edits[0].Auth != "" {
		t.Errorf("edit sent an Authorization header without a bot token")
	}
}

func TestHTTPInteractionsAutocompleteFromHelp(t *testing.T) {
	t.Parallel()
	hh := startHTTP(t, Config{}, func(ctx context.Context, m bot.Message) bot.Reply {
		var r bot.Reply
		if m.Text == "help" && m.Conversation == "" {
			r.Answered = true
			r.Suggestions = []string{"What is genetics?", "What is audiology?", "What is genetics?"}
		}
		return r
	})
	for i, typed := range []string{"gene", "audi", ""} {
		body := mustJSON(t, map[string]any{
			"id": fmt.Sprint(2200 + i), "application_id": testAppID, "type": 4, "token": "itoken-secret", "version": 1,
			"channel_id": "821", "user": map[string]any{"id": testUserID},
			"data": map[string]any{"name": "careers", "type": 1,
				"options": []any{map[string]any{"name": "question", "type": 3, "value": typed, "focused": true}}},
		})
		_, resp := hh.post(t, body, signed(hh.priv, body))
		r := decode[response](t, resp)
		var names []string
		for _, c := range r.Data.Choices {
			names = append(names, c.Name)
		}
		want := map[string]string{"gene": "gene|What is genetics?", "audi": "audi|What is audiology?", "": "What is genetics?|What is audiology?"}[typed]
		if strings.Join(names, "|") != want {
			t.Errorf("typed %q: choices %q, want %q", typed, names, want)
		}
	}
	if n := len(hh.h.messages()); n != 1 {
		t.Errorf("handler asked %d times for candidates, want once (cached)", n)
	}
}

func TestHTTPInteractionsBurst(t *testing.T) {
	t.Parallel()
	hh := startHTTP(t, Config{}, nil)
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan string, n)
	deferred := make(chan int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := []byte(fmt.Sprintf(`{"id":"%d","application_id":"%s","type":2,"token":"itoken-secret-%d","version":1,"channel_id":"831","user":{"id":"%d"},"data":{"name":"careers","type":1,"options":[{"name":"question","type":3,"value":"question #%d?"}]}}`,
				30000+i, testAppID, i, 40000+i, i))
			req, _ := http.NewRequest("POST", hh.srv.URL+"/discord/interactions", bytes.NewReader(body))
			req.Header = signed(hh.priv, body)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs <- err.Error()
				return
			}
			defer resp.Body.Close()
			var r response
			if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
				errs <- err.Error()
				return
			}
			content := r.Data.Content
			if r.Type == 5 { // deferred under load: the answer comes as an edit
				content = "(deferred)"
				deferred <- i
			}
			if want := fmt.Sprintf("answer to: question #%d?\n", i); r.Type != 5 && (r.Type != 4 || !strings.HasPrefix(content, want)) {
				errs <- fmt.Sprintf("request %d answered type %d %q", i, r.Type, content)
			}
		}()
	}
	wg.Wait()
	close(errs)
	close(deferred)
	for e := range errs {
		t.Error(e)
	}
	for i := range deferred {
		edits := hh.s.waitCalls("PATCH", fmt.Sprintf("/api/v9/webhooks/%s/itoken-secret-%d/messages/@original", testAppID, i), 1)
		if want := fmt.Sprintf("answer to: question #%d?\n", i); len(edits) != 1 || !strings.HasPrefix(decode[message](t, edits[0].Body).Content, want) {
			t.Errorf("request %d deferred, then edited %d times: %s", i, len(edits), edits[0].Body)
		}
	}
	seen := map[string]bool{}
	for _, m := range hh.h.messages() {
		if seen[m.Conversation+m.Text] {
			t.Errorf("asked twice: %+v", m)
		}
		seen[m.Conversation+m.Text] = true
	}
	if len(seen) != n {
		t.Errorf("handler asked %d distinct questions, want %d", len(seen), n)
	}
}

// signedAt is signed with a chosen timestamp.
func signedAt(priv ed25519.PrivateKey, body []byte, at time.Time) http.Header {
	ts := fmt.Sprint(at.Unix())
	h := http.Header{}
	h.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...))))
	h.Set("X-Signature-Timestamp", ts)
	return h
}

// A signed interaction replayed later is not answered again, and one signed
// too long ago (or too far ahead) is refused, even with a good signature.
func TestHTTPInteractionsReplayRefused(t *testing.T) {
	t.Parallel()
	hh := startHTTP(t, Config{}, nil)
	now := time.Now()
	tests := []struct {
		name    string
		id      string
		at      time.Time
		status  int
		answers int // handler calls expected
	}{
		{"four minutes old", "4001", now.Add(-4 * time.Minute), 200, 1},
		{"the same id again", "4001", now, 409, 0},
		{"the same id, signed anew a minute later", "4001", now.Add(time.Minute), 409, 0},
		{"six minutes old", "4002", now.Add(-6 * time.Minute), 401, 0},
		{"a day old", "4003", now.Add(-24 * time.Hour), 401, 0},
		{"six minutes ahead", "4004", now.Add(6 * time.Minute), 401, 0},
		{"a stale one refused leaves its id answerable", "4002", now, 200, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(hh.h.messages())
			body := mustJSON(t, commandInteraction(tt.id, "itoken-secret-"+tt.id, "801", "what is genetics"))
			status, got := hh.post(t, body, signedAt(hh.priv, body, tt.at))
			if status != tt.status {
				t.Errorf("status %d, want %d (body %s)", status, tt.status, got)
			}
			if n := len(hh.h.messages()) - before; n != tt.answers {
				t.Errorf("handler asked %d times, want %d", n, tt.answers)
			}
		})
	}
}

func TestFresh(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	for ts, want := range map[string]bool{
		"1800000000": true, "1799999700": true, "1799999699": false, "1800000300": true, "1800000301": false,
		"": false, "abc": false, "1800000000.5": false, " 1800000000 ": true,
	} {
		if got := fresh(ts, now); got != want {
			t.Errorf("fresh(%q) = %v, want %v", ts, got, want)
		}
	}
}

// TestUnsignedInteractionsDoNotFloodTheLog: many unsigned requests from
// one client make one log line a second, with the adapter key once; signed
// replies are JSON that is never sniffed.
func TestUnsignedInteractionsDoNotFloodTheLog(t *testing.T) {
	hh := startHTTP(t, Config{}, nil)
	ping := []byte(`{"id":"1","application_id":"` + testAppID + `","type":1,"token":"itoken-secret-ping","version":1}`)
	for range 40 {
		if status, _ := hh.post(t, ping, http.Header{}); status != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", status)
		}
	}
	logs := hh.logs.String()
	if n := strings.Count(logs, "bad or missing signature"); n < 1 || n > 3 {
		t.Errorf("%d log lines for 40 unsigned requests, want 1 (one a second):\n%s", n, logs)
	}
	for _, l := range strings.Split(strings.TrimSpace(logs), "\n") {
		if n := strings.Count(l, "adapter=discord"); n > 1 {
			t.Errorf("adapter key %d times in %s", n, l)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, hh.srv.URL+"/discord/interactions", bytes.NewReader(ping))
	for k, v := range signed(hh.priv, ping) {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("signed ping: status %d, headers %v; want 200 with nosniff", resp.StatusCode, resp.Header)
	}
}
