package discord

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/sahilm/fuzzy"

	"github.com/careersbot/careersbot/bot"
)

// Discord's limits.
const (
	maxContent     = 2000 // message content, characters
	maxCustomID    = 100  // component custom_id, characters
	maxLabel       = 80   // button label, characters
	maxButtons     = 5    // buttons in one action row
	maxChoices     = 25   // autocomplete choices
	maxChoiceValue = 100  // choice name and value, characters
)

// askPrefix starts the custom_id of a suggestion button; the question
// follows it.
const askPrefix = "ask:"

const noAnswer = "Sorry, I don't have an answer to that."

// noMentions lets a message ping nobody: a non-nil empty parse list encodes
// as "parse":[] (a nil one as null, which Discord reads as "everything").
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// render turns a reply into message content and suggestion buttons. quote,
// when set, is shown above the answer (a question asked by a button, which
// Discord does not show by itself).
func render(r bot.Reply, quote string) (string, []discordgo.MessageComponent) {
	text := strings.TrimSpace(r.Text)
	if text == "" {
		text = noAnswer
	}
	var head, foot string
	if q := strings.TrimSpace(quote); q != "" {
		head = "**" + truncate(strings.ReplaceAll(q, "\n", " "), 200) + "**\n"
	}
	if r.Answered && len(r.Sources) > 0 {
		foot = "\n-# " + sourceLine(r.Sources[0])
	}
	room := maxContent - utf8.RuneCountInString(head) - utf8.RuneCountInString(foot)
	content := head + truncate(text, room) + foot
	return content, buttons(r.Suggestions)
}

// sourceLine cites a source: "Source: Document › Section · <url>".
func sourceLine(s bot.Source) string {
	var parts []string
	for _, p := range []string{s.Document, s.Section} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	line := "Source: " + strings.Join(parts, " › ")
	if u := strings.TrimSpace(s.URL); strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		if len(parts) == 0 {
			line = "Source: <" + u + ">"
		} else {
			line += " · <" + u + ">"
		}
	}
	return truncate(line, 300)
}

// buttons makes one row of suggestion buttons whose custom_id carries the
// question; suggestions too long to fit in a custom_id are left out.
func buttons(suggestions []string) []discordgo.MessageComponent {
	var row []discordgo.MessageComponent
	seen := map[string]bool{}
	for _, s := range suggestions {
		s = strings.Join(strings.Fields(s), " ")
		id := askPrefix + s
		if s == "" || seen[id] || utf8.RuneCountInString(id) > maxCustomID {
			continue
		}
		seen[id] = true
		row = append(row, discordgo.Button{Label: truncate(s, maxLabel), Style: discordgo.SecondaryButton, CustomID: id})
		if len(row) == maxButtons {
			break
		}
	}
	if len(row) == 0 {
		return []discordgo.MessageComponent{}
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
}

// buttonQuestion returns the question a button's custom_id carries.
func buttonQuestion(customID string) (string, bool) {
	q, ok := strings.CutPrefix(customID, askPrefix)
	if q = strings.TrimSpace(q); !ok || q == "" {
		return "", false
	}
	return q, true
}

// truncate cuts s to at most n characters, ending with "…" when cut.
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// choices ranks candidates against what the user has typed so far; the
// typed text itself comes first so it can be sent as it is.
func choices(typed string, candidates []string) []*discordgo.ApplicationCommandOptionChoice {
	typed = strings.Join(strings.Fields(typed), " ")
	var out []*discordgo.ApplicationCommandOptionChoice
	seen := map[string]bool{}
	add := func(s string) {
		key := strings.ToLower(s)
		if s == "" || seen[key] || utf8.RuneCountInString(s) > maxChoiceValue || len(out) == maxChoices {
			return
		}
		seen[key] = true
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: s, Value: s})
	}
	if typed == "" {
		for _, c := range candidates {
			add(c)
		}
		return out
	}
	add(truncate(typed, maxChoiceValue))
	for _, m := range fuzzy.Find(typed, candidates) {
		add(m.Str)
	}
	return out
}

// candidates returns what autocomplete chooses from: Config.Candidates, or
// the suggestions the handler gives for "help", refreshed now and then.
func (a *Adapter) candidates(ctx context.Context) []string {
	if a.cfg.Candidates != nil {
		return a.cfg.Candidates()
	}
	a.candMu.Lock()
	defer a.candMu.Unlock()
	if a.cands != nil && time.Since(a.candsTime) < candidateTTL {
		return a.cands
	}
	r := a.handle(ctx, bot.Message{Adapter: a.Name(), Text: "help"})
	var list []string
	seen := map[string]bool{}
	for _, s := range r.Suggestions {
		s = strings.Join(strings.Fields(s), " ")
		if s != "" && !seen[s] {
			seen[s] = true
			list = append(list, s)
		}
	}
	if list == nil {
		list = []string{}
	}
	a.cands, a.candsTime = list, time.Now()
	return list
}
