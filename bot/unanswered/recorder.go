package unanswered

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
// answering never waits for the database. If the queue is full (the
// database is far slower than the questions), entries are dropped and
// counted.
//
// When the database cannot be written (PostgreSQL restarting, say), the
// batch is kept in memory, up to MaxPending entries (the oldest go first
// beyond that, counted as failed), and written again every RetryEvery
// until the database takes it. The outage is logged once, and Up reports
// it.
type Recorder struct {
	store *Store
	log   *slog.Logger
	now   func() time.Time
	queue chan Entry
	retry time.Duration
	limit int // entries kept while the database is down

	closed   atomic.Bool
	up       atomic.Bool
	quit     chan struct{}
	done     chan struct{}
	once     sync.Once
	recorded atomic.Uint64
	dropped  atomic.Uint64
	failed   atomic.Uint64

	pending  []Entry // run only: entries kept while the database is down
	pendingN atomic.Int64
	downAt   time.Time // run only: when the outage began
	onChange func(up bool)
}

// MaxPending bounds the entries kept in memory while the database is down.
const MaxPending = 50000

// RetryEvery is how often kept entries are written again during an outage.
const RetryEvery = time.Second

// RecorderOption configures a Recorder.
type RecorderOption func(*Recorder)

// WithRetry sets how often kept entries are written again (tests).
func WithRetry(d time.Duration) RecorderOption { return func(r *Recorder) { r.retry = d } }

// WithMaxPending bounds the entries kept while the database is down
// (default MaxPending).
func WithMaxPending(n int) RecorderOption {
	return func(r *Recorder) {
		if n > 0 {
			r.limit = n
		}
	}
}

// OnChange calls f with false when the database stops taking writes and
// with true when it takes them again (a metric).
func OnChange(f func(up bool)) RecorderOption { return func(r *Recorder) { r.onChange = f } }

// queueSize bounds the entries waiting to be written.
const queueSize = 4096

// batchSize bounds the entries written in one transaction.
const batchSize = 512

// gather is how long the writer collects entries before writing them.
const gather = 50 * time.Millisecond

// NewRecorder starts a Recorder writing to store. Close it to flush.
func NewRecorder(store *Store, log *slog.Logger, opts ...RecorderOption) *Recorder {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Recorder{
		store: store,
		log:   log,
		now:   time.Now,
		queue: make(chan Entry, queueSize),
		retry: RetryEvery,
		limit: MaxPending,
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	for _, o := range opts {
		o(r)
	}
	r.up.Store(true)
	go r.run()
	return r
}

// Up reports whether the database takes writes (false during an outage,
// while entries are kept in memory).
func (r *Recorder) Up() bool { return r.up.Load() }

// Pending reports how many entries are kept in memory, waiting for the
// database. It is safe to call at any time.
func (r *Recorder) Pending() int { return int(r.pendingN.Load()) }

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
	case r.queue <- Entry{Question: q, Adapter: adapter, At: r.now().UTC(), ID: newID()}:
	default:
		r.dropped.Add(1)
	}
}

// Stats reports how many entries were written, dropped (queue full) and
// lost to write errors (beyond MaxPending during an outage, or still kept
// at shutdown).
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
	retry := time.NewTicker(r.retry)
	defer retry.Stop()
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
		case <-retry.C:
			if len(r.pending) > 0 {
				r.flush()
			}
		case <-r.quit:
			for {
				batch = r.fill(batch[:0])
				if len(batch) == 0 {
					break
				}
				r.write(batch)
			}
			if len(r.pending) > 0 {
				r.flush()
			}
			if n := len(r.pending); n > 0 {
				r.failed.Add(uint64(n))
				r.log.Error("unanswered questions lost at shutdown: the database is unreachable", "lost", n)
			}
			return
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

// write stores batch, or keeps it for later when the database is down (or
// entries from the outage are still waiting, so that order is kept).
func (r *Recorder) write(batch []Entry) {
	if len(r.pending) > 0 {
		r.keep(batch)
		return
	}
	if err := r.add(batch); err != nil {
		r.down(err)
		r.keep(batch)
		return
	}
	r.recorded.Add(uint64(len(batch)))
}

func (r *Recorder) add(batch []Entry) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return r.store.Add(ctx, batch...)
}

// keep holds entries for a later write, within r.limit: beyond it the
// oldest go, counted as failed.
func (r *Recorder) keep(batch []Entry) {
	r.pending = append(r.pending, batch...)
	if over := len(r.pending) - r.limit; over > 0 {
		r.pending = append(r.pending[:0], r.pending[over:]...)
		r.failed.Add(uint64(over))
	}
	r.pendingN.Store(int64(len(r.pending)))
}

// flush writes the kept entries, oldest first, until the database refuses.
func (r *Recorder) flush() {
	written := 0
	for len(r.pending) > 0 {
		n := min(len(r.pending), batchSize)
		if err := r.add(r.pending[:n]); err != nil {
			r.down(err)
			break
		}
		r.recorded.Add(uint64(n))
		written += n
		r.pending = r.pending[n:]
	}
	if len(r.pending) == 0 {
		r.pending = nil
	}
	r.pendingN.Store(int64(len(r.pending)))
	if len(r.pending) == 0 && !r.up.Load() {
		r.up.Store(true)
		r.log.Info("unanswered questions: database reachable again; kept questions written",
			"db", r.store.Path(), "written", written, "down_for", time.Since(r.downAt).Round(time.Millisecond))
		if r.onChange != nil {
			r.onChange(true)
		}
	}
}

// down records the start of an outage, logging it once.
func (r *Recorder) down(err error) {
	if !r.up.CompareAndSwap(true, false) {
		return
	}
	r.downAt = time.Now()
	r.log.Error("unanswered questions: database unreachable; keeping them in memory until it is back",
		"db", r.store.Path(), "err", err, "keep_at_most", r.limit)
	if r.onChange != nil {
		r.onChange(false)
	}
}

// newID is a random entry id.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
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
