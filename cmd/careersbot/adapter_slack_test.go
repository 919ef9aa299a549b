package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/config"
	"github.com/careersbot/careersbot/internal/testutil"
)

func TestSlackAdapterFactory(t *testing.T) {
	h := bot.HandlerFunc(func(context.Context, bot.Message) bot.Reply { return bot.Reply{} })
	tests := []struct {
		name    string
		slack   config.Slack
		want    bool   // an adapter is built
		wantErr string // or this error
	}{
		{name: "not configured"},
		{name: "socket mode", slack: config.Slack{BotToken: "xoxb-1", AppToken: "xapp-1"}, want: true},
		{name: "http mode", slack: config.Slack{BotToken: "xoxb-1", SigningSecret: "s", APIURL: "http://127.0.0.1:9/api"}, want: true},
		{name: "bot token alone", slack: config.Slack{BotToken: "xoxb-1"}, wantErr: "SLACK_APP_TOKEN"},
		{name: "no bot token", slack: config.Slack{AppToken: "xapp-1"}, wantErr: "SLACK_BOT_TOKEN"},
		{name: "wrong token kind", slack: config.Slack{BotToken: "xapp-very-secret", AppToken: "xapp-1"}, wantErr: "xoxb-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := slackAdapter(config.Config{Slack: tt.slack}, nil, h, nil)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "very-secret") {
					t.Fatalf("err = %v, want one about %q without the token", err, tt.wantErr)
				}
			case err != nil:
				t.Fatalf("err = %v", err)
			case !tt.want:
				if a != nil {
					t.Fatalf("built %v with no credentials", a)
				}
			default:
				if a == nil || a.Name() != "slack" {
					t.Fatalf("adapter = %v", a)
				}
				if _, ok := a.(bot.RouteAdapter); !ok {
					t.Error("not a RouteAdapter")
				}
				if _, ok := a.(bot.Connector); !ok {
					t.Error("not a Connector")
				}
			}
		})
	}
}

// TestAdapterLogKeyOnce: each adapter line names its adapter once (the
// factories used to add the key the adapters add themselves).
func TestAdapterLogKeyOnce(t *testing.T) {
	h := bot.HandlerFunc(func(context.Context, bot.Message) bot.Reply { return bot.Reply{} })
	var buf testutil.SyncBuffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	s, err := slackAdapter(config.Config{Slack: config.Slack{BotToken: "xoxb-1", SigningSecret: "s", APIURL: "http://127.0.0.1:9/api/"}}, nil, h, log)
	if err != nil {
		t.Fatal(err)
	}
	d, err := discordAdapter(config.Config{Discord: config.Discord{PublicKey: strings.Repeat("ab", 32)}}, nil, h, log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	for _, a := range []bot.Adapter{s, d} {
		if err := a.Run(ctx); err != nil && !bot.IsFatal(err) {
			t.Logf("%s: %v", a.Name(), err)
		}
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) < 2 {
		t.Fatalf("want a line from each adapter:\n%s", buf.String())
	}
	for _, l := range lines {
		if n := strings.Count(l, "adapter="); n != 1 {
			t.Errorf("adapter key %d times: %s", n, l)
		}
	}
}
