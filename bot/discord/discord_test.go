package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/careersbot/careersbot/bot"
)

var nop = bot.HandlerFunc(func(context.Context, bot.Message) bot.Reply { return bot.Reply{} })

func TestNew(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(nil)
	key := hex.EncodeToString(pub)
	tests := []struct {
		name    string
		cfg     Config
		h       bot.Handler
		wantErr string // "" for success
	}{
		{"token only", Config{BotToken: "abc"}, nop, ""},
		{"token with Bot prefix", Config{BotToken: "Bot abc"}, nop, ""},
		{"key only", Config{PublicKey: key}, nop, ""},
		{"both, guild and app ids", Config{BotToken: "abc", PublicKey: key, GuildID: "123", AppID: "456", BaseURL: "http://127.0.0.1:1/prefix/"}, nop, ""},
		{"nothing", Config{}, nop, "bot token"},
		{"no handler", Config{BotToken: "abc"}, nil, "handler"},
		{"key not hex", Config{PublicKey: "zz" + key[2:]}, nop, "64 hex"},
		{"key too short", Config{PublicKey: key[:62]}, nop, "64 hex"},
		{"token with spaces", Config{BotToken: "abc def"}, nop, "spaces"},
		{"app id not digits", Config{BotToken: "abc", AppID: "my-app"}, nop, "application id"},
		{"guild id not digits", Config{BotToken: "abc", GuildID: "guild"}, nop, "guild id"},
		{"base URL without scheme", Config{BotToken: "abc", BaseURL: "localhost:8080"}, nop, "DISCORD_BASE_URL"},
		{"base URL ftp", Config{BotToken: "abc", BaseURL: "ftp://example.org"}, nop, "DISCORD_BASE_URL must be an http or https URL"},
		{"base URL with credentials", Config{BotToken: "abc", BaseURL: "http://u:p@example.org"}, nop, "must not carry a user name or password"},
		{"base URL with a query", Config{BotToken: "abc", BaseURL: "http://proxy.example/?key=Hunter2"}, nop, "DISCORD_BASE_URL must not have a query string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := New(tt.cfg, tt.h, nil)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				if a.Name() != "discord" || a.Connected() {
					t.Errorf("Name() = %q, Connected() = %v", a.Name(), a.Connected())
				}
				if tt.cfg.BotToken != "" && a.session.Token != "Bot abc" {
					t.Errorf("session token is not \"Bot \" + token")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New error = %v, want one mentioning %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), key[4:]) || strings.Contains(err.Error(), "def") {
				t.Errorf("error repeats a secret: %v", err)
			}
			if tt.cfg.BaseURL != "" && (strings.Contains(err.Error(), "example.org") || strings.Contains(err.Error(), "Hunter2") || strings.Contains(err.Error(), "localhost")) {
				t.Errorf("error quotes DISCORD_BASE_URL: %v", err)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(nil)
	tests := []struct {
		name string
		cfg  Config
		want int
	}{
		{"mounted with a public key", Config{PublicKey: hex.EncodeToString(pub)}, http.StatusUnauthorized},
		{"not mounted without one", Config{BotToken: "abc"}, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := New(tt.cfg, nop, nil)
			if err != nil {
				t.Fatal(err)
			}
			mux := http.NewServeMux()
			a.Routes(mux)
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest("POST", "/discord/interactions", strings.NewReader("{}")))
			if rec.Code != tt.want {
				t.Errorf("status %d, want %d", rec.Code, tt.want)
			}
		})
	}
}

func TestRunHTTPOnly(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(nil)
	a, err := New(Config{PublicKey: hex.EncodeToString(pub)}, nop, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.Run(ctx); err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
	if err := a.Run(context.Background()); err == nil {
		t.Errorf("second Run = nil, want an error")
	}
}

func TestRunRefusedToken(t *testing.T) {
	// A gateway that refuses the token as Discord does: close 4004.
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		c.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}})
		var identify map[string]any
		c.ReadJSON(&identify)
		c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."))
	}))
	defer gw.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v9/gateway", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"url": "ws" + strings.TrimPrefix(gw.URL, "http")})
	})
	rest := httptest.NewServer(mux)
	defer rest.Close()
	a, err := New(Config{BotToken: "wrong-secret", BaseURL: rest.URL}, nop, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = a.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "4004") || strings.Contains(err.Error(), "secret") {
		t.Errorf("Run = %v, want a 4004 error without the token", err)
	}
	if !bot.IsFatal(err) {
		t.Errorf("Run = %v, not marked fatal: serve would retry a refused token forever", err)
	}
}

func TestBaseTransport(t *testing.T) {
	tests := []struct {
		name, base, in, want string
	}{
		{"host swapped, path kept", "http://127.0.0.1:9000", "https://discord.com/api/v9/gateway", "http://127.0.0.1:9000/api/v9/gateway"},
		{"trailing slash", "http://127.0.0.1:9000/", "https://discord.com/api/v9/users/@me", "http://127.0.0.1:9000/api/v9/users/@me"},
		{"path prefix", "https://proxy.example/discord/", "https://discord.com/api/v9/channels/1/messages?x=1", "https://proxy.example/discord/api/v9/channels/1/messages?x=1"},
		{"escaped path", "http://h", "https://discord.com/api/v9/webhooks/1/a%2Fb/messages/@original", "http://h/api/v9/webhooks/1/a%2Fb/messages/@original"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			rt, err := newBaseTransport(tt.base, roundTripFunc(func(r *http.Request) (*http.Response, error) {
				got = r.URL.String()
				if r.Host != "" && r.Host != r.URL.Host {
					t.Errorf("Host header %q, want the base's", r.Host)
				}
				return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
			}))
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest("GET", tt.in, nil)
			if _, err := rt.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("sent to %s, want %s", got, tt.want)
			}
			if req.URL.String() != tt.in {
				t.Errorf("the original request was changed to %s", req.URL)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestSafeError(t *testing.T) {
	tokenURL := "https://discord.com/api/v9/interactions/1/itoken-secret/callback"
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"url error", &url.Error{Op: "Post", URL: tokenURL, Err: errors.New("connection refused")}, "Post: connection refused"},
		{"rest error", &discordgo.RESTError{Response: &http.Response{Status: "404 Not Found"}, ResponseBody: []byte(`{"message":"Unknown interaction"}`)},
			`HTTP 404 Not Found: {"message":"Unknown interaction"}`},
		{"rate limit", &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{URL: tokenURL, TooManyRequests: &discordgo.TooManyRequests{}}}, "rate limited, retry after 0s"},
		{"wrapped url error", fmt.Errorf("send: %w", &url.Error{Op: "Get", URL: tokenURL, Err: context.DeadlineExceeded}), "Get: context deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := safeError(tt.err)
			if got != tt.want || strings.Contains(got, "secret") {
				t.Errorf("safeError = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestInviteURL(t *testing.T) {
	tests := []struct {
		name, app, want string
		wantErr         bool
	}{
		{"application id", testAppID, "https://discord.com/oauth2/authorize?client_id=" + testAppID + "&permissions=274877991936&scope=bot+applications.commands", false},
		{"empty", "", "", true},
		{"not digits", "abc", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := InviteURL(tt.app)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("InviteURL(%q) = %q, %v; want %q", tt.app, got, err, tt.want)
			}
		})
	}
	// View Channels, Send Messages, Send Messages in Threads, Read Message
	// History, Embed Links: bits 10, 11, 38, 16, 14.
	if want := int64(1<<10 | 1<<11 | 1<<38 | 1<<16 | 1<<14); InvitePermissions != want {
		t.Errorf("InvitePermissions = %d, want %d", InvitePermissions, want)
	}
}
