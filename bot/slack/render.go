package slack

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	slackgo "github.com/slack-go/slack"

	"github.com/careersbot/careersbot/bot"
)

// Block Kit limits (https://docs.slack.dev/reference/block-kit) and our own
// choices within them.
const (
	maxSectionText = 3000 // section text object
	maxContextText = 2000 // one context element (Slack allows 3000; keep it short)
	maxButtonText  = 75   // button label (plain_text)
	maxButtonValue = 2000 // button value
	maxFallback    = 3000 // notification text; Slack truncates long ones anyway
	maxEcho        = 300  // the question echoed above a slash or button answer
	maxButtons     = 5
	maxSources     = 3

	// actionPrefix starts the action_id of every suggestion button; a click
	// on one asks its value as a question.
	actionPrefix      = "careers_ask_"
	suggestionBlockID = "careers_suggestions"
	noAnswer          = "Sorry, I have no answer to that."
)

// escapeText makes untrusted text safe for Slack mrkdwn: the three control
// characters are escaped, so no <!channel>, <!here>, <!everyone>, <@U…> or
// <url|…> markup survives, and the plain-text broadcast words are broken
// with a word joiner in case a client links them.
func escapeText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
	return defuseBroadcasts(s)
}

// defuseBroadcasts puts U+2060 WORD JOINER after the @ of @channel, @here
// and @everyone (any case), which leaves them readable but never a ping.
func defuseBroadcasts(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] != '@' {
			continue
		}
		rest := strings.ToLower(s[i+1:])
		for _, w := range []string{"channel", "here", "everyone"} {
			if strings.HasPrefix(rest, w) {
				b.WriteString("\u2060")
				break
			}
		}
	}
	return b.String()
}

// unescapeText undoes Slack's escaping of incoming message text
// (https://docs.slack.dev/messaging/formatting-message-text#escaping).
func unescapeText(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// fitEscaped escapes raw and cuts it (adding an ellipsis) so that the
// escaped text has at most max runes, never splitting an escape sequence.
func fitEscaped(raw string, max int) string {
	e := escapeText(raw)
	if utf8.RuneCountInString(e) <= max {
		return e
	}
	n := utf8.RuneCountInString(raw)
	for n > 0 {
		over := utf8.RuneCountInString(e) - max
		if over <= 0 {
			return e
		}
		n -= over
		if n < 0 {
			n = 0
		}
		e = escapeText(strings.TrimSpace(bot.Truncate(raw, n))) + "…"
	}
	return "…"
}

// plainText makes text safe for a plain_text object or a button value.
// Slack does not parse plain text for mentions, but we never send mention
// markup at all: angle brackets become look-alike quotation marks and the
// broadcast words are defused.
func plainText(s string, max int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.NewReplacer("<", "\u2039", ">", "\u203A").Replace(strings.TrimSpace(s))
	s = defuseBroadcasts(s)
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return bot.Truncate(s, max-1) + "…"
}

// safeURL returns u if it is an absolute http(s) URL that can sit inside
// Slack's <url|label> markup, else "".
func safeURL(u string) string {
	if len(u) > 1000 || strings.ContainsAny(u, "<>| \t\r\n") {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return strings.ReplaceAll(u, "&", "&amp;")
}

// renderOptions say how a reply is shown.
type renderOptions struct {
	// Echo repeats the question above the answer: slash commands and button
	// clicks do not show the question in the conversation by themselves.
	Echo string
}

// render turns a reply into a plain-text fallback and Block Kit blocks:
// the answer as an mrkdwn section, its sources as a context block and its
// suggestions as buttons. Every piece of text that came from a user or a
// document is escaped.
func render(r bot.Reply, o renderOptions) (string, []slackgo.Block) {
	var blocks []slackgo.Block
	if q := strings.TrimSpace(o.Echo); q != "" {
		echo := "*You asked:* " + fitEscaped(q, maxEcho)
		blocks = append(blocks, slackgo.NewContextBlock("careers_question",
			slackgo.NewTextBlockObject(slackgo.MarkdownType, echo, false, true)))
	}

	answer := strings.TrimSpace(r.Text)
	if answer == "" {
		answer = noAnswer
	}
	blocks = append(blocks, slackgo.NewSectionBlock(
		slackgo.NewTextBlockObject(slackgo.MarkdownType, fitEscaped(answer, maxSectionText), false, true),
		nil, nil, slackgo.SectionBlockOptionBlockID("careers_answer")))

	var sources []slackgo.MixedElement
	for _, s := range r.Sources {
		if len(sources) == maxSources {
			break
		}
		if line := sourceLine(s.Document, s.Section, s.URL); line != "" {
			sources = append(sources, slackgo.NewTextBlockObject(slackgo.MarkdownType, line, false, true))
		}
	}
	if len(sources) > 0 {
		blocks = append(blocks, slackgo.NewContextBlock("careers_sources", sources...))
	}

	var buttons []slackgo.BlockElement
	seen := map[string]bool{}
	for _, s := range r.Suggestions {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] || len(buttons) == maxButtons {
			continue
		}
		seen[s] = true
		buttons = append(buttons, slackgo.NewButtonBlockElement(
			fmt.Sprintf("%s%d", actionPrefix, len(buttons)), plainText(s, maxButtonValue),
			slackgo.NewTextBlockObject(slackgo.PlainTextType, plainText(s, maxButtonText), false, false)))
	}
	if len(buttons) > 0 {
		blocks = append(blocks, slackgo.NewActionBlock(suggestionBlockID, buttons...))
	}

	return fitEscaped(answer, maxFallback), blocks
}

// sourceLine renders one source as mrkdwn: a link when it has a usable URL.
func sourceLine(doc, section, link string) string {
	doc, section = strings.TrimSpace(doc), strings.TrimSpace(section)
	label := doc
	if section != "" && section != doc {
		if label != "" {
			label += " › "
		}
		label += section
	}
	if label == "" {
		return ""
	}
	label = fitEscaped(label, 200)
	if u := safeURL(link); u != "" {
		return "Source: <" + u + "|" + label + ">"
	}
	return "Source: " + label
}
