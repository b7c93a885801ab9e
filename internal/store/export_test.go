package store

import "context"

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
