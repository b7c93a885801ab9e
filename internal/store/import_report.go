// The report of an import: what it changed, by entity and by list record,
// worked out in SQL from the import's staging tables.

package store

import (
	"context"
	"database/sql"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"concord"
)

// Record statuses in import_records: a record takes the highest of its
// entities' (a listed entity added or removed decides, any other change
// makes it changed).
const (
	recordChanged = 1
	recordAdded   = 2
	recordRemoved = 3
)

// finish retracts what a complete batch no longer holds and reports what
// changed.
func (im *importing) finish(ctx context.Context) (*concord.ImportReport, error) {
	t, ds := im.t, im.b.Dataset
	if im.bulk != nil {
		// The chunks are written: their garbage goes back to the
		// operating system before the index builds take SQLite's sorter
		// buffers, so that peak RSS is the larger of the two, not their
		// sum (the collector's pacing lets the heap grow to several times
		// what is live while an import runs).
		im.chunk = nil
		debug.FreeOSMemory()
		if err := im.endBulk(ctx); err != nil {
			return nil, err
		}
	}
	var retracted int64
	if !im.fresh && !im.b.Partial {
		listed, args := im.listedSQL("t.schema")
		if _, err := t.exec(ctx, `INSERT INTO import_delta (entity_id, before, ref, listed)
			SELECT t.entity_id, count(*), MIN(t.source_ref), MAX(`+listed+`) FROM statements AS t`+t.db.d.byIndex("statements_entity")+`
			WHERE t.dataset = ? AND NOT t.retracted AND t.entity_id IN
				(SELECT u.entity_id FROM statements AS u WHERE u.dataset = ? AND NOT u.retracted
					AND NOT EXISTS (SELECT 1 FROM import_seen AS s WHERE s.id = u.id))
			GROUP BY t.entity_id
			ON CONFLICT (entity_id) DO NOTHING`, append(args, ds, ds)...); err != nil {
			return nil, err
		}
		res, err := t.exec(ctx, `UPDATE statements SET retracted = TRUE WHERE dataset = ? AND NOT retracted
			AND NOT EXISTS (SELECT 1 FROM import_seen AS s WHERE s.id = statements.id)`, ds)
		if err != nil {
			return nil, err
		}
		if retracted, err = res.RowsAffected(); err != nil {
			return nil, err
		}
	}
	r := &concord.ImportReport{Dataset: ds, Version: im.b.Version, BySchema: map[string]int{},
		Added: []string{}, Changed: []string{}, Removed: []string{}, Live: im.live, Retracted: int(retracted),
		Records: concord.RecordDelta{Added: []string{}, Changed: []string{}, Removed: []string{}}}
	rows, err := t.query(ctx, `SELECT schemas FROM import_tally`)
	if err != nil {
		return nil, err
	}
	err = each(rows, func(s scanner) error {
		var schemas string
		if err := s.Scan(&schemas); err != nil {
			return err
		}
		r.Entities++
		r.BySchema[entitySchema(strings.Split(schemas, ","))]++
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Distinct statements: all of the dataset's when it was new, else those
	// seen.
	var count *sql.Row
	if im.fresh {
		count = t.row(ctx, `SELECT count(*) FROM statements WHERE dataset = ?`, ds)
	} else {
		count = t.row(ctx, `SELECT count(*) FROM import_seen`)
	}
	if err := count.Scan(&r.Statements); err != nil {
		return nil, err
	}
	if err := t.row(ctx, `SELECT count(DISTINCT ref) FROM import_tally`).Scan(&r.Records.Records); err != nil {
		return nil, err
	}
	if !im.fresh {
		if err := im.dropUnchanged(ctx); err != nil {
			return nil, err
		}
	}
	if err := im.classify(ctx, r); err != nil {
		return nil, err
	}
	if err := im.records(ctx, r); err != nil {
		return nil, err
	}
	if !r.Unchanged() {
		if n := r.NAdded + r.NChanged + r.NRemoved; n <= concord.ReportIDs {
			t.changed(concord.ChangeEntities, slices.Concat(r.Added, r.Changed, r.Removed)...)
		} else {
			t.changed(concord.ChangeEntities) // anything: followers load again
		}
	}
	for _, tb := range []string{"import_tally", "import_delta", "import_seen", "import_records"} {
		if err := t.unstage(ctx, tb); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// listedSQL is the SQL value (1 or 0) telling whether an entity of the
// schema in col is listed (ImportBatch.Listed), with its arguments.
func (im *importing) listedSQL(col string) (string, []any) {
	if len(im.b.Listed) == 0 {
		return "1", nil
	}
	cond, args := im.t.db.oneOf(col, im.b.Listed)
	return "CASE WHEN " + cond + " THEN 1 ELSE 0 END", args
}

// note counts id in n and lists it while the list is short.
func note(list *[]string, n *int, id string) {
	if *n++; len(*list) < concord.ReportIDs {
		*list = append(*list, id)
	}
}

// classify sorts the changed entities into added (no live statement of the
// dataset before, some after), removed (the opposite) and changed.
func (im *importing) classify(ctx context.Context, r *concord.ImportReport) error {
	t := im.t
	if im.fresh {
		rows, err := t.query(ctx, `SELECT entity_id FROM import_tally ORDER BY entity_id`)
		if err != nil {
			return err
		}
		return each(rows, func(s scanner) error {
			var id string
			if err := s.Scan(&id); err != nil {
				return err
			}
			note(&r.Added, &r.NAdded, id)
			return nil
		})
	}
	rows, err := t.query(ctx, `SELECT entity_id, before, `+im.after("c")+` FROM import_delta AS c ORDER BY entity_id`, im.b.Dataset)
	if err != nil {
		return err
	}
	return each(rows, func(s scanner) error {
		var id string
		var before, after int
		if err := s.Scan(&id, &before, &after); err != nil {
			return err
		}
		switch {
		case before == 0 && after > 0:
			note(&r.Added, &r.NAdded, id)
		case before > 0 && after == 0:
			note(&r.Removed, &r.NRemoved, id)
		case before > 0:
			note(&r.Changed, &r.NChanged, id)
		}
		return nil
	})
}

// after is the SQL count of live statements of the dataset (the one
// argument) of the entity c.entity_id after the import.
func (im *importing) after(c string) string {
	return `(SELECT count(*) FROM statements AS t` + im.t.db.d.byIndex("statements_entity") + `
		WHERE t.entity_id = ` + c + `.entity_id AND t.dataset = ? AND NOT t.retracted)`
}

// records works out the delta by record in import_records and reports it
// in ref order. A record with a listed entity among the changed ones takes
// the highest status of its changed entities (a listed entity added or
// removed decides, any other change makes it changed). A record without
// one is changed when some entity of it is in the batch unchanged, else
// added when all its changed entities are new and removed when none of them
// has a statement left.
func (im *importing) records(ctx context.Context, r *concord.ImportReport) error {
	t := im.t
	q := `SELECT ref, status FROM import_records ORDER BY ref`
	if im.fresh {
		// Every record of a new dataset is added: read from import_tally
		// at the end rather than upserted into import_records for every
		// chunk (on PostgreSQL a staging copy, an INSERT … ON CONFLICT and
		// a TRUNCATE each).
		// (GROUP BY sorts once; DISTINCT with ORDER BY sorts twice on
		// SQLite.)
		q = `SELECT ref, ` + strconv.Itoa(recordAdded) + ` FROM import_tally GROUP BY ref ORDER BY ref`
	} else {
		changed, added, removed := strconv.Itoa(recordChanged), strconv.Itoa(recordAdded), strconv.Itoa(recordRemoved)
		if _, err := t.exec(ctx, `INSERT INTO import_records (ref, status)
			SELECT ref, CASE WHEN MAX(listed) = 1 THEN MAX(CASE WHEN listed = 0 THEN `+changed+`
					WHEN before = 0 THEN `+added+`
					WHEN after = 0 THEN `+removed+`
					ELSE `+changed+` END)
				WHEN ref IN (SELECT k.ref FROM import_tally AS k WHERE k.entity_id NOT IN (SELECT d.entity_id FROM import_delta AS d)) THEN `+changed+`
				WHEN MAX(before) = 0 THEN `+added+`
				WHEN MAX(after) = 0 THEN `+removed+`
				ELSE `+changed+` END
			FROM (SELECT c.ref, c.listed, c.before, `+im.after("c")+` AS after FROM import_delta AS c) AS x
			WHERE before > 0 OR after > 0 GROUP BY ref`, im.b.Dataset); err != nil {
			return err
		}
	}
	rows, err := t.query(ctx, q)
	if err != nil {
		return err
	}
	d := &r.Records
	return each(rows, func(s scanner) error {
		var ref string
		var status int
		if err := s.Scan(&ref, &status); err != nil {
			return err
		}
		switch status {
		case recordAdded:
			note(&d.Added, &d.NAdded, ref)
		case recordRemoved:
			note(&d.Removed, &d.NRemoved, ref)
		default:
			note(&d.Changed, &d.NChanged, ref)
		}
		return nil
	})
}

// each calls fn for every row, and closes rows.
func each(rows interface {
	scanner
	Next() bool
	Err() error
	Close() error
}, fn func(s scanner) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// importDetail is an import's audit detail: entities added, changed and
// removed, e.g. "+12 ~3 -1".
func importDetail(r *concord.ImportReport) string {
	return "+" + strconv.Itoa(r.NAdded) + " ~" + strconv.Itoa(r.NChanged) + " -" + strconv.Itoa(r.NRemoved)
}
