package discord

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		header    string
		body      string
		wantWait  time.Duration
		wantRetry bool
	}{
		{"429 body", 429, "", `{"retry_after":0.25}`, 250 * time.Millisecond, true},
		{"429 header only", 429, "2", `not json`, 2 * time.Second, true},
		{"429 neither", 429, "", ``, time.Second, true},
		{"429 too long to wait", 429, "", `{"retry_after":60}`, 60 * time.Second, false},
		{"502", 502, "", ``, 500 * time.Millisecond, true},
		{"503", 503, "", ``, 500 * time.Millisecond, true},
		{"400", 400, "", `{"message":"Invalid Form Body"}`, 0, false},
		{"404", 404, "", `{"message":"Unknown interaction"}`, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Header: http.Header{}}
			if tt.header != "" {
				resp.Header.Set("Retry-After", tt.header)
			}
			wait, retry := retryAfter(resp, []byte(tt.body))
			if wait != tt.wantWait || retry != tt.wantRetry {
				t.Errorf("retryAfter = %v, %v; want %v, %v", wait, retry, tt.wantWait, tt.wantRetry)
			}
		})
	}
}

func TestRespondErrors(t *testing.T) {
	t.Parallel()
	s := newStandin(t)
	a, err := New(Config{BotToken: testToken, BaseURL: s.srv.URL}, nop, nil)
	if err != nil {
		t.Fatal(err)
	}
	pong := &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}
	tests := []struct {
		name      string
		id        string
		limit     int // 429s before success
		wantCalls int
		wantErr   string
	}{
		{"one 429 then success", "9001", 1, 2, ""},
		{"429 every time gives up", "9002", 10, maxAttempts, "HTTP 429"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := "itoken-secret-" + tt.id
			path := "/api/v9/interactions/" + tt.id + "/" + token + "/callback"
			s.limit("POST", path, tt.limit, false)
			err := a.respond(context.Background(), &discordgo.Interaction{ID: tt.id, Token: token}, pong)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("respond: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("respond error = %v, want %q", err, tt.wantErr)
			case err != nil && strings.Contains(err.Error(), "secret"):
				t.Errorf("error carries the interaction token: %v", err)
			}
			calls := s.callsTo("POST", path)
			if len(calls) != tt.wantCalls {
				t.Errorf("%d calls, want %d", len(calls), tt.wantCalls)
			}
			for _, c := range calls {
				if c.Auth != "" {
					t.Errorf("interaction callback sent the bot token")
				}
				if string(c.Body) != `{"type":1}` {
					t.Errorf("body %s, want {\"type\":1}", c.Body)
				}
			}
		})
	}

	t.Run("unreachable", func(t *testing.T) {
		b, err := New(Config{BotToken: testToken, BaseURL: "http://127.0.0.1:1"}, nop, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = b.editOriginal(context.Background(), testAppID, "itoken-secret-x", &discordgo.WebhookEdit{})
		if err == nil || strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "http") {
			t.Errorf("editOriginal error = %v, want one without the URL", err)
		}
	})
}
