// Package web serves careersbot's two web pages on the HTTP listener of
// serve: the chat page at / (with /widget.js, which adds a chat button to
// any page of another site) and the recruitment team's console at /team.
//
// Both pages are plain HTML, CSS and JavaScript embedded in the binary
// (go:embed): no build step, no external fonts or CDNs. The chat talks to
// POST /v1/ask like any other client. Every text that comes from a
// question, a page or an answer is inserted as text, never as HTML, and the
// pages are served under a strict Content-Security-Policy (no inline script
// or style), so a question or a page holding <script> stays inert.
//
// The console is mounted only when a team token is set. Every /team route
// answers 401 without a valid token, given as "Authorization: Bearer TOKEN"
// or by the login form, which sets an HttpOnly, SameSite=Strict session
// cookie derived from (never holding) the token. The token is compared in
// constant time and never logged or shown.
//
// The package knows nothing of the engine or the knowledge base: serve
// hands it small interfaces (Explainer, Unanswered) and functions that
// report what the console shows.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/unanswered"
)

// Intro is what the chat greets people with: what the pages are about and
// a few example questions.
type Intro struct {
	Subject  string   `json:"subject"`
	Examples []string `json:"examples"`
}

// Explainer answers a question for the console's "try a question" box,
// with Reply.Why saying why that answer was chosen. It must not record the
// question or count it against anyone's rate limit.
type Explainer interface {
	Explain(ctx context.Context, question string) bot.Reply
}

// ExplainerFunc adapts a function to Explainer.
type ExplainerFunc func(ctx context.Context, question string) bot.Reply

// Explain calls f.
func (f ExplainerFunc) Explain(ctx context.Context, q string) bot.Reply { return f(ctx, q) }

// Unanswered is the log of questions careersbot could not answer;
// *unanswered.Store satisfies it.
type Unanswered interface {
	Since(ctx context.Context, t time.Time, limit int) ([]unanswered.Entry, error)
	Count(ctx context.Context, t time.Time) (int, error)
}

// Options configure the pages.
type Options struct {
	// Intro greets people in the chat; nil for a plain greeting.
	Intro func() Intro
	// AllowedOrigins may frame the chat page (frame-ancestors) besides
	// the page's own origin. /v1/ask's CORS is httpapi's.
	AllowedOrigins []string

	// TeamToken enables the console at /team; "" leaves /team unmounted
	// (404).
	TeamToken string
	// Unanswered is the unanswered-question log; nil when serve does not
	// record them (the console says so).
	Unanswered Unanswered
	// Knowledge reports the knowledge base in service.
	Knowledge func() Knowledge
	// Try answers the console's "try a question" box.
	Try Explainer

	Log *slog.Logger
	Now func() time.Time // time.Now when nil; tests replace it
}

// Pages serves the chat page, the widget and (with a token) the console.
type Pages struct {
	o       Options
	ancest  string // frame-ancestors sources of the chat page
	team    *team  // nil without a token
	static  map[string]asset
	chatCSP string
}

// New checks o and returns the pages.
func New(o Options) (*Pages, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Intro == nil {
		o.Intro = func() Intro { return Intro{} }
	}
	anc := []string{"'self'"}
	for _, origin := range o.AllowedOrigins {
		if err := CheckOrigin(origin); err != nil {
			return nil, err
		}
		anc = append(anc, origin)
	}
	p := &Pages{o: o, ancest: strings.Join(anc, " ")}
	p.chatCSP = csp(p.ancest)
	var err error
	if p.static, err = loadAssets(); err != nil {
		return nil, err
	}
	if o.TeamToken != "" {
		if o.Knowledge == nil || o.Try == nil {
			return nil, errors.New("web: the console needs Knowledge and Try")
		}
		p.team = newTeam(o)
	}
	return p, nil
}

// Routes mounts the pages on mux: GET / (exactly), /widget.js, /assets/,
// and /team when the console is enabled.
func (p *Pages) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", p.chatPage)
	mux.HandleFunc("GET /widget.js", p.widget)
	mux.HandleFunc("GET /assets/{name}", p.asset)
	if p.team != nil {
		p.team.routes(mux)
	}
}

// CheckOrigin reports whether s is a web origin as a browser sends it:
// http or https, a host, an optional port, nothing else.
func CheckOrigin(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" ||
		strings.ContainsAny(s, " ;,'\"") {
		return errors.New("an origin is a scheme and host such as https://careers.example.org, with no path")
	}
	return nil
}

// csp is the Content-Security-Policy of a page: scripts, styles and
// fetches from this origin only, nothing inline, framed only by
// ancestors.
func csp(ancestors string) string {
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
		"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors " + ancestors
}

// secure sets the headers every page and asset carries.
func secure(h http.Header, policy string) {
	h.Set("Content-Security-Policy", policy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	if policy == consoleCSP {
		h.Set("X-Frame-Options", "DENY") // for browsers without frame-ancestors
	}
}
