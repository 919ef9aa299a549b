package slack

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	slackgo "github.com/slack-go/slack"

	"github.com/careersbot/careersbot/bot"
)

func TestEscapeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain answer", "plain answer"},
		{"A & B", "A &amp; B"},
		{"<!channel> hi", "&lt;!channel&gt; hi"},
		{"<!here|here>", "&lt;!here|here&gt;"},
		{"<!everyone>", "&lt;!everyone&gt;"},
		{"ask <@U024BE7LH>", "ask &lt;@U024BE7LH&gt;"},
		{"<!subteam^S123>", "&lt;!subteam^S123&gt;"},
		{"<https://evil.example|click>", "&lt;https://evil.example|click&gt;"},
		{"hey @here and @Channel, @everyone", "hey @\u2060here and @\u2060Channel, @\u2060everyone"},
		{"mail me@heresy.org", "mail me@\u2060heresy.org"},
		{"@hello", "@hello"},
		{"&amp; already", "&amp;amp; already"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := escapeText(tt.in); got != tt.want {
				t.Errorf("escapeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFitEscaped(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
	}{
		{"short", "hello", 10},
		{"long plain", strings.Repeat("a", 5000), 3000},
		{"long with entities", strings.Repeat("<&>", 2000), 3000},
		{"entity at the cut", strings.Repeat("a", 2998) + "&&&&", 3000},
		{"multibyte", strings.Repeat("é", 4000), 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fitEscaped(tt.in, tt.max)
			if n := utf8.RuneCountInString(got); n > tt.max {
				t.Errorf("%d runes, want at most %d", n, tt.max)
			}
			if !utf8.ValidString(got) {
				t.Error("invalid UTF-8")
			}
			// No escape sequence is cut in half.
			if i := strings.LastIndex(got, "&"); i >= 0 {
				rest := got[i:]
				if !strings.HasPrefix(rest, "&amp;") && !strings.HasPrefix(rest, "&lt;") && !strings.HasPrefix(rest, "&gt;") {
					t.Errorf("cut escape sequence at the end: %q", rest)
				}
			}
			if strings.ContainsAny(got, "<>") {
				t.Errorf("unescaped markup in %q", got)
			}
		})
	}
}

// blocksJSON renders and marshals a reply the way chat.postMessage sends it.
func blocksJSON(t *testing.T, r bot.Reply, o renderOptions) (string, string, []map[string]any) {
	t.Helper()
	text, blocks := render(r, o)
	raw, err := json.Marshal(slackgo.Blocks{BlockSet: blocks})
	if err != nil {
		t.Fatal(err)
	}
	var parsed []map[string]any
	if err := json.Unmarshal(raw, &parsed); err != nil {
		t.Fatal(err)
	}
	return text, string(raw), parsed
}

func TestRenderNeverBroadcasts(t *testing.T) {
	hostile := "<!channel> <!here> <!everyone> <@U0BOSS> <#C0SECRET> <https://evil.example|x> @here"
	r := bot.Reply{
		Question:    hostile,
		Text:        "Answer " + hostile,
		Sources:     []bot.Source{{Document: hostile, Section: hostile, URL: "https://x.example/a?b=1&c=<!here>"}},
		Suggestions: []string{hostile},
	}
	text, raw, _ := blocksJSON(t, r, renderOptions{Echo: hostile})
	for _, s := range []string{text, raw} {
		// json.Marshal writes < and > as \u003c and \u003e.
		s = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(s)
		for _, bad := range []string{"<!channel", "<!here", "<!everyone", "<@U0BOSS", "<#C0SECRET", "<https://evil", "@here"} {
			if strings.Contains(s, bad) {
				t.Errorf("%q in %s", bad, s)
			}
		}
	}
}

func TestRenderShape(t *testing.T) {
	r := bot.Reply{
		Text: "Genetics staff are often based in specialist hospitals.",
		Sources: []bot.Source{
			{Document: "Careers in healthcare science", Section: "Life sciences", URL: "https://www.healthcareers.nhs.uk/x"},
			{Document: "No link", Section: "", URL: "javascript:alert(1)"},
		},
		Suggestions: []string{"What do life sciences staff do?", "What do life sciences staff do?", "",
			strings.Repeat("very long suggestion ", 10), "a", "b", "c", "d"},
	}
	text, _, blocks := blocksJSON(t, r, renderOptions{})
	if text != "Genetics staff are often based in specialist hospitals." {
		t.Errorf("fallback = %q", text)
	}
	if len(blocks) != 3 {
		t.Fatalf("%d blocks, want section, context, actions: %v", len(blocks), blocks)
	}
	section := blocks[0]
	if section["type"] != "section" || section["text"].(map[string]any)["type"] != "mrkdwn" || section["text"].(map[string]any)["verbatim"] != true {
		t.Errorf("section = %v", section)
	}
	ctx := blocks[1]["elements"].([]any)
	if len(ctx) != 2 ||
		ctx[0].(map[string]any)["text"] != "Source: <https://www.healthcareers.nhs.uk/x|Careers in healthcare science › Life sciences>" ||
		ctx[1].(map[string]any)["text"] != "Source: No link" {
		t.Errorf("context = %v", ctx)
	}
	buttons := blocks[2]["elements"].([]any)
	if len(buttons) != maxButtons {
		t.Fatalf("%d buttons, want %d", len(buttons), maxButtons)
	}
	seenIDs := map[string]bool{}
	for i, b := range buttons {
		b := b.(map[string]any)
		id := b["action_id"].(string)
		label := b["text"].(map[string]any)["text"].(string)
		if !strings.HasPrefix(id, actionPrefix) || seenIDs[id] {
			t.Errorf("button %d action_id %q", i, id)
		}
		seenIDs[id] = true
		if utf8.RuneCountInString(label) > maxButtonText || b["value"] == "" {
			t.Errorf("button %d: label %q value %q", i, label, b["value"])
		}
	}
	if v := buttons[1].(map[string]any)["value"].(string); v != strings.TrimSpace(strings.Repeat("very long suggestion ", 10)) {
		t.Errorf("long suggestion's value = %q, want it whole", v)
	}
}

func TestRenderEmptyAndEcho(t *testing.T) {
	text, _, blocks := blocksJSON(t, bot.Reply{}, renderOptions{Echo: "where & when?"})
	if text != noAnswer {
		t.Errorf("fallback = %q", text)
	}
	if len(blocks) != 2 || blocks[0]["type"] != "context" {
		t.Fatalf("blocks = %v", blocks)
	}
	if got := blocks[0]["elements"].([]any)[0].(map[string]any)["text"]; got != "*You asked:* where &amp; when?" {
		t.Errorf("echo = %q", got)
	}
}

func TestStripMentionAndQuestion(t *testing.T) {
	tests := []struct {
		name, text, self, want string
	}{
		{"leading mention", "<@UBOT> where do they work?", "UBOT", "where do they work?"},
		{"mention with label", "<@UBOT|careersbot> hi", "UBOT", "hi"},
		{"other mentions kept", "<@UBOT> ask <@U0BOSS>", "UBOT", "ask <@U0BOSS>"},
		{"mention in the middle", "so <@UBOT> what is genetics", "UBOT", "so what is genetics"},
		{"unknown self strips the leading mention", "<@UXYZ> hello", "", "hello"},
		{"unknown self keeps a later mention", "hello <@UXYZ>", "", "hello <@UXYZ>"},
		{"mention only asks for help", "<@UBOT>", "UBOT", "help"},
		{"escaped text", "<@UBOT> A &amp; B &lt;3", "UBOT", "A & B <3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := question(stripMention(tt.text, tt.self))
			if strings.Join(strings.Fields(got), " ") != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSafeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.healthcareers.nhs.uk/explore-roles", "https://www.healthcareers.nhs.uk/explore-roles"},
		{"http://x.example/?a=1&b=2", "http://x.example/?a=1&amp;b=2"},
		{"javascript:alert(1)", ""},
		{"/relative", ""},
		{"https://x.example/|<!here>", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := safeURL(tt.in); got != tt.want {
				t.Errorf("safeURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
