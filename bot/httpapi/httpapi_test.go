package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/limit"
	"github.com/careersbot/careersbot/internal/ratelog"
)

// echo answers every question with its text, so tests can see what reached
// the handler.
type echo struct {
	mu   sync.Mutex // protects msgs
	msgs []bot.Message
}

func (e *echo) Handle(ctx context.Context, m bot.Message) bot.Reply {
	e.mu.Lock()
	e.msgs = append(e.msgs, m)
	e.mu.Unlock()
	switch m.Text {
	case "limit me":
		return limit.Reply(m)
	case "panic":
		panic("boom")
	case "refuse me":
		return bot.Reply{Question: m.Text, Text: "No.", Status: bot.StatusRefused}
	case "rate_limited":
		// An engine intent that happens to be spelled like the limiter's:
		// only Status makes a reply rate limited.
		return bot.Reply{Question: m.Text, Answered: true, Intent: "rate_limited", Text: "ok"}
	}
	return bot.Reply{Question: m.Text, Answered: true, Intent: "overview", Topic: "genetics",
		Text: "Genetics staff are often based in specialist hospitals.", Confidence: 0.9,
		Sources: []bot.Source{{Document: "Careers", Section: "Life sciences"}}}
}

func (e *echo) last() bot.Message {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.msgs[len(e.msgs)-1]
}

// routed is a RouteAdapter that can say whether it is connected.
type routed struct {
	name      string
	connected bool
}

func (r *routed) Name() string                  { return r.name }
func (r *routed) Run(ctx context.Context) error { <-ctx.Done(); return nil }
func (r *routed) Connected() bool               { return r.connected }
func (r *routed) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /"+r.name+"/events", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, r.name+" ok")
	})
}

func newServer(t *testing.T) (*httptest.Server, *echo, *Metrics) {
	t.Helper()
	e := &echo{}
	m := NewMetrics("test")
	adapters := []bot.Adapter{&routed{name: "slack", connected: true}, &routed{name: "discord"}}
	m.WatchAdapters(adapters)
	h, err := New(Options{
		Handler: bot.Chain(e, m.Middleware()),
		Health: func() Health {
			return Health{Version: "test", Documents: 3, Topics: 12, LoadTime: 0.004,
				LoadedAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
		},
		Metrics:    m,
		Adapters:   adapters,
		RetryAfter: 1500 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, e, m
}

func do(t *testing.T, method, url, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestAsk(t *testing.T) {
	srv, e, _ := newServer(t)
	tests := []struct {
		name      string
		method    string
		body      string
		status    int
		errorHas  string // for error replies
		wantText  string // question the handler got
		wantConv  string
		wantRetry string
	}{
		{name: "question", method: "POST", body: `{"question":"where do genetics staff work"}`, status: 200, wantText: "where do genetics staff work"},
		{name: "with conversation", method: "POST", body: `{"question":"and them?","conversation":"abc"}`, status: 200, wantText: "and them?", wantConv: "http:abc"},
		{name: "unknown fields ignored", method: "POST", body: `{"question":"hi","extra":1}`, status: 200, wantText: "hi"},
		{name: "empty body", method: "POST", body: ``, status: 400, errorHas: "empty"},
		{name: "bad json", method: "POST", body: `{"question":`, status: 400, errorHas: "not valid JSON"},
		{name: "not json", method: "POST", body: `question=hi`, status: 400, errorHas: "not valid JSON"},
		{name: "array", method: "POST", body: `["hi"]`, status: 400, errorHas: "JSON object"},
		{name: "number question", method: "POST", body: `{"question":5}`, status: 400, errorHas: `"question" must be a string`},
		{name: "null", method: "POST", body: `null`, status: 400, errorHas: `"question" is required`},
		{name: "missing question", method: "POST", body: `{"conversation":"x"}`, status: 400, errorHas: `"question" is required`},
		{name: "blank question", method: "POST", body: `{"question":"  \n "}`, status: 400, errorHas: `"question" is required`},
		{name: "trailing data", method: "POST", body: `{"question":"a"} {"question":"b"}`, status: 400, errorHas: "nothing after"},
		{name: "long conversation", method: "POST", body: `{"question":"a","conversation":"` + strings.Repeat("c", 300) + `"}`, status: 400, errorHas: "conversation"},
		{name: "too large", method: "POST", body: `{"question":"` + strings.Repeat("a", MaxBody) + `"}`, status: 413, errorHas: "larger than"},
		{name: "too large after object", method: "POST", body: `{"question":"a"}` + strings.Repeat(" ", MaxBody), status: 413, errorHas: "larger than"},
		{name: "just under the limit", method: "POST", body: `{"question":"` + strings.Repeat("a", MaxBody-20) + `"}`, status: 200, wantText: strings.Repeat("a", MaxBody-20)},
		{name: "get", method: "GET", body: ``, status: 405, errorHas: "POST"},
		{name: "rate limited", method: "POST", body: `{"question":"limit me"}`, status: 429, wantText: "limit me", wantRetry: "2"},
		{name: "rate_limited intent without the status", method: "POST", body: `{"question":"rate_limited"}`, status: 200, wantText: "rate_limited"},
		{name: "refused is not rate limited", method: "POST", body: `{"question":"refuse me"}`, status: 200, wantText: "refuse me"},
		{name: "handler panic", method: "POST", body: `{"question":"panic"}`, status: 500, errorHas: "internal error", wantText: "panic"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, tc.method, srv.URL+"/v1/ask", tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tc.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if tc.errorHas != "" {
				var eb errorBody
				if err := json.Unmarshal(body, &eb); err != nil || !strings.Contains(eb.Error, tc.errorHas) {
					t.Errorf("error body %s, want one containing %q", body, tc.errorHas)
				}
				if tc.status < 500 && strings.Contains(string(body), "aaaa") {
					t.Errorf("error echoes the input")
				}
				return
			}
			var got map[string]any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("reply is not JSON: %v", err)
			}
			for _, k := range []string{"question", "answered", "intent", "topic", "answer", "confidence", "sources", "suggestions"} {
				if _, ok := got[k]; !ok {
					t.Errorf("reply lacks %q: %s", k, body)
				}
			}
			if _, ok := got["suggestions"].([]any); !ok {
				t.Errorf("suggestions is not an array: %s", body)
			}
			m := e.last()
			if m.Text != tc.wantText || m.Conversation != tc.wantConv || m.Adapter != "http" || m.User != "127.0.0.1" {
				t.Errorf("handler got %+v", m)
			}
			if r := resp.Header.Get("Retry-After"); r != tc.wantRetry {
				t.Errorf("Retry-After %q, want %q", r, tc.wantRetry)
			}
		})
	}
}

func TestHealthz(t *testing.T) {
	srv, _, _ := newServer(t)
	resp, body := do(t, "GET", srv.URL+"/healthz", "")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var h Health
	if err := json.Unmarshal(body, &h); err != nil {
		t.Fatal(err)
	}
	if h.Status != "ok" || h.Documents != 3 || h.LoadTime != 0.004 || h.LoadedAt.IsZero() || h.Adapters == nil {
		t.Errorf("healthz = %s", body)
	}
	if resp, _ := do(t, "POST", srv.URL+"/healthz", ""); resp.StatusCode != 405 || resp.Header.Get("Allow") == "" {
		t.Errorf("POST /healthz: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

func TestMetrics(t *testing.T) {
	srv, _, m := newServer(t)
	for _, q := range []string{"one", "two", "limit me"} {
		do(t, "POST", srv.URL+"/v1/ask", `{"question":"`+q+`"}`)
	}
	m.Loaded(3, time.Unix(1700000000, 0), false)
	m.Loaded(4, time.Unix(1700000100, 0), true)
	m.ReloadFailed()
	m.AdapterRestarted("discord")
	m.WatchUnanswered(func() (uint64, uint64, uint64) { return 7, 1, 2 })

	resp, body := do(t, "GET", srv.URL+"/metrics", "")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	text := string(body)
	for _, want := range []string{
		`careersbot_questions_total{adapter="http",answered="true",intent="overview"} 2`,
		`careersbot_questions_total{adapter="http",answered="false",intent="rate_limited"} 1`,
		`careersbot_answer_duration_seconds_count{adapter="http"} 3`,
		`careersbot_knowledge_reloads_total 1`,
		`careersbot_knowledge_reload_failures_total 1`,
		`careersbot_knowledge_documents 4`,
		`careersbot_knowledge_loaded_timestamp_seconds 1.7000001e+09`,
		`careersbot_adapter_connected{adapter="slack"} 1`,
		`careersbot_adapter_connected{adapter="discord"} 0`,
		`careersbot_adapter_restarts_total{adapter="discord"} 1`,
		`careersbot_adapter_restarts_total{adapter="slack"} 0`,
		`careersbot_unanswered_recorded_total 7`,
		`careersbot_unanswered_dropped_total 3`,
		`careersbot_build_info{version="test"} 1`,
		`go_goroutines `,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestRoutes(t *testing.T) {
	srv, _, _ := newServer(t)
	tests := []struct {
		name, method, path string
		status             int
		body               string
	}{
		{"slack route", "POST", "/slack/events", 200, "slack ok"},
		{"discord route", "POST", "/discord/events", 200, "discord ok"},
		{"unknown", "GET", "/nope", 404, `"error"`},
		{"root", "GET", "/", 404, `"error"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, tc.method, srv.URL+tc.path, "")
			if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.body) {
				t.Errorf("%s %s = %d %s", tc.method, tc.path, resp.StatusCode, body)
			}
		})
	}
}

// clash mounts a route that is already taken.
type clash struct{ routed }

func (c *clash) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/ask", func(http.ResponseWriter, *http.Request) {})
}

func TestMountClash(t *testing.T) {
	_, err := New(Options{
		Handler:  &echo{},
		Health:   func() Health { return Health{} },
		Adapters: []bot.Adapter{&clash{routed{name: "bad"}}},
	})
	if err == nil || !strings.Contains(err.Error(), "bad") {
		t.Errorf("err = %v, want one naming the adapter", err)
	}
}

func BenchmarkAsk(b *testing.B) {
	m := NewMetrics("bench")
	answer := bot.HandlerFunc(func(ctx context.Context, msg bot.Message) bot.Reply {
		return bot.Reply{Question: msg.Text, Intent: "fallback"}
	})
	h, err := New(Options{Handler: bot.Chain(answer, m.Middleware()), Health: func() Health { return Health{} }, Metrics: m})
	if err != nil {
		b.Fatal(err)
	}
	body := `{"question":"where do genetics staff work","conversation":"c1"}`
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/v1/ask", strings.NewReader(body))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
}

// TestMetricsErrorsRateLimited: promhttp logs a line per metric family it
// cannot write; a client hanging up must not fill the log.
func TestMetricsErrorsRateLimited(t *testing.T) {
	var buf bytes.Buffer
	p := slogPrinter{log: slog.New(slog.NewTextHandler(&buf, nil)), limit: ratelog.New(time.Second)}
	for range 60 {
		p.Println("error encoding and sending metric family:", "write: broken pipe")
	}
	if n := strings.Count(buf.String(), "serve metrics"); n != 1 || !strings.Contains(buf.String(), "level=WARN") {
		t.Errorf("%d lines for 60 write errors, want one warning:\n%s", n, buf.String())
	}
}

func TestClientIP(t *testing.T) {
	lb := []netip.Prefix{netip.MustParsePrefix("172.28.0.10/32"), netip.MustParsePrefix("10.1.0.0/16")}
	tests := []struct {
		name    string
		peer    string
		xff     []string
		trusted []netip.Prefix
		want    string
	}{
		{"no proxies trusted: the peer, whatever the header says", "203.0.113.7:5000", []string{"198.51.100.1"}, nil, "203.0.113.7"},
		{"an untrusted peer cannot forge its address", "203.0.113.7:5000", []string{"198.51.100.1"}, lb, "203.0.113.7"},
		{"behind the balancer: the address it saw", "172.28.0.10:5000", []string{"198.51.100.1"}, lb, "198.51.100.1"},
		{"a forged first hop is skipped", "172.28.0.10:5000", []string{"6.6.6.6, 198.51.100.1"}, lb, "198.51.100.1"},
		{"trusted hops are skipped from the right", "172.28.0.10:5000", []string{"198.51.100.1, 10.1.2.3"}, lb, "198.51.100.1"},
		{"several headers read as one list", "172.28.0.10:5000", []string{"6.6.6.6", "198.51.100.1"}, lb, "198.51.100.1"},
		{"no header: the balancer", "172.28.0.10:5000", nil, lb, "172.28.0.10"},
		{"garbage stops the chain", "172.28.0.10:5000", []string{"198.51.100.1, not-an-ip"}, lb, "172.28.0.10"},
		{"IPv6 caller", "172.28.0.10:5000", []string{"2001:db8::1"}, lb, "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/v1/ask", nil)
			r.RemoteAddr = tt.peer
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientIP(r, tt.trusted); got != tt.want {
				t.Errorf("clientIP = %q, want %q", got, tt.want)
			}
		})
	}
}
