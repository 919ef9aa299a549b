package unanswered

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/careersbot/careersbot/bot"
)

// FallbackIntent is the intent of a reply that did not answer.
const FallbackIntent = "fallback"

// IsFallback reports whether r is an "I don't know": not answered, with the
// fallback intent (a rate-limited reply is not one).
func IsFallback(r bot.Reply) bool { return r.Tried() && !r.Answered && r.Intent == FallbackIntent }

// Recorder writes fallbacks to a Store in the background, in batches, so
// answering never waits for the disk. If the queue is full (the disk is
// far slower than the questions), entries are dropped and counted.
type Recorder struct {
	store *Store
	log   *slog.Logger
	now   func() time.Time
	queue chan Entry

	closed   atomic.Bool
	quit     chan struct{}
	done     chan struct{}
	once     sync.Once
	recorded atomic.Uint64
	dropped  atomic.Uint64
	failed   atomic.Uint64
}

// queueSize bounds the entries waiting to be written.
const queueSize = 4096

// batchSize bounds the entries written in one transaction.
const batchSize = 512

// gather is how long the writer collects entries before writing them.
const gather = 50 * time.Millisecond

// NewRecorder starts a Recorder writing to store. Close it to flush.
func NewRecorder(store *Store, log *slog.Logger) *Recorder {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Recorder{
		store: store,
		log:   log,
		now:   time.Now,
		queue: make(chan Entry, queueSize),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go r.run()
	return r
}

// Middleware returns a bot.Middleware that records every fallback reply.
func (r *Recorder) Middleware() bot.Middleware {
	return func(next bot.Handler) bot.Handler {
		return bot.HandlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
			reply := next.Handle(ctx, m)
			if IsFallback(reply) {
				r.Record(m.Adapter, m.Text)
			}
			return reply
		})
	}
}

// Record queues one unanswered question. It never blocks.
func (r *Recorder) Record(adapter, question string) {
	q := Clean(question)
	if q == "" || r.closed.Load() {
		return
	}
	select {
	case r.queue <- Entry{Question: q, Adapter: adapter, At: r.now().UTC()}:
	default:
		r.dropped.Add(1)
	}
}

// Stats reports how many entries were written, dropped (queue full) and
// lost to write errors.
func (r *Recorder) Stats() (recorded, dropped, failed uint64) {
	return r.recorded.Load(), r.dropped.Load(), r.failed.Load()
}

// Close stops recording, writes what is queued and waits for it, or for
// ctx to end.
func (r *Recorder) Close(ctx context.Context) error {
	r.once.Do(func() {
		r.closed.Store(true)
		close(r.quit)
	})
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *Recorder) run() {
	defer close(r.done)
	batch := make([]Entry, 0, batchSize)
	for {
		select {
		case e := <-r.queue:
			// Gather for a moment so that a busy server writes a few large
			// transactions a second rather than one per question.
			batch = append(batch[:0], e)
			wait := time.NewTimer(gather)
		gathering:
			for len(batch) < batchSize {
				select {
				case e := <-r.queue:
					batch = append(batch, e)
				case <-wait.C:
					break gathering
				case <-r.quit:
					break gathering
				}
			}
			wait.Stop()
			r.write(batch)
		case <-r.quit:
			for {
				batch = r.fill(batch[:0])
				if len(batch) == 0 {
					return
				}
				r.write(batch)
			}
		}
	}
}

// fill takes what is queued, without waiting, up to batchSize.
func (r *Recorder) fill(batch []Entry) []Entry {
	for len(batch) < batchSize {
		select {
		case e := <-r.queue:
			batch = append(batch, e)
		default:
			return batch
		}
	}
	return batch
}

func (r *Recorder) write(batch []Entry) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.store.Add(ctx, batch...); err != nil {
		r.failed.Add(uint64(len(batch)))
		r.log.Error("record unanswered questions", "err", err, "lost", len(batch))
		return
	}
	r.recorded.Add(uint64(len(batch)))
}

// markup is Slack and Discord mention markup: <@U024BE7LH>, <@!123>,
// <#C123|general>, <!here>, <@&role>.
var markup = regexp.MustCompile(`<[@#!][^<>\s]*>`)

// Clean prepares a question for storage: mention markup (which carries user
// ids) removed, whitespace folded, at most bot.MaxQuestion characters.
func Clean(q string) string {
	q = bot.Truncate(q, bot.MaxQuestion)
	q = markup.ReplaceAllString(q, " ")
	return strings.Join(strings.Fields(q), " ")
}
