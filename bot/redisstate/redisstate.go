// Package redisstate keeps what careersbot replicas share in Redis
// (github.com/redis/go-redis/v9): delivery claims (Slack event
// de-duplication, Discord interaction ids), conversation context and
// per-user rate limits (GCRA, github.com/go-redis/redis_rate). Every key
// starts with "careersbot:" and carries a TTL, so nothing grows without
// bound.
//
// A replica must keep answering when Redis does not. Every operation has a
// short deadline; the first failure marks the store down (logged once per
// outage) and from then on operations use this process's memory
// (bot.MemoryClaims, bot.MemoryContexts, limit.Limiter) while a probe pings
// Redis. When Redis answers again, the writes made during the outage
// (claims marked done or released, contexts saved) are replayed into it,
// the store is marked up and the log says for how long it was down.
package redisstate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/limit"
)

// Prefix starts every key this package writes.
const Prefix = "careersbot:"

// Defaults.
const (
	DefaultOpTimeout  = time.Second // one Redis operation, before falling back to memory
	poolSize          = 64          // connections per replica: a burst of deliveries claims at once
	DefaultProbeEvery = time.Second // how often Redis is pinged (to notice outages and recovery)
	maxReplay         = 10000       // writes kept during an outage to replay on recovery
	replayBatch       = 256         // replayed writes per pipeline
)

// Options configure Open.
type Options struct {
	URL        string        // redis://[user:pass@]host:port/db or rediss://
	Log        *slog.Logger  // outages and recoveries
	ContextTTL time.Duration // conversation context lifetime; default bot.DefaultContextTTL
	OpTimeout  time.Duration // default DefaultOpTimeout
	ProbeEvery time.Duration // default DefaultProbeEvery
	// OnChange, when set, is called with true or false each time the
	// store comes up or goes down (a metric).
	OnChange func(up bool)
}

// Store is a connection to Redis and the local state used while it is
// unreachable. It is safe for concurrent use.
type Store struct {
	rdb       *redis.Client
	log       *slog.Logger
	addr      string // host:port, for messages
	secret    string // the URL's password, scrubbed from errors
	token     string // this process's claim value: a claim is released only by whoever took it
	ctxTTL    time.Duration
	opTimeout time.Duration
	onChange  func(bool)

	up         atomic.Bool
	roundTrips atomic.Int64 // commands and pipelines sent, pings excluded

	localClaims *bot.MemoryClaims
	localCtx    *bot.MemoryContexts

	mu      sync.Mutex // protects replay, dropped and downAt
	replay  []write    // writes made while down, oldest first
	dropped int        // writes not kept for replay (replay full)
	downAt  time.Time

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// write is a write made while Redis was down, to replay into it.
type write struct {
	kind  byte // 'd' done, 'r' release, 'c' context
	key   string
	value string
	ttl   time.Duration
}

// Open parses opts.URL, connects and pings Redis. It fails when the URL is
// malformed or Redis does not answer; errors name the address, never the
// password.
func Open(ctx context.Context, opts Options) (*Store, error) {
	ro, err := redis.ParseURL(strings.TrimSpace(opts.URL))
	if err != nil {
		return nil, fmt.Errorf("parse redis URL %s: want redis://[user:password@]host:port/db or rediss://...", Redacted(opts.URL))
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.ContextTTL <= 0 {
		opts.ContextTTL = bot.DefaultContextTTL
	}
	if opts.OpTimeout <= 0 {
		opts.OpTimeout = DefaultOpTimeout
	}
	if opts.ProbeEvery <= 0 {
		opts.ProbeEvery = DefaultProbeEvery
	}
	// No retries: a SET NX retried after a lost reply would find its own
	// claim and report it taken, and nobody would answer. A failure falls
	// back to memory at once instead.
	ro.MaxRetries = -1
	ro.DialTimeout = 2 * opts.OpTimeout
	ro.ReadTimeout = opts.OpTimeout
	ro.WriteTimeout = opts.OpTimeout
	ro.PoolTimeout = opts.OpTimeout
	ro.PoolSize = poolSize
	ro.ContextTimeoutEnabled = true
	ro.DialerRetries = 1 // the probe tries again; a dial must not outlast an operation
	logOnce.Do(func() { redis.SetLogger(libLogger{opts.Log.With("component", "redis")}) })
	tok := make([]byte, 12)
	_, _ = rand.Read(tok)
	s := &Store{
		rdb:         redis.NewClient(ro),
		log:         opts.Log.With("component", "redis"),
		addr:        ro.Addr,
		secret:      ro.Password,
		token:       "claimed:" + hex.EncodeToString(tok),
		ctxTTL:      opts.ContextTTL,
		opTimeout:   opts.OpTimeout,
		onChange:    opts.OnChange,
		localClaims: bot.NewMemoryClaims(0),
		localCtx:    bot.NewMemoryContexts(0, opts.ContextTTL),
		stop:        make(chan struct{}),
		done:        make(chan struct{}),
	}
	s.rdb.AddHook(counter{&s.roundTrips})
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.rdb.Ping(pctx).Err(); err != nil {
		s.rdb.Close()
		return nil, fmt.Errorf("connect to redis at %s: %s", s.addr, s.scrub(err))
	}
	s.up.Store(true)
	go s.probe(opts.ProbeEvery)
	return s, nil
}

// Close stops the probe and closes the connections.
func (s *Store) Close() error {
	s.once.Do(func() { close(s.stop) })
	<-s.done
	return s.rdb.Close()
}

// Up reports whether Redis is in use (false during an outage).
func (s *Store) Up() bool { return s.up.Load() }

// Addr is the server's host:port.
func (s *Store) Addr() string { return s.addr }

// RoundTrips reports how many commands and pipelines were sent to Redis,
// health pings excluded.
func (s *Store) RoundTrips() int64 { return s.roundTrips.Load() }

// Redacted returns a URL with its password replaced, fit for a log line or
// an error; a URL that does not parse is shown as its scheme alone.
func Redacted(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		if i := strings.Index(raw, "://"); i > 0 && i < 12 {
			return raw[:i] + "://[unparsable]"
		}
		return "[unparsable]"
	}
	return u.Redacted()
}

// scrub renders err without the password, should a library ever quote it.
func (s *Store) scrub(err error) string {
	msg := err.Error()
	if s.secret != "" {
		msg = strings.ReplaceAll(msg, s.secret, "[redacted]")
	}
	return msg
}

// failed marks the store down after err, logging the first failure of an
// outage only. ctx is the caller's: when it has ended, the caller gave up
// and Redis may be fine.
func (s *Store) failed(ctx context.Context, op string, err error) {
	if ctx.Err() != nil {
		return
	}
	if !s.up.CompareAndSwap(true, false) {
		return
	}
	s.mu.Lock()
	s.downAt = time.Now()
	s.mu.Unlock()
	s.log.Error("redis unreachable: answering with this replica's own state until it is back",
		"addr", s.addr, "op", op, "err", s.scrub(err))
	if s.onChange != nil {
		s.onChange(false)
	}
}

// remember keeps a write made while down, for replay.
func (s *Store) remember(w write) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.replay) >= maxReplay {
		s.replay = s.replay[1:]
		s.dropped++
	}
	s.replay = append(s.replay, w)
}

// probe pings Redis every interval: a failed ping marks the store down
// even when no question is being asked, and a good one while down replays
// the outage's writes and marks it up again.
func (s *Store) probe(every time.Duration) {
	defer close(s.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), s.opTimeout)
		err := s.rdb.Ping(ctx).Err()
		cancel()
		if err != nil {
			s.failed(context.Background(), "ping", err)
			continue
		}
		if !s.up.Load() {
			s.recover()
		}
	}
}

// recover replays the outage's writes and marks the store up. A failure
// part way leaves it down, with what is left to replay. The store is
// marked up under the lock that remember takes, once nothing is left, so
// no write of the outage is skipped.
func (s *Store) recover() {
	for {
		s.mu.Lock()
		if len(s.replay) == 0 {
			down, dropped := time.Since(s.downAt), s.dropped
			s.replay, s.dropped = nil, 0
			s.up.Store(true)
			s.mu.Unlock()
			s.log.Info("redis reachable again: shared state back", "addr", s.addr,
				"down_for", down.Round(time.Millisecond), "replay_dropped", dropped)
			if s.onChange != nil {
				s.onChange(true)
			}
			return
		}
		n := min(len(s.replay), replayBatch)
		batch := append([]write(nil), s.replay[:n]...)
		dropped := s.dropped
		s.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 4*s.opTimeout)
		err := s.apply(ctx, batch)
		cancel()
		if err != nil {
			s.log.Warn("redis back but replay failed; trying again", "addr", s.addr, "err", s.scrub(err))
			return
		}
		s.mu.Lock()
		// Writes dropped from the front meanwhile (the buffer was full)
		// were part of the batch just applied.
		n -= s.dropped - dropped
		s.replay = s.replay[max(n, 0):]
		s.mu.Unlock()
	}
}

// apply writes batch in one pipeline.
func (s *Store) apply(ctx context.Context, batch []write) error {
	var releases []string
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, w := range batch {
			switch w.kind {
			case 'd', 'c':
				p.Set(ctx, w.key, w.value, w.ttl)
			case 'r':
				releases = append(releases, w.key)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range releases {
		if err := s.release(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// op returns a context for one Redis operation.
func (s *Store) op(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.opTimeout)
}

// Claims returns the shared bot.Claims.
func (s *Store) Claims() bot.Claims { return claims{s} }

// Contexts returns the shared bot.ContextStore.
func (s *Store) Contexts() bot.ContextStore { return contexts{s} }

// Limiter returns a shared limit.Store allowing burst questions at once
// and perMinute a minute after that, per user.
func (s *Store) Limiter(perMinute float64, burst int) limit.Store {
	if burst < 1 {
		burst = 1
	}
	interval := time.Duration(float64(time.Minute) / perMinute)
	return &limiter{
		s:     s,
		rl:    redis_rate.NewLimiter(prefixed{s.rdb}),
		limit: redis_rate.Limit{Rate: 1, Period: interval, Burst: burst},
		local: limit.New(limit.PerMinute(perMinute), burst),
	}
}

func claimKey(k string) string   { return Prefix + "claim:" + k }
func contextKey(k string) string { return Prefix + "ctx:" + k }

type claims struct{ s *Store }

var _ bot.Claims = claims{}

// Claim takes each key with SET NX, in order, stopping at the first that is
// held; keys taken before it are released. Taking them in one order means
// that of two deliveries sharing a key, exactly one gets them all.
func (c claims) Claim(ctx context.Context, ttl time.Duration, keys ...string) bool {
	s := c.s
	if !s.up.Load() {
		return s.localClaims.Claim(ctx, ttl, keys...)
	}
	octx, cancel := s.op(ctx)
	defer cancel()
	var taken []string
	for _, k := range keys {
		if k == "" {
			continue
		}
		ok, err := s.rdb.SetNX(octx, claimKey(k), s.token, ttl).Result()
		if err != nil {
			s.failed(ctx, "claim", err)
			// Keys taken before the failure expire by themselves.
			return s.localClaims.Claim(ctx, ttl, keys...)
		}
		if !ok {
			for _, t := range taken {
				if err := s.release(octx, claimKey(t)); err != nil {
					s.failed(ctx, "release", err)
					break
				}
			}
			return false
		}
		taken = append(taken, k)
	}
	return true
}

// Done sets every key to "done" for ttl, in one pipeline.
func (c claims) Done(ctx context.Context, ttl time.Duration, keys ...string) {
	s := c.s
	if s.up.Load() {
		octx, cancel := s.op(ctx)
		defer cancel()
		_, err := s.rdb.Pipelined(octx, func(p redis.Pipeliner) error {
			for _, k := range keys {
				if k != "" {
					p.Set(octx, claimKey(k), "done", ttl)
				}
			}
			return nil
		})
		if err == nil {
			return
		}
		s.failed(ctx, "done", err)
	}
	s.localClaims.Done(ctx, ttl, keys...)
	for _, k := range keys {
		if k != "" {
			s.remember(write{kind: 'd', key: claimKey(k), value: "done", ttl: ttl})
		}
	}
}

// Release deletes the keys this process claimed and has not marked done.
func (c claims) Release(ctx context.Context, keys ...string) {
	s := c.s
	if s.up.Load() {
		octx, cancel := s.op(ctx)
		defer cancel()
		var err error
		for _, k := range keys {
			if k == "" {
				continue
			}
			if err = s.release(octx, claimKey(k)); err != nil {
				break
			}
		}
		if err == nil {
			return
		}
		s.failed(ctx, "release", err)
	}
	s.localClaims.Release(ctx, keys...)
	for _, k := range keys {
		if k != "" {
			s.remember(write{kind: 'r', key: claimKey(k)})
		}
	}
}

// release deletes key if it still holds this process's claim: an optimistic
// transaction (WATCH, GET, MULTI DEL EXEC), so a claim that expired and was
// taken by another replica is left alone.
func (s *Store) release(ctx context.Context, key string) error {
	err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
		v, err := tx.Get(ctx, key).Result()
		if errors.Is(err, redis.Nil) || (err == nil && v != s.token) {
			return nil
		}
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Del(ctx, key)
			return nil
		})
		return err
	}, key)
	if errors.Is(err, redis.TxFailedErr) {
		return nil // changed meanwhile: no longer ours
	}
	return err
}

type contexts struct{ s *Store }

var _ bot.ContextStore = contexts{}

// Load implements bot.ContextStore.
func (c contexts) Load(ctx context.Context, key string) bot.Context {
	s := c.s
	if !s.up.Load() {
		return s.localCtx.Load(ctx, key)
	}
	octx, cancel := s.op(ctx)
	defer cancel()
	b, err := s.rdb.Get(octx, contextKey(key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return bot.Context{}
	}
	if err != nil {
		s.failed(ctx, "load context", err)
		return s.localCtx.Load(ctx, key)
	}
	var ic bot.Context
	if err := json.Unmarshal(b, &ic); err != nil {
		return bot.Context{} // not ours, or from an incompatible version: start afresh
	}
	return ic
}

// Save implements bot.ContextStore.
func (c contexts) Save(ctx context.Context, key string, ic bot.Context) {
	s := c.s
	b, _ := json.Marshal(ic)
	if s.up.Load() {
		octx, cancel := s.op(ctx)
		defer cancel()
		err := s.rdb.Set(octx, contextKey(key), b, s.ctxTTL).Err()
		if err == nil {
			return
		}
		s.failed(ctx, "save context", err)
	}
	s.localCtx.Save(ctx, key, ic)
	s.remember(write{kind: 'c', key: contextKey(key), value: string(b), ttl: s.ctxTTL})
}

// Touch implements bot.ContextStore.
func (c contexts) Touch(ctx context.Context, key string) {
	s := c.s
	if s.up.Load() {
		octx, cancel := s.op(ctx)
		defer cancel()
		err := s.rdb.PExpire(octx, contextKey(key), s.ctxTTL).Err()
		if err == nil {
			return
		}
		s.failed(ctx, "touch context", err)
	}
	s.localCtx.Touch(ctx, key)
}

type limiter struct {
	s     *Store
	rl    *redis_rate.Limiter
	limit redis_rate.Limit
	local *limit.Limiter
}

// AllowUser implements limit.Store with one GCRA bucket per user in Redis.
func (l *limiter) AllowUser(ctx context.Context, key string) bool {
	s := l.s
	if s.up.Load() {
		octx, cancel := s.op(ctx)
		defer cancel()
		res, err := l.rl.Allow(octx, key, l.limit)
		if err == nil {
			return res.Allowed > 0
		}
		s.failed(ctx, "rate limit", err)
	}
	return l.local.Allow(key)
}

// prefixed gives redis_rate's keys ("rate:...") the package's prefix.
type prefixed struct{ *redis.Client }

func (p prefixed) keys(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = Prefix + k
	}
	return out
}

func (p prefixed) Eval(ctx context.Context, script string, keys []string, args ...any) *redis.Cmd {
	return p.Client.Eval(ctx, script, p.keys(keys), args...)
}

func (p prefixed) EvalSha(ctx context.Context, sha1 string, keys []string, args ...any) *redis.Cmd {
	return p.Client.EvalSha(ctx, sha1, p.keys(keys), args...)
}

func (p prefixed) EvalRO(ctx context.Context, script string, keys []string, args ...any) *redis.Cmd {
	return p.Client.EvalRO(ctx, script, p.keys(keys), args...)
}

func (p prefixed) EvalShaRO(ctx context.Context, sha1 string, keys []string, args ...any) *redis.Cmd {
	return p.Client.EvalShaRO(ctx, sha1, p.keys(keys), args...)
}

func (p prefixed) Del(ctx context.Context, keys ...string) *redis.IntCmd {
	return p.Client.Del(ctx, p.keys(keys)...)
}

// logOnce routes go-redis's own log lines (a global) to the first store's
// logger, at debug level: outages are reported by the store, once.
var logOnce sync.Once

type libLogger struct{ log *slog.Logger }

func (l libLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, fmt.Sprintf(format, v...))
}

// counter is a go-redis hook counting round trips: each command or
// pipeline sent, except the probe's pings.
type counter struct{ n *atomic.Int64 }

func (c counter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c counter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if cmd.Name() != "ping" {
			c.n.Add(1)
		}
		return next(ctx, cmd)
	}
}

func (c counter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmds)
	}
}

var _ redis.Hook = counter{}
