package service

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/intents"
	"github.com/careersbot/careersbot/internal/testutil"
)

// Pages in the style of the seed.
const (
	pageGenetics = "NHS Careers > Healthcare science > Genetics\n\nCareers in genetics\n\nGenetics\n\n" +
		"Genetics staff are often based in specialist hospitals.\n"
	pageHearing = "NHS Careers > Healthcare science > Audiology\n\nCareers in audiology\n\nAudiology\n\n" +
		"Audiologists test hearing and balance and work with patients of all ages.\n"
)

// running is a Service started by start.
type running struct {
	svc     *Service
	url     string
	log     *testutil.SyncBuffer
	reloads chan error
	cancel  context.CancelFunc
	done    chan error
}

// start runs a Service with o on 127.0.0.1:0 until the test ends.
func start(t *testing.T, o Options) *running {
	t.Helper()
	r := &running{log: &testutil.SyncBuffer{}, reloads: make(chan error, 32), done: make(chan error, 1)}
	o.Addr = "127.0.0.1:0"
	if o.Threshold == 0 {
		o.Threshold = intents.DefaultThreshold
	}
	o.Log = slog.New(slog.NewTextHandler(r.log, nil))
	o.Reloaded = func(err error) { r.reloads <- err }
	o.Version = "test"
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	svc, err := New(ctx, o)
	if err != nil {
		cancel()
		t.Fatalf("New: %v", err)
	}
	r.svc, r.url = svc, "http://"+svc.Addr().String()
	go func() { r.done <- svc.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(15 * time.Second):
			t.Error("service did not stop")
		}
	})
	return r
}

func (r *running) waitReload(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r.reloads:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("no reload\n%s", r.log)
		return nil
	}
}

// settle waits until no reload has happened for a while, so one change
// is not mistaken for the next.
func (r *running) settle() {
	for {
		select {
		case <-r.reloads:
		case <-time.After(3 * reloadDebounce):
			return
		}
	}
}

func (r *running) documents(t *testing.T) float64 {
	t.Helper()
	resp, err := http.Get(r.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	return h["documents"].(float64)
}

func (r *running) ask(t *testing.T, q string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(r.url+"/v1/ask", "application/json", strings.NewReader(`{"question":"`+q+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, m
}

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReloadSurvivesReplacedDirectories replaces the --kb directory the ways
// editors and deploy tools do; after each, a change inside must still
// reload. Watching only the directory itself loses the watch for good.
func TestReloadSurvivesReplacedDirectories(t *testing.T) {
	parent := t.TempDir()
	kb := filepath.Join(parent, "kb")
	write(t, filepath.Join(kb, "genetics.txt"), pageGenetics)
	r := start(t, Options{KB: []string{kb}})

	// newDir fills a fresh directory with the genetics page and n-1 more.
	newDir := func(t *testing.T, name string, n int) string {
		d := filepath.Join(parent, name)
		write(t, filepath.Join(d, "genetics.txt"), pageGenetics)
		for i := 1; i < n; i++ {
			write(t, filepath.Join(d, "hearing"+string(rune('0'+i))+".txt"), pageHearing)
		}
		return d
	}
	steps := []struct {
		name    string
		replace func(t *testing.T)
		docs    float64
	}{
		{"removed and recreated", func(t *testing.T) {
			if err := os.RemoveAll(kb); err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond)
			write(t, filepath.Join(kb, "genetics.txt"), pageGenetics)
		}, 1},
		{"renamed away, another renamed in", func(t *testing.T) {
			if err := os.Rename(kb, filepath.Join(parent, "old")); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(newDir(t, "staged", 2), kb); err != nil {
				t.Fatal(err)
			}
		}, 2},
		{"renamed over", func(t *testing.T) {
			// rename(2) over a directory needs it empty (os.Rename refuses
			// any directory, so call it directly).
			staged := newDir(t, "staged2", 1)
			if err := os.RemoveAll(kb); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(kb, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := syscall.Rename(staged, kb); err != nil {
				t.Fatal(err)
			}
		}, 1},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			r.settle()
			st.replace(t)
			r.settle()
			// The change that must be seen: a page added inside.
			write(t, filepath.Join(kb, "added.txt"), pageHearing)
			deadline := time.Now().Add(10 * time.Second)
			for r.documents(t) != st.docs+1 {
				if time.Now().After(deadline) {
					t.Fatalf("documents = %v, want %v: the change inside the new directory was missed\n%s", r.documents(t), st.docs+1, r.log)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
	if logs := r.log.String(); !strings.Contains(logs, "knowledge path gone") || !strings.Contains(logs, "knowledge path back") {
		t.Errorf("losing and regaining the watch is not logged:\n%s", logs)
	}
}

// TestReloadFollowsSymlinkSwap points --kb at a symlink and swaps it, as
// deploy tools do (ln -s new tmp && mv -T tmp current).
func TestReloadFollowsSymlinkSwap(t *testing.T) {
	parent := t.TempDir()
	v1, v2 := filepath.Join(parent, "v1"), filepath.Join(parent, "v2")
	write(t, filepath.Join(v1, "genetics.txt"), pageGenetics)
	write(t, filepath.Join(v2, "genetics.txt"), pageGenetics)
	write(t, filepath.Join(v2, "hearing.txt"), pageHearing)
	cur := filepath.Join(parent, "current")
	if err := os.Symlink(v1, cur); err != nil {
		t.Fatal(err)
	}
	r := start(t, Options{KB: []string{cur}})
	if d := r.documents(t); d != 1 {
		t.Fatalf("documents = %v, want 1", d)
	}
	tmp := filepath.Join(parent, "current.tmp")
	if err := os.Symlink(v2, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, cur); err != nil {
		t.Fatal(err)
	}
	if err := r.waitReload(t); err != nil {
		t.Fatal(err)
	}
	if d := r.documents(t); d != 2 {
		t.Fatalf("after the swap documents = %v, want 2", d)
	}
	r.settle()
	// Edits in the new target are seen; edits in the old one are not ours.
	write(t, filepath.Join(v2, "more.txt"), pageHearing)
	if err := r.waitReload(t); err != nil {
		t.Fatal(err)
	}
	if d := r.documents(t); d != 3 {
		t.Fatalf("after an edit in the new target documents = %v, want 3", d)
	}
}

// TestSIGHUPRearmsTheWatch loses the watch behind the watcher's back; a
// SIGHUP must reload and watch again.
func TestSIGHUPRearmsTheWatch(t *testing.T) {
	kb := t.TempDir()
	write(t, filepath.Join(kb, "genetics.txt"), pageGenetics)
	r := start(t, Options{KB: []string{kb}})
	if err := r.svc.watch.w.Remove(kb); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	if err := r.waitReload(t); err != nil {
		t.Fatal(err)
	}
	r.settle()
	write(t, filepath.Join(kb, "hearing.txt"), pageHearing)
	if err := r.waitReload(t); err != nil {
		t.Fatal(err)
	}
	if d := r.documents(t); d != 2 {
		t.Errorf("documents = %v, want 2", d)
	}
}

// TestReloadFileRenamedOver is the editor's save: write a temporary file,
// rename it over the --kb file. A broken save keeps the old base.
func TestReloadFileRenamedOver(t *testing.T) {
	dir := t.TempDir()
	kb := filepath.Join(dir, "genetics.txt")
	write(t, kb, pageGenetics)
	r := start(t, Options{KB: []string{kb}})
	for i, body := range []string{pageGenetics + "\nGenetics staff also teach.\n", "", pageGenetics} {
		tmp := filepath.Join(dir, ".genetics.txt.tmp")
		write(t, tmp, body)
		if err := os.Rename(tmp, kb); err != nil {
			t.Fatal(err)
		}
		err := r.waitReload(t)
		if (err != nil) != (body == "") {
			t.Fatalf("save %d: reload err = %v", i, err)
		}
		if d := r.documents(t); d != 1 {
			t.Errorf("save %d: documents = %v", i, d)
		}
	}
}

// fakeAdapter fails its first failures runs (every other one by panicking),
// then fails with fatal if set, else runs until cancelled.
type fakeAdapter struct {
	name     string
	failures int32
	fatal    error
	runs     atomic.Int32
	up       chan struct{}
}

func (f *fakeAdapter) Name() string { return f.name }
func (f *fakeAdapter) Run(ctx context.Context) error {
	n := f.runs.Add(1)
	if n <= f.failures {
		if n%2 == 0 {
			panic("adapter bug")
		}
		return errors.New("connection refused")
	}
	if f.fatal != nil {
		return f.fatal
	}
	close(f.up)
	<-ctx.Done()
	return nil
}

func factory(a bot.Adapter) AdapterFactory {
	return func(bot.Handler, *slog.Logger) (bot.Adapter, error) { return a, nil }
}

func TestSuperviseRestartsWithBackoff(t *testing.T) {
	a := &fakeAdapter{name: "flaky", failures: 3, up: make(chan struct{})}
	r := start(t, Options{Adapters: []AdapterFactory{factory(a)}, Backoff: time.Millisecond})
	select {
	case <-a.up:
	case <-time.After(10 * time.Second):
		t.Fatal("never came up")
	}
	if n := a.runs.Load(); n != 4 {
		t.Errorf("ran %d times, want 4", n)
	}
	logs := r.log.String()
	if strings.Count(logs, "adapter failed; restarting") != 3 || !strings.Contains(logs, "panic: adapter bug") {
		t.Errorf("failures not logged:\n%s", logs)
	}
	if strings.Count(logs, "adapter=flaky") != 3 {
		t.Errorf("want adapter=flaky once on each of 3 lines:\n%s", logs)
	}
}

// TestFatalAdapterErrorStopsTheService: a token refused for good is not
// retried; Run returns the error (serve exits 1 with it).
func TestFatalAdapterErrorStopsTheService(t *testing.T) {
	a := &fakeAdapter{name: "slack", failures: 1, fatal: bot.Fatal(errors.New("slack: SLACK_BOT_TOKEN was refused: invalid_auth")), up: make(chan struct{})}
	r := start(t, Options{Adapters: []AdapterFactory{factory(a)}, Backoff: time.Millisecond})
	select {
	case err := <-r.done:
		r.done <- err
		if !bot.IsFatal(err) || !strings.Contains(err.Error(), "invalid_auth") {
			t.Errorf("Run = %v, want the fatal error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a fatal adapter error did not stop the service")
	}
	if n := a.runs.Load(); n != 2 {
		t.Errorf("ran %d times, want 2 (one transient failure retried, then the fatal one)", n)
	}
	if c, err := net.DialTimeout("tcp", strings.TrimPrefix(r.url, "http://"), time.Second); err == nil {
		c.Close()
		t.Error("still listening after a fatal error")
	}
}

// TestMiddlewareOrder: limited questions are logged and counted, but
// neither answered nor recorded as unanswered.
func TestMiddlewareOrder(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	r := start(t, Options{RatePerMinute: 1, RateBurst: 2, RecordUnanswered: true, UnansweredDB: db})
	var statuses []int
	for _, q := range []string{"what is the weather like", "what is the weather like", "what is the weather like"} {
		st, _ := r.ask(t, q)
		statuses = append(statuses, st)
	}
	if statuses[0] != 200 || statuses[1] != 200 || statuses[2] != 429 {
		t.Fatalf("statuses %v, want 200 200 429", statuses)
	}
	r.cancel()
	if err := <-r.done; err != nil {
		t.Fatal(err)
	}
	r.done <- nil
	if rec, _, _ := r.svc.UnansweredStats(); rec != 2 {
		t.Errorf("%d recorded, want 2 (not the rate-limited one)", rec)
	}
	logs := r.log.String()
	if n := strings.Count(logs, "msg=question"); n != 3 {
		t.Errorf("%d question lines, want 3:\n%s", n, logs)
	}
	if !strings.Contains(logs, "status=rate_limited") {
		t.Errorf("the limited question's log line lacks its status:\n%s", logs)
	}
	if strings.Contains(logs, "weather") {
		t.Errorf("the log carries the question:\n%s", logs)
	}
}

func TestNewErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	write(t, empty, "")
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"address in use", Options{Addr: busy.Addr().String()}, "listen on"},
		{"broken knowledge", Options{Addr: "127.0.0.1:0", KB: []string{empty}}, "empty.txt"},
		{"missing knowledge", Options{Addr: "127.0.0.1:0", KB: []string{filepath.Join(dir, "nope")}}, "nope"},
		{"database unwritable", Options{Addr: "127.0.0.1:0", RecordUnanswered: true, UnansweredDB: filepath.Join(empty, "x.db")}, "CAREERSBOT_UNANSWERED_RECORD=false"},
		{"adapter set-up", Options{Addr: "127.0.0.1:0", Adapters: []AdapterFactory{func(bot.Handler, *slog.Logger) (bot.Adapter, error) {
			return nil, errors.New("SLACK_BOT_TOKEN must start with xoxb-")
		}}}, "SLACK_BOT_TOKEN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.o.Threshold = intents.DefaultThreshold
			tc.o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
			s, err := New(context.Background(), tc.o)
			if err == nil {
				s.close()
				t.Fatal("New succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	// The address is free again after a failed New.
	if s, err := New(context.Background(), Options{Addr: "127.0.0.1:0", KB: []string{empty}}); err == nil {
		s.close()
	}
}

// TestServerErrorLogRateLimited: net/http's own error lines (a client
// failing a TLS handshake, say) are limited like any other noisy source.
func TestServerErrorLogRateLimited(t *testing.T) {
	var buf testutil.SyncBuffer
	l := serverErrorLog(slog.New(slog.NewTextHandler(&buf, nil)))
	for i := range 100 {
		l.Printf("http: TLS handshake error from 10.0.0.%d:%d: EOF", i%250, 40000+i)
	}
	if n := strings.Count(buf.String(), "http server"); n != 1 {
		t.Errorf("%d lines for 100 handshake errors in a moment, want 1:\n%s", n, buf.String())
	}
}
