package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed assets
var assetFS embed.FS

// asset is one embedded file served under /assets/.
type asset struct {
	body  []byte
	ctype string
	etag  string
	cross bool // loadable by pages of other origins (the widget's stylesheet)
}

// served lists the files of assets/ served as they are, under /assets/.
// The chat scripts are put together per request (chat.js, widget.js) and
// the HTML pages have handlers of their own.
var served = map[string]bool{
	"chat.css":    true,
	"console.css": true,
	"console.js":  true,
}

func loadAssets() (map[string]asset, error) {
	out := map[string]asset{}
	for name := range served {
		b, err := fs.ReadFile(assetFS, "assets/"+name)
		if err != nil {
			return nil, fmt.Errorf("web: embedded asset %s: %w", name, err)
		}
		out[name] = newAsset(b, mime.TypeByExtension(path.Ext(name)), name == "chat.css")
	}
	out["chat.html"] = newAsset(chatHTML, "text/html; charset=utf-8", false)
	return out, nil
}

func newAsset(b []byte, ctype string, cross bool) asset {
	sum := sha256.Sum256(b)
	if strings.HasPrefix(ctype, "text/") && !strings.Contains(ctype, "charset") {
		ctype += "; charset=utf-8"
	}
	return asset{body: b, ctype: ctype, etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`, cross: cross}
}

func mustRead(name string) []byte {
	b, err := fs.ReadFile(assetFS, "assets/"+name)
	if err != nil {
		panic("web: embedded asset missing: " + name) // a build mistake, caught by every test
	}
	return b
}

// The chat's scripts: one shared core, and a start for the page and one
// for the widget, each wrapped with the intro into one closure so nothing
// leaks into a host page's globals.
var (
	chatCore    = mustRead("chat-core.js")
	chatPage    = mustRead("chat-page.js")
	chatWidget  = mustRead("chat-widget.js")
	chatHTML    = mustRead("chat.html")
	consoleHTML = mustRead("console.html")
)

// script puts together the closure: the intro as JSON (json.Marshal
// escapes <, > and & and the line separators, so no text can end the
// script or the string), the core, then start.
func (p *Pages) script(start []byte) asset {
	intro := p.o.Intro()
	if intro.Examples == nil {
		intro.Examples = []string{}
	}
	j, err := json.Marshal(intro)
	if err != nil {
		j = []byte(`{"subject":"","examples":[]}`)
	}
	var b bytes.Buffer
	b.WriteString("// careersbot chat: plain JavaScript, no dependencies.\n(function () {\n'use strict';\nvar INTRO = ")
	b.Write(j)
	b.WriteString(";\n")
	b.Write(chatCore)
	b.WriteString("\n")
	b.Write(start)
	b.WriteString("\n}());\n")
	return newAsset(b.Bytes(), "text/javascript; charset=utf-8", true)
}

// serve writes a with its validators, answering If-None-Match with 304.
// The widget's files may be read by the allowed origins' pages (CORS),
// which tools such as accessibility checkers do with stylesheets.
func (p *Pages) serve(w http.ResponseWriter, r *http.Request, a asset, policy string) {
	h := w.Header()
	secure(h, policy)
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "no-cache")
	if a.cross {
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Add("Vary", "Origin")
		if o := r.Header.Get("Origin"); o != "" && p.allowed(o) {
			h.Set("Access-Control-Allow-Origin", o)
		}
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}

func (p *Pages) asset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	switch name {
	case "chat.js":
		p.serve(w, r, p.script(chatPage), p.chatCSP)
		return
	}
	a, ok := p.static[name]
	if !ok || !served[name] {
		notFound(w)
		return
	}
	p.serve(w, r, a, p.chatCSP)
}

func (p *Pages) chatPage(w http.ResponseWriter, r *http.Request) {
	p.serve(w, r, p.static["chat.html"], p.chatCSP)
}

func (p *Pages) widget(w http.ResponseWriter, r *http.Request) {
	p.serve(w, r, p.script(chatWidget), p.chatCSP)
}

// allowed reports whether origin is one of the allowed origins.
func (p *Pages) allowed(origin string) bool {
	for _, o := range p.o.AllowedOrigins {
		if strings.EqualFold(o, origin) {
			return true
		}
	}
	return false
}

func notFound(w http.ResponseWriter) {
	h := w.Header()
	secure(h, csp("'none'"))
	h.Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprintln(w, "not found")
}
