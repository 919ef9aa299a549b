package bot

import (
	"context"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// RefusedIntent and RefusedText are the reply to an empty question.
const (
	RefusedIntent = "refused"
	RefusedText   = "Please ask a question."
)

// MaxQuestion is the longest question answered; longer text is cut to this
// many characters (runes) before it is understood.
const MaxQuestion = 2000

// Answerer answers one question. The answering engine is one through
// package bot/engine; tests pass their own.
type Answerer interface {
	Answer(ctx context.Context, q Question) Reply
}

// Question is one message to answer, with its conversation's context.
type Question struct {
	Text    string
	Context Context
}

// Context is what a conversation remembers between turns: the previous
// answer's topic and intent, handed back with the next Question.
type Context struct {
	Topic  string
	Intent string
}

// Option configures a Bot.
type Option func(*Bot)

// WithContextLimits bounds the remembered conversations of the in-memory
// store: at most size of them, each forgotten ttl after its last message.
func WithContextLimits(size int, ttl time.Duration) Option {
	return func(b *Bot) {
		if size > 0 {
			b.maxConvs = size
		}
		if ttl > 0 {
			b.ttl = ttl
		}
	}
}

// WithContextStore keeps conversation context in s (shared by replicas)
// instead of in this process's memory.
func WithContextStore(s ContextStore) Option { return func(b *Bot) { b.store = s } }

// withClock replaces time.Now in tests.
func withClock(now func() time.Time) Option { return func(b *Bot) { b.now = now } }

// Bot is the conversation core. It is safe for concurrent use.
type Bot struct {
	answerer atomic.Pointer[answererBox]
	store    ContextStore
	maxConvs int
	ttl      time.Duration
	now      func() time.Time
}

type answererBox struct{ a Answerer }

// New returns a Bot answering with a.
func New(a Answerer, opts ...Option) *Bot {
	b := &Bot{
		maxConvs: DefaultConversations,
		ttl:      DefaultContextTTL,
		now:      time.Now,
	}
	for _, o := range opts {
		o(b)
	}
	if b.store == nil {
		b.store = newMemoryContexts(b.maxConvs, b.ttl, b.now)
	}
	b.SetAnswerer(a)
	return b
}

// SetAnswerer swaps the answerer atomically (knowledge reload). Questions
// in flight finish with the old one.
func (b *Bot) SetAnswerer(a Answerer) { b.answerer.Store(&answererBox{a}) }

// Handle answers m, using and updating the context of m.Conversation.
func (b *Bot) Handle(ctx context.Context, m Message) Reply {
	text := Truncate(m.Text, MaxQuestion)
	if strings.TrimSpace(text) == "" {
		// Front ends refuse empty questions themselves (ask, /v1/ask) or
		// turn them into "help" (a bare mention); one that gets here is
		// refused without asking the engine, and not recorded.
		return Reply{Intent: RefusedIntent, Text: RefusedText, Sources: []Source{}, Suggestions: []string{}, Status: StatusRefused}
	}
	q := Question{Text: text}
	if m.Conversation != "" {
		q.Context = b.store.Load(ctx, m.Conversation)
	}
	ans := b.answerer.Load().a.Answer(ctx, q)
	if m.Conversation != "" {
		if ans.Topic != "" {
			b.store.Save(ctx, m.Conversation, Context{Topic: ans.Topic, Intent: ans.Intent})
		} else if q.Context != (Context{}) {
			b.store.Touch(ctx, m.Conversation)
		}
	}
	return ans
}

// Forget drops the context of one conversation kept in memory.
func (b *Bot) Forget(key string) {
	if m, ok := b.store.(*MemoryContexts); ok {
		m.Forget(key)
	}
}

// Conversations reports how many conversations are remembered in memory
// (0 when the context is kept elsewhere).
func (b *Bot) Conversations() int {
	if m, ok := b.store.(*MemoryContexts); ok {
		return m.Len()
	}
	return 0
}

// Truncate cuts s to at most n runes, never splitting a UTF-8 sequence, and
// replaces invalid UTF-8.
func Truncate(s string, n int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
