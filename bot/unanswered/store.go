// Package unanswered records the questions careersbot could not answer
// (fallbacks), so the team can see what to add to the career pages, and
// groups similar wordings for the report. The log is an embedded SQLite
// file by default, or a PostgreSQL table (github.com/jackc/pgx/v5) that
// several replicas write to and the report reads.
//
// Only the question text, the time and the adapter are kept: never the user,
// the conversation or the channel. Mention markup (<@U024BE7LH>) is removed
// from the text before it is stored.
package unanswered

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "modernc.org/sqlite" // pure Go SQLite driver, registers "sqlite"
)

// Entry is one unanswered question.
type Entry struct {
	Question string    `json:"question"`
	Adapter  string    `json:"adapter"`
	At       time.Time `json:"at"`
	// ID is random, given when the entry is recorded, so that a batch
	// written again after a lost reply from PostgreSQL is stored once. It
	// says nothing about who asked.
	ID string `json:"-"`
}

// Store is the database of unanswered questions: a SQLite file, or a
// PostgreSQL table. It is safe for concurrent use, and several processes
// (replicas of serve, and report) may open the same one.
type Store struct {
	b     backend
	where string // the file, or the URL with its password hidden
}

// backend is one kind of database.
type backend interface {
	add(ctx context.Context, entries []Entry) error
	since(ctx context.Context, t time.Time, limit int) ([]Entry, error)
	count(ctx context.Context, t time.Time) (int, error)
	close() error
}

// IsURL reports whether dsn names a PostgreSQL database (postgres:// or
// postgresql://) rather than a SQLite file.
func IsURL(dsn string) bool {
	d := strings.ToLower(strings.TrimSpace(dsn))
	return strings.HasPrefix(d, "postgres://") || strings.HasPrefix(d, "postgresql://")
}

// Open opens (creating if need be) the database: a postgres:// URL, or
// else a SQLite file path.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if IsURL(dsn) {
		return openPostgres(ctx, strings.TrimSpace(dsn))
	}
	return openSQLite(ctx, dsn)
}

// Path is the database file, or the URL with its password hidden.
func (s *Store) Path() string { return s.where }

// Close closes the database.
func (s *Store) Close() error { return s.b.close() }

// Add stores entries in one transaction.
func (s *Store) Add(ctx context.Context, entries ...Entry) error {
	if len(entries) == 0 {
		return nil
	}
	return s.b.add(ctx, entries)
}

// Since returns the entries asked at or after t, newest first, at most
// limit of them (limit <= 0 means no limit).
func (s *Store) Since(ctx context.Context, t time.Time, limit int) ([]Entry, error) {
	return s.b.since(ctx, t, limit)
}

// Count returns how many entries were asked at or after t.
func (s *Store) Count(ctx context.Context, t time.Time) (int, error) { return s.b.count(ctx, t) }

// sqliteDB is the SQLite backend.
type sqliteDB struct{ db *sql.DB }

const schema = `
CREATE TABLE IF NOT EXISTS unanswered (
	id       INTEGER PRIMARY KEY,
	asked_at INTEGER NOT NULL, -- Unix milliseconds, UTC
	adapter  TEXT    NOT NULL,
	question TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS unanswered_asked_at ON unanswered(asked_at);
`

// openSQLite opens (creating if need be) the SQLite database at path.
func openSQLite(ctx context.Context, path string) (*Store, error) {
	if strings.TrimSpace(path) == "" {
		return nil, errors.New("open unanswered database: no path given")
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open unanswered database %s: the path must not contain ? or #", path)
	}
	// The pragmas apply to every pooled connection: wait for another
	// process's lock rather than fail, and use the write-ahead log so the
	// report can read while serve writes.
	dsn := path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open unanswered database %s: %w", path, err)
	}
	db.SetMaxOpenConns(2)
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open unanswered database %s: %w", path, err)
	}
	return &Store{b: sqliteDB{db}, where: path}, nil
}

func (s sqliteDB) close() error { return s.db.Close() }

// rowsPerInsert is how many rows one INSERT statement carries: far fewer
// statement executions than a row at a time, well inside SQLite's limit
// on bound variables.
const rowsPerInsert = 64

func (s sqliteDB) add(ctx context.Context, entries []Entry) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record unanswered questions: %w", err)
	}
	defer tx.Rollback()
	args := make([]any, 0, 3*rowsPerInsert)
	for len(entries) > 0 {
		n := min(len(entries), rowsPerInsert)
		args = args[:0]
		for _, e := range entries[:n] {
			args = append(args, e.At.UnixMilli(), e.Adapter, e.Question)
		}
		if _, err := tx.ExecContext(ctx, insertSQL(n), args...); err != nil {
			return fmt.Errorf("record unanswered questions: %w", err)
		}
		entries = entries[n:]
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record unanswered questions: %w", err)
	}
	return nil
}

// insertSQL is an INSERT of n rows.
func insertSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO unanswered (asked_at, adapter, question) VALUES (?, ?, ?)")
	for range n - 1 {
		b.WriteString(", (?, ?, ?)")
	}
	return b.String()
}

func (s sqliteDB) since(ctx context.Context, t time.Time, limit int) ([]Entry, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.db.QueryContext(ctx,
		`SELECT asked_at, adapter, question FROM unanswered WHERE asked_at >= ? ORDER BY asked_at DESC, id DESC LIMIT ?`,
		t.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("read unanswered questions: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var ms int64
		var e Entry
		if err := rows.Scan(&ms, &e.Adapter, &e.Question); err != nil {
			return nil, fmt.Errorf("read unanswered questions: %w", err)
		}
		e.At = time.UnixMilli(ms).UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read unanswered questions: %w", err)
	}
	return out, nil
}

func (s sqliteDB) count(ctx context.Context, t time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM unanswered WHERE asked_at >= ?`, t.UnixMilli()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count unanswered questions: %w", err)
	}
	return n, nil
}
