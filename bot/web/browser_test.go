package web_test

// The pages driven in a real headless Chromium (chromedp). Locally the
// tests skip with a message when no Chromium is installed; in CI (CI set)
// they fail instead, so a missing install cannot pass as green.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/service"
	"github.com/careersbot/careersbot/bot/unanswered"
	"github.com/careersbot/careersbot/bot/web"
	"github.com/careersbot/careersbot/config"
)

var screenshots = flag.String("screenshots", "", "also write the pages' screenshots to this `directory` (../../docs to refresh the README's)")

const (
	teamToken = "team-token-0123456789abcdef"
	sourceURL = "https://www.healthcareers.nhs.uk/explore-roles/healthcare-science/careers-healthcare-science"
	tabBudget = 2 * time.Minute  // one test's whole browser session (generous: CI runs it under -race too)
	waitFor   = 10 * time.Second // one condition
)

// browser is one Chromium for the package; each test gets a fresh browser
// context (its own storage and cookies) in it.
var browser struct {
	once    sync.Once
	ctx     context.Context
	cancel  func()
	dataDir string
	err     error
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if browser.cancel != nil {
		browser.cancel()
	}
	if browser.dataDir != "" {
		os.RemoveAll(browser.dataDir)
	}
	os.Exit(code)
}

func chromiumPath() string {
	if p := os.Getenv("CAREERSBOT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func startBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("Chromium is not installed: CI must install it (.ci/browser.sh installs Debian's chromium)")
		}
		t.Skip("browser tests skipped: no Chromium found (apt-get install chromium, or set CAREERSBOT_CHROMIUM)")
	}
	browser.once.Do(func() {
		dir, err := os.MkdirTemp("", "careersbot-chromium-")
		if err != nil {
			browser.err = err
			return
		}
		browser.dataDir = dir
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("no-proxy-server", true),
			chromedp.UserDataDir(dir),
			chromedp.WindowSize(1280, 800),
		)
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, bcancel := chromedp.NewContext(actx)
		browser.ctx = bctx
		browser.cancel = func() { bcancel(); acancel() }
		// The first run on bctx starts the browser, tied to bctx: it must
		// not be a context that ends sooner.
		done := make(chan error, 1)
		go func() { done <- chromedp.Do(bctx) }()
		select {
		case browser.err = <-done:
		case <-time.After(chromiumStart):
			browser.err = fmt.Errorf("Chromium did not start within %v", chromiumStart)
		}
	})
	if browser.err != nil {
		t.Fatalf("start Chromium (%s): %v", path, browser.err)
	}
	return browser.ctx
}

// chromiumStart is how long the browser may take to start: on a machine
// busy with the other packages' tests, its first start has taken over 30s.
const chromiumStart = 90 * time.Second

// tab is one test's page, collecting exceptions and Content-Security-
// Policy reports: both fail the test.
type tab struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex // protects problems
	problems []string
}

func newTab(t *testing.T) *tab {
	t.Helper()
	bctx := startBrowser(t)
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	ctx, cancelT := context.WithTimeout(ctx, tabBudget)
	tb := &tab{t: t, ctx: ctx}
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	entries := chromedp.Events(ctx, log.EntryAdded)
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			msg := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
			tb.problem("exception: " + msg)
		}
	}()
	go func() {
		for ev, err := range entries {
			if err != nil {
				return
			}
			if e := ev.Entry; e != nil && (strings.Contains(e.Text, "Content Security Policy") || e.Level == log.EntryLevelError && e.Source == log.EntrySourceJavascript) {
				tb.problem(string(e.Source) + ": " + e.Text)
			}
		}
	}()
	t.Cleanup(func() {
		cancelT()
		cancel()
		tb.mu.Lock()
		defer tb.mu.Unlock()
		for _, p := range tb.problems {
			t.Errorf("browser reported %s", p)
		}
	})
	return tb
}

func (tb *tab) problem(p string) {
	tb.mu.Lock()
	tb.problems = append(tb.problems, p)
	tb.mu.Unlock()
}

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

// eval evaluates js and decodes its value into T.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// until waits for js to be truthy, evaluating it every 50 ms; errors
// while a page navigates are retried.
func (tb *tab) until(what, js string) {
	tb.t.Helper()
	deadline := time.Now().Add(waitFor)
	var err error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
		var ok bool
		ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+js+")"))
		cancel()
		if err == nil && ok {
			return
		}
		if tb.ctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	text, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 2000) : ''`))
	tb.t.Fatalf("waiting for %s (%s): not true after %s (last error %v)\npage text: %s", what, js, waitFor, err, text)
}

// screenshot saves the viewport at width (and a height of a phone or a
// laptop) under the test's temp dir, and under -screenshots when set.
func (tb *tab) screenshot(name string, width int64) {
	tb.t.Helper()
	height := int64(800)
	if width < 500 {
		height = 740
	}
	tb.do(chromedp.EmulateViewport(width, height))
	time.Sleep(150 * time.Millisecond) // let the layout settle
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	if len(png) < 1000 || string(png[1:4]) != "PNG" {
		tb.t.Fatalf("screenshot %s is not a PNG (%d bytes)", name, len(png))
	}
	file := fmt.Sprintf("%s-%d.png", name, width)
	dirs := []string{tb.t.TempDir()}
	if *screenshots != "" {
		dirs = append(dirs, *screenshots)
	}
	for _, dir := range dirs {
		if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
			tb.t.Fatal(err)
		}
	}
	tb.t.Logf("screenshot %s: %d bytes", file, len(png))
	tb.do(chromedp.EmulateViewport(1280, 800))
}

// stack is careersbot's runtime (bot/service, what `careersbot serve`
// runs) on 127.0.0.1, with the chat, the console and /v1/ask.
type stack struct {
	URL  string
	db   string
	stop func()
}

type stackOptions struct {
	pages   string // knowledge path; default the healthcare science page; "embedded" for the binary's own
	token   string
	origins []string
	burst   int            // rate limit burst, at 30 questions a minute (Retry-After: 2); 0 for no limit
	extra   bot.Middleware // runs inside the question log, before the limit and the recorder
}

func newStack(t *testing.T, o stackOptions) *stack {
	t.Helper()
	if o.pages == "" {
		o.pages = "testdata/pages/careers-in-healthcare-science.txt"
	}
	st := &stack{db: filepath.Join(t.TempDir(), "unanswered.db")}
	kb := []string{o.pages}
	if o.pages == "embedded" {
		kb = nil
	}
	so := service.Options{
		Addr:             "127.0.0.1:0",
		KB:               kb,
		Threshold:        config.DefaultThreshold,
		RecordUnanswered: true,
		UnansweredDB:     st.db,
		TeamToken:        o.token,
		AllowedOrigins:   o.origins,
		Intercept:        o.extra,
		Version:          "test",
	}
	if o.burst > 0 {
		so.RatePerMinute, so.RateBurst = 30, o.burst
	}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := service.New(ctx, so)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	var once sync.Once
	st.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("service: %v", err)
			}
		})
	}
	t.Cleanup(st.stop)
	st.URL = "http://" + svc.Addr().String()
	return st
}

// hostPage serves a page of another site (another port is another
// origin) that embeds the widget from st.
func hostPage(t *testing.T, st *stack) *httptest.Server {
	t.Helper()
	h := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A careers site</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Careers at a hospital trust</h1><p>The widget is at the bottom right.</p></main>
<script src="%s/widget.js" defer></script></body></html>`, st.URL)
	}))
	t.Cleanup(h.Close)
	return h
}

// reply is what the tests read of one bot message.
type reply struct {
	Text        string   `json:"text"`
	Unknown     bool     `json:"unknown"`
	Source      string   `json:"source"`
	Links       []link   `json:"links"`
	Suggestions []string `json:"suggestions"`
}

type link struct {
	Href   string `json:"href"`
	Text   string `json:"text"`
	Target string `json:"target"`
	Rel    string `json:"rel"`
}

// readReplies lists the bot's answers (not the welcome) under root, a JS
// expression for the chat's container.
const readReplies = `Array.from(%s.querySelectorAll('.cb-bot:not(.cb-welcome)')).map(function (m) {
  var src = m.querySelector('.cb-source');
  return {
    text: m.querySelector('.cb-text').textContent,
    unknown: m.classList.contains('cb-unknown'),
    source: src ? src.textContent : '',
    links: Array.from(m.querySelectorAll('a')).map(function (a) { return {href: a.getAttribute('href'), text: a.textContent, target: a.target, rel: a.rel}; }),
    suggestions: Array.from(m.querySelectorAll('.cb-suggestion')).map(function (b) { return b.textContent; })
  };
})`

func replies(tb *tab, root string) []reply {
	tb.t.Helper()
	raw := eval[[]byte](tb, fmt.Sprintf(readReplies, root))
	var out []reply
	if err := json.Unmarshal(raw, &out); err != nil {
		tb.t.Fatalf("read replies: %v (%s)", err, raw)
	}
	return out
}

// ask types q into the chat page and waits for reply number n (from 1).
func (tb *tab) ask(q string, n int) reply {
	tb.t.Helper()
	tb.do(
		chromedp.Evaluate[chromedp.Void](`document.getElementById('cb-question').value = ''`),
		chromedp.SendKeys(chromedp.ID("cb-question"), q),
		chromedp.Click(chromedp.CSS(".cb-send")),
	)
	tb.until(fmt.Sprintf("reply %d to %q", n, q), fmt.Sprintf(`document.querySelectorAll('#careersbot .cb-bot:not(.cb-welcome)').length >= %d`, n))
	r := replies(tb, "document.getElementById('careersbot')")
	return r[n-1]
}

func userMessages(tb *tab, root string) []string {
	return eval[[]string](tb, fmt.Sprintf(`Array.from(%s.querySelectorAll('.cb-user .cb-text')).map(function (p) { return p.textContent; })`, root))
}

func TestBrowserChat(t *testing.T) {
	slow := func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
			if strings.HasPrefix(m.Text, "slowly:") {
				time.Sleep(700 * time.Millisecond)
			}
			return next.Handle(ctx, m)
		})
	}
	st := newStack(t, stackOptions{extra: slow})
	tb := newTab(t)
	tb.do(chromedp.Navigate(st.URL + "/"))
	tb.until("the question box", `document.getElementById('cb-question') !== null`)

	t.Run("accessible", func(t *testing.T) {
		if got := eval[string](tb, `document.querySelector('label[for="cb-question"]').textContent`); got == "" {
			t.Error("the question box has no label")
		}
		if got := eval[string](tb, `document.querySelector('.cb-log').getAttribute('aria-live')`); got != "polite" {
			t.Errorf("conversation aria-live = %q, want polite", got)
		}
		if got := eval[string](tb, `document.activeElement.id`); got != "cb-question" {
			t.Errorf("focus starts on %q, want the question box", got)
		}
		if n := eval[int](tb, `document.querySelectorAll('.cb-welcome .cb-suggestion').length`); n == 0 {
			t.Error("the welcome shows no example questions")
		}
	})

	r := tb.ask("where do genetics staff work", 1)
	t.Run("answer with its source link", func(t *testing.T) {
		if !strings.Contains(r.Text, "specialist hospitals") || r.Unknown {
			t.Errorf("answer %+v, want the specialist hospitals sentence", r)
		}
		if len(r.Links) != 1 || r.Links[0].Href != sourceURL || r.Links[0].Target != "_blank" || !strings.Contains(r.Links[0].Rel, "noopener") {
			t.Errorf("source links %+v, want one to %s opening safely in a new tab", r.Links, sourceURL)
		}
		if !strings.Contains(r.Source, "Life sciences") {
			t.Errorf("source %q does not name the section", r.Source)
		}
		if got := userMessages(tb, "document"); len(got) != 1 || got[0] != "where do genetics staff work" {
			t.Errorf("user messages %q", got)
		}
		if got := eval[string](tb, `document.activeElement.id`); got != "cb-question" {
			t.Errorf("focus after asking is on %q, want the question box", got)
		}
	})
	tb.screenshot("chat", 1280)
	tb.screenshot("chat", 360)
	t.Run("no horizontal scroll at 360px", func(t *testing.T) {
		tb.do(chromedp.EmulateViewport(360, 740))
		defer tb.do(chromedp.EmulateViewport(1280, 800))
		if w := eval[int](tb, `document.documentElement.scrollWidth`); w > 360 {
			t.Errorf("page is %d px wide on a 360 px screen", w)
		}
	})

	t.Run("suggestion asks its question", func(t *testing.T) {
		if len(r.Suggestions) == 0 {
			t.Fatal("the answer has no suggestions")
		}
		tb.do(chromedp.Click(chromedp.JSPath(`document.querySelectorAll('#careersbot .cb-bot:not(.cb-welcome)')[0].querySelector('.cb-suggestion')`)))
		tb.until("the suggestion's answer", `document.querySelectorAll('#careersbot .cb-bot:not(.cb-welcome)').length >= 2`)
		users := userMessages(tb, "document")
		if len(users) != 2 || users[1] != r.Suggestions[0] {
			t.Errorf("after clicking %q the user messages are %q", r.Suggestions[0], users)
		}
		if got := replies(tb, "document")[1]; got.Unknown || got.Text == "" {
			t.Errorf("suggestion %q got %+v, want an answer", r.Suggestions[0], got)
		}
	})

	t.Run("follow-up keeps context across a reload", func(t *testing.T) {
		key := eval[string](tb, `sessionStorage.getItem('careersbot:conversation')`)
		if len(key) != 32 {
			t.Fatalf("conversation key %q, want 32 hex digits in sessionStorage", key)
		}
		tb.ask("tell me about genetics", 3)
		tb.do(chromedp.Reload())
		tb.until("the question box", `document.getElementById('cb-question') !== null`)
		if again := eval[string](tb, `sessionStorage.getItem('careersbot:conversation')`); again != key {
			t.Errorf("conversation key changed on reload: %q -> %q", key, again)
		}
		got := tb.ask("where do they work?", 1)
		if !strings.Contains(got.Text, "specialist hospitals") {
			t.Errorf("follow-up answered %q, want genetics' workplace", got.Text)
		}
	})

	t.Run("typing indicator while waiting", func(t *testing.T) {
		if !eval[bool](tb, `document.querySelector('.cb-typing').hidden`) {
			t.Fatal("typing indicator shown while idle")
		}
		// Enter in the question box sends it, as a keyboard user expects.
		tb.do(chromedp.SendKeys(chromedp.ID("cb-question"), "slowly: what is genetics"+kb.Enter))
		tb.until("the typing indicator", `!document.querySelector('.cb-typing').hidden && document.querySelector('[role=status]').textContent.indexOf('typing') >= 0`)
		tb.until("the slow answer", `document.querySelectorAll('#careersbot .cb-bot:not(.cb-welcome)').length >= 2`)
		if !eval[bool](tb, `document.querySelector('.cb-typing').hidden`) {
			t.Error("typing indicator still shown after the answer")
		}
	})

	t.Run("honest I don't know with suggestions", func(t *testing.T) {
		got := tb.ask("what is the weather in Leeds tomorrow", 3)
		if !got.Unknown || got.Text == "" {
			t.Errorf("reply %+v, want an I-don't-know", got)
		}
		if len(got.Suggestions) == 0 {
			t.Error("the I-don't-know has no suggestions")
		}
		if len(got.Links) != 0 {
			t.Errorf("an I-don't-know cites %+v", got.Links)
		}
	})
}

// TestBrowserEmbeddedPage is serve with no settings: the chat answers from
// the page embedded in the binary.
func TestBrowserEmbeddedPage(t *testing.T) {
	st := newStack(t, stackOptions{pages: "embedded"})
	tb := newTab(t)
	tb.do(chromedp.Navigate(st.URL + "/"))
	tb.until("the question box", `document.getElementById('cb-question') !== null`)
	r := tb.ask("wher do genetcis staff work", 1)
	if !strings.Contains(r.Text, "specialist hospitals") || !strings.Contains(r.Source, "Careers in healthcare science") {
		t.Errorf("reply %+v, want the embedded page's answer and source", r)
	}
	for _, l := range r.Links {
		if !strings.HasPrefix(l.Href, "https://") && !strings.HasPrefix(l.Href, "http://") {
			t.Errorf("source link %q", l.Href)
		}
	}
}

func TestBrowserErrors(t *testing.T) {
	t.Run("rate limited", func(t *testing.T) {
		st := newStack(t, stackOptions{burst: 1})
		tb := newTab(t)
		tb.do(chromedp.Navigate(st.URL + "/"))
		tb.until("the question box", `document.getElementById('cb-question') !== null`)
		tb.ask("what is genetics", 1)
		tb.do(
			chromedp.SendKeys(chromedp.ID("cb-question"), "where do genetics staff work"),
			chromedp.Click(chromedp.CSS(".cb-send")),
		)
		tb.until("the rate-limit message", `!document.querySelector('.cb-error').hidden`)
		msg := eval[string](tb, `document.querySelector('.cb-error-text').textContent`)
		if !strings.Contains(msg, "wait 2 seconds") {
			t.Errorf("rate-limit message %q, want it to say how long to wait (Retry-After: 2)", msg)
		}
		if !eval[bool](tb, `document.querySelector('.cb-send').disabled`) {
			t.Error("Send is not disabled while the user must wait")
		}
		tb.until("Send enabled again", `!document.querySelector('.cb-send').disabled`)
	})

	t.Run("server error", func(t *testing.T) {
		boom := func(next bot.Handler) bot.Handler {
			return bot.HandlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
				if m.Text == "break the server" {
					panic("a bug in answering")
				}
				return next.Handle(ctx, m)
			})
		}
		st := newStack(t, stackOptions{extra: boom})
		tb := newTab(t)
		tb.do(chromedp.Navigate(st.URL + "/"))
		tb.until("the question box", `document.getElementById('cb-question') !== null`)
		tb.do(
			chromedp.SendKeys(chromedp.ID("cb-question"), "break the server"),
			chromedp.Click(chromedp.CSS(".cb-send")),
		)
		tb.until("the error message", `!document.querySelector('.cb-error').hidden`)
		if msg := eval[string](tb, `document.querySelector('.cb-error-text').textContent`); !strings.Contains(msg, "went wrong on the server") {
			t.Errorf("error %q, want it to say the server failed", msg)
		}
		// The next question is answered as usual.
		if r := tb.ask("where do genetics staff work", 1); !strings.Contains(r.Text, "specialist hospitals") {
			t.Errorf("after the error: %+v", r)
		}
		if !eval[bool](tb, `document.querySelector('.cb-error').hidden`) {
			t.Error("the error stays after a good answer")
		}
	})

	t.Run("server unreachable", func(t *testing.T) {
		st := newStack(t, stackOptions{})
		tb := newTab(t)
		tb.do(chromedp.Navigate(st.URL + "/"))
		tb.until("the question box", `document.getElementById('cb-question') !== null`)
		st.stop()
		tb.do(
			chromedp.SendKeys(chromedp.ID("cb-question"), "where do genetics staff work"),
			chromedp.Click(chromedp.CSS(".cb-send")),
		)
		tb.until("the error message", `!document.querySelector('.cb-error').hidden`)
		msg := eval[string](tb, `document.querySelector('.cb-error-text').textContent`)
		if !strings.Contains(msg, "can't be reached") {
			t.Errorf("error %q, want it to say the server cannot be reached", msg)
		}
		if eval[bool](tb, `document.querySelector('.cb-retry').hidden`) {
			t.Error("no Try again button")
		}
		if !eval[bool](tb, `document.querySelector('.cb-typing').hidden`) {
			t.Error("typing indicator left on after the error")
		}
		// A failed fetch is logged by Chromium itself; that is expected here.
		tb.mu.Lock()
		tb.problems = nil
		tb.mu.Unlock()
	})
}

const shadow = `document.getElementById('careersbot-widget').shadowRoot`

func TestBrowserWidget(t *testing.T) {
	// The host page's origin is only known once it listens: start it on a
	// listener of its own first.
	allowedHost := httptest.NewUnstartedServer(nil)
	origin := "http://" + allowedHost.Listener.Addr().String()
	st := newStack(t, stackOptions{origins: []string{origin}})
	page := hostPage(t, st)
	allowedHost.Config.Handler = page.Config.Handler
	allowedHost.Start()
	t.Cleanup(allowedHost.Close)

	openAndAsk := func(tb *tab, url, q string) {
		tb.t.Helper()
		tb.do(chromedp.Navigate(url))
		tb.until("the widget's button", `document.getElementById('careersbot-widget') && `+shadow+`.querySelector('.cb-launcher') !== null && !`+shadow+`.querySelector('.cb-widget').hidden`)
		if !eval[bool](tb, shadow+`.querySelector('.cb-panel').hidden`) {
			tb.t.Error("the panel is open before the button is pressed")
		}
		tb.do(chromedp.Click(chromedp.JSPath(shadow + `.querySelector('.cb-launcher')`)))
		tb.until("the open panel", `!`+shadow+`.querySelector('.cb-panel').hidden`)
		if got := eval[string](tb, shadow+`.activeElement ? `+shadow+`.activeElement.id : ''`); got != "cbw-question" {
			tb.t.Errorf("focus on opening is on %q, want the question box", got)
		}
		tb.do(
			chromedp.SendKeys(chromedp.JSPath(shadow+`.getElementById('cbw-question')`), q),
			chromedp.Click(chromedp.JSPath(shadow+`.querySelector('.cb-send')`)),
		)
	}

	t.Run("allowed origin", func(t *testing.T) {
		tb := newTab(t)
		openAndAsk(tb, allowedHost.URL, "where do genetics staff work")
		tb.until("the widget's answer", shadow+`.querySelectorAll('.cb-bot:not(.cb-welcome)').length >= 1`)
		r := replies(tb, shadow)[0]
		if !strings.Contains(r.Text, "specialist hospitals") || len(r.Links) != 1 || r.Links[0].Href != sourceURL {
			t.Errorf("widget reply %+v", r)
		}
		if eval[string](tb, `location.origin`) == st.URL {
			t.Fatal("the host page is on careersbot's own origin; the test proves nothing")
		}
		if n := eval[int](tb, `document.querySelectorAll('.cb-msg').length`); n != 0 {
			t.Errorf("%d chat elements leaked out of the shadow root into the host page", n)
		}
		tb.screenshot("widget", 360)
		tb.do(chromedp.KeyEvent("\x1b")) // Escape closes the panel
		tb.until("the panel to close", shadow+`.querySelector('.cb-panel').hidden`)
	})

	t.Run("origin not allowed", func(t *testing.T) {
		tb := newTab(t)
		openAndAsk(tb, page.URL, "where do genetics staff work")
		tb.until("the error message", `!`+shadow+`.querySelector('.cb-error').hidden`)
		if n := eval[int](tb, shadow+`.querySelectorAll('.cb-bot:not(.cb-welcome)').length`); n != 0 {
			t.Errorf("a page on an origin not allowed read %d answers", n)
		}
		tb.mu.Lock()
		tb.problems = nil // Chromium logs the refused CORS request itself
		tb.mu.Unlock()
	})
}

// xss are questions and replies that would run script if inserted as
// HTML; each sets a window.__xss variable when it runs.
var xss = []string{
	`<img src=x onerror="window.__xss=1">`,
	`<script>window.__xss=2</script>`,
	`<a href="javascript:window.__xss=3">click</a>`,
}

// inert checks that nothing in the page ran or became markup.
const inert = `(function () {
  var bad = [];
  ['__xss', '__xssPage', '__xssSource'].forEach(function (k) { if (window[k] !== undefined) { bad.push(k + '=' + window[k]); } });
  var roots = [document];
  var w = document.getElementById('careersbot-widget');
  if (w && w.shadowRoot) { roots.push(w.shadowRoot); }
  roots.forEach(function (r) {
    r.querySelectorAll('main img, main script, .cb-log img, .cb-log script, [onerror], [onclick]').forEach(function (e) { bad.push('element ' + e.outerHTML.slice(0, 80)); });
    r.querySelectorAll('a').forEach(function (a) {
      var h = a.getAttribute('href') || '';
      if (!/^(https?:|#|\/)/.test(h)) { bad.push('link ' + h); }
    });
  });
  return bad;
})()`

func TestBrowserXSS(t *testing.T) {
	crafted := func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
			if m.Text != "show me a crafted reply" {
				return next.Handle(ctx, m)
			}
			return bot.Reply{
				Answered: true, Intent: "overview", Text: xss[0], Confidence: 1,
				Sources:     []bot.Source{{Document: xss[1], Section: xss[2], URL: "javascript:window.__xss=4"}},
				Suggestions: []string{xss[0], xss[2]},
			}
		})
	}
	st := newStack(t, stackOptions{pages: "testdata/pages", token: teamToken, extra: crafted})
	tb := newTab(t)
	tb.do(chromedp.Navigate(st.URL + "/"))
	tb.until("the question box", `document.getElementById('cb-question') !== null`)

	n := 0
	for _, q := range xss {
		n++
		tb.ask(q, n)
	}
	if got := userMessages(tb, "document"); strings.Join(got, "|") != strings.Join(xss, "|") {
		t.Errorf("questions shown as %q, want their text as typed", got)
	}
	// Answers quoting the prank page's markup: it must arrive as text. (Which
	// sentence the engine quotes is its own business; at least one of
	// these quotes the markup.)
	var quoted []string
	for _, q := range []string{"what do stagecraft staff write", "where do stagecraft staff work"} {
		n++
		r := tb.ask(q, n)
		if len(r.Links) != 0 {
			t.Errorf("%q: the page's markup became links: %+v", q, r.Links)
		}
		quoted = append(quoted, r.Text)
	}
	if all := strings.Join(quoted, "\n"); !strings.Contains(all, "<script>") && !strings.Contains(all, "<img") && !strings.Contains(all, "javascript:") {
		t.Errorf("no answer quoted the prank page's markup, so the test proves nothing: %q", quoted)
	}
	n++
	c := tb.ask("show me a crafted reply", n)
	if c.Text != xss[0] || len(c.Links) != 0 || !strings.Contains(c.Source, xss[1]) {
		t.Errorf("crafted reply shown as %+v; want its text as text and its javascript: source as no link", c)
	}
	if strings.Join(c.Suggestions, "|") != xss[0]+"|"+xss[2] {
		t.Errorf("crafted suggestions shown as %q", c.Suggestions)
	}
	if bad := eval[[]string](tb, inert); len(bad) > 0 {
		t.Errorf("chat page: markup from questions or answers came alive: %q", bad)
	}

	// The console shows the same text: unanswered questions, pages, tried
	// answers.
	login(t, tb, st)
	tb.until("the XSS question among the unanswered", `(function () {
	  var cells = Array.from(document.querySelectorAll('#unanswered-table .tc-question')).map(function (c) { return c.textContent; });
	  if (cells.indexOf(`+jsString(xss[1])+`) < 0) { document.querySelector('#since-form button').click(); return false; }
	  return true;
	})()`)
	tb.do(
		chromedp.SendKeys(chromedp.ID("try-question"), "what do stagecraft staff write"),
		chromedp.Click(chromedp.CSS("#try-form button")),
	)
	tb.until("the tried answer", `document.querySelector('#try-result .tc-answer-text') !== null`)
	if got := eval[string](tb, `document.querySelector('#try-result .tc-answer-text').textContent`); !strings.Contains(got, "<") {
		t.Errorf("tried answer %q, want the page's markup as text", got)
	}
	tb.until("the pages list", `document.querySelectorAll('#kb-documents tbody tr').length >= 2`)
	if text := eval[string](tb, `document.getElementById('kb-problems').innerText`); !strings.Contains(text, "warning") || !strings.Contains(text, "Stage lighting") {
		t.Errorf("problems list %q, want the prank page's warning", text)
	}
	if bad := eval[[]string](tb, inert); len(bad) > 0 {
		t.Errorf("console: markup from questions or pages came alive: %q", bad)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// login opens /team, checks it refuses without the token, and logs in.
func login(t *testing.T, tb *tab, st *stack) {
	t.Helper()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(st.URL+"/team"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusUnauthorized {
		t.Errorf("GET /team without the token: %d, want 401", resp.Status)
	}
	tb.until("the login form", `document.getElementById('token') !== null`)
	tb.do(
		chromedp.SendKeys(chromedp.ID("token"), "not-the-token-at-all"),
		chromedp.Submit(chromedp.ID("token")),
	)
	tb.until("the wrong-token message", `document.getElementById('login-error') !== null`)
	if msg := eval[string](tb, `document.getElementById('login-error').textContent`); !strings.Contains(msg, "not the team token") {
		t.Errorf("wrong token message %q", msg)
	}
	tb.do(
		chromedp.SendKeys(chromedp.ID("token"), teamToken),
		chromedp.Submit(chromedp.ID("token")),
	)
	tb.until("the console", `document.getElementById('unanswered-table') !== null`)
	if c := eval[string](tb, `document.cookie`); strings.Contains(c, web.CookieName) {
		t.Errorf("the session cookie is readable from script: %q", c)
	}
	if strings.Contains(eval[string](tb, `document.documentElement.outerHTML`), teamToken) {
		t.Error("the console page shows the token")
	}
}

func TestBrowserConsole(t *testing.T) {
	st := newStack(t, stackOptions{token: teamToken})
	tb := newTab(t)
	tb.do(chromedp.Navigate(st.URL + "/"))
	tb.until("the question box", `document.getElementById('cb-question') !== null`)
	q := "how much do genetics staff earn in their first year"
	if r := tb.ask(q, 1); !r.Unknown {
		t.Fatalf("%q was answered (%q); the test needs a question the pages do not answer", q, r.Text)
	}

	login(t, tb, st)
	t.Run("lists the question asked a moment before", func(t *testing.T) {
		tb.until("the question among the unanswered", `(function () {
		  var cells = Array.from(document.querySelectorAll('#unanswered-table .tc-question')).map(function (c) { return c.textContent; });
		  if (cells.indexOf(`+jsString(q)+`) < 0) { document.querySelector('#since-form button').click(); return false; }
		  return true;
		})()`)
		if got := eval[string](tb, `document.querySelector('#unanswered-table tbody tr .tc-count').textContent`); got != "1" {
			t.Errorf("count %q, want 1", got)
		}
		if href := eval[string](tb, `document.getElementById('csv').getAttribute('href')`); href != "/team/unanswered.csv?since=7d" {
			t.Errorf("CSV link %q", href)
		}
	})
	t.Run("knowledge base", func(t *testing.T) {
		tb.until("the pages list", `document.querySelectorAll('#kb-documents tbody tr').length >= 1`)
		text := eval[string](tb, `document.getElementById('knowledge').innerText`)
		for _, want := range []string{"Careers in healthcare science", "genetics", "No problems found", sourceURL} {
			if !strings.Contains(text, want) {
				t.Errorf("knowledge section lacks %q:\n%s", want, text)
			}
		}
	})
	t.Run("fits a 360 px phone", func(t *testing.T) {
		tb.do(chromedp.EmulateViewport(360, 740))
		defer tb.do(chromedp.EmulateViewport(1280, 800))
		if w := eval[int](tb, `document.documentElement.scrollWidth`); w > 360 {
			t.Errorf("console is %d px wide on a 360 px screen", w)
		}
	})
	t.Run("try a question", func(t *testing.T) {
		tb.do(
			chromedp.SendKeys(chromedp.ID("try-question"), "where do genetics staff work"),
			chromedp.Click(chromedp.CSS("#try-form button")),
		)
		tb.until("the tried answer", `document.querySelector('#try-result .tc-answer-text') !== null`)
		text := eval[string](tb, `document.getElementById('try-result').innerText`)
		for _, want := range []string{"specialist hospitals", "Confidence", "location", "genetics", "Answer type", "Section"} {
			if !strings.Contains(text, want) {
				t.Errorf("try result lacks %q:\n%s", want, text)
			}
		}
	})
	tb.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	tb.screenshot("console", 1280)
	tb.screenshot("console", 360)
	t.Run("log out", func(t *testing.T) {
		tb.do(chromedp.Click(chromedp.CSS(".tc-logout button")))
		tb.until("the login form again", `document.getElementById('token') !== null`)
	})
	// The team's tries are not recorded as unanswered questions.
	st.stop()
	store, err := unanswered.Open(context.Background(), st.db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	n, err := store.Count(context.Background(), time.Time{})
	if err != nil || n != 1 {
		t.Errorf("unanswered log holds %d questions (%v), want only the one asked in the chat", n, err)
	}
}

// axePath is axe-core, installed by `npm ci --prefix bot/web/testdata/axe`
// (.ci/browser.sh does it).
const axePath = "testdata/axe/node_modules/axe-core/axe.min.js"

// axeRun checks the page in tb with axe-core against WCAG 2.1 A and AA
// and returns the violations, one line each.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
  .then(function (r) {
    return r.violations.map(function (v) {
      return v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map(function (n) { return JSON.stringify(n.target); }).join(', ');
    });
  })`

func (tb *tab) accessible(page string, axe string) {
	tb.t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		tb.t.Fatalf("load axe-core into %s: %v", page, err)
	}
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("axe on %s: %v", page, err)
	}
	for _, line := range v {
		tb.t.Errorf("%s: %s", page, line)
	}
}

// TestBrowserAccessibility runs axe-core (WCAG 2.1 A and AA, and axe's
// best practices) on each page in its states: the chat with an answer and
// an error, the widget open on another site, the login form and the
// console with a tried question. It checks labels, names, roles, contrast,
// landmarks and the like; the other browser tests check focus and
// aria-live by hand.
func TestBrowserAccessibility(t *testing.T) {
	src, err := os.ReadFile(axePath)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core is not installed (%v): CI must run npm ci --prefix bot/web/testdata/axe (.ci/browser.sh)", err)
		}
		t.Skipf("accessibility checks skipped: axe-core not installed (npm ci --prefix bot/web/testdata/axe)")
	}
	axe := string(src)
	allowedHost := httptest.NewUnstartedServer(nil)
	origin := "http://" + allowedHost.Listener.Addr().String()
	st := newStack(t, stackOptions{token: teamToken, origins: []string{origin}, burst: 3})
	page := hostPage(t, st)
	allowedHost.Config.Handler = page.Config.Handler
	allowedHost.Start()
	t.Cleanup(allowedHost.Close)

	tb := newTab(t)
	tb.do(chromedp.Navigate(st.URL + "/"))
	tb.until("the question box", `document.getElementById('cb-question') !== null`)
	tb.accessible("chat page, empty", axe)
	tb.ask("where do genetics staff work", 1)
	tb.ask("what is the weather in Leeds tomorrow", 2)
	tb.accessible("chat page with answers", axe)
	for _, w := range []int64{360, 1280} {
		tb.do(chromedp.EmulateViewport(w, 740))
		tb.accessible(fmt.Sprintf("chat page at %d px", w), axe)
	}
	tb.do(chromedp.EmulateViewport(1280, 800))
	// Over the limit (burst 3): the error message and the disabled button.
	tb.do(
		chromedp.SendKeys(chromedp.ID("cb-question"), "what is genetics"),
		chromedp.Click(chromedp.CSS(".cb-send")),
	)
	tb.ask("where do they work", 3)
	tb.do(
		chromedp.SendKeys(chromedp.ID("cb-question"), "and who with"),
		chromedp.Click(chromedp.CSS(".cb-send")),
	)
	tb.until("the rate-limit message", `!document.querySelector('.cb-error').hidden`)
	tb.accessible("chat page with an error", axe)

	tb.do(chromedp.Navigate(allowedHost.URL))
	tb.until("the widget's button", `document.getElementById('careersbot-widget') && `+shadow+`.querySelector('.cb-launcher') !== null && !`+shadow+`.querySelector('.cb-widget').hidden`)
	tb.accessible("widget closed", axe)
	tb.do(chromedp.Click(chromedp.JSPath(shadow + `.querySelector('.cb-launcher')`)))
	tb.until("the open panel", `!`+shadow+`.querySelector('.cb-panel').hidden`)
	tb.accessible("widget open", axe)

	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(st.URL+"/team"))
	if err != nil || resp.Status != http.StatusUnauthorized {
		t.Fatalf("GET /team: %v %v", resp, err)
	}
	tb.until("the login form", `document.getElementById('token') !== null`)
	tb.accessible("console login", axe)
	tb.do(
		chromedp.SendKeys(chromedp.ID("token"), teamToken),
		chromedp.Submit(chromedp.ID("token")),
	)
	tb.until("the console", `document.querySelectorAll('#kb-documents tbody tr').length >= 1 && document.querySelectorAll('#unanswered-table tbody tr').length >= 1`)
	tb.do(
		chromedp.SendKeys(chromedp.ID("try-question"), "where do genetics staff work"),
		chromedp.Click(chromedp.CSS("#try-form button")),
	)
	tb.until("the tried answer", `document.querySelector('#try-result .tc-answer-text') !== null`)
	for _, w := range []int64{360, 1280} {
		tb.do(chromedp.EmulateViewport(w, 800))
		tb.accessible(fmt.Sprintf("console at %d px", w), axe)
	}
}
