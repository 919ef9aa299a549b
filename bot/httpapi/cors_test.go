package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/careersbot/careersbot/bot"
)

type pages struct{}

func (pages) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("chat page")) })
}

func TestCORS(t *testing.T) {
	const allowed = "https://careers.example.org"
	h, err := New(Options{
		Handler:        &echo{},
		Health:         func() Health { return Health{} },
		AllowedOrigins: []string{allowed, "http://127.0.0.1:8081"},
		Pages:          []Router{pages{}},
		RetryAfter:     2e9,
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, origin, body string
		reqMethod                  string // Access-Control-Request-Method
		status                     int
		allow                      string // Access-Control-Allow-Origin wanted ("" for none)
	}{
		{"allowed origin reads the answer", "POST", allowed, `{"question":"q"}`, "", 200, allowed},
		{"origin compared without case", "POST", "HTTPS://Careers.Example.org", `{"question":"q"}`, "", 200, "HTTPS://Careers.Example.org"},
		{"other origin gets no CORS headers", "POST", "https://evil.example", `{"question":"q"}`, "", 200, ""},
		{"a prefix is not the origin", "POST", "https://careers.example.org.evil.example", `{"question":"q"}`, "", 200, ""},
		{"same origin or a program", "POST", "", `{"question":"q"}`, "", 200, ""},
		{"rate limited answer readable", "POST", allowed, `{"question":"limit me"}`, "", 429, allowed},
		{"preflight allowed", "OPTIONS", allowed, "", "POST", 204, allowed},
		{"preflight refused", "OPTIONS", "https://evil.example", "", "POST", 403, ""},
		{"preflight for another method", "OPTIONS", allowed, "", "DELETE", 405, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "/v1/ask", strings.NewReader(tc.body))
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			if tc.reqMethod != "" {
				req.Header.Set("Access-Control-Request-Method", tc.reqMethod)
				req.Header.Set("Access-Control-Request-Headers", "content-type")
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tc.status {
				t.Errorf("status %d, want %d (%s)", w.Code, tc.status, w.Body)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != tc.allow {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tc.allow)
			}
			if !strings.Contains(strings.Join(w.Header().Values("Vary"), ","), "Origin") {
				t.Error("no Vary: Origin; a cache could hand one origin's answer to another")
			}
			if tc.allow != "" && tc.method == "POST" && w.Header().Get("Access-Control-Expose-Headers") != "Retry-After" {
				t.Error("Retry-After is not exposed to the page")
			}
			if tc.method == "OPTIONS" && tc.status == 204 {
				if m := w.Header().Get("Access-Control-Allow-Methods"); m != "POST" {
					t.Errorf("Allow-Methods %q", m)
				}
				if hd := w.Header().Get("Access-Control-Allow-Headers"); !strings.EqualFold(hd, "Content-Type") {
					t.Errorf("Allow-Headers %q", hd)
				}
			}
		})
	}
	t.Run("no origins allowed by default", func(t *testing.T) {
		h, err := New(Options{Handler: &echo{}, Health: func() Health { return Health{} }})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("OPTIONS", "/v1/ask", nil)
		req.Header.Set("Origin", allowed)
		req.Header.Set("Access-Control-Request-Method", "POST")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 403 || w.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight with nothing allowed: %d %v", w.Code, w.Header())
		}
	})
	t.Run("pages mounted", func(t *testing.T) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if w.Code != 200 || w.Body.String() != "chat page" {
			t.Errorf("GET / = %d %q", w.Code, w.Body)
		}
		w = httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/nope", nil))
		if w.Code != 404 {
			t.Errorf("GET /nope = %d, want the JSON 404", w.Code)
		}
	})
	t.Run("pages clash", func(t *testing.T) {
		_, err := New(Options{Handler: &echo{}, Health: func() Health { return Health{} }, Pages: []Router{pages{}, pages{}}})
		if err == nil {
			t.Error("two pages on / mounted without an error")
		}
	})
}

// BenchmarkAskWithPages is BenchmarkAsk with the web pages mounted and
// CORS on, from the same origin (the chat page) and from an allowed one
// (the widget): what the pages add to every /v1/ask.
func BenchmarkAskWithPages(b *testing.B) {
	answer := bot.HandlerFunc(func(ctx context.Context, msg bot.Message) bot.Reply {
		return bot.Reply{Question: msg.Text, Intent: "fallback"}
	})
	m := NewMetrics("bench")
	h, err := New(Options{Handler: bot.Chain(answer, m.Middleware()), Health: func() Health { return Health{} }, Metrics: m,
		AllowedOrigins: []string{"https://careers.example.org", "https://www.example.org"}, Pages: []Router{pages{}}})
	if err != nil {
		b.Fatal(err)
	}
	body := `{"question":"where do genetics staff work","conversation":"c1"}`
	for _, origin := range []string{"", "https://www.example.org"} {
		name := "same-origin"
		if origin != "" {
			name = "allowed-origin"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest("POST", "/v1/ask", strings.NewReader(body))
					if origin != "" {
						req.Header.Set("Origin", origin)
					}
					w := httptest.NewRecorder()
					h.ServeHTTP(w, req)
					if w.Code != 200 {
						b.Fatal(w.Code)
					}
				}
			})
		})
	}
}
