package discord

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/careersbot/careersbot/bot"
)

func TestRender(t *testing.T) {
	long := strings.Repeat("é", 3000)
	tests := []struct {
		name        string
		reply       bot.Reply
		quote       string
		wantContent string // exact, unless empty
		contains    []string
		absent      []string
	}{
		{
			name: "answer with source",
			reply: bot.Reply{Answered: true, Text: "Genetics staff work in labs.",
				Sources: []bot.Source{{Document: "Careers", Section: "Life sciences", URL: "https://example.org/x"}}},
			wantContent: "Genetics staff work in labs.\n-# Source: Careers › Life sciences · <https://example.org/x>",
		},
		{
			name: "fallback shows no source",
			reply: bot.Reply{Answered: false, Text: "I don't know.",
				Sources: []bot.Source{{Document: "Careers"}}},
			wantContent: "I don't know.",
		},
		{
			name:        "empty answer",
			reply:       bot.Reply{},
			wantContent: noAnswer,
		},
		{
			name:     "button question quoted",
			reply:    bot.Reply{Answered: true, Text: "Yes."},
			quote:    "Is genetics part of\nlife sciences?",
			contains: []string{"**Is genetics part of life sciences?**\nYes."},
		},
		{
			name: "non-web URL not linked",
			reply: bot.Reply{Answered: true, Text: "x",
				Sources: []bot.Source{{Document: "D", URL: "javascript:alert(1)"}}},
			absent: []string{"javascript"},
		},
		{
			name: "long answer cut to 2000 characters with its source",
			reply: bot.Reply{Answered: true, Text: long,
				Sources: []bot.Source{{Document: "D"}}},
			contains: []string{"…\n-# Source: D"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content, _ := render(tt.reply, tt.quote)
			if n := utf8.RuneCountInString(content); n > maxContent {
				t.Errorf("content has %d characters, over %d", n, maxContent)
			}
			if tt.wantContent != "" && content != tt.wantContent {
				t.Errorf("content = %q, want %q", content, tt.wantContent)
			}
			for _, s := range tt.contains {
				if !strings.Contains(content, s) {
					t.Errorf("content = %q, want it to contain %q", content, s)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(content, s) {
					t.Errorf("content = %q, should not contain %q", content, s)
				}
			}
		})
	}
}

func TestButtons(t *testing.T) {
	long := "Which " + strings.Repeat("very ", 20) + "long question?"
	tests := []struct {
		name    string
		in      []string
		wantIDs []string
	}{
		{"none", nil, nil},
		{"blank and duplicates dropped", []string{"", "  ", "What is genetics?", "What  is genetics?"}, []string{"ask:What is genetics?"}},
		{"too long for a custom_id dropped", []string{long, "Short?"}, []string{"ask:Short?"}},
		{"at most five", []string{"a", "b", "c", "d", "e", "f"}, []string{"ask:a", "ask:b", "ask:c", "ask:d", "ask:e"}},
		{"96 characters fit exactly", []string{strings.Repeat("x", 96), strings.Repeat("y", 97)}, []string{"ask:" + strings.Repeat("x", 96)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			comps := buttons(tt.in)
			b, _ := json.Marshal(comps)
			if string(b) == "null" {
				t.Fatalf("components encode as null; want a list")
			}
			var ids []string
			for _, c := range comps {
				row := c.(discordgo.ActionsRow)
				for _, x := range row.Components {
					btn := x.(discordgo.Button)
					if utf8.RuneCountInString(btn.Label) > maxLabel {
						t.Errorf("label %q is over %d characters", btn.Label, maxLabel)
					}
					q, ok := buttonQuestion(btn.CustomID)
					if !ok || askPrefix+q != btn.CustomID {
						t.Errorf("custom_id %q does not round-trip", btn.CustomID)
					}
					ids = append(ids, btn.CustomID)
				}
			}
			if strings.Join(ids, "|") != strings.Join(tt.wantIDs, "|") {
				t.Errorf("custom_ids = %q, want %q", ids, tt.wantIDs)
			}
		})
	}
}

func TestButtonQuestion(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"ask:What is genetics?", "What is genetics?", true},
		{"ask:", "", false},
		{"ask:   ", "", false},
		{"other:x", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := buttonQuestion(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("buttonQuestion(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestChoices(t *testing.T) {
	cands := []string{"What is genetics?", "Where do genetics staff work?", "What is audiology?", strings.Repeat("z", 101)}
	many := make([]string, 40)
	for i := range many {
		many[i] = "question " + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	tests := []struct {
		name  string
		typed string
		cands []string
		want  []string
	}{
		{"empty shows candidates that fit", "", cands, []string{"What is genetics?", "Where do genetics staff work?", "What is audiology?"}},
		{"typed first then fuzzy matches", "gentics", cands, []string{"gentics", "What is genetics?", "Where do genetics staff work?"}},
		{"typed matching a candidate is not repeated", "what is audiology?", cands, []string{"what is audiology?"}},
		{"no candidates", "anything", nil, []string{"anything"}},
		{"at most 25", "", many, many[:25]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range choices(tt.typed, tt.cands) {
				if c.Value != c.Name {
					t.Errorf("choice %q has value %v", c.Name, c.Value)
				}
				got = append(got, c.Name)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("choices = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestQuestion(t *testing.T) {
	user := &discordgo.User{ID: testUserID}
	tests := []struct {
		name  string
		m     *discordgo.Message
		botID string
		want  string
		ok    bool
	}{
		{"nil", nil, testBotID, "", false},
		{"no author", &discordgo.Message{Content: "hi"}, testBotID, "", false},
		{"DM", &discordgo.Message{Author: user, Content: " what is genetics "}, testBotID, "what is genetics", true},
		{"DM before READY", &discordgo.Message{Author: user, Content: "hi"}, "", "hi", true},
		{"guild before READY", &discordgo.Message{Author: user, GuildID: testGuildID, Content: "<@" + testBotID + "> hi"}, "", "", false},
		{"guild mention in mentions only", &discordgo.Message{Author: user, GuildID: testGuildID, Content: "hi",
			Mentions: []*discordgo.User{nil, {ID: testBotID}}}, testBotID, "hi", true},
		{"reply type", &discordgo.Message{Author: user, GuildID: testGuildID, Type: discordgo.MessageTypeReply,
			Content: "<@" + testBotID + "> and where?"}, testBotID, "and where?", true},
		{"system author", &discordgo.Message{Author: &discordgo.User{ID: "1", System: true}, Content: "x"}, testBotID, "", false},
		{"thread created", &discordgo.Message{Author: user, Type: discordgo.MessageTypeThreadCreated, Content: "x"}, testBotID, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := question(tt.m, tt.botID)
			if got != tt.want || ok != tt.ok {
				t.Errorf("question() = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
