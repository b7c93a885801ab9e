// The bulk load of a large first import: the statement table's indexes are
// dropped while its rows are appended and built again, sorted, before the
// import commits.

package store

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// A dataset's first import that writes more statements than the table held
// before it (a national list landing in a new or small store) is a bulk
// load: the statement table's indexes (all but the seq key) are dropped at
// its first full chunk, the chunks are appended without an upsert (a
// dataset without statements has none to refresh: a statement of this
// batch is new unless it repeats an earlier one), and the indexes are built
// again in finish, each one sorted in a single pass instead of one random
// b-tree insert per statement: 7–9 µs of PostgreSQL's CPU per statement
// for the id index alone, against a build of well under 1 µs; on SQLite
// the inserts into the id index were half the import. The build costs
// O(n log n) for the whole table, which is at most twice what this import
// wrote.
//
// It stays all-or-nothing: the drops and builds are in the import's
// transaction (both dialects have transactional DDL), so a failure puts the
// indexes back with everything else. What the upsert did per chunk is done
// once at the end: the unique id index is built first, and when it finds a
// duplicate (a statement repeated in chunks of its own, or an id given in
// the batch that another dataset already uses) mergeDuplicates merges the
// repeats as the upsert would have and refuses a foreign id.
//
// SQLite's readers go on reading the last commit meanwhile. On PostgreSQL
// DROP INDEX locks the table until the import commits, so other sessions'
// reads of statements wait for it; the lock is waited for 2 s at most (a
// long read elsewhere, an index build of another node) and the import goes
// on without a bulk load when it is not granted.
type bulkLoad struct {
	indexes []tableIndex // dropped, to build again (unique ones first)
}

// tableIndex is an index of a table as the database describes it.
type tableIndex struct {
	name, ddl string // its name and CREATE INDEX statement
}

func (ix tableIndex) unique() bool {
	return strings.HasPrefix(strings.ToUpper(ix.ddl), "CREATE UNIQUE")
}

// errBusy tells that the dialect could not lock the table for a bulk load.
var errBusy = errors.New("store: table busy")

// bulkFrom tells whether the import should become a bulk load before
// writing a chunk of n statements.
func (im *importing) bulkFrom(n int) bool {
	return im.fresh && im.bulk == nil && !im.unbulked && n >= im.t.db.importChunk && im.written+int64(n) > im.stored
}

// startBulk drops the statement table's indexes. When the dialect cannot
// lock the table now, the import goes on as it was.
func (im *importing) startBulk(ctx context.Context) error {
	t := im.t
	ixs, err := t.db.d.indexes(ctx, t, "statements")
	if err != nil {
		return err
	}
	slices.SortStableFunc(ixs, func(a, b tableIndex) int {
		switch {
		case a.unique() == b.unique():
			return 0
		case a.unique():
			return -1
		}
		return 1
	})
	err = t.db.d.dropping(ctx, t, func() error {
		for _, ix := range ixs {
			if _, err := t.ExecContext(ctx, `DROP INDEX `+ix.name); err != nil {
				return err
			}
		}
		return nil
	})
	switch {
	case errors.Is(err, errBusy):
		im.unbulked = true
		return nil
	case err != nil:
		return err
	}
	im.bulk = &bulkLoad{indexes: ixs}
	t.db.bulkLoads.Add(1)
	return nil
}

// endBulk builds the dropped indexes again, merging repeated statements
// first if the unique id index finds some.
func (im *importing) endBulk(ctx context.Context) error {
	t := im.t
	return t.db.d.building(ctx, t, func() error {
		for _, ix := range im.bulk.indexes {
			err := t.savepoint(ctx, "import_index", func() error {
				_, err := t.ExecContext(ctx, ix.ddl)
				return err
			})
			if err != nil && ix.unique() && t.db.d.conflict(err) == "duplicate key" {
				if err = im.mergeDuplicates(ctx); err == nil {
					_, err = t.ExecContext(ctx, ix.ddl)
				}
			}
			if err != nil {
				return err
			}
		}
		im.bulk = nil
		return nil
	})
}

// mergeDuplicates makes the ids of the statements unique again the way the
// upsert of an import would have: an id that a statement of another dataset
// has is a conflict, and the repeats of a statement of this dataset become
// its first row (seq), with the widest first and last seen and the
// provenance of its last row.
func (im *importing) mergeDuplicates(ctx context.Context) error {
	t, ds := im.t, im.b.Dataset
	steps := []struct {
		q    string
		args []any
	}{
		{`CREATE INDEX import_ids ON statements (id)`, nil},
		{`CREATE ${scratch} TABLE IF NOT EXISTS import_dups (id TEXT PRIMARY KEY)${temp_rows}`, nil},
		{`DELETE FROM import_dups`, nil},
		{`INSERT INTO import_dups (id) SELECT id FROM statements WHERE dataset = ? GROUP BY id HAVING count(*) > 1`, []any{ds}},
	}
	for _, s := range steps {
		if _, err := t.exec(ctx, t.db.d.types().Replace(s.q), s.args...); err != nil {
			return err
		}
	}
	var foreign int
	if err := t.row(ctx, `SELECT count(*) FROM (SELECT 1 FROM statements AS a WHERE a.dataset = ?
		AND EXISTS (SELECT 1 FROM statements AS b WHERE b.id = a.id AND b.dataset <> a.dataset) LIMIT 1) AS x`, ds).Scan(&foreign); err != nil {
		return err
	}
	if foreign > 0 {
		return im.conflict()
	}
	last := func(col string) string {
		return col + ` = (SELECT b.` + col + ` FROM statements AS b WHERE b.id = statements.id ORDER BY b.seq DESC LIMIT 1)`
	}
	steps = []struct {
		q    string
		args []any
	}{
		{`UPDATE statements SET
			first_seen = (SELECT MIN(b.first_seen) FROM statements AS b WHERE b.id = statements.id),
			last_seen = (SELECT MAX(b.last_seen) FROM statements AS b WHERE b.id = statements.id),
			` + last("schema") + `, ` + last("source_ref") + `, ` + last("audience") + `, ` + last("handling") + `
			WHERE id IN (SELECT id FROM import_dups) AND seq = (SELECT MIN(b.seq) FROM statements AS b WHERE b.id = statements.id)`, nil},
		{`DELETE FROM statements WHERE id IN (SELECT id FROM import_dups)
			AND seq > (SELECT MIN(b.seq) FROM statements AS b WHERE b.id = statements.id)`, nil},
		{`DROP INDEX import_ids`, nil},
		{`DELETE FROM import_dups`, nil},
	}
	for _, s := range steps {
		if _, err := t.exec(ctx, s.q, s.args...); err != nil {
			return err
		}
	}
	return nil
}

// savepoint runs fn inside a savepoint of t: when fn fails, what it did is
// undone and t goes on (PostgreSQL aborts the whole transaction otherwise).
func (t *tx) savepoint(ctx context.Context, name string, fn func() error) error {
	if _, err := t.ExecContext(ctx, `SAVEPOINT `+name); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := t.ExecContext(ctx, `ROLLBACK TO SAVEPOINT `+name); rerr != nil {
			return errors.Join(err, rerr)
		}
		if _, rerr := t.ExecContext(ctx, `RELEASE SAVEPOINT `+name); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	_, err := t.ExecContext(ctx, `RELEASE SAVEPOINT `+name)
	return err
}
