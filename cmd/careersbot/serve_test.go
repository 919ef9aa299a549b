package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/careersbot/careersbot/internal/testutil"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/service"
	"github.com/careersbot/careersbot/bot/unanswered"
	"github.com/careersbot/careersbot/config"
	"github.com/careersbot/careersbot/knowledge"
)

// A page in the style of the seed, and a second one.
const (
	pageGenetics = "NHS Careers > Healthcare science > Genetics\n\nCareers in genetics\n\nGenetics\n\n" +
		"Genetics staff are often based in specialist hospitals.\n\nFind out more about careers in genetics\n"
	pageHearing = "NHS Careers > Healthcare science > Audiology\n\nCareers in audiology\n\nAudiology\n\n" +
		"Audiologists test hearing and balance and work with patients of all ages.\n"
)

// fakeLoad stands in for knowledge.Load while the lead engineer's loader is
// not built: one document per file, and the errors SPEC section 1 asks for
// (empty, binary, unreadable files).
func fakeLoad(paths []string) (*knowledge.Base, error) {
	b := &knowledge.Base{}
	for _, root := range paths {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			switch {
			case len(bytes.TrimSpace(data)) == 0:
				return fmt.Errorf("%s: empty file", path)
			case bytes.IndexByte(data, 0) >= 0:
				return fmt.Errorf("%s: binary file", path)
			}
			b.Documents = append(b.Documents, &knowledge.Document{Path: path, Title: filepath.Base(path)})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(b.Documents) == 0 {
		return nil, errors.New("no documents")
	}
	return b, nil
}

// testLoader is knowledge.Load when it can load a page in the seed's style,
// and fakeLoad until then. Either way a good file is one document and an
// empty file is an error.
func testLoader(t testing.TB) func([]string) (*knowledge.Base, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "probe.txt")
	if err := os.WriteFile(p, []byte(pageGenetics), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := knowledge.Load(p); err == nil && len(b.Documents) == 1 {
		return service.LoadBase
	}
	return fakeLoad
}

// served is a serve started in-process by startServe.
type served struct {
	url     string
	stderr  *testutil.SyncBuffer
	cancel  context.CancelFunc
	done    chan error
	reloads chan error
	db      string
}

// startServe runs `careersbot serve args...` through Main.Run on
// 127.0.0.1:0 with env as the environment, and waits until it listens.
func startServe(t *testing.T, env map[string]string, hooks *serveHooks, args ...string) *served {
	t.Helper()
	dir := t.TempDir()
	s := &served{stderr: &testutil.SyncBuffer{}, done: make(chan error, 1), reloads: make(chan error, 16),
		db: filepath.Join(dir, "unanswered.db")}
	full := map[string]string{"CAREERSBOT_ADDR": "127.0.0.1:0", "CAREERSBOT_UNANSWERED_DB": s.db}
	for k, v := range env {
		full[k] = v
	}
	if hooks == nil {
		hooks = &serveHooks{}
	}
	if hooks.loadBase == nil {
		hooks.loadBase = testLoader(t)
	}
	ready := make(chan net.Addr, 1)
	hooks.ready = func(a net.Addr) { ready <- a }
	hooks.reloaded = func(err error) { s.reloads <- err }
	ctx, cancel := context.WithCancel(withServeHooks(context.Background(), hooks))
	s.cancel = cancel
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: s.stderr, Getenv: func(k string) string { return full[k] }}
	go func() { s.done <- m.Run(ctx, append([]string{"serve"}, args...)) }()
	select {
	case a := <-ready:
		s.url = "http://" + a.String()
	case err := <-s.done:
		cancel()
		t.Fatalf("serve stopped before listening: %v\n%s", err, s.stderr)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatalf("serve did not start\n%s", s.stderr)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
	})
	return s
}

// stop cancels serve's context (SIGINT/SIGTERM) and returns its result.
func (s *served) stop(t *testing.T) error {
	t.Helper()
	s.cancel()
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return within 10 s of shutdown")
		return nil
	}
}

// waitReload waits for the next reload attempt.
func (s *served) waitReload(t *testing.T) error {
	t.Helper()
	select {
	case err := <-s.reloads:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("no reload\n%s", s.stderr)
		return nil
	}
}

func request(t *testing.T, method, url, body string) (*http.Response, []byte) {
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

// metric returns the value of one sample line of /metrics (0 if absent).
func metric(t *testing.T, url, sample string) float64 {
	t.Helper()
	_, body := request(t, "GET", url+"/metrics", "")
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sample) + ` (\S+)$`)
	m := re.FindSubmatch(body)
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func health(t *testing.T, url string) map[string]any {
	t.Helper()
	resp, body := request(t, "GET", url+"/healthz", "")
	if resp.StatusCode != 200 {
		t.Fatalf("healthz %d %s", resp.StatusCode, body)
	}
	var h map[string]any
	if err := json.Unmarshal(body, &h); err != nil {
		t.Fatal(err)
	}
	return h
}

func writeKB(t *testing.T, path, body string) {
	t.Helper()
	// Write then rename, as editors and deploy tools do.
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func TestServeEndpoints(t *testing.T) {
	kb := filepath.Join(t.TempDir(), "genetics.txt")
	writeKB(t, kb, pageGenetics)
	s := startServe(t, nil, nil, "--kb", kb)

	t.Run("healthz", func(t *testing.T) {
		h := health(t, s.url)
		if h["status"] != "ok" || h["documents"] != 1.0 || h["version"] != version() {
			t.Errorf("healthz = %v", h)
		}
		if _, ok := h["load_time_seconds"].(float64); !ok {
			t.Errorf("no load time: %v", h)
		}
		if at, _ := h["loaded_at"].(string); at == "" {
			t.Errorf("no loaded_at: %v", h)
		}
	})

	asks := []struct {
		name, body string
		status     int
	}{
		{"question", `{"question":"where do genetics staff work"}`, 200},
		{"conversation", `{"question":"tell me about genetics","conversation":"t1"}`, 200},
		{"follow-up", `{"question":"where do they work?","conversation":"t1"}`, 200},
		{"long question", `{"question":"` + strings.Repeat("genetics ", 1000) + `"}`, 200},
		{"bad json", `{"question":`, 400},
		{"empty question", `{"question":""}`, 400},
		{"too large", `{"question":"` + strings.Repeat("x", 70<<10) + `"}`, 413},
	}
	for _, tc := range asks {
		t.Run("ask "+tc.name, func(t *testing.T) {
			resp, body := request(t, "POST", s.url+"/v1/ask", tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %.200s", resp.StatusCode, tc.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			var got map[string]any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if tc.status != 200 {
				if msg, _ := got["error"].(string); msg == "" {
					t.Errorf("no error message: %s", body)
				}
				return
			}
			for _, k := range []string{"question", "answered", "intent", "topic", "answer", "confidence", "sources", "suggestions"} {
				if _, ok := got[k]; !ok {
					t.Errorf("reply lacks %q", k)
				}
			}
			if q, _ := got["question"].(string); len([]rune(q)) > bot.MaxQuestion {
				t.Errorf("question not cut to %d characters: %d", bot.MaxQuestion, len([]rune(q)))
			}
		})
	}

	t.Run("metrics", func(t *testing.T) {
		resp, body := request(t, "GET", s.url+"/metrics", "")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		for _, name := range []string{"careersbot_questions_total", "careersbot_answer_duration_seconds_bucket",
			"careersbot_knowledge_reloads_total", "careersbot_knowledge_reload_failures_total",
			"careersbot_knowledge_documents 1", "careersbot_build_info", "careersbot_unanswered_recorded_total"} {
			if !bytes.Contains(body, []byte(name)) {
				t.Errorf("metrics lack %s", name)
			}
		}
		if n := metric(t, s.url, `careersbot_answer_duration_seconds_count{adapter="http"}`); n != 4 {
			t.Errorf("answer count %v, want 4 (the good asks)", n)
		}
		total := 0.0
		for _, line := range strings.Split(string(body), "\n") {
			if strings.HasPrefix(line, `careersbot_questions_total{adapter="http"`) {
				f := strings.Fields(line)
				v, _ := strconv.ParseFloat(f[len(f)-1], 64)
				total += v
			}
		}
		if total != 4 {
			t.Errorf("questions_total for http sums to %v, want 4", total)
		}
	})

	t.Run("not found", func(t *testing.T) {
		resp, _ := request(t, "GET", s.url+"/nope", "")
		if resp.StatusCode != 404 {
			t.Errorf("status %d", resp.StatusCode)
		}
	})

	t.Run("logs", func(t *testing.T) {
		logs := s.stderr.String()
		lines := regexp.MustCompile(`(?m)^.*msg=question .*$`).FindAllString(logs, -1)
		if len(lines) != 4 {
			t.Fatalf("%d question lines, want 4:\n%s", len(lines), logs)
		}
		for _, l := range lines {
			for _, k := range []string{"adapter=http", "intent=", "answered=", "latency="} {
				if !strings.Contains(l, k) {
					t.Errorf("line lacks %s: %s", k, l)
				}
			}
			if strings.Contains(l, "genetics") || strings.Contains(l, "127.0.0.1") {
				t.Errorf("line logs the question or the user: %s", l)
			}
		}
	})

	if err := s.stop(t); err != nil {
		t.Errorf("serve returned %v after shutdown", err)
	}
}

func TestServeReload(t *testing.T) {
	dir := t.TempDir()
	writeKB(t, filepath.Join(dir, "genetics.txt"), pageGenetics)
	s := startServe(t, nil, nil, "--kb", dir)
	if d := health(t, s.url)["documents"]; d != 1.0 {
		t.Fatalf("documents = %v, want 1", d)
	}

	steps := []struct {
		name     string
		change   func(t *testing.T)
		wantErr  bool
		wantDocs float64
	}{
		{"add a page", func(t *testing.T) { writeKB(t, filepath.Join(dir, "hearing.txt"), pageHearing) }, false, 2},
		{"break a page", func(t *testing.T) { writeKB(t, filepath.Join(dir, "hearing.txt"), "") }, true, 2},
		{"fix it", func(t *testing.T) { writeKB(t, filepath.Join(dir, "hearing.txt"), pageHearing+"\nMore.\n") }, false, 2},
		{"new subdirectory", func(t *testing.T) {
			sub := filepath.Join(dir, "more")
			if err := os.Mkdir(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			// The directory itself may trigger a reload before the page lands.
			if err := s.waitReload(t); err != nil {
				t.Fatalf("reload after mkdir: %v", err)
			}
			writeKB(t, filepath.Join(sub, "extra.txt"), pageGenetics)
		}, false, 3},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.change(t)
			err := s.waitReload(t)
			if (err != nil) != st.wantErr {
				t.Fatalf("reload err = %v, want error %v", err, st.wantErr)
			}
			if d := health(t, s.url)["documents"]; d != st.wantDocs {
				t.Errorf("documents = %v, want %v", d, st.wantDocs)
			}
			resp, _ := request(t, "POST", s.url+"/v1/ask", `{"question":"where do genetics staff work"}`)
			if resp.StatusCode != 200 {
				t.Errorf("ask after reload: %d", resp.StatusCode)
			}
		})
	}
	if n := metric(t, s.url, "careersbot_knowledge_reload_failures_total"); n != 1 {
		t.Errorf("reload failures %v, want 1", n)
	}
	if n := metric(t, s.url, "careersbot_knowledge_reloads_total"); n < 3 {
		t.Errorf("reloads %v, want at least 3", n)
	}
	if n := metric(t, s.url, "careersbot_knowledge_documents"); n != 3 {
		t.Errorf("documents gauge %v, want 3", n)
	}
	if !strings.Contains(s.stderr.String(), "reload failed") || !strings.Contains(s.stderr.String(), "hearing.txt") {
		t.Errorf("failed reload not logged with the file name:\n%s", s.stderr)
	}
	if err := s.stop(t); err != nil {
		t.Error(err)
	}
}

func TestServeSIGHUP(t *testing.T) {
	kb := filepath.Join(t.TempDir(), "genetics.txt")
	writeKB(t, kb, pageGenetics)
	var broken atomic.Bool
	load := testLoader(t)
	hooks := &serveHooks{loadBase: func(p []string) (*knowledge.Base, error) {
		if broken.Load() {
			return nil, errors.New("genetics.txt:3: broken on purpose")
		}
		return load(p)
	}}
	s := startServe(t, nil, hooks, "--kb", kb)
	steps := []struct {
		name    string
		broken  bool
		reloads float64
	}{
		{"good", false, 1},
		{"broken keeps the old base", true, 1},
		{"good again", false, 2},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			broken.Store(st.broken)
			if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
				t.Fatal(err)
			}
			if err := s.waitReload(t); (err != nil) != st.broken {
				t.Fatalf("reload err = %v", err)
			}
			h := health(t, s.url)
			if h["documents"] != 1.0 || h["reloads"] != st.reloads {
				t.Errorf("healthz = %v, want 1 document and %v reloads", h, st.reloads)
			}
		})
	}
	if err := s.stop(t); err != nil {
		t.Error(err)
	}
}

func TestServeRateLimitAndUnanswered(t *testing.T) {
	kb := filepath.Join(t.TempDir(), "genetics.txt")
	writeKB(t, kb, pageGenetics)
	s := startServe(t, map[string]string{"CAREERSBOT_RATE_PER_MINUTE": "1", "CAREERSBOT_RATE_BURST": "3"}, nil, "--kb", kb)
	questions := []string{"how much do genetics staff earn", "what is the weather like", "where do genetics staff work", "one too many", "two too many"}
	for i, q := range questions {
		resp, body := request(t, "POST", s.url+"/v1/ask", `{"question":"`+q+`"}`)
		want := 200
		if i >= 3 {
			want = 429
		}
		if resp.StatusCode != want {
			t.Fatalf("question %d: status %d, want %d: %s", i, resp.StatusCode, want, body)
		}
		if want == 429 {
			var r map[string]any
			if err := json.Unmarshal(body, &r); err != nil || r["answered"] != false || r["intent"] != "rate_limited" || r["answer"] == "" {
				t.Errorf("limited reply %s", body)
			}
			if resp.Header.Get("Retry-After") != "60" {
				t.Errorf("Retry-After %q, want 60", resp.Header.Get("Retry-After"))
			}
		}
	}
	if n := metric(t, s.url, `careersbot_questions_total{adapter="http",answered="false",intent="rate_limited"}`); n != 2 {
		t.Errorf("rate limited count %v, want 2", n)
	}
	fallbacks := metric(t, s.url, `careersbot_questions_total{adapter="http",answered="false",intent="fallback"}`)
	if err := s.stop(t); err != nil {
		t.Fatal(err)
	}
	// Every fallback is in the database, and the rate-limited ones are not.
	store, err := unanswered.Open(context.Background(), s.db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	entries, err := store.Since(context.Background(), time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if float64(len(entries)) != fallbacks {
		t.Errorf("%d recorded, %v fallbacks counted", len(entries), fallbacks)
	}
	for _, e := range entries {
		if strings.Contains(e.Question, "too many") || e.Adapter != "http" {
			t.Errorf("unexpected entry %+v", e)
		}
	}
}

func TestServeUnansweredOptOut(t *testing.T) {
	kb := filepath.Join(t.TempDir(), "genetics.txt")
	writeKB(t, kb, pageGenetics)
	s := startServe(t, map[string]string{"CAREERSBOT_UNANSWERED_RECORD": "false"}, nil, "--kb", kb)
	request(t, "POST", s.url+"/v1/ask", `{"question":"how much do genetics staff earn"}`)
	if err := s.stop(t); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.db); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("database created although recording is off: %v", err)
	}
}

func TestServeShutdownFinishesReplies(t *testing.T) {
	kb := filepath.Join(t.TempDir(), "genetics.txt")
	writeKB(t, kb, pageGenetics)
	entered := make(chan struct{})
	release := make(chan struct{})
	hooks := &serveHooks{intercept: func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
			if m.Text == "slow" {
				close(entered)
				<-release
			}
			return next.Handle(ctx, m)
		})
	}}
	s := startServe(t, nil, hooks, "--kb", kb)
	type result struct {
		status int
		body   []byte
		err    error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Post(s.url+"/v1/ask", "application/json", strings.NewReader(`{"question":"slow"}`))
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{resp.StatusCode, b, err}
	}()
	<-entered
	s.cancel() // SIGINT/SIGTERM
	// New connections are refused once shutdown has begun...
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", strings.TrimPrefix(s.url, "http://"), time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// ...but the reply in flight is finished.
	close(release)
	r := <-got
	if r.err != nil || r.status != 200 || !bytes.Contains(r.body, []byte(`"intent"`)) {
		t.Errorf("reply in flight: %d %s %v", r.status, r.body, r.err)
	}
	if err := s.stop(t); err != nil {
		t.Errorf("serve returned %v", err)
	}
	if !strings.Contains(s.stderr.String(), "stopped") {
		t.Errorf("no stop logged:\n%s", s.stderr)
	}
}

// fakeAdapter fails its first failures runs, then runs until cancelled.
type fakeAdapter struct {
	name     string
	failures int32
	runs     atomic.Int32
	up       atomic.Bool
	h        bot.Handler
	running  chan struct{}
	once     sync.Once
}

func (f *fakeAdapter) Name() string    { return f.name }
func (f *fakeAdapter) Connected() bool { return f.up.Load() }
func (f *fakeAdapter) Run(ctx context.Context) error {
	n := f.runs.Add(1)
	if n <= f.failures {
		if n%2 == 0 {
			panic("adapter bug")
		}
		return errors.New("connection refused")
	}
	f.up.Store(true)
	f.once.Do(func() { close(f.running) })
	<-ctx.Done()
	f.up.Store(false)
	return nil
}

func (f *fakeAdapter) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /"+f.name+"/events", func(w http.ResponseWriter, r *http.Request) {
		reply := f.h.Handle(r.Context(), bot.Message{Adapter: f.name, User: "U1", Text: "hello"})
		io.WriteString(w, reply.Intent)
	})
}

func TestServeAdapters(t *testing.T) {
	kb := filepath.Join(t.TempDir(), "genetics.txt")
	writeKB(t, kb, pageGenetics)
	flaky := &fakeAdapter{name: "flaky", failures: 3, running: make(chan struct{})}
	steady := &fakeAdapter{name: "steady", running: make(chan struct{})}
	var gotCfg config.Config
	factory := func(a *fakeAdapter) adapterFactory {
		return func(cfg config.Config, h bot.Handler, _ *slog.Logger) (bot.Adapter, error) {
			gotCfg = cfg
			a.h = h
			return a, nil
		}
	}
	none := func(config.Config, bot.Handler, *slog.Logger) (bot.Adapter, error) { return nil, nil }
	hooks := &serveHooks{adapters: []adapterFactory{factory(flaky), none, factory(steady)}, backoff: time.Millisecond}
	s := startServe(t, map[string]string{"DISCORD_GUILD_ID": "42"}, hooks, "--kb", kb)
	for _, a := range []*fakeAdapter{flaky, steady} {
		select {
		case <-a.running:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s never ran", a.name)
		}
	}
	if gotCfg.Discord.GuildID != "42" {
		t.Errorf("adapter got config %v", gotCfg)
	}
	if n := flaky.runs.Load(); n != 4 {
		t.Errorf("flaky ran %d times, want 4 (3 failures, then up)", n)
	}
	if n := steady.runs.Load(); n != 1 {
		t.Errorf("steady ran %d times, want 1", n)
	}
	resp, body := request(t, "POST", s.url+"/steady/events", "")
	if resp.StatusCode != 200 || len(body) == 0 {
		t.Errorf("adapter route: %d %s", resp.StatusCode, body)
	}
	checks := map[string]float64{
		`careersbot_adapter_connected{adapter="flaky"}`:              1,
		`careersbot_adapter_connected{adapter="steady"}`:             1,
		`careersbot_adapter_restarts_total{adapter="flaky"}`:         3,
		`careersbot_adapter_restarts_total{adapter="steady"}`:        0,
		`careersbot_answer_duration_seconds_count{adapter="steady"}`: 1,
	}
	for sample, want := range checks {
		if got := metric(t, s.url, sample); got != want {
			t.Errorf("%s = %v, want %v", sample, got, want)
		}
	}
	if h := health(t, s.url); fmt.Sprint(h["adapters"]) != "map[flaky:true steady:true]" {
		t.Errorf("healthz adapters = %v", h["adapters"])
	}
	if logs := s.stderr.String(); strings.Count(logs, "adapter failed; restarting") != 3 || !strings.Contains(logs, "panic: adapter bug") {
		t.Errorf("failures not logged:\n%s", logs)
	}
	if err := s.stop(t); err != nil {
		t.Error(err)
	}
}

func TestServeStartErrors(t *testing.T) {
	kb := filepath.Join(t.TempDir(), "genetics.txt")
	writeKB(t, kb, pageGenetics)
	empty := filepath.Join(t.TempDir(), "empty.txt")
	writeKB(t, empty, "")
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cfgFile := filepath.Join(t.TempDir(), "careersbot.yaml")
	if err := os.WriteFile(cfgFile, []byte("CAREERSBOT_RATE_BURST: 0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	secret := "xoxp-4242-Hunter2"
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close() // nothing listens there now
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		usage bool
		want  string
	}{
		{"bad token", map[string]string{"SLACK_BOT_TOKEN": secret, "SLACK_SIGNING_SECRET": "s3cr3t-Hunter2"}, []string{"--kb", kb}, false, "SLACK_BOT_TOKEN"},
		{"bad addr flag", nil, []string{"--kb", kb, "--addr", "nonsense"}, false, "CAREERSBOT_ADDR"},
		{"config file", nil, []string{"--kb", kb, "--config", cfgFile}, false, "CAREERSBOT_RATE_BURST"},
		{"missing config file", nil, []string{"--kb", kb, "--config", cfgFile + ".nope"}, false, "careersbot.yaml.nope"},
		{"broken knowledge", nil, []string{"--kb", empty}, false, "empty.txt"},
		{"address in use", nil, []string{"--kb", kb, "--addr", busy.Addr().String()}, false, "listen on"},
		{"database unwritable", map[string]string{"CAREERSBOT_UNANSWERED_DB": filepath.Join(kb, "x.db")}, []string{"--kb", kb}, false, "CAREERSBOT_UNANSWERED_RECORD=false"},
		{"redis unreachable", map[string]string{"CAREERSBOT_REDIS_URL": "redis://bot:Hunter2@" + closedAddr + "/0"}, []string{"--kb", kb}, false, "CAREERSBOT_REDIS_URL"},
		{"redis url malformed", map[string]string{"CAREERSBOT_REDIS_URL": "redis://bot:Hunter2@/0"}, []string{"--kb", kb}, false, "CAREERSBOT_REDIS_URL"},
		{"postgres unreachable", map[string]string{"CAREERSBOT_UNANSWERED_DB": "postgres://bot:Hunter2@" + closedAddr + "/careersbot"}, []string{"--kb", kb}, false, "CAREERSBOT_UNANSWERED_DB"},
		{"unknown flag", nil, []string{"--nope"}, true, "unknown flag: --nope"},
		{"argument", nil, []string{"--kb", kb, "extra"}, true, "no arguments"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stderr testutil.SyncBuffer
			env := map[string]string{"CAREERSBOT_ADDR": "127.0.0.1:0", "CAREERSBOT_UNANSWERED_DB": filepath.Join(t.TempDir(), "u.db")}
			for k, v := range tc.env {
				env[k] = v
			}
			m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr, Getenv: func(k string) string { return env[k] }}
			ctx := withServeHooks(context.Background(), &serveHooks{loadBase: testLoader(t)})
			err := m.Run(ctx, append([]string{"serve"}, tc.args...))
			if err == nil {
				t.Fatal("serve started, want an error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
			var ue *usageError
			if errors.As(err, &ue) != tc.usage {
				t.Errorf("usage error = %v, want %v", errors.As(err, &ue), tc.usage)
			}
			if out := err.Error() + stderr.String(); strings.Contains(out, "Hunter2") {
				t.Errorf("a secret leaked: %s", out)
			}
		})
	}
}

func TestServeJSONLogsNoSecrets(t *testing.T) {
	kb := filepath.Join(t.TempDir(), "genetics.txt")
	writeKB(t, kb, pageGenetics)
	env := map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-1-Hunter2", "SLACK_APP_TOKEN": "xapp-1-Hunter2", "SLACK_SIGNING_SECRET": "Hunter2sign",
		"DISCORD_BOT_TOKEN": "Hunter2.discord",
	}
	none := func(config.Config, bot.Handler, *slog.Logger) (bot.Adapter, error) { return nil, nil }
	s := startServe(t, env, &serveHooks{adapters: []adapterFactory{none}}, "--kb", kb, "--log-json")
	request(t, "POST", s.url+"/v1/ask", `{"question":"where do genetics staff work","conversation":"c"}`)
	_, metrics := request(t, "GET", s.url+"/metrics", "")
	_, hz := request(t, "GET", s.url+"/healthz", "")
	if err := s.stop(t); err != nil {
		t.Fatal(err)
	}
	logs := s.stderr.String()
	for name, out := range map[string]string{"logs": logs, "metrics": string(metrics), "healthz": string(hz)} {
		if strings.Contains(out, "Hunter2") {
			t.Errorf("%s leak a secret:\n%s", name, out)
		}
	}
	sawQuestion := false
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON log line: %q", line)
		}
		if rec["msg"] == "question" {
			sawQuestion = true
			for _, k := range []string{"adapter", "intent", "answered", "latency"} {
				if _, ok := rec[k]; !ok {
					t.Errorf("question line lacks %s: %s", k, line)
				}
			}
		}
	}
	if !sawQuestion {
		t.Error("no question logged")
	}
	if !strings.Contains(logs, "[REDACTED]") {
		t.Error("start-up line does not show the (redacted) configuration")
	}
}

// TestServeStopsOnRefusedToken: a token Slack refuses for good stops serve
// with exit 1 and one clear message, instead of restarting the adapter
// forever.
func TestServeStopsOnRefusedToken(t *testing.T) {
	var calls atomic.Int32
	slackAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":false,"error":"invalid_auth"}`)
	}))
	defer slackAPI.Close()
	kb := filepath.Join(t.TempDir(), "genetics.txt")
	writeKB(t, kb, pageGenetics)
	var stderr testutil.SyncBuffer
	env := map[string]string{
		"CAREERSBOT_ADDR": "127.0.0.1:0", "CAREERSBOT_UNANSWERED_RECORD": "false",
		"SLACK_BOT_TOKEN": "xoxb-1-Hunter2", "SLACK_SIGNING_SECRET": "Hunter2sign", "SLACK_API_URL": slackAPI.URL + "/api/",
	}
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr, Getenv: func(k string) string { return env[k] }}
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background(), []string{"serve", "--kb", kb}) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(15 * time.Second):
		t.Fatalf("serve kept running with a refused token\n%s", stderr.String())
	}
	if code := exitCode(err); code != 1 {
		t.Errorf("exit %d, want 1 (err %v)", code, err)
	}
	if err == nil || !strings.Contains(err.Error(), "refused SLACK_BOT_TOKEN") {
		t.Errorf("err = %v, want it to say Slack refused the token", err)
	}
	logs := stderr.String()
	if strings.Contains(logs, "Hunter2") {
		t.Errorf("a secret leaked:\n%s", logs)
	}
	if strings.Contains(logs, "restarting") || calls.Load() != 1 {
		t.Errorf("the adapter was restarted (%d auth.test calls):\n%s", calls.Load(), logs)
	}
	if n := strings.Count(logs, "careersbot: "); n != 1 {
		t.Errorf("the error is printed %d times, want once:\n%s", n, logs)
	}
}
