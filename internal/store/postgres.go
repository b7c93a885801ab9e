package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"concord"
)

// PostgreSQL (pgx through database/sql): several stateless nodes may share
// one database. Migrations run under a session advisory lock, imports and
// audit appends under transaction advisory locks (per schema); pgx prepares
// each query once per connection and caches it. The schema is the
// connection's search_path (e.g. the URL parameter search_path=concord), so
// tests and tenants can use separate schemas.
type postgresDialect struct {
	cc       *pgx.ConnConfig // for the listener's connection
	numbered sync.Map        // query with ? -> query with $n
}

// DefaultPoolSize is the number of connections a PostgreSQL store opens at
// most, unless the URL says otherwise with pool_max_conns.
const DefaultPoolSize = 8

// OpenPostgres connects to url (postgres://… or a key=value DSN) and applies
// any pending migrations. A nil clock means the system clock. Besides the
// server's parameters the URL may set pool_max_conns, pool_max_conn_lifetime
// and pool_max_conn_idle_time (durations such as 30m).
func OpenPostgres(ctx context.Context, url string, clock concord.Clock) (*DB, error) {
	const op = "store.OpenPostgres"
	cc, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, &concord.Error{Code: concord.EINVALID, Op: op, Message: "invalid database URL", Err: err}
	}
	size := DefaultPoolSize
	var life, idle time.Duration
	for k, v := range cc.RuntimeParams {
		if !strings.HasPrefix(k, "pool_") {
			continue
		}
		delete(cc.RuntimeParams, k)
		switch k {
		case "pool_max_conns":
			if size, err = strconv.Atoi(v); err == nil && size < 1 {
				err = errors.New("want at least 1")
			}
		case "pool_max_conn_lifetime":
			life, err = time.ParseDuration(v)
		case "pool_max_conn_idle_time":
			idle, err = time.ParseDuration(v)
		default:
			err = errors.New("unknown pool setting")
		}
		if err != nil {
			return nil, &concord.Error{Code: concord.EINVALID, Op: op, Message: "invalid " + k + "=" + v + " in the database URL", Err: err}
		}
	}
	listen := cc.Copy()
	pool := stdlib.OpenDB(*cc)
	pool.SetMaxOpenConns(size)
	pool.SetMaxIdleConns(size)
	pool.SetConnMaxLifetime(life)
	pool.SetConnMaxIdleTime(idle)
	db := newDB(&postgresDialect{cc: listen}, pool, pool, clock)
	if err := db.open(ctx); err != nil {
		return nil, &concord.Error{Code: concord.EINTERNAL, Op: op, Message: "open " + cc.Host + "/" + cc.Database, Err: err}
	}
	return db, nil
}

func (*postgresDialect) name() string { return "postgres" }

// rebind numbers the ? placeholders ($1, $2, …) outside string literals.
func (d *postgresDialect) rebind(query string) string {
	if q, ok := d.numbered.Load(query); ok {
		return q.(string)
	}
	var b strings.Builder
	n, quoted := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	d.numbered.Store(query, b.String())
	return b.String()
}

func (*postgresDialect) arg(v any) any {
	v, _ = deref(v)
	if t, ok := v.(time.Time); ok {
		return t.UTC()
	}
	return v
}

var postgresTypes = strings.NewReplacer(
	"${seq}", "bigint PRIMARY KEY",
	"${serial}", "bigserial PRIMARY KEY",
	"${bigint}", "bigint",
	"${time}", "timestamptz",
	"${bool}", "boolean",
	"${float}", "double precision",
	"${blob}", "bytea",
	"${list}", "text[]", // until migration 0020
	"${empty_list}", "'{}'",
	"${hot_updates}", " WITH (fillfactor = 75)", // room for HOT updates
	"${temp_rows}", " ON COMMIT DELETE ROWS",
	"${scratch}", "TEMP",
)

func (*postgresDialect) types() *strings.Replacer { return postgresTypes }

func (*postgresDialect) arrays() bool { return true }

func (*postgresDialect) byIndex(string) string { return "" }

func (*postgresDialect) lock(ctx context.Context, t *tx, name string) error {
	_, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(`+lockKey+`)`, name)
	return err
}

// lockKey is the advisory lock key of a name in the current schema.
const lockKey = `hashtext(? || '.' || coalesce(current_schema(), ''))`

func (d *postgresDialect) sessionLock(ctx context.Context, conn *sql.Conn, name string) (func(), error) {
	if _, err := conn.ExecContext(ctx, d.rebind(`SELECT pg_advisory_lock(`+lockKey+`)`), name); err != nil {
		return nil, err
	}
	return func() {
		conn.ExecContext(context.WithoutCancel(ctx), d.rebind(`SELECT pg_advisory_unlock(`+lockKey+`)`), name)
	}, nil
}

// forUpdate locks rows for an update that changes no key: it does not
// block the foreign-key checks of rows inserted elsewhere that reference
// them (a claim's lease, an alert), which would risk deadlocks.
func (*postgresDialect) forUpdate() string { return " FOR NO KEY UPDATE" }

func (*postgresDialect) skipLocked() string { return " FOR NO KEY UPDATE SKIP LOCKED" }

// copyRows COPYs large sets (one statement whatever their size) and inserts
// small ones with a multi-row INSERT (one round trip, cached). A large
// upsert is COPYed into a temporary copy of the table and inserted from
// there.
func (d *postgresDialect) copyRows(ctx context.Context, t *tx, table string, cols []string, conflict string, n int, row func(i int, vals []any) []any) (int64, error) {
	if n <= 64 {
		return insertRows(ctx, t, table, cols, conflict, n, 64, row)
	}
	if conflict == "" {
		return int64(n), d.copy(ctx, t, table, cols, n, row)
	}
	into := table + "_copy"
	if _, err := t.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS `+into+` (LIKE `+table+` INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`); err != nil {
		return 0, err
	}
	if err := d.copy(ctx, t, into, cols, n, row); err != nil {
		return 0, err
	}
	list := strings.Join(cols, ", ")
	res, err := t.ExecContext(ctx, `INSERT INTO `+table+` (`+list+`) SELECT `+list+` FROM `+into+` `+conflict)
	if err != nil {
		return 0, err
	}
	if _, err := t.ExecContext(ctx, `TRUNCATE `+into); err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// copy COPYs n rows into table.
func (*postgresDialect) copy(ctx context.Context, t *tx, table string, cols []string, n int, row func(i int, vals []any) []any) error {
	return t.conn.Raw(func(dc any) error {
		vals := make([]any, 0, len(cols))
		i := 0
		_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			vals = row(i, vals[:0])
			for j, v := range vals {
				vals[j], _ = deref(v)
			}
			i++
			return vals, nil
		}))
		return err
	})
}

// channel is the NOTIFY channel of the changes of the current schema.
const channel = `'concord_' || md5(coalesce(current_schema(), ''))`

func (*postgresDialect) notify(ctx context.Context, t *tx, seq int64) error {
	_, err := t.exec(ctx, `SELECT pg_notify(`+channel+`, ?)`, itoa(seq))
	return err
}

// watch LISTENs on a connection of its own (outside the pool), reconnecting
// after a second when it is lost, and wakes at every notification and
// reconnection (a change may have been missed meanwhile).
func (d *postgresDialect) watch(ctx context.Context, wake func()) {
	for ctx.Err() == nil {
		_ = d.listen(ctx, wake)
		wake()
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (d *postgresDialect) listen(ctx context.Context, wake func()) error {
	conn, err := pgx.ConnectConfig(ctx, d.cc)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var name string
	if err := conn.QueryRow(ctx, `SELECT `+channel).Scan(&name); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{name}.Sanitize()); err != nil {
		return err
	}
	wake()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		wake()
	}
}

func (*postgresDialect) conflict(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return "duplicate key"
		case "23503":
			return "still referenced"
		}
	}
	return ""
}

func (*postgresDialect) indexes(ctx context.Context, t *tx, table string) ([]tableIndex, error) {
	rows, err := t.query(ctx, `SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid
		WHERE x.indrelid = to_regclass(?) AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.oid)
		ORDER BY i.relname`, table)
	return scanAll(rows, err, func(s scanner, ix *tableIndex) error { return s.Scan(&ix.name, &ix.ddl) })
}

// dropping waits at most 2 s for the table's lock (DROP INDEX takes an
// ACCESS EXCLUSIVE one, which waits for every open reader and makes every
// later one wait): when it is not granted, nothing is dropped and the
// import goes on without a bulk load.
func (*postgresDialect) dropping(ctx context.Context, t *tx, fn func() error) error {
	if _, err := t.ExecContext(ctx, `SET LOCAL lock_timeout = '2s'`); err != nil {
		return err
	}
	err := t.savepoint(ctx, "import_drop", fn)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "55P03" { // lock_not_available
		err = errBusy
	}
	if _, rerr := t.ExecContext(ctx, `SET LOCAL lock_timeout = DEFAULT`); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}

func (*postgresDialect) importing() session { return session{} }

// building gives the index builds more memory to sort in than the default
// 64 MB (bounded: what does not fit is sorted in temporary files).
func (*postgresDialect) building(ctx context.Context, t *tx, fn func() error) error {
	if _, err := t.ExecContext(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
		return err
	}
	err := fn()
	if _, rerr := t.ExecContext(ctx, `SET LOCAL maintenance_work_mem = DEFAULT`); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}
