package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmtCache holds prepared statements of a pool by SQL text, so that hot
// reads are parsed and planned once per connection instead of on every
// call. Queries built from a filter have a few shapes only; past
// maxCachedStmts distinct texts, queries run unprepared.
type stmtCache struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

const maxCachedStmts = 256

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}}
}

// stmt returns the prepared statement of query, or nil when the cache is full.
func (c *stmtCache) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.RLock()
	st := c.m[query]
	c.mu.RUnlock()
	if st != nil {
		return st, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.m[query]; st != nil {
		return st, nil
	}
	if len(c.m) >= maxCachedStmts {
		return nil, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.m[query] = st
	return st, nil
}

// QueryContext runs query through its prepared statement.
func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.db.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext runs query through its prepared statement.
func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := c.stmt(ctx, query)
	if err != nil || st == nil {
		// An unpreparable query fails the same way unprepared.
		return c.db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// Close closes the prepared statements.
func (c *stmtCache) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, st := range c.m {
		errs = append(errs, st.Close())
		delete(c.m, q)
	}
	return errors.Join(errs...)
}

// writerStmts are the audit statements, prepared on the writer connection
// and used in its transactions through Tx.StmtContext.
type writerStmts struct {
	maxSeq, head, insert *sql.Stmt
}

func prepareWriter(ctx context.Context, w *sql.DB) (*writerStmts, error) {
	var ws writerStmts
	var err error
	for _, p := range []struct {
		st    **sql.Stmt
		query string
	}{{&ws.maxSeq, sqlAuditMaxSeq}, {&ws.head, sqlAuditHead}, {&ws.insert, sqlAuditInsert}} {
		if *p.st, err = w.PrepareContext(ctx, p.query); err != nil {
			ws.Close()
			return nil, err
		}
	}
	return &ws, nil
}

func (ws *writerStmts) Close() error {
	var errs []error
	for _, st := range []*sql.Stmt{ws.maxSeq, ws.head, ws.insert} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}
