package store

// SetImportChunk makes db write imports n statements at a time.
func SetImportChunk(db *DB, n int) { db.importChunk = n }
