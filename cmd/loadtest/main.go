// Command loadtest measures careersbot's POST /v1/ask: throughput, latency
// percentiles, errors and memory at a number of concurrent clients, for a
// bounded time, over loopback only.
//
// With no -url it runs the service in-process, the one `careersbot serve`
// runs (package bot/service: metrics, unanswered recorder on a temporary
// database, per-question logging to a discarded sink; no rate limit and
// no chat adapters); with -url it loads a running server on this machine:
//
//	go run ./cmd/loadtest -c 50 -d 10s
//	go run ./cmd/loadtest -url http://127.0.0.1:8080 -c 50 -d 10s
//
// With -replicas 2 -redis URL it runs two replicas in-process sharing one
// Redis on this machine (each with its own connection pool, as two
// processes would have), spreads /v1/ask over them (conversation context
// shared in Redis), then delivers -events Slack events to both replicas at
// once and counts the replies at a stand-in for Slack's Web API:
// duplicates and lost replies (both must be 0) and Redis round trips per
// answer:
//
//	go run ./cmd/loadtest -replicas 2 -redis redis://127.0.0.1:6379/0 -c 50 -d 10s
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/careersbot/careersbot/bot/service"
	"github.com/careersbot/careersbot/intents"
)

// maxDuration bounds a run.
const maxDuration = 5 * time.Minute

// questions are asked in turn; some answerable, some not.
var questions = []string{
	"where do genetics staff work",
	"what is healthcare science",
	"do physiological scientists work with patients",
	"tell me about bioinformatics",
	"how much do genetics staff earn",
	"is genetics part of life sciences",
	"what areas are there",
	"hello",
	"wher do genetcis staff work",
	"<@U024BE7LH> what is bioinfromatics",
	"what's the weather like in london today",
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

type options struct {
	url      string
	clients  int
	duration time.Duration
	warmup   time.Duration
	kb       string
	record   bool
	cpuprof  string
	minRPS   float64
	maxP99   time.Duration
	replicas int
	redis    string
	events   int
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	var o options
	fs.StringVar(&o.url, "url", "", "base URL of a running careersbot on this machine (default: start one in-process)")
	fs.IntVar(&o.clients, "c", 50, "concurrent clients")
	fs.DurationVar(&o.duration, "d", 10*time.Second, "how long to measure (at most 5m)")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "load before measuring")
	fs.StringVar(&o.kb, "kb", "", "knowledge file or directory for the in-process server (default: the embedded page)")
	fs.BoolVar(&o.record, "record", true, "in-process: record unanswered questions, as serve does by default")
	fs.StringVar(&o.cpuprof, "cpuprofile", "", "write a CPU profile of the measured run (client and in-process server) to `file`")
	fs.Float64Var(&o.minRPS, "min-rps", 0, "exit 1 below this many answers a second")
	fs.DurationVar(&o.maxP99, "max-p99", 0, "exit 1 if p99 latency is above this")
	fs.IntVar(&o.replicas, "replicas", 1, "in-process replicas; more than 1 needs -redis")
	fs.StringVar(&o.redis, "redis", "", "redis:// URL on this machine the replicas share")
	fs.IntVar(&o.events, "events", 1000, "with -replicas: Slack events delivered to every replica at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.clients < 1 || o.clients > 1000 {
		return errors.New("-c must be between 1 and 1000")
	}
	if o.duration <= 0 || o.duration > maxDuration {
		return fmt.Errorf("-d must be between 0 and %s", maxDuration)
	}
	if o.replicas < 1 || o.replicas > 8 {
		return errors.New("-replicas must be between 1 and 8")
	}
	if o.replicas > 1 && (o.redis == "" || o.url != "") {
		return errors.New("-replicas needs -redis (and no -url): the replicas share state there")
	}
	if o.events < 1 || o.events > 100000 {
		return errors.New("-events must be between 1 and 100000")
	}
	base := o.url
	where := "given server"
	var set *replicaSet
	if o.replicas > 1 {
		var err error
		set, err = startReplicas(o.replicas, o.redis, o.kb)
		if err != nil {
			return err
		}
		defer set.stop()
		base, where = set.bases[0], fmt.Sprintf("%d replicas in-process sharing redis", o.replicas)
	} else if base == "" {
		srvURL, stop, err := startInProcess(o.kb, o.record, out)
		if err != nil {
			return err
		}
		defer stop()
		base, where = srvURL, "in-process"
	}
	if err := loopbackOnly(base); err != nil {
		return err
	}
	base = strings.TrimRight(base, "/")
	bases := []string{base}
	if set != nil {
		bases = set.bases
	}

	client := &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        o.clients,
			MaxIdleConnsPerHost: o.clients,
			DisableCompression:  true,
		},
	}
	before := scrape(client, base)
	if o.warmup > 0 {
		load(client, bases, o.clients, o.warmup)
	}
	mid := scrape(client, base)
	if o.cpuprof != "" {
		f, err := os.Create(o.cpuprof)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	var rt0 int64
	if set != nil {
		rt0 = set.roundTrips()
	}
	cpu0 := cpuTime()
	res := load(client, bases, o.clients, o.duration)
	cpu := cpuTime() - cpu0
	var rt int64
	if set != nil {
		rt = set.roundTrips() - rt0
	}
	if o.cpuprof != "" {
		pprof.StopCPUProfile()
	}
	runtime.GC()
	after := scrape(client, base)

	slices.Sort(res.latencies)
	n := len(res.latencies)
	rps := float64(n) / res.elapsed.Seconds()
	fmt.Fprintf(out, "target      %s/v1/ask (%s), %d clients, %s\n", base, where, o.clients, o.duration)
	fmt.Fprintf(out, "answers     %d in %s: %.0f a second\n", n, res.elapsed.Round(time.Millisecond), rps)
	fmt.Fprintf(out, "errors      %d", res.errors)
	if res.firstErr != "" {
		fmt.Fprintf(out, " (first: %s)", res.firstErr)
	}
	fmt.Fprintln(out)
	if n > 0 {
		fmt.Fprintf(out, "latency     p50 %s  p90 %s  p99 %s  max %s\n",
			pct(res.latencies, 50), pct(res.latencies, 90), pct(res.latencies, 99), res.latencies[n-1].Round(time.Microsecond))
	}
	if n > 0 {
		who := "this process: the clients"
		if where != "given server" {
			who += " and the server"
		}
		fmt.Fprintf(out, "cpu         %s user+sys, %s per answer (%s)\n",
			cpu.Round(time.Millisecond), (cpu / time.Duration(n)).Round(time.Microsecond), who)
	}
	fmt.Fprintf(out, "memory      server heap in use %s before, %s after warm-up, %s after the run; resident %s -> %s\n",
		mb(before["go_memstats_heap_inuse_bytes"]), mb(mid["go_memstats_heap_inuse_bytes"]), mb(after["go_memstats_heap_inuse_bytes"]),
		mb(mid["process_resident_memory_bytes"]), mb(after["process_resident_memory_bytes"]))
	fmt.Fprintf(out, "machine     %s/%s, %d CPUs, %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())

	var failed []string
	if set != nil {
		if n > 0 {
			fmt.Fprintf(out, "redis       %d round trips for %d answers over /v1/ask: %.2f per answer\n", rt, n, float64(rt)/float64(n))
		}
		ev := deliverEvents(client, set, o.events, o.clients, strconv.FormatInt(time.Now().UnixNano()%1e9, 10))
		fmt.Fprintf(out, "events      %d Slack events, each delivered to all %d replicas at once, in %s: %d answered, %d duplicates, %d lost\n",
			ev.events, o.replicas, ev.elapsed.Round(time.Millisecond), ev.answered, ev.duplicates, ev.lost)
		fmt.Fprintf(out, "redis       %d round trips for %d events: %.2f per answered event\n",
			ev.roundTrips, ev.events, float64(ev.roundTrips)/float64(max(ev.answered, 1)))
		if ev.duplicates > 0 || ev.lost > 0 {
			failed = append(failed, fmt.Sprintf("%d duplicate and %d lost replies", ev.duplicates, ev.lost))
		}
	}
	if res.errors > 0 {
		failed = append(failed, fmt.Sprintf("%d errors", res.errors))
	}
	if o.minRPS > 0 && rps < o.minRPS {
		failed = append(failed, fmt.Sprintf("%.0f answers a second is below %.0f", rps, o.minRPS))
	}
	if o.maxP99 > 0 && n > 0 && pct(res.latencies, 99) > o.maxP99 {
		failed = append(failed, fmt.Sprintf("p99 %s is above %s", pct(res.latencies, 99), o.maxP99))
	}
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "; "))
	}
	return nil
}

type result struct {
	latencies []time.Duration
	errors    int64
	firstErr  string
	elapsed   time.Duration
}

// load runs clients workers against bases (in turn) for d.
func load(client *http.Client, bases []string, clients int, d time.Duration) result {
	var (
		mu       sync.Mutex // protects res
		res      result
		errCount atomic.Int64
		wg       sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 4096)
			var first string
			for i := 0; time.Now().Before(deadline); i++ {
				q := questions[(c+i)%len(questions)]
				body := `{"question":"` + q + `","conversation":"load-` + strconv.Itoa(c) + `"}`
				t0 := time.Now()
				err := ask(client, bases[(c+i)%len(bases)], body)
				el := time.Since(t0)
				if err != nil {
					errCount.Add(1)
					if first == "" {
						first = err.Error()
					}
					continue
				}
				lat = append(lat, el)
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			if res.firstErr == "" {
				res.firstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.errors = errCount.Load()
	return res
}

func ask(client *http.Client, base, body string) error {
	resp, err := client.Post(base+"/v1/ask", "application/json", strings.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if !bytes.Contains(b, []byte(`"answered"`)) {
		return errors.New("reply without an answered field")
	}
	return nil
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	if i > 0 {
		i--
	}
	return sorted[min(i, len(sorted)-1)].Round(time.Microsecond)
}

func mb(v float64) string { return fmt.Sprintf("%.1f MB", v/1e6) }

// scrape reads the gauges loadtest reports from /metrics.
func scrape(client *http.Client, base string) map[string]float64 {
	out := map[string]float64{}
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			continue
		}
		switch f[0] {
		case "go_memstats_heap_inuse_bytes", "process_resident_memory_bytes":
			if v, err := strconv.ParseFloat(f[1], 64); err == nil {
				out[f[0]] = v
			}
		}
	}
	return out
}

// loopbackOnly refuses anything but this machine.
func loopbackOnly(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("-url %q is not an http URL", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-url must be on this machine (127.0.0.1, ::1 or localhost), not %q", host)
}

// startInProcess runs the service `careersbot serve` runs (package
// bot/service: the same middleware, metrics and recorder) on 127.0.0.1,
// with no rate limit, no chat adapters and its log discarded.
func startInProcess(kb string, record bool, out io.Writer) (string, func(), error) {
	dir, err := os.MkdirTemp("", "careersbot-loadtest-")
	if err != nil {
		return "", nil, err
	}
	o := service.Options{
		Addr:             "127.0.0.1:0",
		Threshold:        intents.DefaultThreshold,
		RecordUnanswered: record,
		UnansweredDB:     filepath.Join(dir, "unanswered.db"),
		Version:          "loadtest",
		Log:              slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if kb != "" {
		o.KB = []string{kb}
	}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := service.New(ctx, o)
	if err != nil {
		cancel()
		os.RemoveAll(dir)
		return "", nil, err
	}
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	stop := func() {
		cancel()
		if err := <-done; err != nil {
			fmt.Fprintf(out, "note        service stopped with %v\n", err)
		}
		if record {
			r, d, f := svc.UnansweredStats()
			fmt.Fprintf(out, "unanswered  %d recorded, %d dropped, %d failed\n", r, d, f)
		}
		os.RemoveAll(dir)
	}
	return "http://" + svc.Addr().String(), stop, nil
}
