package unanswered

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/careersbot/careersbot/internal/testutil"
)

// newDatabase creates a database of the test's own on the server at
// admin, dropped when the test ends, and returns its URL.
func newDatabase(t *testing.T, admin string) string {
	t.Helper()
	ctx := context.Background()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "careersbot_test_" + hex.EncodeToString(b)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to the test server: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			return // the server is gone already
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func openURL(t *testing.T, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPostgresStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openURL(t, newDatabase(t, testutil.PostgresURL(t)))
	base := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	if err := s.Add(ctx,
		Entry{Question: "old", Adapter: "slack", At: base.Add(-48 * time.Hour)},
		Entry{Question: "how much do they earn", Adapter: "http", At: base},
		Entry{Question: "salary?", Adapter: "discord", At: base.Add(time.Hour), ID: "e3"},
	); err != nil {
		t.Fatal(err)
	}
	// The same entry again (a batch written twice) is stored once.
	if err := s.Add(ctx, Entry{Question: "salary?", Adapter: "discord", At: base.Add(time.Hour), ID: "e3"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		since time.Time
		limit int
		want  []string
	}{
		{"all", time.Time{}, 0, []string{"salary?", "how much do they earn", "old"}},
		{"since", base.Add(-time.Hour), 0, []string{"salary?", "how much do they earn"}},
		{"limit", time.Time{}, 1, []string{"salary?"}},
		{"none", base.Add(2 * time.Hour), 0, nil},
	}
	for _, tc := range tests {
		got, err := s.Since(ctx, tc.since, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		var qs []string
		for _, e := range got {
			qs = append(qs, e.Question)
		}
		if strings.Join(qs, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: Since = %q, want %q", tc.name, qs, tc.want)
		}
		n, err := s.Count(ctx, tc.since)
		if err != nil || (tc.limit == 0 && n != len(tc.want)) {
			t.Errorf("%s: Count = %d, %v; want %d", tc.name, n, err, len(tc.want))
		}
	}
	got, _ := s.Since(ctx, base, 1)
	if len(got) != 1 || got[0].Adapter != "discord" || !got[0].At.Equal(base.Add(time.Hour)) {
		t.Errorf("entry did not round-trip: %+v", got)
	}
}

// Replicas starting at once migrate the database once.
func TestPostgresMigrateConcurrently(t *testing.T) {
	t.Parallel()
	dsn := newDatabase(t, testutil.PostgresURL(t))
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := Open(context.Background(), dsn)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM careersbot_migrations").Scan(&n); err != nil || n != len(migrations) {
		t.Errorf("migrations recorded: %d, %v; want %d", n, err, len(migrations))
	}
}

func TestPostgresOpenErrors(t *testing.T) {
	t.Parallel()
	srv, dsn := testutil.StartPostgres(t)
	addr := srv.Addr()
	srv.Stop()
	for name, u := range map[string]string{
		"unreachable": strings.Replace(dsn, "postgres@", "postgres:hunter2secret@", 1),
		"bad port":    "postgres://postgres:hunter2secret@127.0.0.1:notaport/x",
	} {
		_, err := Open(context.Background(), u)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), "hunter2secret") {
			t.Errorf("%s: the error shows the password: %v", name, err)
		}
		if name == "unreachable" && !strings.Contains(err.Error(), addr) {
			t.Errorf("%s: the error does not name the server: %v", name, err)
		}
	}
}

// PostgreSQL restarted while two replicas record: nothing is lost, each
// question is stored once, and the outage is logged once per replica.
func TestPostgresRestartedNothingLost(t *testing.T) {
	t.Parallel()
	srv, dsn := testutil.StartPostgres(t)
	logs := &testutil.SyncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	var recs []*Recorder
	for range 2 {
		recs = append(recs, NewRecorder(openURL(t, dsn), log, WithRetry(50*time.Millisecond)))
	}
	ask := func(from, to int) {
		for i := from; i < to; i++ {
			recs[i%2].Record(fmt.Sprintf("replica%d", i%2), fmt.Sprintf("question number %d", i))
		}
	}
	ask(0, 100)
	waitFor(t, func() bool { r0, _, _ := recs[0].Stats(); r1, _, _ := recs[1].Stats(); return r0+r1 == 100 })

	srv.Stop()
	ask(100, 300)
	waitFor(t, func() bool { return !recs[0].Up() && !recs[1].Up() })
	ask(300, 400)
	srv.Start()
	waitFor(t, func() bool { return recs[0].Up() && recs[1].Up() && recs[0].Pending()+recs[1].Pending() == 0 })
	ask(400, 500)
	for _, r := range recs {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := r.Close(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
		if _, dropped, failed := r.Stats(); dropped+failed != 0 {
			t.Errorf("dropped %d, failed %d", dropped, failed)
		}
	}
	s := openURL(t, dsn)
	got, err := s.Since(context.Background(), time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	adapters := map[string]int{}
	for _, e := range got {
		seen[e.Question]++
		adapters[e.Adapter]++
	}
	for i := range 500 {
		if n := seen[fmt.Sprintf("question number %d", i)]; n != 1 {
			t.Errorf("question %d stored %d times", i, n)
		}
	}
	if len(got) != 500 || adapters["replica0"] != 250 || adapters["replica1"] != 250 {
		t.Errorf("stored %d entries %v, want 500, 250 from each replica", len(got), adapters)
	}
	if n := strings.Count(logs.String(), "database unreachable"); n != 2 {
		t.Errorf("outage logged %d times, want once per replica:\n%s", n, logs.String())
	}
	if n := strings.Count(logs.String(), "reachable again"); n != 2 {
		t.Errorf("recovery logged %d times, want once per replica:\n%s", n, logs.String())
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
