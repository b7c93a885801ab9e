package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmtCache holds prepared statements of a pool by SQL text, so that hot
// queries are parsed and planned once per connection instead of on every
// call (SQLite; pgx caches prepared statements per connection itself, and
// the cache passes PostgreSQL's queries through). Queries built from a filter
// have a few shapes only; past maxCachedStmts distinct texts, queries run
// unprepared.
type stmtCache struct {
	db      *sql.DB
	prepare bool // prepare queries (else run them as they are)
	mu      sync.RWMutex
	m       map[string]*sql.Stmt
}

const maxCachedStmts = 256

// lookup returns the prepared statement of query, or nil.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	if !c.prepare {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[query]
}

// stmt returns the prepared statement of query, preparing it on first use,
// or nil when the cache is off or full.
func (c *stmtCache) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if !c.prepare {
		return nil, nil
	}
	if st := c.lookup(query); st != nil {
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
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st, nil
}

// prepareAll prepares queries now. The writer's statements are prepared
// this way when the store opens, while its one connection is free: inside
// a write transaction, preparing on the pool would wait for that very
// connection.
func (c *stmtCache) prepareAll(ctx context.Context, queries ...string) error {
	for _, q := range queries {
		if _, err := c.stmt(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

func (c *stmtCache) query(ctx context.Context, query string, args []any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.db.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

func (c *stmtCache) row(ctx context.Context, query string, args []any) *sql.Row {
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
