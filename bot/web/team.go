package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/unanswered"
)

// Session is how long a console login lasts.
const Session = 12 * time.Hour

// CookieName is the console's session cookie.
const CookieName = "careersbot_team"

// reportLimit bounds the questions a report reads (the most recent), as
// `careersbot report unanswered` does.
const reportLimit = 50000

// Failed logins are throttled across all clients: a token of the length
// config asks for cannot be guessed at this rate, and the log is not
// flooded.
const (
	failRate  = 5 // a second
	failBurst = 20
)

// consoleCSP is the console's policy: like the chat page's, but never
// framed.
var consoleCSP = csp("'none'")

type team struct {
	o     Options
	sum   [32]byte // SHA-256 of the token, compared in constant time
	key   []byte   // signs session cookies; derived from the token
	fails *rate.Limiter
	mux   *http.ServeMux // the routes behind the token
	login *template.Template
}

func newTeam(o Options) *team {
	t := &team{
		o:     o,
		sum:   sha256.Sum256([]byte(o.TeamToken)),
		fails: rate.NewLimiter(failRate, failBurst),
		login: template.Must(template.New("login.html").ParseFS(assetFS, "assets/login.html")),
	}
	// Sessions are signed with a key derived from the token: replicas
	// sharing a token accept each other's sessions, and a new token ends
	// every session.
	mac := hmac.New(sha256.New, []byte(o.TeamToken))
	mac.Write([]byte("careersbot team session key v1"))
	t.key = mac.Sum(nil)

	m := http.NewServeMux()
	m.HandleFunc("GET /team", t.page)
	m.HandleFunc("POST /team/logout", t.logout)
	m.HandleFunc("GET /team/api/unanswered", t.unanswered)
	m.HandleFunc("GET /team/unanswered.csv", t.unansweredCSV)
	m.HandleFunc("GET /team/api/kb", t.knowledge)
	m.HandleFunc("POST /team/api/try", t.try)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusNotFound, "no such console route")
	})
	t.mux = m
	return t
}

func (t *team) routes(mux *http.ServeMux) {
	mux.HandleFunc("/team", t.serveHTTP)
	mux.HandleFunc("/team/", t.serveHTTP)
}

// serveHTTP is every /team route: the login form's POST, then the token
// check, then the routes behind it.
func (t *team) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/team/login" {
		t.loginPost(w, r)
		return
	}
	if !t.authorised(w, r) {
		return
	}
	if r.Method == http.MethodPost && !sameOrigin(r) {
		writeJSONError(w, http.StatusForbidden, "cross-site request refused")
		return
	}
	t.mux.ServeHTTP(w, r)
}

// authorised checks the bearer token or the session cookie, answering 401
// (the login form for a page, JSON for anything else) when neither is
// valid.
func (t *team) authorised(w http.ResponseWriter, r *http.Request) bool {
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, tok, _ := strings.Cut(auth, " ")
		if strings.EqualFold(scheme, "Bearer") && t.checkToken(r, strings.TrimSpace(tok)) {
			return true
		}
	} else if c, err := r.Cookie(CookieName); err == nil && t.validSession(c.Value) {
		return true
	}
	t.refuse(w, r, "")
	return false
}

func (t *team) refuse(w http.ResponseWriter, r *http.Request, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="careersbot team"`)
	if r.Method == http.MethodGet && (r.URL.Path == "/team" || r.URL.Path == "/team/") {
		t.loginPage(w, http.StatusUnauthorized, msg)
		return
	}
	writeJSONError(w, http.StatusUnauthorized, "the team console needs the team token (Authorization: Bearer, or log in at /team)")
}

// checkToken compares tok with the team token in constant time (of equal
// length digests), throttling failures.
func (t *team) checkToken(r *http.Request, tok string) bool {
	if t.fails.Tokens() < 1 {
		return false
	}
	got := sha256.Sum256([]byte(tok))
	if subtle.ConstantTimeCompare(got[:], t.sum[:]) == 1 {
		return true
	}
	t.fails.Allow()
	t.o.Log.Warn("team console: wrong token", "remote", remoteHost(r), "path", r.URL.Path)
	return false
}

func (t *team) loginPost(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		t.refuse(w, r, "")
		return
	}
	if !sameOrigin(r) {
		writeJSONError(w, http.StatusForbidden, "cross-site request refused")
		return
	}
	if t.fails.Tokens() < 1 {
		w.Header().Set("Retry-After", "5")
		t.loginPage(w, http.StatusTooManyRequests, "Too many wrong tokens. Wait a few seconds and try again.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		t.loginPage(w, http.StatusBadRequest, "The form could not be read. Try again.")
		return
	}
	if !t.checkToken(r, strings.TrimSpace(r.PostForm.Get("token"))) {
		t.loginPage(w, http.StatusUnauthorized, "That is not the team token.")
		return
	}
	exp := t.o.Now().Add(Session)
	http.SetCookie(w, &http.Cookie{
		Name:     CookieName,
		Value:    t.session(exp),
		Path:     "/team",
		Expires:  exp,
		MaxAge:   int(Session / time.Second),
		HttpOnly: true,
		Secure:   isHTTPS(r),
		SameSite: http.SameSiteStrictMode,
	})
	t.o.Log.Info("team console: logged in", "remote", remoteHost(r))
	http.Redirect(w, r, "/team", http.StatusSeeOther)
}

func (t *team) logout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: "", Path: "/team", MaxAge: -1,
		HttpOnly: true, Secure: isHTTPS(r), SameSite: http.SameSiteStrictMode,
	})
	http.Redirect(w, r, "/team", http.StatusSeeOther)
}

// session is a cookie value: the expiry and its HMAC. It holds nothing
// secret and cannot be forged or extended without the token.
func (t *team) session(exp time.Time) string {
	e := strconv.FormatInt(exp.Unix(), 10)
	return "v1." + e + "." + t.sign(e)
}

func (t *team) sign(e string) string {
	mac := hmac.New(sha256.New, t.key)
	mac.Write([]byte("session|" + e))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func (t *team) validSession(v string) bool {
	parts := strings.Split(v, ".")
	if len(parts) != 3 || parts[0] != "v1" {
		return false
	}
	if !hmac.Equal([]byte(parts[2]), []byte(t.sign(parts[1]))) {
		return false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	return err == nil && t.o.Now().Unix() < exp
}

func (t *team) loginPage(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	secure(h, consoleCSP)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := t.login.Execute(w, struct{ Error string }{msg}); err != nil {
		t.o.Log.Warn("team console: write login page", "err", err)
	}
}

func (t *team) page(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	secure(h, consoleCSP)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.Write(consoleHTML)
}

// unansweredReport is the JSON of /team/api/unanswered.
type unansweredReport struct {
	Recording bool               `json:"recording"`
	Since     time.Time          `json:"since"`
	Total     int                `json:"total"`
	Read      int                `json:"read"`
	Groups    []unanswered.Group `json:"groups"`
}

func (t *team) report(w http.ResponseWriter, r *http.Request) (unansweredReport, bool) {
	rep := unansweredReport{Groups: []unanswered.Group{}}
	since := r.URL.Query().Get("since")
	if since == "" {
		since = "7d"
	}
	from, err := unanswered.ParseSince(since, t.o.Now())
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, "since: "+err.Error())
		return rep, false
	}
	rep.Since = from.UTC()
	if t.o.Unanswered == nil {
		return rep, true
	}
	rep.Recording = true
	total, err := t.o.Unanswered.Count(r.Context(), from)
	if err == nil {
		var entries []unanswered.Entry
		entries, err = t.o.Unanswered.Since(r.Context(), from, reportLimit)
		rep.Total, rep.Read = total, len(entries)
		if g := unanswered.GroupEntries(entries); g != nil {
			rep.Groups = g
		}
	}
	if err != nil {
		t.o.Log.Error("team console: read unanswered questions", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not read the unanswered questions")
		return rep, false
	}
	return rep, true
}

func (t *team) unanswered(w http.ResponseWriter, r *http.Request) {
	if rep, ok := t.report(w, r); ok {
		writeJSON(w, http.StatusOK, rep)
	}
}

// unansweredCSV writes the report as CSV, one group a line. Cells that a
// spreadsheet would take for a formula are prefixed with ' (OWASP's advice
// on CSV injection): the questions are anyone's text.
func (t *team) unansweredCSV(w http.ResponseWriter, r *http.Request) {
	rep, ok := t.report(w, r)
	if !ok {
		return
	}
	h := w.Header()
	secure(h, consoleCSP)
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="unanswered-since-%s.csv"`, rep.Since.Format("2006-01-02")))
	cw := csv.NewWriter(w)
	cw.Write([]string{"count", "question", "other wordings", "first asked", "last asked", "adapters"})
	for _, g := range rep.Groups {
		var others []string
		for _, wd := range g.Wordings[1:] {
			others = append(others, fmt.Sprintf("%s (%d)", wd.Text, wd.Count))
		}
		cw.Write([]string{
			strconv.Itoa(g.Count), cell(g.Example), cell(strings.Join(others, "; ")),
			g.First.UTC().Format(time.RFC3339), g.Last.UTC().Format(time.RFC3339), g.AdapterCounts("; "),
		})
	}
	cw.Flush()
}

func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (t *team) knowledge(w http.ResponseWriter, r *http.Request) {
	k := t.o.Knowledge()
	if k.Documents == nil {
		k.Documents = []Document{}
	}
	if k.Topics == nil {
		k.Topics = []Topic{}
	}
	if k.Problems == nil {
		k.Problems = []Problem{}
	}
	writeJSON(w, http.StatusOK, k)
}

// maxTry bounds the body of a tried question.
const maxTry = 16 << 10

func (t *team) try(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxTry)
	var req struct {
		Question string `json:"question"`
	}
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&req); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeJSONError(w, http.StatusRequestEntityTooLarge, "the question is too long")
			return
		}
		writeJSONError(w, http.StatusBadRequest, `send {"question": "..."}`)
		return
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		writeJSONError(w, http.StatusBadRequest, `send one JSON object, {"question": "..."}`)
		return
	}
	q := strings.TrimSpace(bot.Truncate(req.Question, bot.MaxQuestion))
	if q == "" {
		writeJSONError(w, http.StatusBadRequest, "type a question to try")
		return
	}
	writeJSON(w, http.StatusOK, explanation(t.o.Try.Explain(r.Context(), q)))
}

// sameOrigin refuses a state-changing request another site's page sent
// (the SameSite cookie already stops most). Browsers say where a request
// comes from in Sec-Fetch-Site; older ones in Origin, which is "null" under
// Referrer-Policy: no-referrer. Programs send neither.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return true
	case "":
	default:
		return false
	}
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	secure(h, consoleCSP)
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	_ = enc.Encode(v) // the client went away
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, struct {
		Error string `json:"error"`
	}{msg})
}
