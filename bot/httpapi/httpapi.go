// Package httpapi is careersbot's HTTP API: GET /healthz, GET /metrics
// (Prometheus) and POST /v1/ask, plus whatever routes the chat adapters
// mount (/slack/events, /discord/interactions) and the web pages (/, /team).
// Browsers on the origins listed in Options.AllowedOrigins may call
// /v1/ask (CORS); no other origin may read its replies.
//
// Bad requests (bodies over 64 KB, malformed JSON, an empty question) get a
// 4xx status and a JSON error, never a 5xx; errors say what was wrong with
// the request and log nothing secret.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/internal/ratelog"
)

// MaxBody is the largest request body /v1/ask reads.
const MaxBody = 64 << 10

// MaxConversation is the longest conversation key /v1/ask accepts.
const MaxConversation = 256

// Adapter is the name /v1/ask gives its messages.
const Adapter = "http"

// Health is what GET /healthz reports.
type Health struct {
	Status    string          `json:"status"` // "ok", or "degraded" while shared state is unreachable
	Version   string          `json:"version"`
	Documents int             `json:"documents"`
	Topics    int             `json:"topics"`
	LoadTime  float64         `json:"load_time_seconds"` // how long the base took to load
	LoadedAt  time.Time       `json:"loaded_at"`         // when it was loaded
	Reloads   int             `json:"reloads"`           // successful reloads since start
	Adapters  map[string]bool `json:"adapters"`          // name -> connected (true when it cannot tell)
	// Shared lists the servers replicas share ("redis", "postgres") and
	// whether each is reachable; omitted when there are none.
	Shared map[string]bool `json:"shared_state,omitempty"`
}

// Options configure the API.
type Options struct {
	Handler    bot.Handler   // answers /v1/ask (with middleware already applied)
	Health     func() Health // reports /healthz
	Metrics    *Metrics      // served at /metrics; nil for none
	Adapters   []bot.Adapter // RouteAdapters among them mount their routes
	Log        *slog.Logger
	RetryAfter time.Duration // Retry-After for rate-limited answers; 0 to omit
	// TrustedProxies are load balancers: behind them a /v1/ask caller is
	// told apart by X-Forwarded-For (for its rate limit), not by the peer.
	TrustedProxies []netip.Prefix
	// AllowedOrigins may call /v1/ask from a browser (CORS); none when
	// empty.
	AllowedOrigins []string
	// Pages mount more routes (the web chat and the team console).
	Pages []Router
}

// Router mounts routes on the API's mux.
type Router interface {
	Routes(mux *http.ServeMux)
}

// New returns the API's handler.
func New(o Options) (http.Handler, error) {
	if o.Handler == nil || o.Health == nil {
		return nil, errors.New("httpapi: Handler and Health are required")
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	a := &api{o: o}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", a.health)
	mux.HandleFunc("/healthz", methodNotAllowed("GET, HEAD"))
	mux.HandleFunc("POST /v1/ask", a.withCORS(a.ask))
	mux.HandleFunc("OPTIONS /v1/ask", a.preflight)
	mux.HandleFunc("/v1/ask", methodNotAllowed("POST"))
	if o.Metrics != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(o.Metrics.Registry(), promhttp.HandlerOpts{
			ErrorLog:      slogPrinter{log: o.Log, limit: ratelog.New(time.Second)},
			ErrorHandling: promhttp.ContinueOnError,
		}))
	}
	for _, ad := range o.Adapters {
		ra, ok := ad.(bot.RouteAdapter)
		if !ok {
			continue
		}
		if err := mount(mux, ra); err != nil {
			return nil, err
		}
	}
	for _, p := range o.Pages {
		if err := mountPages(mux, p); err != nil {
			return nil, err
		}
	}
	if err := mount(mux, nil); err != nil {
		return nil, err
	}
	return a.recover(mux), nil
}

// mount adds ra's routes (or, for nil, the JSON 404 for everything else),
// turning the mux's panic on a clashing pattern into an error.
func mount(mux *http.ServeMux, ra bot.RouteAdapter) (err error) {
	defer func() {
		if p := recover(); p != nil {
			name := "httpapi"
			if ra != nil {
				name = ra.Name()
			}
			err = fmt.Errorf("mount %s routes: %v", name, p)
		}
	}()
	if ra == nil {
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			writeError(w, http.StatusNotFound, "no such endpoint; try POST /v1/ask, GET /healthz or GET /metrics")
		})
		return nil
	}
	ra.Routes(mux)
	return nil
}

// mountPages adds p's routes, turning a clash into an error.
func mountPages(mux *http.ServeMux, p Router) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("mount pages: %v", r)
		}
	}()
	p.Routes(mux)
	return nil
}

type api struct{ o Options }

func (a *api) health(w http.ResponseWriter, r *http.Request) {
	h := a.o.Health()
	if h.Status == "" {
		h.Status = "ok"
	}
	if h.Adapters == nil {
		h.Adapters = map[string]bool{}
	}
	writeJSON(w, http.StatusOK, h)
}

// askRequest is the body of POST /v1/ask.
type askRequest struct {
	Question     *string `json:"question"`
	Conversation string  `json:"conversation"`
}

func (a *api) ask(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	dec := json.NewDecoder(r.Body)
	var req askRequest
	if err := dec.Decode(&req); err != nil {
		status, msg := decodeError(err)
		writeError(w, status, msg)
		return
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", MaxBody))
			return
		}
		writeError(w, http.StatusBadRequest, "request body must hold one JSON object and nothing after it")
		return
	}
	if req.Question == nil || strings.TrimSpace(*req.Question) == "" {
		writeError(w, http.StatusBadRequest, `"question" is required and must not be empty`)
		return
	}
	if len(req.Conversation) > MaxConversation {
		writeError(w, http.StatusBadRequest, fmt.Sprintf(`"conversation" must be at most %d bytes`, MaxConversation))
		return
	}
	m := bot.Message{Adapter: Adapter, User: clientIP(r, a.o.TrustedProxies), Text: *req.Question}
	if req.Conversation != "" {
		m.Conversation = Adapter + ":" + req.Conversation
	}
	reply := a.o.Handler.Handle(r.Context(), m)
	status := http.StatusOK
	if reply.Status == bot.StatusRateLimited {
		status = http.StatusTooManyRequests
		if a.o.RetryAfter > 0 {
			secs := int((a.o.RetryAfter + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
	}
	writeJSON(w, status, reply.Normalized())
}

// decodeError turns a JSON decoding error into a status and a message that
// helps the caller without echoing their input.
func decodeError(err error) (int, string) {
	var mbe *http.MaxBytesError
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", MaxBody)
	case errors.Is(err, io.EOF):
		return http.StatusBadRequest, `request body is empty; send {"question": "..."}`
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return http.StatusBadRequest, `request body is not valid JSON; send {"question": "...", "conversation": "optional key"}`
	case errors.As(err, &typ):
		if typ.Field != "" {
			return http.StatusBadRequest, fmt.Sprintf("%q must be a string", typ.Field)
		}
		return http.StatusBadRequest, `request body must be a JSON object such as {"question": "..."}`
	}
	return http.StatusBadRequest, "could not read the request body"
}

// clientIP is the rate-limit identity of an HTTP caller: the peer address.
// Forwarding headers are the caller's to forge, so X-Forwarded-For is read
// only when the peer is a trusted proxy (a load balancer in front of the
// replicas), and then from the right: the first address not itself a
// trusted proxy is the one the proxy saw.
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(trusted) == 0 || !inPrefixes(host, trusted) {
		return host
	}
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return host // a hop we cannot read: stop trusting the chain
			}
			if !inPrefixes(a.Unmap().String(), trusted) {
				return a.Unmap().String()
			}
		}
	}
	return host
}

func inPrefixes(host string, ps []netip.Prefix) bool {
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func methodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, "method not allowed; use "+allow)
	}
}

type errorBody struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client went away; nothing to do
}

// recover turns a panic in a handler into a logged 500 with a generic
// message, so one bad request cannot take the server down.
func (a *api) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			a.o.Log.Error("panic serving request", "path", r.URL.Path, "panic", fmt.Sprint(p))
			writeError(w, http.StatusInternalServerError, "internal error")
		}()
		next.ServeHTTP(w, r)
	})
}

// slogPrinter adapts slog to promhttp's logger. promhttp logs once per
// metric family it fails to write, so a client that hangs up mid-response
// would cause dozens of lines: they go out at most once a second, with a
// count, as a warning (the client left; nothing is wrong here).
type slogPrinter struct {
	log   *slog.Logger
	limit *ratelog.Limiter
}

func (p slogPrinter) Println(v ...any) {
	p.limit.Log(context.Background(), p.log, slog.LevelWarn, "metrics", "serve metrics", "err", strings.TrimSpace(fmt.Sprintln(v...)))
}
