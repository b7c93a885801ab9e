package store

import (
	"context"
	"fmt"
	"strings"
)

// SetImportChunk makes db write imports n statements at a time.
func SetImportChunk(db *DB, n int) { db.importChunk = n }

// BulkLoads is how many imports started a bulk load on db.
func BulkLoads(db *DB) int64 { return db.bulkLoads.Load() }

// StatementIndexes lists the statement table's indexes (name and DDL), as
// a bulk load finds them.
func StatementIndexes(ctx context.Context, db *DB) ([]string, error) {
	var out []string
	err := db.write(ctx, func(t *tx) error {
		ixs, err := db.d.indexes(ctx, t, "statements")
		for _, ix := range ixs {
			out = append(out, ix.name+": "+ix.ddl)
		}
		return err
	})
	return out, err
}

// ReferencingPlan is the query plan of the lookup behind
// concord.EntityQuery.Referencing (PostgreSQL's with sequential scans
// disabled: its tables are empty in tests).
func ReferencingPlan(ctx context.Context, db *DB) (string, error) {
	q := `SELECT entity_id FROM statements WHERE value = ? AND ` + entityPropCond
	var plan []string
	err := db.write(ctx, func(t *tx) error {
		explain := `EXPLAIN QUERY PLAN `
		if db.d.name() == "postgres" {
			if _, err := t.exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
			explain = `EXPLAIN `
		}
		rows, err := t.query(ctx, explain+q, "x")
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			for i := range vals {
				vals[i] = new(any)
			}
			if err := rows.Scan(vals...); err != nil {
				return err
			}
			for _, v := range vals {
				plan = append(plan, fmt.Sprint(*v.(*any)))
			}
		}
		return rows.Err()
	})
	return strings.Join(plan, " "), err
}

// PageSize is the page size of db's database (SQLite).
func PageSize(ctx context.Context, db *DB) (int, error) {
	var n int
	err := db.w.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&n)
	return n, err
}

// WALSizeLimit is the writer connection's journal_size_limit (SQLite).
func WALSizeLimit(ctx context.Context, db *DB) (int, error) {
	var n int
	err := db.w.QueryRowContext(ctx, `PRAGMA journal_size_limit`).Scan(&n)
	return n, err
}
