package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/config"
)

func TestDiscordInviteURL(t *testing.T) {
	const want = "https://discord.com/oauth2/authorize?client_id=123456789012345678&permissions=274877991936&scope=bot+applications.commands\n"
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		stdout    string
		errIs     error
		usage     bool   // want a usage error
		errSubstr string // in the error
		stderr    string // in stderr
		stdoutHas string // in stdout
	}{
		{name: "from env", args: []string{"discord", "invite-url"}, env: map[string]string{"DISCORD_APPLICATION_ID": "123456789012345678"}, stdout: want},
		{name: "flag beats env", args: []string{"discord", "invite-url", "--app-id", "123456789012345678"}, env: map[string]string{"DISCORD_APPLICATION_ID": "999"}, stdout: want},
		{name: "no application id", args: []string{"discord", "invite-url"}, usage: true, errSubstr: "DISCORD_APPLICATION_ID"},
		{name: "bad application id", args: []string{"discord", "invite-url", "--app-id", "my-bot"}, usage: true, errSubstr: "not a Discord id"},
		{name: "extra argument", args: []string{"discord", "invite-url", "123"}, usage: true, errSubstr: "unexpected argument"},
		{name: "help", args: []string{"discord", "invite-url", "--help"}, stdoutHas: "Application ID"},
		{name: "no subcommand", args: []string{"discord"}, usage: true, stderr: "invite-url"},
		{name: "unknown subcommand", args: []string{"discord", "register"}, usage: true, errSubstr: "register"},
		{name: "discord help", args: []string{"discord", "--help"}, stdoutHas: "invite-url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			m := &Main{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
				Getenv: func(k string) string { return tt.env[k] }}
			err := m.Run(context.Background(), tt.args)
			var ue *usageError
			switch {
			case tt.usage && !errors.As(err, &ue):
				t.Fatalf("err = %v, want a usage error", err)
			case tt.errIs != nil && !errors.Is(err, tt.errIs):
				t.Fatalf("err = %v, want %v", err, tt.errIs)
			case !tt.usage && tt.errIs == nil && err != nil:
				t.Fatalf("err = %v", err)
			}
			if tt.errSubstr != "" && !strings.Contains(err.Error(), tt.errSubstr) {
				t.Errorf("err = %v, want it to mention %q", err, tt.errSubstr)
			}
			if tt.stdout != "" && stdout.String() != tt.stdout {
				t.Errorf("stdout = %q, want %q", stdout.String(), tt.stdout)
			}
			if !strings.Contains(stdout.String(), tt.stdoutHas) {
				t.Errorf("stdout = %q, want it to contain %q", stdout.String(), tt.stdoutHas)
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tt.stderr)
			}
		})
	}
}

func TestDiscordAdapterFactory(t *testing.T) {
	h := bot.HandlerFunc(func(context.Context, bot.Message) bot.Reply { return bot.Reply{} })
	tests := []struct {
		name    string
		cfg     config.Discord
		want    bool // an adapter
		wantErr bool
	}{
		{"no credentials", config.Discord{GuildID: "1"}, false, false},
		{"bot token", config.Discord{BotToken: "abc"}, true, false},
		{"public key", config.Discord{PublicKey: strings.Repeat("ab", 32)}, true, false},
		{"bad public key", config.Discord{PublicKey: "nothex-secret"}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := discordAdapter(config.Config{Discord: tt.cfg}, nil, h, slog.New(slog.DiscardHandler))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("error repeats the key: %v", err)
			}
			if (a != nil) != tt.want {
				t.Fatalf("adapter = %v, want one: %v", a, tt.want)
			}
			if a != nil {
				if a.Name() != "discord" {
					t.Errorf("Name() = %q", a.Name())
				}
				if _, ok := a.(bot.RouteAdapter); !ok {
					t.Errorf("not a RouteAdapter")
				}
				if _, ok := a.(bot.Connector); !ok {
					t.Errorf("not a Connector")
				}
			}
		})
	}
}
