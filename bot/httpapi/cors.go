package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// corsMaxAge is how long a browser may cache a preflight answer.
const corsMaxAge = 10 * time.Minute

// varyOrigin is the Vary header of every /v1/ask reply, shared so that
// setting it costs no allocation (its capacity is its length, so an Add
// to it copies).
var varyOrigin = []string{"Origin"}

// allowed reports whether origin may call /v1/ask from a browser: only
// origins listed in Options.AllowedOrigins (CAREERSBOT_ALLOWED_ORIGINS),
// compared whole and without case. Nothing is allowed by default.
func (a *api) allowed(origin string) bool {
	if origin == "" {
		return false
	}
	for _, o := range a.o.AllowedOrigins {
		if strings.EqualFold(strings.TrimSuffix(o, "/"), origin) {
			return true
		}
	}
	return false
}

// withCORS lets an allowed origin read the answer (and Retry-After, so the
// widget can say how long to wait). Other origins get no CORS headers, so
// their pages cannot read the reply.
func (a *api) withCORS(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if _, ok := h["Vary"]; ok {
			h.Add("Vary", "Origin")
		} else {
			h["Vary"] = varyOrigin[:1:1]
		}
		if origin := r.Header.Get("Origin"); a.allowed(origin) {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Expose-Headers", "Retry-After")
		}
		next(w, r)
	}
}

// preflight answers a browser's OPTIONS before a cross-origin POST.
func (a *api) preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Add("Vary", "Origin")
	h.Add("Vary", "Access-Control-Request-Method")
	h.Add("Vary", "Access-Control-Request-Headers")
	origin := r.Header.Get("Origin")
	if !a.allowed(origin) {
		writeError(w, http.StatusForbidden, "this origin may not call /v1/ask from a browser; list it in CAREERSBOT_ALLOWED_ORIGINS")
		return
	}
	if m := r.Header.Get("Access-Control-Request-Method"); m != "" && m != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, "method not allowed; use POST")
		return
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Methods", "POST")
	h.Set("Access-Control-Allow-Headers", "Content-Type")
	h.Set("Access-Control-Max-Age", strconv.Itoa(int(corsMaxAge/time.Second)))
	w.WriteHeader(http.StatusNoContent)
}
