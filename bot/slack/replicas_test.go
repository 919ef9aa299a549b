package slack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/careersbot/careersbot/bot"
	"github.com/careersbot/careersbot/bot/redisstate"
	"github.com/careersbot/careersbot/internal/testutil"
)

// Two replicas hold Socket Mode connections of one app at once. Slack
// spreads events over an app's connections and may deliver an event (or
// its retry) on another one: here every event arrives on both. With
// claims shared in Redis each is answered once; with each replica's own
// memory, twice, which shows the test can tell.
func TestSocketModeTwoReplicas(t *testing.T) {
	redisURL := testutil.RedisURL(t)
	for _, shared := range []bool{true, false} {
		name := "claims in redis: each event answered once"
		if !shared {
			name = "claims in memory: each event answered twice"
		}
		t.Run(name, func(t *testing.T) {
			f := newFakeSlack(t)
			t.Cleanup(f.close)
			var replicas []*Adapter
			for range 2 {
				var claims bot.Claims
				if shared {
					store, err := redisstate.Open(context.Background(), redisstate.Options{URL: redisURL})
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { store.Close() })
					claims = store.Claims()
				}
				a, err := New(Config{BotToken: testBotToken, AppToken: testAppToken, APIURL: f.srv.URL + "/api", Claims: claims}, &recorder{}, testLogger(t))
				if err != nil {
					t.Fatal(err)
				}
				testutil.RunAdapter(t, a, waitFor)
				replicas = append(replicas, a)
			}
			conns := []*fakeConn{next(t, f.conns, "replica 1's connection"), next(t, f.conns, "replica 2's connection")}
			b := make([]byte, 5)
			_, _ = rand.Read(b)
			run := hex.EncodeToString(b)
			channel := "C" + strings.ToUpper(run)
			const events = 100
			for i := range events {
				ev := mentionEvent("U0ASKER", channel, fmt.Sprintf("1700000500.%06d", i), "", fmt.Sprintf("question %d", i))
				for n, c := range conns {
					c.send(eventsEnvelope(fmt.Sprintf("env-%d-%d", n, i), fmt.Sprintf("Ev%s%d", run, i), ev))
				}
			}
			for range 2 * events {
				next(t, f.acks, "an acknowledgement")
			}
			want := events
			if !shared {
				want = 2 * events
			}
			threads := map[string]int{}
			for range want {
				p := next(t, f.posts, "a reply")
				threads[p.ThreadTS]++
			}
			// Every answer finished: any extra reply has arrived by now.
			for _, a := range replicas {
				settle(t, a)
			}
			noMore(t, f.posts, "a reply beyond one an event")
			if len(threads) != events {
				t.Errorf("%d threads answered, want %d", len(threads), events)
			}
			for th, n := range threads {
				if n != want/events {
					t.Errorf("thread %s answered %d times, want %d", th, n, want/events)
				}
			}
		})
	}
}
