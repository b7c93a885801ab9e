package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"

	"concord"
)

// tx is a write transaction on one connection of the writer pool.
type tx struct {
	*sql.Tx
	db        *DB
	conn      *sql.Conn        // for the dialect's bulk copy
	changes   []concord.Change // what the write changed (see changed)
	published bool             // changes went to the feed
	// prepared are the driver's statements that sqliteInsert prepared on
	// conn, by shape, closed when the transaction ends.
	prepared map[string]driver.Stmt
}

// closePrepared closes the statements of t.prepared.
func (t *tx) closePrepared() {
	if len(t.prepared) == 0 {
		return
	}
	t.conn.Raw(func(any) error {
		for _, st := range t.prepared {
			st.Close()
		}
		return nil
	})
	t.prepared = nil
}

// write runs fn in a write transaction, committed when fn returns nil.
// SQLite's one writer connection makes the transactions of this process
// wait for each other (BEGIN IMMEDIATE excludes other processes); on
// PostgreSQL they run concurrently and take the locks they need.
func (db *DB) write(ctx context.Context, fn func(t *tx) error) error {
	return db.writeIn(ctx, session{}, fn)
}

// session is what a write sets on its connection before it begins (before)
// and puts back when it ends (after), such as SQLite pragmas that cannot
// change inside a transaction.
type session struct{ before, after []string }

// writeIn is write with the session settings s.
func (db *DB) writeIn(ctx context.Context, s session, fn func(t *tx) error) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, q := range s.before {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	defer func() {
		for _, q := range s.after {
			if _, err := conn.ExecContext(context.WithoutCancel(ctx), q); err != nil {
				conn.Raw(func(any) error { return driver.ErrBadConn }) // not reused as it is
			}
		}
	}()
	sqltx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed { // an error, or a panic: the connection goes back clean
			sqltx.Rollback()
		}
	}()
	t := &tx{Tx: sqltx, db: db, conn: conn}
	err = fn(t)
	t.closePrepared()
	if err != nil {
		return err
	}
	committed = true
	if err := sqltx.Commit(); err != nil {
		return err
	}
	if t.published {
		db.feed.wake()
	}
	return nil
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q, args = bind(t.db.d, q, args)
	if st := t.db.ws.lookup(q); st != nil {
		return t.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.ExecContext(ctx, q, args...)
}

func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q, args = bind(t.db.d, q, args)
	if st := t.db.ws.lookup(q); st != nil {
		return t.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.QueryContext(ctx, q, args...)
}

func (t *tx) row(ctx context.Context, q string, args ...any) *sql.Row {
	q, args = bind(t.db.d, q, args)
	if st := t.db.ws.lookup(q); st != nil {
		return t.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.QueryRowContext(ctx, q, args...)
}

func (t *tx) lock(ctx context.Context, name string) error { return t.db.d.lock(ctx, t, name) }

// forUpdate is the dialect's row-locking clause.
func (t *tx) forUpdate() string { return t.db.d.forUpdate() }

// audited runs fn in a write transaction and, when fn succeeds, appends one
// audit event for it (the actor of ctx and ch) and the changes fn recorded
// (t.changed) to the feed, in the same transaction: the write, its record
// and its changes commit together or not at all.
func (db *DB) audited(ctx context.Context, op string, ch change, fn func(t *tx, ch *change) error) error {
	return db.auditedIn(ctx, session{}, op, ch, fn)
}

// auditedIn is audited with the session settings s.
func (db *DB) auditedIn(ctx context.Context, s session, op string, ch change, fn func(t *tx, ch *change) error) error {
	return db.wrap(op, db.writeIn(ctx, s, func(t *tx) error {
		if err := fn(t, &ch); err != nil {
			return err
		}
		if err := t.appendAudit(ctx, []concord.AuditEvent{newEvent(ctx, db.now(), ch)}, false); err != nil {
			return err
		}
		return t.publish(ctx)
	}))
}

// insertRows inserts n rows into table with multi-row INSERTs of at most
// chunk rows (and the clause conflict, if any), the full-size one prepared
// once; row appends the values of row i. It returns the rows inserted (or
// updated by the clause).
func insertRows(ctx context.Context, t *tx, table string, cols []string, conflict string, n, chunk int, row func(i int, vals []any) []any) (int64, error) {
	chunk = min(chunk, 500)
	prefix := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES `
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	var affected int64
	args := make([]any, 0, chunk*len(cols))
	for start := 0; start < n; start += chunk {
		end := min(start+chunk, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		q, a := bind(t.db.d, prefix+values(len(cols), end-start)+" "+conflict, args)
		var res sql.Result
		var err error
		switch {
		case end-start < chunk:
			res, err = t.ExecContext(ctx, q, a...)
		case full == nil:
			if full, err = t.PrepareContext(ctx, q); err == nil {
				res, err = full.ExecContext(ctx, a...)
			}
		default:
			res, err = full.ExecContext(ctx, a...)
		}
		if err != nil {
			return affected, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return affected, err
		}
		affected += k
	}
	return affected, nil
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// values returns "(?,?),(?,?)" for n rows of cols columns.
func values(cols, n int) string {
	row := "(" + marks(cols) + ")"
	var b strings.Builder
	b.Grow(n * (len(row) + 1))
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}

// stage fills the scratch table name (created on first use with ddl, the
// column list with ${types}) with n rows, for a set-based UPDATE … FROM.
// It is emptied first, and by unstage (at commit on PostgreSQL). Scratch
// tables are temporary tables on PostgreSQL and tables of the database
// file on SQLite (whose temporary storage is kept in memory for statement
// journals and sorts, while an import's scratch tables may hold millions
// of rows).
func (t *tx) stage(ctx context.Context, name, ddl string, cols []string, n int, row func(i int, vals []any) []any) error {
	d := t.db.d
	if _, err := t.ExecContext(ctx, d.types().Replace(`CREATE ${scratch} TABLE IF NOT EXISTS `+name+` (`+ddl+`)${temp_rows}`)); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, `DELETE FROM `+name); err != nil || n == 0 {
		return err
	}
	_, err := d.copyRows(ctx, t, name, cols, "", n, row)
	return err
}

// unstage empties a staging table.
func (t *tx) unstage(ctx context.Context, name string) error {
	_, err := t.ExecContext(ctx, `DELETE FROM `+name)
	return err
}
