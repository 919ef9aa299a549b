package unanswered

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations are applied in order, each once, recorded in
// careersbot_migrations. Replicas starting together take an advisory lock
// first, so only one of them applies a migration.
var migrations = []string{
	// 1: the log. entry_id makes a batch written twice (a commit whose
	// reply was lost, then written again) count once.
	`CREATE TABLE careersbot_unanswered (
		id       bigserial   PRIMARY KEY,
		entry_id text        NOT NULL UNIQUE,
		asked_at timestamptz NOT NULL,
		adapter  text        NOT NULL,
		question text        NOT NULL
	);
	CREATE INDEX careersbot_unanswered_asked_at ON careersbot_unanswered (asked_at);`,
}

// migrationLock is the advisory lock key held while migrating.
const migrationLock = 0x6361726565727362 // "careersb"

type postgresDB struct {
	pool   *pgxpool.Pool
	secret string // the URL's password, scrubbed from errors
}

// openPostgres connects to the database at dsn and migrates it.
func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	shown := redactURL(dsn)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open unanswered database %s: not a valid PostgreSQL URL", shown)
	}
	cfg.MaxConns = 4
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	p := &postgresDB{secret: cfg.ConnConfig.Password}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(cctx, cfg)
	if err == nil {
		err = pool.Ping(cctx)
	}
	if err != nil {
		if pool != nil {
			pool.Close()
		}
		return nil, fmt.Errorf("open unanswered database %s: %s", shown, p.scrub(err))
	}
	p.pool = pool
	if err := p.migrate(cctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open unanswered database %s: migrate: %s", shown, p.scrub(err))
	}
	return &Store{b: p, where: shown}, nil
}

func (p *postgresDB) migrate(ctx context.Context) error {
	return pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS careersbot_migrations (
			version    integer     PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var have int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM careersbot_migrations`).Scan(&have); err != nil {
			return err
		}
		if have > len(migrations) {
			return fmt.Errorf("the database is at schema version %d, newer than this careersbot (%d)", have, len(migrations))
		}
		for v := have + 1; v <= len(migrations); v++ {
			if _, err := tx.Exec(ctx, migrations[v-1]); err != nil {
				return fmt.Errorf("version %d: %w", v, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO careersbot_migrations (version) VALUES ($1)`, v); err != nil {
				return err
			}
		}
		return nil
	})
}

func (p *postgresDB) close() error { p.pool.Close(); return nil }

// add writes entries in one statement; entries already stored (same ID)
// are skipped.
func (p *postgresDB) add(ctx context.Context, entries []Entry) error {
	ids := make([]string, len(entries))
	at := make([]time.Time, len(entries))
	adapters := make([]string, len(entries))
	questions := make([]string, len(entries))
	for i, e := range entries {
		ids[i], at[i], adapters[i], questions[i] = e.ID, e.At.UTC(), e.Adapter, e.Question
		if ids[i] == "" {
			ids[i] = newID()
		}
	}
	_, err := p.pool.Exec(ctx, `INSERT INTO careersbot_unanswered (entry_id, asked_at, adapter, question)
		SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[])
		ON CONFLICT (entry_id) DO NOTHING`, ids, at, adapters, questions)
	if err != nil {
		return fmt.Errorf("record unanswered questions: %s", p.scrub(err))
	}
	return nil
}

func (p *postgresDB) since(ctx context.Context, t time.Time, limit int) ([]Entry, error) {
	var lim any // NULL: no limit
	if limit > 0 {
		lim = limit
	}
	rows, err := p.pool.Query(ctx, `SELECT asked_at, adapter, question FROM careersbot_unanswered
		WHERE asked_at >= $1 ORDER BY asked_at DESC, id DESC LIMIT $2`, t.UTC(), lim)
	if err != nil {
		return nil, fmt.Errorf("read unanswered questions: %s", p.scrub(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Entry, error) {
		var e Entry
		err := r.Scan(&e.At, &e.Adapter, &e.Question)
		e.At = e.At.UTC()
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("read unanswered questions: %s", p.scrub(err))
	}
	return out, nil
}

func (p *postgresDB) count(ctx context.Context, t time.Time) (int, error) {
	var n int
	if err := p.pool.QueryRow(ctx, `SELECT count(*) FROM careersbot_unanswered WHERE asked_at >= $1`, t.UTC()).Scan(&n); err != nil {
		return 0, fmt.Errorf("count unanswered questions: %s", p.scrub(err))
	}
	return n, nil
}

// scrub renders err without the password, should it ever be quoted.
func (p *postgresDB) scrub(err error) string {
	msg := err.Error()
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		msg = pe.Severity + ": " + pe.Message + " (SQLSTATE " + pe.Code + ")"
	}
	if p.secret != "" {
		msg = strings.ReplaceAll(msg, p.secret, "[redacted]")
	}
	return strings.ReplaceAll(msg, "\n\t", "; ")
}

// redactURL hides the password of a URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "[an unparsable URL]"
	}
	return u.Redacted()
}
