package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/careersbot/careersbot/bot"
)

// response is an interaction response or message body as the stand-in
// received it.
type response struct {
	Type int `json:"type"`
	Data struct {
		Content    string `json:"content"`
		Flags      int    `json:"flags"`
		Components []struct {
			Type       int `json:"type"`
			Components []struct {
				Type     int    `json:"type"`
				Style    int    `json:"style"`
				Label    string `json:"label"`
				CustomID string `json:"custom_id"`
			} `json:"components"`
		} `json:"components"`
		Choices []struct {
			Name  string `json:"name"`
			Value any    `json:"value"`
		} `json:"choices"`
	} `json:"data"`
}

// message is a message body (channel message or webhook edit).
type message struct {
	Content   string `json:"content"`
	Reference *struct {
		MessageID       string `json:"message_id"`
		ChannelID       string `json:"channel_id"`
		GuildID         string `json:"guild_id"`
		FailIfNotExists *bool  `json:"fail_if_not_exists"`
	} `json:"message_reference"`
	AllowedMentions *struct {
		Parse       []string `json:"parse"`
		RepliedUser bool     `json:"replied_user"`
	} `json:"allowed_mentions"`
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}

// checkNoPings fails unless body carries allowed_mentions with an empty,
// non-null parse list.
func checkNoPings(t *testing.T, body []byte) {
	t.Helper()
	if !bytes.Contains(body, []byte(`"parse":[]`)) {
		t.Errorf(`body lacks "parse":[]: %s`, body)
	}
}

func member(id string) map[string]any {
	return map[string]any{"user": map[string]any{"id": id, "username": "asker"}}
}

func commandInteraction(id, token, channel, question string) map[string]any {
	return map[string]any{
		"id": id, "application_id": testAppID, "type": 2, "token": token, "version": 1,
		"guild_id": testGuildID, "channel_id": channel, "member": member(testUserID),
		"data": map[string]any{"id": "900", "name": "careers", "type": 1,
			"options": []any{map[string]any{"name": "question", "type": 3, "value": question}}},
	}
}

func guildMessage(id, channel, author, content string, bot bool, mentions ...string) map[string]any {
	var ms []any
	for _, m := range mentions {
		ms = append(ms, map[string]any{"id": m, "username": "someone"})
	}
	return map[string]any{
		"id": id, "channel_id": channel, "guild_id": testGuildID, "type": 0, "content": content,
		"timestamp": "2025-01-02T03:04:05.000000+00:00",
		"author":    map[string]any{"id": author, "username": "asker", "bot": bot},
		"mentions":  ms,
	}
}

func dmMessage(id, channel, content string) map[string]any {
	m := guildMessage(id, channel, testUserID, content, false)
	delete(m, "guild_id")
	return m
}

func TestGatewayRegistersCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cfg      Config
		wantPath string
	}{
		{"global, application id from READY", Config{}, "/api/v9/applications/" + testAppID + "/commands"},
		{"guild", Config{AppID: testAppID, GuildID: testGuildID}, "/api/v9/applications/" + testAppID + "/guilds/" + testGuildID + "/commands"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hs := startGateway(t, tt.cfg, nil)
			calls := hs.s.waitCalls("PUT", tt.wantPath, 1)
			if got := calls[0].Auth; got != "Bot "+testToken {
				t.Errorf("Authorization = %q, want the bot token", got)
			}
			cmds := decode[[]map[string]any](t, calls[0].Body)
			if len(cmds) != 1 {
				t.Fatalf("registered %d commands, want 1: %s", len(cmds), calls[0].Body)
			}
			c := cmds[0]
			if c["name"] != "careers" || c["type"] != float64(1) || c["description"] == "" {
				t.Errorf("command = %v, want a chat command named careers with a description", c)
			}
			opts, _ := c["options"].([]any)
			if len(opts) != 1 {
				t.Fatalf("options = %v, want one", c["options"])
			}
			o := opts[0].(map[string]any)
			if o["name"] != "question" || o["type"] != float64(3) || o["required"] != true || o["autocomplete"] != true || o["description"] == "" {
				t.Errorf("option = %v, want required string question with autocomplete", o)
			}

			hs.s.waitFor("a heartbeat", func() bool { return len(hs.s.beats) > 0 })
			hs.s.mu.Lock()
			ident := decode[struct {
				Token      string `json:"token"`
				Intents    int    `json:"intents"`
				Properties struct {
					OS string `json:"os"`
				} `json:"properties"`
			}](t, hs.s.idents[0])
			beat := hs.s.beats[0]
			hs.s.mu.Unlock()
			if ident.Token != "Bot "+testToken {
				t.Errorf("IDENTIFY token is not the bot token")
			}
			want := int(discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages | discordgo.IntentsMessageContent)
			if ident.Intents != want {
				t.Errorf("intents = %d, want %d (guild messages, direct messages, message content)", ident.Intents, want)
			}
			if beat != 1 {
				t.Errorf("first heartbeat carried seq %d, want 1 (READY's)", beat)
			}
			if !hs.a.Connected() {
				t.Errorf("Connected() = false after READY")
			}
		})
	}
}

func TestGatewayWithoutMessageContentIntent(t *testing.T) {
	t.Parallel()
	hs := startGateway(t, Config{}, nil, func(s *standin) { s.disallowed = int(discordgo.IntentsMessageContent) })
	hs.s.mu.Lock()
	var intents []int
	for _, raw := range hs.s.idents {
		intents = append(intents, decode[struct {
			Intents int `json:"intents"`
		}](t, raw).Intents)
	}
	hs.s.mu.Unlock()
	want := []int{
		int(discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages | discordgo.IntentsMessageContent),
		int(discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages),
	}
	if fmt.Sprint(intents) != fmt.Sprint(want) {
		t.Errorf("IDENTIFY intents %v, want %v (retry without message content after close 4014)", intents, want)
	}
	hs.s.dispatch("MESSAGE_CREATE", guildMessage("7001", "761", testUserID, "<@"+testBotID+"> still here?", false, testBotID))
	hs.s.waitCalls("POST", "/api/v9/channels/761/messages", 1)
	if !strings.Contains(hs.logs.String(), "Message Content intent") {
		t.Errorf("no warning about the missing intent in the logs")
	}
}

func TestGatewayInteractions(t *testing.T) {
	t.Parallel()
	cands := []string{"What is genetics?", "Where do genetics staff work?", "What do physiological sciences staff do?"}
	hs := startGateway(t, Config{Candidates: func() []string { return cands }}, nil)
	callback := func(id, token string) string { return "/api/v9/interactions/" + id + "/" + token + "/callback" }

	tests := []struct {
		name        string
		interaction map[string]any
		check       func(t *testing.T, r response, body []byte)
		wantMsg     *bot.Message
	}{
		{
			name:        "slash command",
			interaction: commandInteraction("1001", "itoken-secret-1", "881", "where do genetics staff work <@&1234> @everyone"),
			check: func(t *testing.T, r response, body []byte) {
				if r.Type != 4 {
					t.Fatalf("type = %d, want 4", r.Type)
				}
				if !strings.Contains(r.Data.Content, "answer to: where do genetics staff work <@&1234> @everyone") {
					t.Errorf("content = %q, want the handler's answer", r.Data.Content)
				}
				if !strings.Contains(r.Data.Content, "Source: Careers in healthcare science › Life sciences") {
					t.Errorf("content = %q, want the source", r.Data.Content)
				}
				checkNoPings(t, body)
				if len(r.Data.Components) != 1 || len(r.Data.Components[0].Components) != 2 {
					t.Fatalf("components = %+v, want one row of two buttons", r.Data.Components)
				}
				b := r.Data.Components[0].Components[0]
				if b.Type != 2 || b.CustomID != "ask:What is genetics?" || b.Label != "What is genetics?" {
					t.Errorf("button = %+v, want a button asking the first suggestion", b)
				}
			},
			wantMsg: &bot.Message{Adapter: "discord", Conversation: "discord:881:" + testUserID, User: testUserID,
				Text: "where do genetics staff work <@&1234> @everyone"},
		},
		{
			name: "suggestion button",
			interaction: map[string]any{
				"id": "1002", "application_id": testAppID, "type": 3, "token": "itoken-secret-2", "version": 1,
				"guild_id": testGuildID, "channel_id": "882", "member": member(testUserID),
				"message": map[string]any{"id": "5000", "channel_id": "882", "content": "earlier answer", "timestamp": "2025-01-02T03:04:05+00:00"},
				"data":    map[string]any{"custom_id": "ask:What is genetics?", "component_type": 2},
			},
			check: func(t *testing.T, r response, body []byte) {
				if r.Type != 4 {
					t.Fatalf("type = %d, want 4", r.Type)
				}
				if !strings.Contains(r.Data.Content, "**What is genetics?**") || !strings.Contains(r.Data.Content, "answer to: What is genetics?") {
					t.Errorf("content = %q, want the question and its answer", r.Data.Content)
				}
				checkNoPings(t, body)
			},
			wantMsg: &bot.Message{Adapter: "discord", Conversation: "discord:882:" + testUserID, User: testUserID, Text: "What is genetics?"},
		},
		{
			name: "autocomplete",
			interaction: map[string]any{
				"id": "1003", "application_id": testAppID, "type": 4, "token": "itoken-secret-3", "version": 1,
				"guild_id": testGuildID, "channel_id": "883", "member": member(testUserID),
				"data": map[string]any{"id": "900", "name": "careers", "type": 1,
					"options": []any{map[string]any{"name": "question", "type": 3, "value": "genetic", "focused": true}}},
			},
			check: func(t *testing.T, r response, body []byte) {
				if r.Type != 8 {
					t.Fatalf("type = %d, want 8", r.Type)
				}
				var names []string
				for _, c := range r.Data.Choices {
					names = append(names, c.Name)
					if c.Value != c.Name {
						t.Errorf("choice %q has value %v, want the same text", c.Name, c.Value)
					}
				}
				want := []string{"genetic", "What is genetics?", "Where do genetics staff work?"}
				if strings.Join(names, "|") != strings.Join(want, "|") {
					t.Errorf("choices = %q, want %q", names, want)
				}
			},
		},
		{
			name: "unknown command",
			interaction: func() map[string]any {
				i := commandInteraction("1004", "itoken-secret-4", "884", "hello")
				i["data"].(map[string]any)["name"] = "other"
				return i
			}(),
			check: func(t *testing.T, r response, body []byte) {
				if r.Type != 4 || r.Data.Flags != int(discordgo.MessageFlagsEphemeral) {
					t.Errorf("response = %+v, want an ephemeral type 4", r)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, token := tt.interaction["id"].(string), tt.interaction["token"].(string)
			before := len(hs.h.messages())
			hs.s.dispatch("INTERACTION_CREATE", tt.interaction)
			calls := hs.s.waitCalls("POST", callback(id, token), 1)
			if len(calls) != 1 {
				t.Errorf("%d callbacks, want 1", len(calls))
			}
			tt.check(t, decode[response](t, calls[0].Body), calls[0].Body)
			msgs := hs.h.messages()[before:]
			if tt.wantMsg == nil {
				if len(msgs) != 0 {
					t.Errorf("handler got %+v, want nothing", msgs)
				}
				return
			}
			if len(msgs) != 1 || msgs[0] != *tt.wantMsg {
				t.Errorf("handler got %+v, want %+v", msgs, *tt.wantMsg)
			}
		})
	}
}

func TestGatewayMessages(t *testing.T) {
	t.Parallel()
	hs := startGateway(t, Config{}, nil)

	answered := []struct {
		name     string
		msg      map[string]any
		wantText string
		reply    bool
	}{
		{"mention", guildMessage("3001", "701", testUserID, "<@"+testBotID+"> where do genetics staff work? @everyone <@&99>", false, testBotID),
			"where do genetics staff work? @everyone <@&99>", true},
		{"nickname mention", guildMessage("3002", "702", testUserID, "hi <@!"+testBotID+"> what is genetics", false, testBotID),
			"hi what is genetics", true},
		{"mention alone asks for help", guildMessage("3003", "703", testUserID, "<@"+testBotID+">", false, testBotID), "help", true},
		{"direct message", dmMessage("3004", "704", "what is genetics"), "what is genetics", false},
	}
	for _, tt := range answered {
		t.Run(tt.name, func(t *testing.T) {
			channel := tt.msg["channel_id"].(string)
			hs.s.dispatch("MESSAGE_CREATE", tt.msg)
			calls := hs.s.waitCalls("POST", "/api/v9/channels/"+channel+"/messages", 1)
			if len(calls) != 1 {
				t.Errorf("%d replies, want 1", len(calls))
			}
			m := decode[message](t, calls[0].Body)
			if want := "answer to: " + tt.wantText; !strings.Contains(m.Content, want) {
				t.Errorf("content = %q, want it to contain %q", m.Content, want)
			}
			checkNoPings(t, calls[0].Body)
			if m.AllowedMentions == nil || m.AllowedMentions.RepliedUser {
				t.Errorf("allowed_mentions = %+v, want no pings at all", m.AllowedMentions)
			}
			switch {
			case tt.reply && (m.Reference == nil || m.Reference.MessageID != tt.msg["id"] || m.Reference.ChannelID != channel || m.Reference.GuildID != testGuildID):
				t.Errorf("message_reference = %+v, want a reply to message %v", m.Reference, tt.msg["id"])
			case tt.reply && (m.Reference.FailIfNotExists == nil || *m.Reference.FailIfNotExists):
				t.Errorf("fail_if_not_exists should be false, so a deleted question still gets its answer")
			case !tt.reply && m.Reference != nil:
				t.Errorf("message_reference = %+v, want none in a DM", m.Reference)
			}
			var got []bot.Message
			for _, m := range hs.h.messages() {
				if strings.Contains(m.Conversation, ":"+channel+":") {
					got = append(got, m)
				}
			}
			want := bot.Message{Adapter: "discord", Conversation: "discord:" + channel + ":" + testUserID, User: testUserID, Text: tt.wantText}
			if len(got) != 1 || got[0] != want {
				t.Errorf("handler got %+v, want %+v", got, want)
			}
		})
	}

	t.Run("ignored", func(t *testing.T) {
		const quiet = "710"
		ignored := []map[string]any{
			guildMessage("3101", quiet, "888888888888888888", "<@"+testBotID+"> from another bot", true, testBotID),
			guildMessage("3102", quiet, testBotID, "<@"+testBotID+"> from itself", false, testBotID),
			guildMessage("3103", quiet, testUserID, "what is genetics, no mention", false),
			guildMessage("3104", quiet, testUserID, "@everyone what is genetics", false),
			guildMessage("3105", quiet, testUserID, "<@"+testUserID+"> someone else", false, testUserID),
			func() map[string]any {
				m := guildMessage("3106", quiet, testUserID, "<@"+testBotID+"> via webhook", false, testBotID)
				m["webhook_id"] = "999999999999999999"
				return m
			}(),
			func() map[string]any {
				m := guildMessage("3107", quiet, testUserID, "<@"+testBotID+"> pinned", false, testBotID)
				m["type"] = 6 // channel pinned message
				return m
			}(),
		}
		for _, m := range ignored {
			hs.s.dispatch("MESSAGE_CREATE", m)
		}
		// Events are filtered in order, so once this one is answered the
		// ones before it have been looked at.
		hs.s.dispatch("MESSAGE_CREATE", guildMessage("3199", "711", testUserID, "<@"+testBotID+"> sentinel", false, testBotID))
		hs.s.waitCalls("POST", "/api/v9/channels/711/messages", 1)
		if calls := hs.s.callsTo("POST", "/api/v9/channels/"+quiet+"/messages"); len(calls) != 0 {
			t.Errorf("%d replies to ignored messages: %s", len(calls), calls[0].Body)
		}
		for _, m := range hs.h.messages() {
			if strings.Contains(m.Conversation, ":"+quiet+":") {
				t.Errorf("handler got ignored message %+v", m)
			}
		}
	})
}

func TestGatewayReconnect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		action func(s *standin)
		resume bool // RESUME (op 6) rather than a fresh IDENTIFY
	}{
		{"connection dropped", func(s *standin) { s.drop() }, true},
		{"op 7 reconnect", func(s *standin) { s.send(map[string]any{"op": 7, "d": nil}) }, true},
		{"op 9 invalid session", func(s *standin) { s.send(map[string]any{"op": 9, "d": false}) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hs := startGateway(t, Config{}, nil)
			s := hs.s
			commands := "/api/v9/applications/" + testAppID + "/commands"
			s.waitCalls("PUT", commands, 1)
			seq := s.dispatch("MESSAGE_CREATE", dmMessage("4001", "721", "before"))
			s.waitCalls("POST", "/api/v9/channels/721/messages", 1)

			tt.action(s)
			if tt.resume {
				s.waitFor("RESUME", func() bool { return len(s.resumes) == 1 })
				s.mu.Lock()
				r, conns := s.resumes[0], s.conns
				s.mu.Unlock()
				if r.SessionID != "session-1" || r.Seq != seq || r.Token != "Bot "+testToken {
					t.Errorf("RESUME session %q seq %d, want session-1 seq %d with the bot token", r.SessionID, r.Seq, seq)
				}
				if conns != 2 {
					t.Errorf("%d gateway connections, want 2", conns)
				}
			} else {
				s.waitFor("second IDENTIFY", func() bool { return len(s.idents) == 2 })
				// READY again: the command is registered again, harmlessly.
				s.waitCalls("PUT", commands, 2)
			}
			s.waitReady()
			s.dispatch("MESSAGE_CREATE", dmMessage("4002", "722", "after"))
			calls := s.waitCalls("POST", "/api/v9/channels/722/messages", 1)
			if m := decode[message](t, calls[0].Body); !strings.Contains(m.Content, "answer to: after") {
				t.Errorf("after reconnecting, reply = %q", m.Content)
			}
			if !hs.a.Connected() {
				t.Errorf("Connected() = false after reconnecting")
			}
		})
	}
}

func TestGatewayRateLimit(t *testing.T) {
	t.Parallel()
	hs := startGateway(t, Config{}, nil)
	tests := []struct {
		name     string
		path     string
		global   bool
		dispatch func()
	}{
		{"message, route limit", "/api/v9/channels/731/messages", false,
			func() { hs.s.dispatch("MESSAGE_CREATE", dmMessage("5001", "731", "limited")) }},
		{"message, global limit", "/api/v9/channels/732/messages", true,
			func() { hs.s.dispatch("MESSAGE_CREATE", dmMessage("5002", "732", "limited")) }},
		{"interaction callback", "/api/v9/interactions/5003/itoken-secret-5003/callback", false,
			func() {
				hs.s.dispatch("INTERACTION_CREATE", commandInteraction("5003", "itoken-secret-5003", "733", "limited"))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs.s.limit("POST", tt.path, 1, tt.global)
			tt.dispatch()
			calls := hs.s.waitCalls("POST", tt.path, 1)
			if len(calls) != 2 || calls[0].Status != 429 || calls[1].Status >= 300 {
				var st []int
				for _, c := range calls {
					st = append(st, c.Status)
				}
				t.Fatalf("statuses %v, want 429 then success", st)
			}
			if !bytes.Equal(calls[0].Body, calls[1].Body) {
				t.Errorf("retry sent a different body")
			}
			if !strings.Contains(string(calls[1].Body), "answer to: limited") {
				t.Errorf("retried body = %s", calls[1].Body)
			}
		})
	}
}

func TestGatewayDeferred(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	hs := startGateway(t, Config{DeferAfter: 1}, func(ctx context.Context, m bot.Message) bot.Reply {
		<-release
		return echo(ctx, m)
	})
	hs.s.dispatch("INTERACTION_CREATE", commandInteraction("6001", "itoken-secret-6001", "741", "slow question"))
	calls := hs.s.waitCalls("POST", "/api/v9/interactions/6001/itoken-secret-6001/callback", 1)
	if r := decode[response](t, calls[0].Body); r.Type != 5 {
		t.Fatalf("first response type %d, want 5 (deferred)", r.Type)
	}
	close(release)
	edits := hs.s.waitCalls("PATCH", "/api/v9/webhooks/"+testAppID+"/itoken-secret-6001/messages/@original", 1)
	if m := decode[message](t, edits[0].Body); !strings.Contains(m.Content, "answer to: slow question") {
		t.Errorf("edited content = %q", m.Content)
	}
	checkNoPings(t, edits[0].Body)
}

func TestGatewayBurst(t *testing.T) {
	t.Parallel()
	hs := startGateway(t, Config{}, nil)
	const n = 200
	for i := range n {
		hs.s.dispatch("INTERACTION_CREATE", commandInteraction(fmt.Sprint(10000+i), fmt.Sprintf("itoken-secret-%d", i), "751", fmt.Sprintf("question #%d?", i)))
	}
	const prefix = "/api/v9/interactions/"
	hs.s.waitFor(fmt.Sprint(n, " callbacks"), func() bool {
		k := 0
		for _, c := range hs.s.calls {
			if strings.HasPrefix(c.Path, prefix) {
				k++
			}
		}
		return k >= n
	})
	for i := range n {
		id, token := fmt.Sprint(10000+i), fmt.Sprintf("itoken-secret-%d", i)
		calls := hs.s.callsTo("POST", prefix+id+"/"+token+"/callback")
		if len(calls) != 1 {
			t.Errorf("interaction %s: %d callbacks, want 1", id, len(calls))
			continue
		}
		r := decode[response](t, calls[0].Body)
		content := r.Data.Content
		if r.Type == 5 { // deferred under load: the answer is an edit
			edits := hs.s.waitCalls("PATCH", "/api/v9/webhooks/"+testAppID+"/"+token+"/messages/@original", 1)
			content = decode[message](t, edits[0].Body).Content
		}
		if want := fmt.Sprintf("answer to: question #%d?", i); !strings.HasPrefix(content, want+"\n") {
			t.Errorf("interaction %s answered %q, want %q", id, content, want)
		}
	}
	if got := len(hs.h.messages()); got != n {
		t.Errorf("handler asked %d times, want %d", got, n)
	}
}
