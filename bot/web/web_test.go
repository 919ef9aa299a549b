package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/unanswered"
)

const token = "s3cret-team-token-Hunter2-0123"

// fakeStore is an Unanswered over a slice.
type fakeStore struct {
	mu      sync.Mutex // protects entries and froms
	entries []unanswered.Entry
	froms   []time.Time
}

func (f *fakeStore) Since(_ context.Context, t time.Time, limit int) ([]unanswered.Entry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.froms = append(f.froms, t)
	var out []unanswered.Entry
	for _, e := range f.entries {
		if !e.At.Before(t) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (f *fakeStore) Count(ctx context.Context, t time.Time) (int, error) {
	e, _ := f.Since(ctx, t, 0)
	return len(e), nil
}

var now = time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)

type fixture struct {
	h     http.Handler
	logs  *bytes.Buffer
	store *fakeStore
	tried []string
	now   time.Time
}

func newFixture(t *testing.T, o Options) *fixture {
	t.Helper()
	f := &fixture{logs: &bytes.Buffer{}, now: now}
	f.store = &fakeStore{entries: []unanswered.Entry{
		{Question: "how much do genetics staff earn", Adapter: "slack", At: now.Add(-time.Hour)},
		{Question: "How much do genetics staff earn?", Adapter: "http", At: now.Add(-2 * time.Hour)},
		{Question: `=HYPERLINK("http://evil.example","click")`, Adapter: "http", At: now.Add(-3 * time.Hour)},
		{Question: "what's the weather", Adapter: "discord", At: now.Add(-10 * 24 * time.Hour)},
	}}
	o.Log = slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	o.Now = func() time.Time { return f.now }
	if o.Unanswered == nil {
		o.Unanswered = f.store
	}
	o.Knowledge = func() Knowledge {
		return Knowledge{Documents: []Document{{Title: "Careers in healthcare science", Path: "seed.txt", Sections: 5}}}
	}
	o.Try = ExplainerFunc(func(_ context.Context, q string) bot.Reply {
		f.tried = append(f.tried, q)
		return bot.Reply{Question: q, Answered: true, Intent: "location", Text: "Genetics staff are often based in specialist hospitals.",
			Confidence: 0.93, Why: &bot.Why{AnswerType: "place", Names: []string{"topic_match"}, Values: []float64{1}}}
	})
	p, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	p.Routes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no such endpoint", http.StatusNotFound) })
	f.h = mux
	t.Cleanup(func() {
		if strings.Contains(f.logs.String(), token) {
			t.Errorf("the team token was logged:\n%s", f.logs)
		}
	})
	return f
}

type request struct {
	method, path, body string
	header             map[string]string
}

func (f *fixture) do(t *testing.T, r request) *httptest.ResponseRecorder {
	t.Helper()
	if r.method == "" {
		r.method = "GET"
	}
	req := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	if strings.Contains(w.Body.String(), token) {
		t.Errorf("%s %s: the response shows the team token", r.method, r.path)
	}
	for _, c := range w.Result().Cookies() {
		if strings.Contains(c.Value, token) {
			t.Errorf("%s %s: a cookie holds the team token", r.method, r.path)
		}
	}
	return w
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t, Options{TeamToken: token, AllowedOrigins: []string{"https://careers.example.org"}})
	tests := []struct {
		path      string
		header    map[string]string
		ancestors string
		ctype     string
	}{
		{"/", nil, "frame-ancestors 'self' https://careers.example.org", "text/html"},
		{"/widget.js", nil, "frame-ancestors 'self' https://careers.example.org", "text/javascript"},
		{"/assets/chat.js", nil, "frame-ancestors 'self' https://careers.example.org", "text/javascript"},
		{"/assets/chat.css", nil, "frame-ancestors 'self' https://careers.example.org", "text/css"},
		{"/assets/console.js", nil, "frame-ancestors 'self' https://careers.example.org", "text/javascript"},
		{"/team", nil, "frame-ancestors 'none'", "text/html"},
		{"/team", bearer(token), "frame-ancestors 'none'", "text/html"},
		{"/team/api/kb", bearer(token), "frame-ancestors 'none'", "application/json"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			w := f.do(t, request{path: tc.path, header: tc.header})
			h := w.Header()
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", tc.ancestors, "base-uri 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe") {
				t.Errorf("CSP allows unsafe sources: %q", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("headers %v", h)
			}
			if strings.Contains(tc.ancestors, "'none'") && h.Get("X-Frame-Options") != "DENY" {
				t.Error("the console may be framed by browsers without frame-ancestors")
			}
			if !strings.HasPrefix(h.Get("Content-Type"), tc.ctype) {
				t.Errorf("Content-Type %q, want %s", h.Get("Content-Type"), tc.ctype)
			}
		})
	}
	t.Run("conditional GET", func(t *testing.T) {
		w := f.do(t, request{path: "/assets/chat.css"})
		etag := w.Header().Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		if w := f.do(t, request{path: "/assets/chat.css", header: map[string]string{"If-None-Match": etag}}); w.Code != http.StatusNotModified {
			t.Errorf("If-None-Match: %d, want 304", w.Code)
		}
	})
	t.Run("unknown asset", func(t *testing.T) {
		for _, p := range []string{"/assets/nope.js", "/assets/chat.html", "/assets/login.html", "/assets/chat-core.js"} {
			if w := f.do(t, request{path: p}); w.Code != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", p, w.Code)
			}
		}
	})
}

// TestNoInlineCode parses every embedded page: no inline script or
// style, no event-handler attributes, nothing from another origin. The
// CSP would block them; this says which file is wrong.
func TestNoInlineCode(t *testing.T) {
	pages, _ := fs.Glob(assetFS, "assets/*.html")
	if len(pages) < 3 {
		t.Fatalf("found %d pages", len(pages))
	}
	for _, name := range pages {
		t.Run(name, func(t *testing.T) {
			b, _ := fs.ReadFile(assetFS, name)
			z := html.NewTokenizer(bytes.NewReader(b))
			for {
				tt := z.Next()
				if tt == html.ErrorToken {
					break
				}
				if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
					continue
				}
				tok := z.Token()
				if tok.Data == "style" {
					t.Error("inline <style>")
				}
				src := ""
				for _, a := range tok.Attr {
					if strings.HasPrefix(a.Key, "on") || a.Key == "style" {
						t.Errorf("<%s %s=...>: inline code or style", tok.Data, a.Key)
					}
					if a.Key == "src" || a.Key == "href" || a.Key == "action" {
						src = a.Val
						if strings.Contains(a.Val, "//") || strings.HasPrefix(a.Val, "javascript:") {
							t.Errorf("<%s %s=%q>: not this origin", tok.Data, a.Key, a.Val)
						}
					}
				}
				if tok.Data == "script" && src == "" {
					t.Error("inline <script>")
				}
			}
		})
	}
}

func TestScriptIntro(t *testing.T) {
	f := newFixture(t, Options{Intro: func() Intro {
		return Intro{Subject: "careers </script><script>alert(1)</script>", Examples: []string{"What is \u2028genetics?"}}
	}})
	for _, path := range []string{"/widget.js", "/assets/chat.js"} {
		w := f.do(t, request{path: path})
		body := w.Body.String()
		if strings.Contains(body, "</script>") || strings.Contains(body, "\u2028") {
			t.Errorf("%s: the intro can end the script or the string:\n%.300s", path, body)
		}
		if !strings.Contains(body, `\u003c/script\u003e`) || !strings.Contains(body, "function createChat") {
			t.Errorf("%s: intro or chat code missing:\n%.300s", path, body)
		}
	}
	if w := f.do(t, request{path: "/widget.js"}); w.Header().Get("Cross-Origin-Resource-Policy") != "cross-origin" {
		t.Error("widget.js cannot be loaded by other sites' pages")
	}
	g := newFixture(t, Options{AllowedOrigins: []string{"https://careers.example.org"}})
	for origin, want := range map[string]string{"https://careers.example.org": "https://careers.example.org", "https://evil.example": ""} {
		w := g.do(t, request{path: "/assets/chat.css", header: map[string]string{"Origin": origin}})
		if got := w.Header().Get("Access-Control-Allow-Origin"); got != want {
			t.Errorf("chat.css from %s: Access-Control-Allow-Origin %q, want %q", origin, got, want)
		}
	}
}

func TestConsoleDisabled(t *testing.T) {
	f := newFixture(t, Options{})
	for _, p := range []string{"/team", "/team/", "/team/login", "/team/api/kb", "/team/unanswered.csv"} {
		if w := f.do(t, request{path: p, header: bearer(token)}); w.Code != http.StatusNotFound {
			t.Errorf("GET %s without a team token set = %d, want 404", p, w.Code)
		}
	}
	if w := f.do(t, request{path: "/"}); w.Code != 200 {
		t.Errorf("GET / = %d", w.Code)
	}
}

// consoleRoutes are every console route with its method.
var consoleRoutes = []request{
	{method: "GET", path: "/team"},
	{method: "GET", path: "/team/"},
	{method: "GET", path: "/team/api/unanswered"},
	{method: "GET", path: "/team/api/unanswered?since=all"},
	{method: "GET", path: "/team/unanswered.csv"},
	{method: "GET", path: "/team/api/kb"},
	{method: "POST", path: "/team/api/try", body: `{"question":"where do genetics staff work"}`},
	{method: "POST", path: "/team/logout"},
	{method: "GET", path: "/team/no/such/route"},
	{method: "DELETE", path: "/team/api/kb"},
	{method: "GET", path: "/team/login"},
}

func TestConsoleRefuses(t *testing.T) {
	f := newFixture(t, Options{TeamToken: token})
	good := f.login(t)
	expired := (&team{key: f.pages(t).team.key}).session(now.Add(-time.Minute))
	forged := "v1.99999999999." + strings.Repeat("A", 43)
	otherKey := newTeam(Options{TeamToken: "another-token-0123456789"}).session(now.Add(time.Hour))
	creds := map[string]map[string]string{
		"none":                 nil,
		"wrong bearer":         bearer("wrong-token-0123456789abc"),
		"token prefix":         bearer(token[:len(token)-1]),
		"token longer":         bearer(token + "x"),
		"basic auth":           {"Authorization": "Basic " + token},
		"empty bearer":         {"Authorization": "Bearer "},
		"expired cookie":       {"Cookie": CookieName + "=" + expired},
		"forged cookie":        {"Cookie": CookieName + "=" + forged},
		"other token's cookie": {"Cookie": CookieName + "=" + otherKey},
		"token as cookie":      {"Cookie": CookieName + "=" + token},
		"wrong bearer, good cookie": {"Authorization": "Bearer nope-nope-nope-nope",
			"Cookie": CookieName + "=" + good},
	}
	for name, h := range creds {
		for _, r := range consoleRoutes {
			r.header = h
			t.Run(name+" "+r.method+" "+r.path, func(t *testing.T) {
				w := f.do(t, r)
				if w.Code != http.StatusUnauthorized {
					t.Errorf("%d, want 401: %s", w.Code, w.Body)
				}
				if w.Header().Get("WWW-Authenticate") == "" {
					t.Error("no WWW-Authenticate")
				}
			})
		}
	}
	if len(f.tried) != 0 {
		t.Errorf("questions were tried without the token: %q", f.tried)
	}
	t.Run("login form on the page", func(t *testing.T) {
		w := f.do(t, request{path: "/team"})
		if !strings.Contains(w.Body.String(), `action="/team/login"`) {
			t.Errorf("GET /team without a token shows no login form:\n%s", w.Body)
		}
	})
}

func (f *fixture) pages(t *testing.T) *Pages {
	t.Helper()
	p, err := New(Options{TeamToken: token, Knowledge: func() Knowledge { return Knowledge{} }, Try: ExplainerFunc(nil)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// login posts the token to the form and returns the session cookie.
func (f *fixture) login(t *testing.T) string {
	t.Helper()
	w := f.do(t, request{method: "POST", path: "/team/login", body: "token=" + url.QueryEscape(token),
		header: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/team" {
		t.Fatalf("login: %d %v %s", w.Code, w.Header(), w.Body)
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == CookieName {
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/team" || c.MaxAge <= 0 {
				t.Errorf("session cookie %+v, want HttpOnly, SameSite=Strict, Path=/team, a lifetime", c)
			}
			return c.Value
		}
	}
	t.Fatal("login set no session cookie")
	return ""
}

func TestConsoleLogin(t *testing.T) {
	f := newFixture(t, Options{TeamToken: token})
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	t.Run("wrong token", func(t *testing.T) {
		w := f.do(t, request{method: "POST", path: "/team/login", body: "token=wrong-wrong-wrong-wrong", header: form})
		if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "not the team token") || len(w.Result().Cookies()) != 0 {
			t.Errorf("%d %v %s", w.Code, w.Result().Cookies(), w.Body)
		}
		if !strings.Contains(f.logs.String(), "wrong token") {
			t.Error("a wrong token was not logged")
		}
	})
	t.Run("from another site", func(t *testing.T) {
		h := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site"}
		if w := f.do(t, request{method: "POST", path: "/team/login", body: "token=" + token, header: h}); w.Code != http.StatusForbidden {
			t.Errorf("cross-site login: %d, want 403", w.Code)
		}
		h = map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"}
		if w := f.do(t, request{method: "POST", path: "/team/login", body: "token=" + token, header: h}); w.Code != http.StatusForbidden {
			t.Errorf("login with a foreign Origin: %d, want 403", w.Code)
		}
	})
	cookie := f.login(t)
	session := map[string]string{"Cookie": CookieName + "=" + cookie}
	t.Run("session works", func(t *testing.T) {
		if w := f.do(t, request{path: "/team/api/kb", header: session}); w.Code != 200 {
			t.Errorf("GET /team/api/kb with the session: %d", w.Code)
		}
		if w := f.do(t, request{path: "/team", header: session}); w.Code != 200 || !strings.Contains(w.Body.String(), "unanswered-table") {
			t.Errorf("GET /team with the session: %d", w.Code)
		}
	})
	t.Run("cross-site POST with the session", func(t *testing.T) {
		h := map[string]string{"Cookie": session["Cookie"], "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}
		if w := f.do(t, request{method: "POST", path: "/team/api/try", body: `{"question":"x"}`, header: h}); w.Code != http.StatusForbidden {
			t.Errorf("%d, want 403", w.Code)
		}
	})
	t.Run("session expires", func(t *testing.T) {
		f.now = now.Add(Session + time.Second)
		defer func() { f.now = now }()
		if w := f.do(t, request{path: "/team/api/kb", header: session}); w.Code != http.StatusUnauthorized {
			t.Errorf("after %s: %d, want 401", Session, w.Code)
		}
	})
	t.Run("logout clears the cookie", func(t *testing.T) {
		w := f.do(t, request{method: "POST", path: "/team/logout", header: session})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("logout: %d", w.Code)
		}
		cs := w.Result().Cookies()
		if len(cs) != 1 || cs[0].Name != CookieName || cs[0].MaxAge >= 0 {
			t.Errorf("logout cookies %+v", cs)
		}
	})
	t.Run("throttled after many wrong tokens", func(t *testing.T) {
		g := newFixture(t, Options{TeamToken: token})
		for range failBurst {
			g.do(t, request{path: "/team/api/kb", header: bearer("wrong-wrong-wrong-wrong")})
		}
		w := g.do(t, request{method: "POST", path: "/team/login", body: "token=" + token, header: form})
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
			t.Errorf("login after %d failures: %d, want 429 with Retry-After", failBurst, w.Code)
		}
	})
}

func TestConsoleUnanswered(t *testing.T) {
	f := newFixture(t, Options{TeamToken: token})
	t.Run("json, grouped as report unanswered groups", func(t *testing.T) {
		w := f.do(t, request{path: "/team/api/unanswered?since=7d", header: bearer(token)})
		var rep unansweredReport
		if err := json.Unmarshal(w.Body.Bytes(), &rep); err != nil || w.Code != 200 {
			t.Fatalf("%d %v %s", w.Code, err, w.Body)
		}
		if !rep.Recording || rep.Total != 3 || len(rep.Groups) != 2 {
			t.Fatalf("report %+v, want 3 questions in 2 groups in the last 7 days", rep)
		}
		want := unanswered.GroupEntries(f.store.entries[:3])
		if rep.Groups[0].Example != want[0].Example || rep.Groups[0].Count != 2 {
			t.Errorf("first group %+v, want %+v", rep.Groups[0], want[0])
		}
		if !rep.Since.Equal(now.Add(-7 * 24 * time.Hour)) {
			t.Errorf("since %v", rep.Since)
		}
	})
	t.Run("time filter", func(t *testing.T) {
		w := f.do(t, request{path: "/team/api/unanswered?since=90m", header: bearer(token)})
		var rep unansweredReport
		json.Unmarshal(w.Body.Bytes(), &rep)
		if rep.Total != 1 {
			t.Errorf("last 90 minutes: %d questions, want 1", rep.Total)
		}
		w = f.do(t, request{path: "/team/api/unanswered?since=all", header: bearer(token)})
		json.Unmarshal(w.Body.Bytes(), &rep)
		if rep.Total != 4 {
			t.Errorf("all: %d questions, want 4", rep.Total)
		}
	})
	t.Run("bad since", func(t *testing.T) {
		w := f.do(t, request{path: "/team/api/unanswered?since=%3Cscript%3E", header: bearer(token)})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "since") {
			t.Errorf("%d %s", w.Code, w.Body)
		}
	})
	t.Run("csv", func(t *testing.T) {
		w := f.do(t, request{path: "/team/unanswered.csv?since=7d", header: bearer(token)})
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") ||
			!strings.Contains(w.Header().Get("Content-Disposition"), `attachment; filename="unanswered-since-2026-06-03.csv"`) {
			t.Fatalf("%d %v", w.Code, w.Header())
		}
		rows, err := csv.NewReader(w.Body).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0][0] != "count" || rows[1][0] != "2" {
			t.Fatalf("rows %q", rows)
		}
		if rows[1][1] != "how much do genetics staff earn" && rows[1][1] != "How much do genetics staff earn?" {
			t.Errorf("first group %q", rows[1])
		}
		if !strings.Contains(rows[1][5], "http 1") || !strings.Contains(rows[1][5], "slack 1") {
			t.Errorf("adapters %q", rows[1][5])
		}
		if got := rows[2][1]; !strings.HasPrefix(got, "'=HYPERLINK") {
			t.Errorf("formula cell %q, want it prefixed with ' so spreadsheets show it as text", got)
		}
	})
	t.Run("not recording", func(t *testing.T) {
		g := newFixture(t, Options{TeamToken: token})
		g.pagesNoStore(t)
		w := g.do(t, request{path: "/team/api/unanswered", header: bearer(token)})
		var rep unansweredReport
		if err := json.Unmarshal(w.Body.Bytes(), &rep); err != nil || w.Code != 200 || rep.Recording || rep.Groups == nil {
			t.Errorf("with no log: %d %s; want recording false and an empty list", w.Code, w.Body)
		}
	})
	t.Run("store fails", func(t *testing.T) {
		g := newFixture(t, Options{TeamToken: token, Unanswered: noStore{}})
		w := g.do(t, request{path: "/team/api/unanswered", header: bearer(token)})
		if w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "disk on fire") {
			t.Errorf("store error: %d %s; want a 500 that does not show the error", w.Code, w.Body)
		}
		if !strings.Contains(g.logs.String(), "disk on fire") {
			t.Error("the store error was not logged")
		}
	})
}

// pagesNoStore rebuilds f's pages with no unanswered log, as serve does
// with CAREERSBOT_UNANSWERED_RECORD=false.
func (f *fixture) pagesNoStore(t *testing.T) {
	t.Helper()
	p, err := New(Options{TeamToken: token, Knowledge: func() Knowledge { return Knowledge{} },
		Try: ExplainerFunc(func(context.Context, string) bot.Reply { return bot.Reply{} })})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	p.Routes(mux)
	f.h = mux
}

// noStore fails every read.
type noStore struct{}

func (noStore) Since(context.Context, time.Time, int) ([]unanswered.Entry, error) {
	return nil, errDisk
}
func (noStore) Count(context.Context, time.Time) (int, error) { return 0, errDisk }

var errDisk = &diskError{}

type diskError struct{}

func (*diskError) Error() string { return "disk on fire" }

func TestConsoleTry(t *testing.T) {
	f := newFixture(t, Options{TeamToken: token})
	auth := map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"}
	tests := []struct {
		name, body string
		status     int
		want       string
	}{
		{"answer with why", `{"question":"  where do genetics staff work "}`, 200, `"answer_type":"place"`},
		{"empty", `{"question":"   "}`, 400, "type a question"},
		{"not json", `question=x`, 400, "question"},
		{"two objects", `{"question":"a"}{"question":"b"}`, 400, "one JSON object"},
		{"too large", `{"question":"` + strings.Repeat("a", maxTry) + `"}`, 413, "too long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := f.do(t, request{method: "POST", path: "/team/api/try", body: tc.body, header: auth})
			if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.want) {
				t.Errorf("%d %s, want %d with %q", w.Code, w.Body, tc.status, tc.want)
			}
		})
	}
	if len(f.tried) != 1 || f.tried[0] != "where do genetics staff work" {
		t.Errorf("tried %q, want the one good question, trimmed", f.tried)
	}
	w := f.do(t, request{path: "/team/api/kb", header: auth})
	var k Knowledge
	if err := json.Unmarshal(w.Body.Bytes(), &k); err != nil || len(k.Documents) != 1 || k.Topics == nil || k.Problems == nil {
		t.Errorf("kb: %v %s", err, w.Body)
	}
}

func TestCheckOrigin(t *testing.T) {
	for _, good := range []string{"https://careers.example.org", "http://127.0.0.1:8081"} {
		if err := CheckOrigin(good); err != nil {
			t.Errorf("CheckOrigin(%q) = %v", good, err)
		}
	}
	for _, bad := range []string{"", "*", "careers.example.org", "https://a.example/path", "javascript:alert(1)", "https://a.example; script-src *", "https://u:p@a.example"} {
		if err := CheckOrigin(bad); err == nil {
			t.Errorf("CheckOrigin(%q) = nil, want an error", bad)
		}
	}
	if _, err := New(Options{AllowedOrigins: []string{"https://a.example 'unsafe-inline'"}}); err == nil {
		t.Error("New took an origin that would widen the CSP")
	}
}
