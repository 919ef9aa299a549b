package slack

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	slackgo "github.com/slack-go/slack"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"socket mode", Config{BotToken: "xoxb-1", AppToken: "xapp-1"}, ""},
		{"http mode", Config{BotToken: "xoxb-1", SigningSecret: "s"}, ""},
		{"both", Config{BotToken: "xoxb-1", AppToken: "xapp-1", SigningSecret: "s"}, ""},
		{"no bot token", Config{AppToken: "xapp-1"}, "bot token"},
		{"user token", Config{BotToken: "xoxp-secret-value", AppToken: "xapp-1"}, "must start with xoxb-"},
		{"bot token as app token", Config{BotToken: "xoxb-1", AppToken: "xoxb-secret-value"}, "must start with xapp-"},
		{"nothing to listen on", Config{BotToken: "xoxb-1"}, "SLACK_APP_TOKEN"},
		{"bad API URL", Config{BotToken: "xoxb-1", AppToken: "xapp-1", APIURL: "ftp://x"}, "SLACK_API_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, &recorder{}, nil)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New = %v, want an error about %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "secret-value") {
				t.Errorf("error shows a token: %v", err)
			}
		})
	}
	if _, err := New(Config{BotToken: "xoxb-1", AppToken: "xapp-1"}, nil, nil); err == nil {
		t.Error("New without a handler succeeded")
	}
}

func TestNormalizeAPIURL(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{"", slackgo.APIURL, ""},
		{"http://127.0.0.1:8089/api", "http://127.0.0.1:8089/api/", ""},
		{"http://127.0.0.1:8089/api/", "http://127.0.0.1:8089/api/", ""},
		{" https://slack.example/api/ ", "https://slack.example/api/", ""},
		{"ftp://slack.example/api", "", "SLACK_API_URL must be an http or https URL"},
		{"slack.com/api", "", "SLACK_API_URL must be an http or https URL"},
		{"http://u:pw@x.example/api", "", "SLACK_API_URL must not carry a user name or password"},
		{"http://x.example/api?token=xoxb-secret-value", "", "SLACK_API_URL must not have a query string"},
		{"http://x.example/api#secret-value", "", "SLACK_API_URL must not have a fragment"},
		{"http://x.example:bad-secret-value/api", "", "SLACK_API_URL is not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := normalizeAPIURL(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("normalizeAPIURL(%q) = %q, %v; want error with %q", tt.in, got, err, tt.wantErr)
				}
				// The value is never echoed: any part of it may be a credential.
				for _, part := range []string{"secret-value", "pw", "x.example", "slack.example"} {
					if err != nil && strings.Contains(err.Error(), part) && strings.Contains(tt.in, part) {
						t.Errorf("the error quotes the setting (%q): %v", part, err)
					}
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("normalizeAPIURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestFatalAndRedact(t *testing.T) {
	tests := []struct {
		err   error
		fatal bool
	}{
		{slackgo.SlackErrorResponse{Err: "invalid_auth"}, true},
		{fmt.Errorf("wrapped: %w", slackgo.SlackErrorResponse{Err: "token_revoked"}), true},
		{errors.New("not_authed"), true},
		{slackgo.StatusCodeError{Code: 404, Status: "404 Not Found"}, false},
		{&slackgo.RateLimitedError{RetryAfter: time.Second}, false},
		{errors.New("dial tcp: connection refused"), false},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			if got := fatal(tt.err); got != tt.fatal {
				t.Errorf("fatal = %v, want %v", got, tt.fatal)
			}
		})
	}
	got := redact(errors.New(`Post "wss://x/link/?ticket=abc-123&app_id=A1": token xoxb-12-ab and xapp-1-A1-99 and xoxp-3`))
	for _, s := range []string{"abc-123", "xoxb-12", "xapp-1", "xoxp-3"} {
		if strings.Contains(got, s) {
			t.Errorf("redact left %q in %q", s, got)
		}
	}
}

func TestPool(t *testing.T) {
	p := newPool(2, 3)
	release := make(chan struct{})
	var running, peak atomic.Int64
	job := func() {
		n := running.Add(1)
		for {
			old := peak.Load()
			if n <= old || peak.CompareAndSwap(old, n) {
				break
			}
		}
		<-release
		running.Add(-1)
	}
	for i := range 3 {
		if !p.Go(job) {
			t.Fatalf("job %d refused", i)
		}
	}
	if p.Go(job) {
		t.Error("fourth job accepted beyond maxQueued")
	}
	if p.Wait(time.Millisecond) {
		t.Error("Wait reported idle with jobs running")
	}
	close(release)
	if !p.Wait(waitFor) {
		t.Fatal("pool never went idle")
	}
	if peak.Load() > 2 {
		t.Errorf("%d jobs ran at once, want at most 2", peak.Load())
	}
	if !p.Go(func() {}) {
		t.Error("job refused after the pool drained")
	}
	p.Wait(waitFor)
}

func TestHookErrorHidesURL(t *testing.T) {
	_, err := http.Post("http://127.0.0.1:1/commands/T0001/12345/capability-path", "application/json", nil)
	if err == nil {
		t.Skip("something listens on 127.0.0.1:1")
	}
	err = fmt.Errorf("failed to post webhook: %w", err)
	if got := hookError(err); strings.Contains(got, "capability-path") || !strings.HasPrefix(got, "post response_url: ") {
		t.Errorf("hookError = %q", got)
	}
}
