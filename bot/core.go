package bot

import (
	"container/list"
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
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

// WithContextLimits bounds the remembered conversations: at most size of
// them, each forgotten ttl after its last message.
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

// withClock replaces time.Now in tests.
func withClock(now func() time.Time) Option { return func(b *Bot) { b.now = now } }

// Bot is the conversation core. It is safe for concurrent use.
type Bot struct {
	answerer atomic.Pointer[answererBox]
	maxConvs int
	ttl      time.Duration
	now      func() time.Time

	mu    sync.Mutex               // protects convs and order
	convs map[string]*list.Element // conversation key -> element of order
	order *list.List               // *conv, most recently used first
}

type answererBox struct{ a Answerer }

type conv struct {
	key  string
	ctx  Context
	seen time.Time
}

// New returns a Bot answering with a.
func New(a Answerer, opts ...Option) *Bot {
	b := &Bot{
		maxConvs: 10000,
		ttl:      30 * time.Minute,
		now:      time.Now,
		convs:    make(map[string]*list.Element),
		order:    list.New(),
	}
	for _, o := range opts {
		o(b)
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
	q := Question{Text: text}
	if m.Conversation != "" {
		q.Context = b.context(m.Conversation)
	}
	ans := b.answerer.Load().a.Answer(ctx, q)
	if m.Conversation != "" {
		if ans.Topic != "" {
			b.remember(m.Conversation, Context{Topic: ans.Topic, Intent: ans.Intent})
		} else {
			b.touch(m.Conversation)
		}
	}
	return ans
}

// Forget drops the context of one conversation.
func (b *Bot) Forget(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if e, ok := b.convs[key]; ok {
		b.order.Remove(e)
		delete(b.convs, key)
	}
}

// Conversations reports how many conversations are remembered.
func (b *Bot) Conversations() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.convs)
}

func (b *Bot) context(key string) Context {
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.convs[key]
	if !ok {
		return Context{}
	}
	c := e.Value.(*conv)
	if b.now().Sub(c.seen) > b.ttl {
		b.order.Remove(e)
		delete(b.convs, key)
		return Context{}
	}
	return c.ctx
}

// touch marks a remembered conversation as active now without changing
// its context (a "thanks" keeps the topic alive).
func (b *Bot) touch(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if e, ok := b.convs[key]; ok {
		e.Value.(*conv).seen = b.now()
		b.order.MoveToFront(e)
	}
}

func (b *Bot) remember(key string, ic Context) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if e, ok := b.convs[key]; ok {
		c := e.Value.(*conv)
		c.ctx, c.seen = ic, now
		b.order.MoveToFront(e)
		return
	}
	b.convs[key] = b.order.PushFront(&conv{key: key, ctx: ic, seen: now})
	for b.order.Len() > b.maxConvs {
		last := b.order.Back()
		b.order.Remove(last)
		delete(b.convs, last.Value.(*conv).key)
	}
	// Drop expired conversations from the cold end while we hold the lock.
	for last := b.order.Back(); last != nil; last = b.order.Back() {
		c := last.Value.(*conv)
		if now.Sub(c.seen) <= b.ttl {
			break
		}
		b.order.Remove(last)
		delete(b.convs, c.key)
	}
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
