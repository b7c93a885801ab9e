// Package postgres is Concord's production store on PostgreSQL (pgx/v5).
// Several stateless nodes may share one database: migrations run under a
// session advisory lock, imports under a transaction advisory lock (per
// schema), and every read is a single statement on a pooled connection.
// The schema lives in the connection's search_path (e.g. the URL parameter
// search_path=concord), so tests and tenants can use separate schemas.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"concord"
	"concord/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the PostgreSQL store.
type DB struct {
	pool  *pgxpool.Pool
	clock concord.Clock
	group sqlstore.Group[concord.AuditEvent] // standalone audit events
}

var _ concord.Store = (*DB)(nil)

// DefaultPoolSize is the number of connections a DB opens at most, unless the
// URL says otherwise with pool_max_conns.
const DefaultPoolSize = 8

// Open connects to url (postgres://… or a key=value DSN) and applies any
// pending migrations. A nil clock means the system clock.
func Open(ctx context.Context, url string, clock concord.Clock) (*DB, error) {
	if clock == nil {
		clock = concord.SystemClock{}
	}
	cc, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, &concord.Error{Code: concord.EINVALID, Op: "postgres.Open", Message: "invalid database URL", Err: err}
	}
	// pgxpool reads pool_max_conns (and the other pool_* settings) from the
	// URL and drops them from the runtime parameters; without it, the pool
	// holds DefaultPoolSize connections.
	_, sized := cc.RuntimeParams["pool_max_conns"]
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, &concord.Error{Code: concord.EINVALID, Op: "postgres.Open", Message: "invalid pool setting in the database URL", Err: err}
	}
	if !sized {
		cfg.MaxConns = DefaultPoolSize
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, &concord.Error{Code: concord.EINVALID, Op: "postgres.Open", Message: "invalid database URL", Err: err}
	}
	db := &DB{pool: pool, clock: clock}
	db.group.Commit = db.commitAudit
	if err := db.migrate(ctx); err != nil {
		db.pool.Close()
		return nil, fmt.Errorf("postgres.Open: %w", err)
	}
	return db, nil
}

// Close closes the pool's connections.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// with runs fn on one pooled connection. pgxpool destroys a connection
// released broken, busy or still inside a transaction.
func (db *DB) with(ctx context.Context, fn func(*pgxpool.Conn) error) error {
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	return fn(c)
}

// tx runs fn in a transaction on a pooled connection, committing when fn
// returns nil.
func (db *DB) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, fn)
}

func (db *DB) now() time.Time { return db.clock.Now().UTC().Truncate(time.Microsecond) }

// lockKey is the advisory lock key of a purpose in the current schema.
const lockKey = `hashtext($1 || '.' || coalesce(current_schema(), ''))`

// migrate applies the embedded migrations that schema_migrations does not list
// yet, each in its own transaction, holding a session advisory lock so that
// nodes starting together apply each migration once.
func (db *DB) migrate(ctx context.Context) error {
	files, err := sqlstore.MigrationFiles(migrations)
	if err != nil {
		return err
	}
	return db.with(ctx, func(c *pgxpool.Conn) error {
		if _, err := c.Exec(ctx, `SELECT pg_advisory_lock(`+lockKey+`)`, "concord.migrate"); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		defer c.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+lockKey+`)`, "concord.migrate")
		if _, err := c.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		for _, m := range files {
			err := pgx.BeginFunc(ctx, c, func(tx pgx.Tx) error {
				var n int
				if err := tx.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&n); err != nil || n > 0 {
					return err
				}
				if _, err := tx.Exec(ctx, m.SQL, pgx.QueryExecModeSimpleProtocol); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
					m.Version, m.Name, db.now())
				return err
			})
			if err != nil {
				return fmt.Errorf("migrate %s: %w", m.Name, err)
			}
		}
		return nil
	})
}

// wrap turns driver errors into concord errors: unique and foreign-key
// violations are conflicts, everything else internal.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var ce *concord.Error
	if errors.As(err, &ce) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &concord.Error{Code: concord.ECONFLICT, Op: op, Message: "duplicate key", Err: err}
		case "23503":
			return &concord.Error{Code: concord.ECONFLICT, Op: op, Message: "still referenced", Err: err}
		}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return &concord.Error{Code: concord.EINTERNAL, Op: op, Err: err}
}
