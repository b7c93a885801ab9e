package store

import (
	"context"
	"slices"
	"strings"

	"concord"
)

const stmtCols = `seq, id, entity_id, schema, prop, value, lang, dataset, source_ref, contributed_by,
	audience, handling, first_seen, last_seen, retracted`

func scanStatement(sc scanner, s *concord.Statement) error {
	return sc.Scan(&s.Seq, &s.ID, &s.EntityID, &s.Schema, &s.Prop, &s.Value, &s.Lang, &s.Dataset,
		&s.SourceRef, &s.ContributedBy, &s.Audience, &s.Handling, tm{&s.FirstSeen}, tm{&s.LastSeen}, &s.Retracted)
}

// statements runs a query of stmtCols.
func (db *DB) statements(ctx context.Context, w *where, tail string) ([]concord.Statement, error) {
	rows, err := db.query(ctx, `SELECT `+stmtCols+` FROM statements WHERE `+w.String()+tail, w.args...)
	return scanAll(rows, err, scanStatement)
}

// Statements returns the statements about entityID that f sees, in seq order,
// or ENOTFOUND when there is none.
func (db *DB) Statements(ctx context.Context, f concord.Filter, entityID string) ([]concord.Statement, error) {
	const op = "store.Statements"
	w := db.visible(f)
	w.add("entity_id = ?", entityID)
	out, err := db.statements(ctx, w, ` ORDER BY seq`)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	if len(out) == 0 {
		return nil, entityNotFound(op, entityID)
	}
	return out, nil
}

// Entity assembles the entity from the statements f sees.
func (db *DB) Entity(ctx context.Context, f concord.Filter, id string) (*concord.Entity, error) {
	stmts, err := db.Statements(ctx, f, id)
	if err != nil {
		if concord.ErrorCode(err) == concord.ENOTFOUND {
			return nil, entityNotFound("store.Entity", id)
		}
		return nil, err
	}
	return concord.Assemble(stmts)[0], nil
}

// entityWhere selects the statements f sees of the dataset and ids q names.
func (db *DB) entityWhere(f concord.Filter, q concord.EntityQuery) *where {
	w := db.visible(f)
	if q.Dataset != "" {
		w.add("dataset = ?", q.Dataset)
	}
	if len(q.IDs) > 0 {
		w.in("entity_id", q.IDs)
	}
	return w
}

// entityPage is how many entities EachEntity assembles per query.
const entityPage = 500

// entityPropCond is the condition of the partial index
// statements_references (migration 0180): prop is one of
// concord.EntityProps, written out as equalities joined by OR (constant
// identifiers: nothing to escape).
var entityPropCond = "(prop = '" + strings.Join(concord.EntityProps, "' OR prop = '") + "')"

// EachEntity lists the visible entities matching q in order of their first
// visible statement, then assembles them a page at a time. With q.Dataset set
// an entity is assembled from that dataset's statements only; q.Schemata
// matches the assembled (most specific) schema.
func (db *DB) EachEntity(ctx context.Context, f concord.Filter, q concord.EntityQuery, fn func(*concord.Entity) error) error {
	const op = "store.EachEntity"
	base := db.entityWhere(f, q)
	list := base.clone()
	if q.Referencing != "" {
		// The partial index statements_references covers exactly these
		// props; its condition is written out as it is, not bound, so
		// that both planners see the query implies it.
		sub := base.clone()
		sub.add("value = ? AND "+entityPropCond, q.Referencing)
		list.add("entity_id IN (SELECT entity_id FROM statements WHERE "+sub.String()+")", sub.args...)
	}
	if len(q.Schemata) > 0 {
		// The assembled schema is one of the visible statements' schemata.
		sub := base.clone()
		sub.in("schema", q.Schemata)
		list.add("entity_id IN (SELECT entity_id FROM statements WHERE "+sub.String()+")", sub.args...)
	}
	ids, err := strs(ctx, db, `SELECT entity_id FROM statements WHERE `+list.String()+
		` GROUP BY entity_id ORDER BY MIN(seq)`, list.args...)
	if err != nil {
		return db.wrap(op, err)
	}
	for start := 0; start < len(ids); start += entityPage {
		page := ids[start:min(start+entityPage, len(ids))]
		w := base.clone()
		w.in("entity_id", page)
		if len(q.Props) > 0 {
			w.in("prop", append([]string{"id"}, q.Props...))
		}
		stmts, err := db.statements(ctx, w, ` ORDER BY seq`)
		if err != nil {
			return db.wrap(op, err)
		}
		if err := emit(page, stmts, q.Schemata, fn); err != nil {
			return err
		}
	}
	return nil
}

// ScanEntities streams the visible entities matching q in id order: the
// statements of ScanStatements, an entity assembled from each run of them.
func (db *DB) ScanEntities(ctx context.Context, f concord.Filter, q concord.EntityQuery, fn func(*concord.Entity) error) error {
	return db.ScanStatements(ctx, f, q, func(stmts []concord.Statement) error {
		e := concord.Assemble(stmts)[0]
		if len(q.Schemata) > 0 && !slices.Contains(q.Schemata, e.Schema) {
			return nil
		}
		return fn(e)
	})
}

// ScanStatements streams the visible statements of the entities matching q
// (its dataset, ids, props and id range), entity by entity in id order:
// one query in (entity_id, seq) order through statements_entity, the run
// of one entity handed to fn when the next one starts.
func (db *DB) ScanStatements(ctx context.Context, f concord.Filter, q concord.EntityQuery, fn func([]concord.Statement) error) error {
	const op = "store.ScanStatements"
	w := db.entityWhere(f, q)
	if len(q.Props) > 0 {
		w.in("prop", append([]string{"id"}, q.Props...))
	}
	if q.After != "" {
		w.add("entity_id > ?", q.After)
	}
	if q.Until != "" {
		w.add("entity_id <= ?", q.Until)
	}
	rows, err := db.query(ctx, `SELECT `+stmtCols+` FROM statements`+db.d.byIndex("statements_entity")+
		` WHERE `+w.String()+` ORDER BY entity_id, seq`, w.args...)
	if err != nil {
		return db.wrap(op, err)
	}
	defer rows.Close()
	var cur []concord.Statement
	for rows.Next() {
		var s concord.Statement
		if err := scanStatement(rows, &s); err != nil {
			return db.wrap(op, err)
		}
		if len(cur) > 0 && cur[0].EntityID != s.EntityID {
			if err := fn(cur); err != nil {
				return err
			}
			cur = nil
		}
		cur = append(cur, s)
	}
	if err := rows.Err(); err != nil {
		return db.wrap(op, err)
	}
	if len(cur) == 0 {
		return nil
	}
	return fn(cur)
}

// emit assembles the statements of one page (seq order) and calls fn in the
// order of ids.
func emit(ids []string, stmts []concord.Statement, schemata []string, fn func(*concord.Entity) error) error {
	byID := map[string]*concord.Entity{}
	for _, e := range concord.Assemble(stmts) {
		byID[e.ID] = e
	}
	for _, id := range ids {
		e := byID[id]
		if e == nil || (len(schemata) > 0 && !slices.Contains(schemata, e.Schema)) {
			continue
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// Counts returns the number of visible entities per assembled schema.
func (db *DB) Counts(ctx context.Context, f concord.Filter) (map[string]int, error) {
	const op = "store.Counts"
	w := db.visible(f)
	rows, err := db.query(ctx, `SELECT entity_id, schema FROM statements WHERE `+w.String()+
		` GROUP BY entity_id, schema ORDER BY entity_id, MIN(seq)`, w.args...)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	out := map[string]int{}
	var cur string
	var schemas []string
	flush := func() {
		if len(schemas) > 0 {
			out[entitySchema(schemas)]++
		}
		schemas = schemas[:0]
	}
	for rows.Next() {
		var id, schema string
		if err := rows.Scan(&id, &schema); err != nil {
			return nil, db.wrap(op, err)
		}
		if id != cur {
			flush()
			cur = id
		}
		schemas = append(schemas, schema)
	}
	if err := rows.Err(); err != nil {
		return nil, db.wrap(op, err)
	}
	flush()
	return out, nil
}

// Datasets lists the imported datasets by name.
func (db *DB) Datasets(ctx context.Context) ([]concord.DatasetInfo, error) {
	rows, err := db.query(ctx, `SELECT name, version, source, imported_at FROM datasets ORDER BY name`)
	out, err := scanAll(rows, err, func(s scanner, d *concord.DatasetInfo) error {
		return s.Scan(&d.Name, &d.Version, &d.Source, tm{&d.ImportedAt})
	})
	return out, db.wrap("store.Datasets", err)
}
