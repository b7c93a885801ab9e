package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"concord"
)

// Import applies a batch in one transaction: see concord.ImportBatch. Its
// statements (from b.Statements, or b.Stream as a reader parses them) are
// validated and written importChunk at a time, so that memory stays bounded
// whatever the size of the list, and the transaction makes the whole batch
// visible at once or, on any error, nothing. What the import changes is
// worked out in the database: per chunk, the statements already stored are
// read by id (a statement of another dataset is a conflict), the entities
// they change are noted with their live statements before the change
// (import_delta), and the chunk is upserted (new statements numbered after
// the last seq, stored ones refreshed: first and last seen widened,
// provenance updated, retraction undone). A complete batch then retracts
// the dataset's live statements it no longer holds (import_seen). Entities
// and their schemata and records are tallied in import_tally for the
// report, which also tells the delta by record (import_records). A
// dataset imported for the first time skips the lookups: everything in it
// is new.
//
// Imports (and contributions) take the import lock, so that what an import
// finds stored holds until it commits and statement seq numbers stay in
// insertion order across nodes.
func (db *DB) Import(ctx context.Context, b *concord.ImportBatch) (*concord.ImportReport, error) {
	const op = "store.Import"
	if b == nil {
		return nil, concord.Errorf(concord.EINVALID, "import: no batch")
	}
	if b.Dataset == "" {
		return nil, concord.Errorf(concord.EINVALID, "import: batch has no dataset")
	}
	var report *concord.ImportReport
	err := db.auditedIn(ctx, db.d.importing(), op, change{Action: "import", Object: b.Dataset}, func(t *tx, ch *change) error {
		im, err := startImport(ctx, t, b, db.now())
		if err != nil {
			return err
		}
		if err := im.run(ctx); err != nil {
			return err
		}
		if report, err = im.finish(ctx); err != nil {
			return err
		}
		if b.Check != nil {
			// Nothing is visible before the commit: an error rolls the
			// whole import back.
			if err := b.Check(report); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `INSERT INTO datasets (name, version, source, imported_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET version = excluded.version, source = excluded.source, imported_at = excluded.imported_at`,
			b.Dataset, b.Version, b.Source, im.now); err != nil {
			return err
		}
		ch.Detail = importDetail(report)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return report, nil
}

// importChunk is how many statements an import writes at a time: about
// 8 MB of them. Each chunk costs PostgreSQL a few statements and their
// staging tables: 100,000 persons cost its backend 38.6 s of CPU in chunks
// of 4,000, 19.0 s in chunks of 20,000, 17.8 s in chunks of 50,000.
const importChunk = 20000

// importing is an import in progress.
type importing struct {
	t     *tx
	b     *concord.ImportBatch
	now   time.Time
	fresh bool // the dataset had no statement: everything is new
	live  int  // live statements of the dataset before the import
	seq   int64
	chunk *chunk // being written

	stored   int64     // statements in the table before the import, at most (its last seq)
	written  int64     // statements the import has written
	bulk     *bulkLoad // the statement indexes are dropped: see bulkLoad
	unbulked bool      // a bulk load could not start
}

// chunk is up to importChunk distinct statements, validated, with ids and
// times filled in.
type chunk struct {
	rows    []pending
	pos     map[string]int // id -> index in rows
	foreign bool           // some statement came with an id the store would not give it
	// vals are the rows' values as the dialect binds them, all of
	// statementCols but seq (rowVals values a row), made by the reader
	// once the chunk is complete: boxing them and converting the times
	// took the writer 3.0 of its 20.2 s of CPU appending 1M persons.
	vals []any
	// ents are the chunk's entities in the order they come, with their
	// schemata and records (see tally), also made by seal.
	ents []tallied
}

// tallied is an entity of a chunk: its schemata and its first statement's
// record.
type tallied struct {
	id      string
	schemas []string
	ref     string
}

// rowVals is how many values of a row chunk.vals holds: statementCols but
// seq, which the writer numbers.
const rowVals = 14

// seal makes c.vals, the rows' values as arg (the dialect's) gives them. A
// string the previous row had in the same column is boxed once.
func (c *chunk) seal(arg func(any) any) {
	c.vals = make([]any, 0, len(c.rows)*rowVals)
	var last [rowVals]any
	str := func(col int, s string) any {
		if prev, ok := last[col].(string); ok && prev == s {
			return last[col]
		}
		last[col] = s
		return last[col]
	}
	at := make(map[string]int, len(c.rows)/4)
	for i := range c.rows {
		p := &c.rows[i]
		s := &p.s
		j, ok := at[s.EntityID]
		if !ok {
			j = len(c.ents)
			at[s.EntityID] = j
			c.ents = append(c.ents, tallied{id: s.EntityID, ref: s.SourceRef})
		}
		if e := &c.ents[j]; !slices.Contains(e.schemas, s.Schema) {
			e.schemas = append(e.schemas, s.Schema)
		}
		c.vals = append(c.vals, str(0, s.ID), str(1, s.EntityID), str(2, s.Schema), str(3, s.Prop), str(4, s.Value),
			str(5, s.Lang), str(6, s.Dataset), str(7, s.SourceRef), str(8, s.ContributedBy), str(9, string(s.Audience)),
			str(10, string(s.Handling)), arg(p.first), arg(p.last), false)
	}
}

// pending is a statement about to be written, with its id and times filled
// in.
type pending struct {
	s           concord.Statement
	first, last time.Time
}

var statementCols = []string{"seq", "id", "entity_id", "schema", "prop", "value", "lang", "dataset", "source_ref",
	"contributed_by", "audience", "handling", "first_seen", "last_seen", "retracted"}

// upsertStatement refreshes a statement of the same dataset; a statement of
// another dataset is left as it is, and the rows it leaves out are counted.
const upsertStatement = `ON CONFLICT (id) DO UPDATE SET
	first_seen = CASE WHEN excluded.first_seen < statements.first_seen THEN excluded.first_seen ELSE statements.first_seen END,
	last_seen = CASE WHEN excluded.last_seen > statements.last_seen THEN excluded.last_seen ELSE statements.last_seen END,
	schema = excluded.schema, source_ref = excluded.source_ref, audience = excluded.audience, handling = excluded.handling,
	retracted = FALSE WHERE statements.dataset = excluded.dataset`

func startImport(ctx context.Context, t *tx, b *concord.ImportBatch, now time.Time) (*importing, error) {
	if err := t.lock(ctx, lockImport); err != nil {
		return nil, err
	}
	im := &importing{t: t, b: b, now: now.UTC().Truncate(time.Microsecond)}
	var stored int
	if err := t.row(ctx, `SELECT count(*) FROM (SELECT 1 FROM statements WHERE dataset = ? LIMIT 1) AS x`, b.Dataset).Scan(&stored); err != nil {
		return nil, err
	}
	im.fresh = stored == 0
	if !im.fresh {
		if err := t.row(ctx, `SELECT count(*) FROM statements WHERE dataset = ? AND NOT retracted`, b.Dataset).Scan(&im.live); err != nil {
			return nil, err
		}
	}
	if err := t.row(ctx, `SELECT COALESCE(MAX(seq), 0) FROM statements`).Scan(&im.seq); err != nil {
		return nil, err
	}
	im.stored = im.seq
	for _, tb := range []struct{ name, ddl string }{
		{"import_tally", `entity_id TEXT PRIMARY KEY, schemas TEXT NOT NULL, ref TEXT NOT NULL`},
		{"import_delta", `entity_id TEXT PRIMARY KEY, before INTEGER NOT NULL, ref TEXT NOT NULL, listed INTEGER NOT NULL,
			sum TEXT NOT NULL DEFAULT ''`},
		{"import_seen", `id TEXT PRIMARY KEY`},
		{"import_records", `ref TEXT PRIMARY KEY, status INTEGER NOT NULL`},
	} {
		if err := t.stage(ctx, tb.name, tb.ddl, nil, 0, nil); err != nil {
			return nil, err
		}
	}
	return im, nil
}

// run reads the batch's statements in a goroutine of their own (parsed,
// validated and grouped into chunks there, while the previous chunk is
// written: a second core works) and writes each chunk as it comes. A bad
// statement, or a failed write, stops both.
func (im *importing) run(ctx context.Context) error {
	each := im.b.Stream
	if each == nil {
		each = func(yield func(*concord.Statement) error) error {
			for i := range im.b.Statements {
				if err := yield(&im.b.Statements[i]); err != nil {
					return err
				}
			}
			return nil
		}
	}
	chunks := make(chan *chunk, 1)
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	var readErr error
	go func() {
		defer close(chunks)
		size := im.t.db.importChunk
		read, c := 0, newChunk(size)
		send := func() error {
			c.seal(im.t.db.d.arg)
			select {
			case chunks <- c:
				c = newChunk(size)
				return nil
			case <-pctx.Done():
				return pctx.Err()
			}
		}
		readErr = each(func(s *concord.Statement) error {
			read++
			if err := c.add(im.b.Dataset, read-1, s, im.now); err != nil {
				return err
			}
			if len(c.rows) >= im.t.db.importChunk {
				return send()
			}
			return nil
		})
		if readErr == nil && len(c.rows) > 0 {
			readErr = send()
		}
	}()
	for c := range chunks {
		im.chunk = c
		if err := im.flush(ctx); err != nil {
			stop()
			for range chunks { // let the reader end
			}
			return err
		}
	}
	return readErr
}

// newChunk makes a chunk with room for size statements: grown as they
// came, its rows and its map of ids were a fifth of the reader's CPU.
func newChunk(size int) *chunk {
	return &chunk{rows: make([]pending, 0, size), pos: make(map[string]int, size)}
}

// add validates the i-th statement of a batch of dataset and adds it to c,
// merging it with an earlier one of c that has its id (the upsert of a later
// chunk does the same: see upsertStatement).
func (c *chunk) add(dataset string, i int, s *concord.Statement, now time.Time) error {
	id, own, err := checkStatement(dataset, i, s)
	if err != nil {
		return err
	}
	first, last := seen(s.FirstSeen, s.LastSeen, now)
	if j, ok := c.pos[id]; ok {
		// As the upsert of a later chunk would: the widest times, the
		// latest provenance.
		p := &c.rows[j]
		p.first, p.last = minTime(p.first, fromMicros(first)), maxTime(p.last, fromMicros(last))
		p.s.Schema, p.s.SourceRef, p.s.Audience, p.s.Handling = s.Schema, s.SourceRef, s.Audience, s.Handling
		return nil
	}
	c.foreign = c.foreign || !own
	p := pending{s: *s, first: fromMicros(first), last: fromMicros(last)}
	p.s.ID, p.s.Dataset = id, dataset
	c.pos[id] = len(c.rows)
	c.rows = append(c.rows, p)
	return nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// flush writes the chunk.
func (im *importing) flush(ctx context.Context) error {
	t, chunk := im.t, im.chunk.rows
	if len(chunk) == 0 {
		return nil
	}
	ids := make([]string, len(chunk))
	for i := range chunk {
		ids[i] = chunk[i].s.ID
	}
	if im.bulkFrom(len(chunk)) {
		if err := im.startBulk(ctx); err != nil {
			return err
		}
	}
	// A bulk load checks foreign ids when it builds the id index again.
	if !im.fresh || im.chunk.foreign && im.bulk == nil {
		if err := im.noteChanges(ctx, ids); err != nil {
			return err
		}
	}
	upsert := upsertStatement
	if im.bulk != nil {
		upsert = ""
	}
	pre := im.chunk.vals
	n, err := t.db.d.copyRows(ctx, t, "statements", statementCols, upsert, len(chunk), func(i int, vals []any) []any {
		return append(append(vals, im.seq+int64(i)+1), pre[i*rowVals:(i+1)*rowVals]...)
	})
	if err != nil {
		return err
	}
	if n != int64(len(chunk)) {
		return im.conflict()
	}
	im.seq += int64(len(chunk))
	im.written += int64(len(chunk))
	if !im.fresh {
		if _, err := t.db.d.copyRows(ctx, t, "import_seen", []string{"id"}, `ON CONFLICT (id) DO NOTHING`, len(ids),
			func(i int, vals []any) []any { return append(vals, ids[i]) }); err != nil {
			return err
		}
	}
	return im.tally(ctx)
}

func (im *importing) conflict() error {
	return concord.Errorf(concord.ECONFLICT, "import %s: a statement id is already used by another dataset", im.b.Dataset)
}

// listed tells (as 1 or 0, a column's value) whether an entity of schema is
// the one its record is about.
func (im *importing) listed(schema string) int {
	if len(im.b.Listed) == 0 || slices.Contains(im.b.Listed, schema) {
		return 1
	}
	return 0
}

// tally adds the chunk's entities, their schemata and records, in the order
// they come, to import_tally (a new dataset's records go to import_records
// at the end: see records).
func (im *importing) tally(ctx context.Context) error {
	t, ents := im.t, im.chunk.ents
	order := make([]string, len(ents))
	at := make(map[string]int, len(ents))
	for i := range ents {
		order[i] = ents[i].id
		at[ents[i].id] = i
	}
	w := t.db.where()
	w.in("entity_id", order)
	rows, err := t.query(ctx, `SELECT entity_id, schemas, ref FROM import_tally WHERE `+w.String(), w.args...)
	type known struct{ id, schemas, ref string }
	ks, err := scanAll(rows, err, func(s scanner, k *known) error { return s.Scan(&k.id, &k.schemas, &k.ref) })
	if err != nil {
		return err
	}
	// The entities met in an earlier chunk (an entity or so that goes on
	// from the chunk before) are merged and updated; the others cannot
	// conflict, and are written without an upsert, which PostgreSQL COPYs
	// straight into the table rather than through a staging copy.
	added, merged := ents, make([]tallied, 0, len(ks))
	for _, k := range ks {
		e := ents[at[k.id]]
		schemas := strings.Split(k.schemas, ",")
		for _, sc := range e.schemas {
			if !slices.Contains(schemas, sc) {
				schemas = append(schemas, sc)
			}
		}
		e.schemas, e.ref = schemas, k.ref
		merged = append(merged, e)
		delete(at, k.id)
	}
	if len(merged) > 0 {
		added = make([]tallied, 0, len(ents)-len(merged))
		for _, e := range ents {
			if _, ok := at[e.id]; ok { // not merged
				added = append(added, e)
			}
		}
	}
	cols := []string{"entity_id", "schemas", "ref"}
	for _, part := range []struct {
		ents     []tallied
		conflict string
	}{
		{added, ""},
		{merged, `ON CONFLICT (entity_id) DO UPDATE SET schemas = excluded.schemas`},
	} {
		if _, err := t.db.d.copyRows(ctx, t, "import_tally", cols, part.conflict, len(part.ents), func(i int, vals []any) []any {
			e := &part.ents[i]
			return append(vals, e.id, strings.Join(e.schemas, ","), e.ref)
		}); err != nil {
			return err
		}
	}
	return nil
}
