package redisstate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/internal/testutil"
)

// run is unique to this test run, so that tests sharing one Redis server
// (CAREERSBOT_TEST_REDIS_URL) never see each other's keys.
var run = func() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}()

func uniq(name string) string { return name + "-" + run }

// open connects a replica's store to url, closed when the test ends.
func open(t *testing.T, url string, log *slog.Logger, opts ...func(*Options)) *Store {
	t.Helper()
	o := Options{URL: url, Log: log, ProbeEvery: 50 * time.Millisecond}
	for _, f := range opts {
		f(&o)
	}
	s, err := Open(context.Background(), o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func raw(t *testing.T, url string) *redis.Client {
	t.Helper()
	o, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(o)
	t.Cleanup(func() { c.Close() })
	return c
}

func TestClaimsAcrossReplicas(t *testing.T) {
	url := testutil.RedisURL(t)
	ctx := context.Background()
	a, b := open(t, url, nil).Claims(), open(t, url, nil).Claims()
	ev, msg := uniq("slack:event:Ev1"), uniq("slack:msg:T1:C1:1.2")

	if !a.Claim(ctx, time.Minute, ev, msg) {
		t.Fatal("replica A could not claim a new delivery")
	}
	if b.Claim(ctx, time.Minute, ev, msg) {
		t.Fatal("replica B claimed a delivery A holds")
	}
	if b.Claim(ctx, time.Minute, uniq("slack:event:Ev2"), msg) {
		t.Fatal("replica B claimed the same message under another event")
	}
	// B's failed claim must not have kept Ev2.
	if !a.Claim(ctx, time.Minute, uniq("slack:event:Ev2")) {
		t.Error("the event of a failed claim was left held")
	}
	b.Release(ctx, ev, msg) // not B's: must not free it
	if b.Claim(ctx, time.Minute, ev) {
		t.Fatal("replica B released A's claim")
	}
	a.Release(ctx, ev, msg) // posting failed: the retry must be answerable
	if !b.Claim(ctx, time.Minute, ev, msg) {
		t.Fatal("after A released, B could not claim the retry")
	}
	b.Done(ctx, time.Hour, ev, msg)
	b.Release(ctx, ev, msg) // done is not released
	if a.Claim(ctx, time.Minute, ev) || a.Claim(ctx, time.Minute, msg) {
		t.Fatal("a delivery marked done was claimed again")
	}

	c := raw(t, url)
	for _, k := range []string{ev, msg} {
		v, err := c.Get(ctx, "careersbot:claim:"+k).Result()
		if err != nil || v != "done" {
			t.Errorf("%s = %q, %v; want done", k, v, err)
		}
		if ttl := c.PTTL(ctx, "careersbot:claim:"+k).Val(); ttl <= 59*time.Minute || ttl > time.Hour {
			t.Errorf("%s TTL %v, want about an hour", k, ttl)
		}
	}
}

// The same 200 events delivered to two replicas at the same moment: each
// is claimed by exactly one of them.
func TestClaimsSimultaneous(t *testing.T) {
	url := testutil.RedisURL(t)
	replicas := []bot.Claims{open(t, url, nil).Claims(), open(t, url, nil).Claims()}
	const events = 200
	var wins [events]atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range events {
		for _, r := range replicas {
			wg.Go(func() {
				<-start
				ev := uniq(fmt.Sprintf("slack:event:sim%d", i))
				m := uniq(fmt.Sprintf("slack:msg:T1:C1:%d.0", i))
				if r.Claim(context.Background(), time.Minute, ev, m) {
					wins[i].Add(1)
				}
			})
		}
	}
	close(start)
	wg.Wait()
	for i := range events {
		if n := wins[i].Load(); n != 1 {
			t.Errorf("event %d claimed %d times, want 1", i, n)
		}
	}
}

func TestContextsAcrossReplicas(t *testing.T) {
	url := testutil.RedisURL(t)
	ctx := context.Background()
	a := open(t, url, nil, func(o *Options) { o.ContextTTL = 2 * time.Second }).Contexts()
	b := open(t, url, nil, func(o *Options) { o.ContextTTL = 2 * time.Second }).Contexts()
	key := uniq("T1:C1:1700000000.000100")

	if got := b.Load(ctx, key); got != (bot.Context{}) {
		t.Fatalf("new conversation has context %+v", got)
	}
	a.Save(ctx, key, bot.Context{Topic: "genetics", Intent: "overview"})
	if got := b.Load(ctx, key); got.Topic != "genetics" || got.Intent != "overview" {
		t.Fatalf("replica B sees %+v, want genetics/overview", got)
	}
	c := raw(t, url)
	ttl := c.PTTL(ctx, "careersbot:ctx:"+key).Val()
	if ttl <= 0 || ttl > 2*time.Second {
		t.Errorf("context TTL %v, want up to 2s", ttl)
	}
	time.Sleep(1200 * time.Millisecond)
	b.Touch(ctx, key) // a "thanks" keeps it alive
	time.Sleep(1200 * time.Millisecond)
	if got := a.Load(ctx, key); got.Topic != "genetics" {
		t.Errorf("touched context gone: %+v", got)
	}
	time.Sleep(2100 * time.Millisecond)
	if got := a.Load(ctx, key); got != (bot.Context{}) {
		t.Errorf("context outlived its time limit: %+v", got)
	}
}

func TestLimiterShared(t *testing.T) {
	url := testutil.RedisURL(t)
	ctx := context.Background()
	a := open(t, url, nil).Limiter(6, 3) // a token every 10 s, 3 at once
	b := open(t, url, nil).Limiter(6, 3)
	user := uniq("slack\x00U0ASKER")
	got := []bool{a.AllowUser(ctx, user), b.AllowUser(ctx, user), a.AllowUser(ctx, user), b.AllowUser(ctx, user), a.AllowUser(ctx, user)}
	want := []bool{true, true, true, false, false}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("question %d allowed = %v, want %v (all: %v)", i+1, got[i], want[i], got)
		}
	}
	if !a.AllowUser(ctx, uniq("slack\x00U0OTHER")) {
		t.Error("another user shares the bucket")
	}
	c := raw(t, url)
	key := "careersbot:rate:" + user
	if ttl := c.PTTL(ctx, key).Val(); ttl <= 0 || ttl > 31*time.Second {
		t.Errorf("bucket %q TTL %v, want at most the refill time", key, ttl)
	}
}

// Every key is under careersbot: and expires.
func TestKeysPrefixedWithTTL(t *testing.T) {
	srv, url := testutil.StartRedis(t)
	_ = srv
	ctx := context.Background()
	s := open(t, url, nil)
	s.Claims().Claim(ctx, time.Minute, "k1", "k2")
	s.Claims().Done(ctx, time.Hour, "k3")
	s.Contexts().Save(ctx, "conv", bot.Context{Topic: "genetics"})
	s.Limiter(30, 10).AllowUser(ctx, "slack\x00U1")
	c := raw(t, url)
	keys, err := c.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 5 {
		t.Errorf("keys %q, want 5", keys)
	}
	for _, k := range keys {
		if !strings.HasPrefix(k, Prefix) {
			t.Errorf("key %q lacks the %s prefix", k, Prefix)
		}
		if ttl := c.PTTL(ctx, k).Val(); ttl <= 0 {
			t.Errorf("key %q has no TTL (%v)", k, ttl)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	srv, url := testutil.StartRedis(t)
	port := srv.Port()
	srv.Kill()
	for name, u := range map[string]string{
		"not a URL":    "localhost:6379",
		"wrong scheme": "http://user:hunter2secret@127.0.0.1:6379/0",
		"unreachable":  strings.Replace(url, "redis://", "redis://user:hunter2secret@", 1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Open(context.Background(), Options{URL: u})
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), "hunter2secret") {
				t.Errorf("error shows the password: %v", err)
			}
			if name == "unreachable" && !strings.Contains(err.Error(), fmt.Sprintf("127.0.0.1:%d", port)) {
				t.Errorf("error does not name the address: %v", err)
			}
		})
	}
}

// Redis killed mid-run: claims, contexts and limits keep working from
// memory, the outage is logged once, and when Redis is back the writes of
// the outage are replayed and de-duplication is shared again.
func TestRedisKilledAndRestarted(t *testing.T) {
	srv, url := testutil.StartRedis(t)
	ctx := context.Background()
	logs := &testutil.SyncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	var changes []bool
	var mu sync.Mutex
	onChange := func(up bool) { mu.Lock(); changes = append(changes, up); mu.Unlock() }
	sa := open(t, url, log, func(o *Options) { o.OnChange = onChange })
	sb := open(t, url, nil)
	a, b := sa.Claims(), sb.Claims()

	if !a.Claim(ctx, time.Minute, "before") {
		t.Fatal("claim before the outage")
	}
	srv.Kill()
	for i := range 20 {
		key := fmt.Sprintf("during-%d", i)
		if !a.Claim(ctx, time.Minute, key) {
			t.Fatalf("claim %d during the outage refused", i)
		}
		if a.Claim(ctx, time.Minute, key) {
			t.Fatalf("claim %d during the outage not de-duplicated locally", i)
		}
		a.Done(ctx, time.Hour, key)
	}
	sa.Contexts().Save(ctx, "conv", bot.Context{Topic: "genetics"})
	if got := sa.Contexts().Load(ctx, "conv"); got.Topic != "genetics" {
		t.Errorf("context during the outage: %+v", got)
	}
	if !sa.Limiter(30, 10).AllowUser(ctx, "slack\x00U1") {
		t.Error("rate limit refused during the outage")
	}
	if sa.Up() {
		t.Error("Up during the outage")
	}
	if n := strings.Count(logs.String(), "redis unreachable"); n != 1 {
		t.Errorf("outage logged %d times, want once:\n%s", n, logs.String())
	}

	srv.Start()
	deadline := time.Now().Add(10 * time.Second)
	for !(sa.Up() && sb.Up()) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !sa.Up() || !sb.Up() {
		t.Fatalf("not up again after Redis returned:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "shared state back") {
		t.Errorf("recovery not logged:\n%s", logs.String())
	}
	// The outage's answers were replayed: the other replica will not
	// answer them again.
	for i := range 20 {
		if b.Claim(ctx, time.Minute, fmt.Sprintf("during-%d", i)) {
			t.Errorf("delivery %d answered during the outage was claimed again by the other replica", i)
		}
	}
	if got := sb.Contexts().Load(ctx, "conv"); got.Topic != "genetics" {
		t.Errorf("context saved during the outage not replayed: %+v", got)
	}
	// De-duplication is shared again.
	if !b.Claim(ctx, time.Minute, "after") || a.Claim(ctx, time.Minute, "after") {
		t.Error("de-duplication not shared after the outage")
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(changes) != "[false true]" {
		t.Errorf("state changes %v, want [false true]", changes)
	}
}
