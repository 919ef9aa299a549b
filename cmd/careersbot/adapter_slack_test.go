package main

import (
	"context"
	"strings"
	"testing"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/config"
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
