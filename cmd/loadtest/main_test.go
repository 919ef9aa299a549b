package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/careersbot/careersbot/internal/testutil"
)

func TestLoopbackOnly(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://localhost:8080/", true},
		{"http://[::1]:8080", true},
		{"http://127.0.0.2:80", true},
		{"http://10.0.0.1:8080", false},
		{"https://example.com", false},
		{"ftp://127.0.0.1", false},
		{"127.0.0.1:8080", false},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			if err := loopbackOnly(tc.url); (err == nil) != tc.ok {
				t.Errorf("loopbackOnly(%q) = %v, want ok %v", tc.url, err, tc.ok)
			}
		})
	}
}

func TestPct(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		p    int
		want time.Duration
	}{{50, 50 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}}
	for _, tc := range tests {
		t.Run(tc.want.String(), func(t *testing.T) {
			if got := pct(d, tc.p); got != tc.want {
				t.Errorf("pct(%d) = %s, want %s", tc.p, got, tc.want)
			}
		})
	}
}

// TestRunInProcess runs a tiny load: every request must succeed.
func TestRunInProcess(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-c", "4", "-d", "200ms", "-warmup", "0"}, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"errors      0", "latency     p50", "memory", "a second"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestRunReplicas runs a tiny load on two replicas sharing a real Redis:
// no errors, and every event delivered to both answered exactly once.
func TestRunReplicas(t *testing.T) {
	redisURL := testutil.RedisURL(t)
	var out bytes.Buffer
	if err := run([]string{"-replicas", "2", "-redis", redisURL, "-c", "4", "-d", "200ms", "-warmup", "0", "-events", "100"}, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"errors      0", "2 replicas", "100 answered, 0 duplicates, 0 lost", "per answered event", "per answer\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRunRefuses(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"remote host", []string{"-url", "http://192.0.2.1:8080", "-d", "1s"}},
		{"too long", []string{"-d", "1h"}},
		{"no clients", []string{"-c", "0"}},
		{"replicas without redis", []string{"-replicas", "2"}},
		{"redis elsewhere", []string{"-replicas", "2", "-redis", "redis://192.0.2.1:6379/0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := run(tc.args, &bytes.Buffer{}); err == nil {
				t.Error("run succeeded")
			}
		})
	}
}
