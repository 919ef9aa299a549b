package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careersbot/careersbot/internal/testutil"

	"github.com/careersbot/careersbot/bot"
)

// socketHarness runs a real adapter (real slack-go clients) in Socket Mode
// against the stand-in.
type socketHarness struct {
	f    *fakeSlack
	a    *Adapter
	rec  *recorder
	conn *fakeConn            // the first connection
	logs *testutil.SyncBuffer // the adapter's logs
}

func startSocket(t *testing.T, setup func(f *fakeSlack, cfg *Config, rec *recorder)) *socketHarness {
	t.Helper()
	f := newFakeSlack(t)
	t.Cleanup(f.close)
	rec := &recorder{}
	// No final "/": the adapter must add it.
	cfg := Config{BotToken: testBotToken, AppToken: testAppToken, APIURL: f.srv.URL + "/api"}
	if setup != nil {
		setup(f, &cfg, rec)
	}
	log, logs := testLogs(t)
	a, err := New(cfg, rec, log)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	a.backoffMin, a.backoffMax = 10*time.Millisecond, 50*time.Millisecond
	t.Cleanup(func() { // runs after RunAdapter's cleanup has stopped the adapter
		if a.Connected() {
			t.Error("Connected after Run returned")
		}
	})
	testutil.RunAdapter(t, a, waitFor)
	return &socketHarness{f: f, a: a, rec: rec, logs: logs, conn: next(t, f.conns, "a Socket Mode connection")}
}

// sendAndAck sends an envelope and waits for its acknowledgement.
func (h *socketHarness) sendAndAck(t *testing.T, c *fakeConn, env map[string]any) ackMsg {
	t.Helper()
	c.send(env)
	a := next(t, h.f.acks, "an acknowledgement")
	if want := env["envelope_id"]; a.EnvelopeID != want {
		t.Fatalf("acknowledged %q, want %q", a.EnvelopeID, want)
	}
	return a
}

func TestSocketMention(t *testing.T) {
	tests := []struct {
		name       string
		ts, thread string
		wantThread string
	}{
		{name: "top level starts a thread", ts: "1700000000.000100", wantThread: "1700000000.000100"},
		{name: "in a thread stays in it", ts: "1700000000.000300", thread: "1700000000.000200", wantThread: "1700000000.000200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startSocket(t, nil)
			h.sendAndAck(t, h.conn, eventsEnvelope("env-1", "Ev001", mentionEvent("U0ASKER", "C0GEN", tt.ts, tt.thread, "where do genetics staff work?")))
			p := next(t, h.f.posts, "a reply")
			if p.Channel != "C0GEN" || p.ThreadTS != tt.wantThread {
				t.Errorf("posted to %s thread %q, want C0GEN thread %q", p.Channel, p.ThreadTS, tt.wantThread)
			}
			if p.Text != "echo: where do genetics staff work?" {
				t.Errorf("text = %q", p.Text)
			}
			if !strings.Contains(p.Blocks, `"type":"section"`) || !strings.Contains(p.Blocks, "echo: where do genetics staff work?") {
				t.Errorf("blocks = %s", p.Blocks)
			}
			if p.Form.Get("parse") != "none" || p.Form.Get("unfurl_links") != "false" {
				t.Errorf("parse=%q unfurl_links=%q", p.Form.Get("parse"), p.Form.Get("unfurl_links"))
			}
			msgs := h.rec.messages()
			want := bot.Message{Adapter: "slack", Conversation: testTeam + ":C0GEN:" + tt.wantThread, User: "U0ASKER", Text: "where do genetics staff work?"}
			if len(msgs) != 1 || msgs[0] != want {
				t.Errorf("handler got %+v, want [%+v]", msgs, want)
			}
			if !h.a.Connected() {
				t.Error("not Connected")
			}
		})
	}
}

func TestSocketThreadFollowUpSharesConversation(t *testing.T) {
	h := startSocket(t, nil)
	h.sendAndAck(t, h.conn, eventsEnvelope("env-1", "Ev001", mentionEvent("U0ASKER", "C0GEN", "1700000000.000100", "", "tell me about genetics")))
	next(t, h.f.posts, "first reply")
	h.sendAndAck(t, h.conn, eventsEnvelope("env-2", "Ev002", mentionEvent("U0ASKER", "C0GEN", "1700000000.000500", "1700000000.000100", "where do they work?")))
	p := next(t, h.f.posts, "second reply")
	if p.ThreadTS != "1700000000.000100" {
		t.Errorf("follow-up answered in thread %q", p.ThreadTS)
	}
	h.sendAndAck(t, h.conn, eventsEnvelope("env-3", "Ev003", mentionEvent("U0ASKER", "C0GEN", "1700000000.000900", "", "something else")))
	next(t, h.f.posts, "third reply")
	msgs := h.rec.messages()
	if len(msgs) != 3 || msgs[0].Conversation != msgs[1].Conversation || msgs[2].Conversation == msgs[0].Conversation {
		t.Errorf("conversations: %+v", msgs)
	}
}

func TestSocketDirectMessage(t *testing.T) {
	h := startSocket(t, nil)
	h.sendAndAck(t, h.conn, eventsEnvelope("env-1", "Ev010", dmEvent("U0ASKER", "D0DM", "1700000000.000100", "what is bioinformatics &amp; why")))
	p := next(t, h.f.posts, "a reply")
	if p.Channel != "D0DM" || p.ThreadTS != "" {
		t.Errorf("posted to %s thread %q, want D0DM in place", p.Channel, p.ThreadTS)
	}
	// Slack's escaping is undone for the handler and redone for Slack.
	if p.Text != "echo: what is bioinformatics &amp; why" {
		t.Errorf("text = %q", p.Text)
	}
	msgs := h.rec.messages()
	if len(msgs) != 1 || msgs[0].Conversation != testTeam+":D0DM" || msgs[0].Text != "what is bioinformatics & why" {
		t.Errorf("handler got %+v", msgs)
	}
}

// sentinel sends a mention and waits for its reply: the event loop handles
// envelopes in order, so every earlier envelope has been dealt with, and
// after settle every earlier answer has been posted.
func (h *socketHarness) sentinel(t *testing.T) {
	t.Helper()
	h.sendAndAck(t, h.conn, eventsEnvelope("env-sentinel", "EvSentinel", mentionEvent("U0ASKER", "C0SENT", "1799999999.000001", "", "sentinel")))
	p := next(t, h.f.posts, "the sentinel's reply")
	if p.Channel != "C0SENT" {
		t.Errorf("expected the sentinel's reply, got one in %s: %q", p.Channel, p.Text)
	}
	settle(t, h.a)
}

func TestSocketRetryAnsweredOnce(t *testing.T) {
	h := startSocket(t, nil)
	ev := mentionEvent("U0ASKER", "C0GEN", "1700000000.000100", "", "where do genetics staff work")
	h.sendAndAck(t, h.conn, eventsEnvelope("env-1", "Ev100", ev))
	retry := eventsEnvelope("env-2", "Ev100", ev)
	retry["retry_attempt"], retry["retry_reason"] = 1, "timeout"
	h.sendAndAck(t, h.conn, retry)
	// The same message under another event id (app_mention and message.im
	// for one message) is not answered twice either.
	h.sendAndAck(t, h.conn, eventsEnvelope("env-3", "Ev101", ev))
	next(t, h.f.posts, "a reply")
	h.sentinel(t)
	noMore(t, h.f.posts, "second reply")
	if n := len(h.rec.messages()); n != 2 {
		t.Errorf("handler called %d times, want 2 (question and sentinel)", n)
	}
}

func TestSocketIgnored(t *testing.T) {
	edited := mentionEvent("U0ASKER", "C0GEN", "1700000000.000200", "", "edited question")
	edited["edited"] = map[string]any{"user": "U0ASKER", "ts": "1700000000.000900"}
	botMention := mentionEvent("U0OTHERBOT", "C0GEN", "1700000000.000300", "", "from a bot")
	botMention["bot_id"] = "B0OTHER"
	botDM := dmEvent("U0OTHERBOT", "D0DM", "1700000000.000400", "from a bot")
	botDM["bot_id"] = "B0OTHER"
	botDM["subtype"] = "bot_message"
	ownDM := dmEvent(botUserID, "D0DM", "1700000000.000500", "my own reply")
	changed := dmEvent("U0ASKER", "D0DM", "1700000000.000600", "")
	changed["subtype"] = "message_changed"
	changed["message"] = map[string]any{"type": "message", "user": "U0ASKER", "text": "changed", "ts": "1700000000.000100"}
	joined := dmEvent("U0ASKER", "D0DM", "1700000000.000700", "<@U0ASKER> has joined")
	joined["subtype"] = "channel_join"
	channelMsg := dmEvent("U0ASKER", "C0GEN", "1700000000.000800", "a channel message")
	channelMsg["channel_type"] = "channel"
	ownMention := mentionEvent(botUserID, "C0GEN", "1700000000.000950", "", "own mention")
	reaction := map[string]any{"type": "reaction_added", "user": "U0ASKER", "reaction": "thumbsup",
		"item": map[string]any{"type": "message", "channel": "C0GEN", "ts": "1700000000.000100"}, "event_ts": "1700000000.001000"}

	tests := []struct {
		name  string
		event map[string]any
	}{
		{"edited mention", edited},
		{"mention by a bot", botMention},
		{"direct message from a bot", botDM},
		{"own direct message", ownDM},
		{"own mention", ownMention},
		{"message_changed", changed},
		{"channel_join", joined},
		{"channel message without mention", channelMsg},
		{"other event type", reaction},
	}
	h := startSocket(t, nil)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.sendAndAck(t, h.conn, eventsEnvelope(fmt.Sprintf("env-%d", i), fmt.Sprintf("EvIgn%d", i), tt.event))
		})
	}
	h.sentinel(t)
	noMore(t, h.f.posts, "reply to an ignored event")
	if msgs := h.rec.messages(); len(msgs) != 1 {
		t.Errorf("handler got %+v, want only the sentinel", msgs)
	}
}

func TestSocketUnknownEnvelopeAcknowledged(t *testing.T) {
	h := startSocket(t, nil)
	env := map[string]any{"type": "events_api", "envelope_id": "env-odd",
		"payload": callbackPayload("EvOdd", map[string]any{"type": "some_future_event", "ts": "1"})}
	h.sendAndAck(t, h.conn, env)
	h.sentinel(t)
}

func TestSocketSlashCommand(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		inChannel bool
		wantAsk   string
		wantType  string
	}{
		{name: "question", text: "where do genetics staff work", wantAsk: "where do genetics staff work", wantType: "ephemeral"},
		{name: "alone gives help", text: "  ", wantAsk: "help", wantType: "ephemeral"},
		{name: "in channel", text: "what is <!channel> &lt;b&gt;", inChannel: true, wantAsk: "what is <!channel> <b>", wantType: "in_channel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startSocket(t, func(_ *fakeSlack, cfg *Config, _ *recorder) { cfg.InChannel = tt.inChannel })
			payload := commandPayload(tt.text)
			ack := h.sendAndAck(t, h.conn, map[string]any{"type": "slash_commands", "envelope_id": "env-cmd",
				"accepts_response_payload": true, "payload": payload})
			var resp struct {
				ResponseType string            `json:"response_type"`
				Text         string            `json:"text"`
				Blocks       []json.RawMessage `json:"blocks"`
			}
			if err := json.Unmarshal(ack.Payload, &resp); err != nil {
				t.Fatalf("ack payload %s: %v", ack.Payload, err)
			}
			if resp.ResponseType != tt.wantType || resp.Text != escapeText("echo: "+tt.wantAsk) || len(resp.Blocks) < 2 {
				t.Errorf("response = %s", ack.Payload)
			}
			if strings.Contains(string(ack.Payload), "<!channel>") {
				t.Errorf("response contains a broadcast: %s", ack.Payload)
			}
			msgs := h.rec.messages()
			want := bot.Message{Adapter: "slack", Conversation: testTeam + ":C0CMD/U0ASKER", User: "U0ASKER", Text: tt.wantAsk}
			if len(msgs) != 1 || msgs[0] != want {
				t.Errorf("handler got %+v, want %+v", msgs, want)
			}
			noMore(t, h.f.posts, "chat.postMessage for a command")
		})
	}
}

func TestSocketButtonClick(t *testing.T) {
	tests := []struct {
		name       string
		channel    string
		msgTS      string
		thread     string
		ephemeral  bool
		wantThread string
		wantConv   string
	}{
		{name: "reply in a thread", channel: "C0GEN", msgTS: "1700000000.000500", thread: "1700000000.000100",
			wantThread: "1700000000.000100", wantConv: testTeam + ":C0GEN:1700000000.000100"},
		{name: "direct message", channel: "D0DM", msgTS: "1700000000.000500", wantConv: testTeam + ":D0DM"},
		{name: "top-level channel message", channel: "C0GEN", msgTS: "1700000000.000700",
			wantThread: "1700000000.000700", wantConv: testTeam + ":C0GEN:1700000000.000700"},
		{name: "ephemeral answer", channel: "C0CMD", msgTS: "1700000000.000800", ephemeral: true, wantConv: testTeam + ":C0CMD/U0CLICK"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startSocket(t, nil)
			hookURL := h.f.srv.URL + "/hooks/T0001/B1/click"
			payload := clickPayload(tt.channel, tt.msgTS, tt.thread, "Where do life sciences staff work?", tt.ephemeral, hookURL)
			h.sendAndAck(t, h.conn, map[string]any{"type": "interactive", "envelope_id": "env-click",
				"accepts_response_payload": false, "payload": payload})
			if tt.ephemeral {
				hp := next(t, h.f.hooks, "a response_url post")
				if hp.Body["response_type"] != "ephemeral" || hp.Body["replace_original"] != false ||
					hp.Body["text"] != "echo: Where do life sciences staff work?" {
					t.Errorf("response_url body = %v", hp.Body)
				}
			} else {
				p := next(t, h.f.posts, "a reply")
				if p.Channel != tt.channel || p.ThreadTS != tt.wantThread {
					t.Errorf("posted to %s thread %q, want %s thread %q", p.Channel, p.ThreadTS, tt.channel, tt.wantThread)
				}
				if !strings.Contains(p.Blocks, "You asked:* Where do life sciences staff work?") {
					t.Errorf("question not echoed: %s", p.Blocks)
				}
			}
			msgs := h.rec.messages()
			want := bot.Message{Adapter: "slack", Conversation: tt.wantConv, User: "U0CLICK", Text: "Where do life sciences staff work?"}
			if len(msgs) != 1 || msgs[0] != want {
				t.Errorf("handler got %+v, want %+v", msgs, want)
			}
			// The same click delivered again is not answered again.
			h.sendAndAck(t, h.conn, map[string]any{"type": "interactive", "envelope_id": "env-click-2", "payload": payload})
			h.sentinel(t)
			noMore(t, h.f.posts, "second reply to one click")
			noMore(t, h.f.hooks, "second response_url post")
		})
	}
}

func TestSocketReconnect(t *testing.T) {
	tests := []struct {
		name string
		cut  func(c *fakeConn)
	}{
		{"dropped connection", (*fakeConn).drop},
		{"disconnect request", (*fakeConn).disconnect},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startSocket(t, nil)
			h.sendAndAck(t, h.conn, eventsEnvelope("env-1", "Ev1", mentionEvent("U0ASKER", "C0GEN", "1700000000.000100", "", "before")))
			next(t, h.f.posts, "reply before the cut")
			tt.cut(h.conn)
			c2 := next(t, h.f.conns, "a new connection")
			h.sendAndAck(t, c2, eventsEnvelope("env-2", "Ev2", mentionEvent("U0ASKER", "C0GEN", "1700000000.000200", "", "after")))
			p := next(t, h.f.posts, "reply after reconnecting")
			if p.Text != "echo: after" || p.ThreadTS != "1700000000.000200" {
				t.Errorf("reply after reconnecting: %+v", p)
			}
		})
	}
}

func TestSocketOuterLoopRetriesFailedOpen(t *testing.T) {
	// A 404 from apps.connections.open makes socketmode's RunContext give
	// up; the adapter's own loop must start it again.
	h := startSocket(t, func(f *fakeSlack, _ *Config, _ *recorder) { f.open404 = 2 })
	h.sendAndAck(t, h.conn, eventsEnvelope("env-1", "Ev1", mentionEvent("U0ASKER", "C0GEN", "1700000000.000100", "", "hello")))
	next(t, h.f.posts, "a reply")
	if n := strings.Count(h.logs.String(), "socket mode stopped; reconnecting"); n != 2 {
		t.Errorf("outer loop restarted RunContext %d times, want 2", n)
	}
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	if h.f.open404 != 0 || h.f.opens != 1 {
		t.Errorf("open404 left %d, opens %d", h.f.open404, h.f.opens)
	}
}

func TestSocketRateLimitedPostRetried(t *testing.T) {
	h := startSocket(t, func(f *fakeSlack, _ *Config, _ *recorder) { f.rateLimit = 1 })
	h.sendAndAck(t, h.conn, eventsEnvelope("env-1", "Ev1", mentionEvent("U0ASKER", "C0GEN", "1700000000.000100", "", "where do they work")))
	p := next(t, h.f.posts, "the reply after a 429")
	if p.Text != "echo: where do they work" || p.ThreadTS != "1700000000.000100" {
		t.Errorf("reply = %+v", p)
	}
	settle(t, h.a)
	noMore(t, h.f.posts, "a second copy of the reply")
	h.f.mu.Lock()
	defer h.f.mu.Unlock()
	if h.f.limited != 1 || h.f.postCount != 1 {
		t.Errorf("429s sent %d, posts accepted %d; want 1 and 1", h.f.limited, h.f.postCount)
	}
}

func TestSocketBadAuthStops(t *testing.T) {
	tests := []struct {
		name          string
		bot, app, bad string
	}{
		{name: "bot token refused", bot: "xoxb-wrong-bot", app: testAppToken, bad: "xoxb-wrong-bot"},
		{name: "app token refused", bot: testBotToken, app: "xapp-wrong-app", bad: "xapp-wrong-app"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSlack(t)
			t.Cleanup(f.close)
			log, logs := testLogs(t)
			a, err := New(Config{BotToken: tt.bot, AppToken: tt.app, APIURL: f.srv.URL + "/api/"}, &recorder{}, log)
			if err != nil {
				t.Fatal(err)
			}
			err = a.Run(context.Background())
			if !bot.IsFatal(err) {
				t.Errorf("Run = %v, not marked fatal: serve would retry a refused token forever", err)
			}
			if err == nil || !strings.Contains(err.Error(), "invalid_auth") || strings.Contains(err.Error(), tt.bad) {
				t.Errorf("Run = %v, want an invalid_auth error without the token", err)
			}
			if strings.Contains(logs.String(), tt.bad) {
				t.Error("the refused token was logged")
			}
		})
	}
}

// TestSocketBurst sends 200 mentions at once. Every envelope must be
// acknowledged while no answer can finish (the handler is held until the
// last acknowledgement arrives), and every question gets exactly one reply,
// in its own thread, with its own answer.
func TestSocketBurst(t *testing.T) {
	const n = 200
	gate := make(chan struct{})
	h := startSocket(t, func(_ *fakeSlack, _ *Config, rec *recorder) { rec.gate = gate })
	var sendMu sync.Mutex
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sendMu.Lock()
			defer sendMu.Unlock()
			ts := fmt.Sprintf("1700000000.%06d", i)
			h.conn.send(eventsEnvelope(fmt.Sprintf("env-%d", i), fmt.Sprintf("EvB%d", i),
				mentionEvent(fmt.Sprintf("U%04d", i), fmt.Sprintf("C%03d", i%7), ts, "", fmt.Sprintf("question %d", i))))
		})
	}
	wg.Wait()
	acked := map[string]bool{}
	for range n {
		acked[next(t, h.f.acks, "an acknowledgement").EnvelopeID] = true
	}
	if len(acked) != n {
		t.Fatalf("%d distinct envelopes acknowledged, want %d", len(acked), n)
	}
	close(gate)
	threads := map[string]post{}
	for range n {
		p := next(t, h.f.posts, "a reply")
		if _, dup := threads[p.ThreadTS]; dup {
			t.Errorf("thread %s answered twice", p.ThreadTS)
		}
		threads[p.ThreadTS] = p
	}
	settle(t, h.a)
	noMore(t, h.f.posts, "an extra reply")
	for i := range n {
		p, ok := threads[fmt.Sprintf("1700000000.%06d", i)]
		if !ok {
			t.Errorf("question %d not answered", i)
			continue
		}
		if want := fmt.Sprintf("echo: question %d", i); p.Text != want || p.Channel != fmt.Sprintf("C%03d", i%7) {
			t.Errorf("question %d answered %q in %s", i, p.Text, p.Channel)
		}
	}
}
