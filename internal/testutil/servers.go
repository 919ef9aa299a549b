//go:build unix

package testutil

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// What .ci/services.sh exports: the servers it started on loopback, and
// where the binaries are for tests that start (and kill) their own.
const (
	EnvRedisURL    = "CAREERSBOT_TEST_REDIS_URL"    // redis://127.0.0.1:PORT/0
	EnvPostgresURL = "CAREERSBOT_TEST_POSTGRES_URL" // postgres://postgres@127.0.0.1:PORT/postgres
	EnvRedisServer = "CAREERSBOT_TEST_REDIS_SERVER" // path of redis-server
	EnvPostgresBin = "CAREERSBOT_TEST_POSTGRES_BIN" // directory of initdb and postgres
)

// Need stops a test that needs a server it cannot have: in CI (CI=true) it
// fails, since a skipped test must not pass for a tested one; elsewhere it
// skips with a message saying how to run it.
func Need(tb testing.TB, what string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s is required in CI (bash .ci/run starts it)", what)
	}
	tb.Skipf("skipped: %s not available (bash .ci/run installs and starts it; or set the variable)", what)
}

// RedisURL returns the shared test Redis from CAREERSBOT_TEST_REDIS_URL;
// tests using it must use keys of their own (unique ids). CI must set it;
// elsewhere, without it, a private redis-server is started.
func RedisURL(tb testing.TB) string {
	tb.Helper()
	if u := os.Getenv(EnvRedisURL); u != "" {
		return u
	}
	if os.Getenv("CI") == "true" {
		Need(tb, EnvRedisURL+" (a Redis server)")
	}
	_, u := StartRedis(tb)
	return u
}

// PostgresURL returns the shared test PostgreSQL from
// CAREERSBOT_TEST_POSTGRES_URL (a superuser's URL; tests create databases
// of their own in it). CI must set it; elsewhere, without it, a private
// cluster is started.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	if u := os.Getenv(EnvPostgresURL); u != "" {
		return u
	}
	if os.Getenv("CI") == "true" {
		Need(tb, EnvPostgresURL+" (a PostgreSQL server)")
	}
	_, u := StartPostgres(tb)
	return u
}

// NewPostgresDatabase creates a database of the test's own on the server
// at admin (a superuser's URL), dropped when the test ends, and returns
// its URL. It uses psql from the server's binaries.
func NewPostgresDatabase(tb testing.TB, admin string) string {
	tb.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "careersbot_test_" + hex.EncodeToString(b)
	psql := "psql"
	if bin := postgresBin(); bin != "" {
		psql = filepath.Join(bin, "psql")
	}
	run := func(sql string) error {
		out, err := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", admin, "-c", sql).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %v: %s", sql, err, out)
		}
		return nil
	}
	if err := run("CREATE DATABASE " + name); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = run("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Server is a database server process a test started and may kill and
// start again on the same port.
type Server struct {
	tb    testing.TB
	name  string
	port  int
	start func() (*exec.Cmd, error)
	ready func() error
	logs  *SyncBuffer

	mu     sync.Mutex // protects proc and exited
	proc   *os.Process
	exited chan struct{} // closed when proc has exited
}

// Port is the server's TCP port on 127.0.0.1.
func (s *Server) Port() int { return s.port }

// Addr is 127.0.0.1:port.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// Logs is what the server printed.
func (s *Server) Logs() string { return s.logs.String() }

// Kill stops the server at once (SIGKILL) and waits for it to exit.
func (s *Server) Kill() { s.signal(syscall.SIGKILL) }

// Stop asks the server to shut down (SIGINT: PostgreSQL's fast shutdown,
// Redis's clean exit) and waits for it.
func (s *Server) Stop() { s.signal(syscall.SIGINT) }

func (s *Server) signal(sig syscall.Signal) {
	s.mu.Lock()
	proc, exited := s.proc, s.exited
	s.proc = nil
	s.mu.Unlock()
	if proc == nil {
		return
	}
	_ = proc.Signal(sig)
	select {
	case <-exited:
	case <-time.After(20 * time.Second):
		_ = proc.Kill()
		<-exited
	}
}

// Start starts the server (again) on its port and waits until it answers.
func (s *Server) Start() {
	s.tb.Helper()
	var err error
	for attempt := 0; attempt < 20; attempt++ {
		cmd, serr := s.start()
		if serr != nil {
			s.tb.Fatalf("start %s: %v", s.name, serr)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		s.mu.Lock()
		s.proc, s.exited = cmd.Process, exited
		s.mu.Unlock()
		if err = s.waitReady(exited); err == nil {
			return
		}
		s.Kill()
		time.Sleep(200 * time.Millisecond) // the port may still be held by the old process
	}
	s.tb.Fatalf("%s did not start on port %d: %v\n%s", s.name, s.port, err, s.logs.String())
}

func (s *Server) waitReady(exited <-chan struct{}) error {
	deadline := time.Now().Add(15 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		if err = s.ready(); err == nil {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("exited: %v", err)
		case <-time.After(30 * time.Millisecond):
		}
	}
	return err
}

// freePort returns a TCP port on 127.0.0.1 nobody listens on right now.
func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// StartRedis starts a private redis-server on a free loopback port, with
// no persistence and any extra args (such as "--requirepass", "pw"),
// stopped when the test ends. The test may Kill and Start it. The URL
// carries no password.
func StartRedis(tb testing.TB, args ...string) (*Server, string) {
	tb.Helper()
	bin := os.Getenv(EnvRedisServer)
	if bin == "" {
		bin, _ = exec.LookPath("redis-server")
	}
	if bin == "" {
		Need(tb, "redis-server ("+EnvRedisServer+")")
	}
	s := &Server{tb: tb, name: "redis-server", port: freePort(tb), logs: &SyncBuffer{}}
	s.start = func() (*exec.Cmd, error) {
		cmd := exec.Command(bin, append([]string{"--bind", "127.0.0.1", "--port", strconv.Itoa(s.port),
			"--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"}, args...)...)
		cmd.Stdout, cmd.Stderr = s.logs, s.logs
		return cmd, cmd.Start()
	}
	s.ready = func() error {
		c, err := net.DialTimeout("tcp", s.Addr(), time.Second)
		if err != nil {
			return err
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(time.Second))
		if _, err := c.Write([]byte("PING\r\n")); err != nil {
			return err
		}
		buf := make([]byte, 64)
		n, err := c.Read(buf)
		// -NOAUTH: up, and wanting a password.
		if err != nil || !(bytes.HasPrefix(buf[:n], []byte("+PONG")) || bytes.HasPrefix(buf[:n], []byte("-NOAUTH"))) {
			return fmt.Errorf("no PONG: %q %v", buf[:n], err)
		}
		return nil
	}
	s.Start()
	tb.Cleanup(s.Kill)
	return s, "redis://" + s.Addr() + "/0"
}

// postgresBin finds the directory with initdb and postgres.
func postgresBin() string {
	if d := os.Getenv(EnvPostgresBin); d != "" {
		return d
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgVersion(dirs[i]) > pgVersion(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	return ""
}

func pgVersion(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// StartPostgres initialises a private PostgreSQL cluster in a temporary
// directory and starts it on a free loopback port (as the postgres user
// when the test runs as root, since PostgreSQL refuses to run as root).
// It returns the server and its URL (user postgres, trust authentication,
// database postgres). The test may Stop, Kill and Start it.
func StartPostgres(tb testing.TB) (*Server, string) {
	tb.Helper()
	bin := postgresBin()
	if bin == "" {
		Need(tb, "PostgreSQL server binaries ("+EnvPostgresBin+")")
	}
	var cred *syscall.Credential
	dir, err := os.MkdirTemp("", "careersbot-pg-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			tb.Fatalf("running as root needs the postgres user to run PostgreSQL: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			tb.Fatal(err)
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Dir = dir
	if out, err := initdb.CombinedOutput(); err != nil {
		tb.Fatalf("initdb: %v\n%s", err, out)
	}
	s := &Server{tb: tb, name: "postgres", port: freePort(tb), logs: &SyncBuffer{}}
	s.start = func() (*exec.Cmd, error) {
		cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(s.port), "-k", dir,
			"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		cmd.Dir = dir
		cmd.Stdout, cmd.Stderr = s.logs, s.logs
		return cmd, cmd.Start()
	}
	s.ready = func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, filepath.Join(bin, "pg_isready"), "-q", "-h", "127.0.0.1", "-p", strconv.Itoa(s.port)).CombinedOutput()
		if err != nil {
			return fmt.Errorf("pg_isready: %v %s", err, strings.TrimSpace(string(out)))
		}
		return nil
	}
	s.Start()
	tb.Cleanup(s.Stop)
	return s, fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", s.Addr())
}
