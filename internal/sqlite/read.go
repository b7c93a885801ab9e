package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"concord"
	"concord/internal/sqlstore"
)

const stmtCols = `seq, id, entity_id, schema, prop, value, lang, dataset, source_ref, contributed_by,
	audience, handling, first_seen, last_seen, retracted`

// where is a SQL condition with its arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) in(col string, vals []string) {
	if len(vals) == 0 {
		w.add("0")
		return
	}
	w.add(col+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+")", anys(vals)...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return "1"
	}
	return strings.Join(w.conds, " AND ")
}

// visible compiles f into the condition concord.Filter.Allows describes.
func visible(f concord.Filter) *where {
	w := &where{}
	if !f.IncludeRetracted {
		w.add("retracted = 0")
	}
	if f.All {
		return w
	}
	var or []string
	if f.Member != "" {
		or = append(or, "contributed_by = ?")
		w.args = append(w.args, f.Member)
	}
	if len(f.Audiences) > 0 && len(f.Handlings) > 0 {
		or = append(or, "(audience IN ("+marks(len(f.Audiences))+") AND handling IN ("+marks(len(f.Handlings))+"))")
		for _, a := range f.Audiences {
			w.args = append(w.args, string(a))
		}
		for _, h := range f.Handlings {
			w.args = append(w.args, string(h))
		}
	}
	if len(or) == 0 {
		w.conds = append(w.conds, "0")
	} else {
		w.conds = append(w.conds, "("+strings.Join(or, " OR ")+")")
	}
	return w
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func anys(vals []string) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = v
	}
	return out
}

func scanStatements(rows *sql.Rows) ([]concord.Statement, error) {
	defer rows.Close()
	var out []concord.Statement
	for rows.Next() {
		var s concord.Statement
		var first, last int64
		if err := rows.Scan(&s.Seq, &s.ID, &s.EntityID, &s.Schema, &s.Prop, &s.Value, &s.Lang, &s.Dataset,
			&s.SourceRef, &s.ContributedBy, &s.Audience, &s.Handling, &first, &last, &s.Retracted); err != nil {
			return nil, err
		}
		s.FirstSeen, s.LastSeen = fromMicros(first), fromMicros(last)
		out = append(out, s)
	}
	return out, rows.Err()
}

// Statements returns the statements about entityID that f sees, in seq order,
// or ENOTFOUND when there is none.
func (db *DB) Statements(ctx context.Context, f concord.Filter, entityID string) ([]concord.Statement, error) {
	const op = "sqlite.Statements"
	w := visible(f)
	w.add("entity_id = ?", entityID)
	rows, err := db.rs.QueryContext(ctx, `SELECT `+stmtCols+` FROM statements WHERE `+w.String()+` ORDER BY seq`, w.args...)
	if err != nil {
		return nil, wrap(op, err)
	}
	out, err := scanStatements(rows)
	if err != nil {
		return nil, wrap(op, err)
	}
	if len(out) == 0 {
		return nil, sqlstore.NotFound(op, entityID)
	}
	return out, nil
}

// Entity assembles the entity from the statements f sees.
func (db *DB) Entity(ctx context.Context, f concord.Filter, id string) (*concord.Entity, error) {
	stmts, err := db.Statements(ctx, f, id)
	if err != nil {
		if concord.ErrorCode(err) == concord.ENOTFOUND {
			return nil, sqlstore.NotFound("sqlite.Entity", id)
		}
		return nil, err
	}
	return concord.Assemble(stmts)[0], nil
}

// EachEntity lists the visible entities matching q in order of their first
// visible statement, then assembles them a page at a time. With q.Dataset set
// an entity is assembled from that dataset's statements only; q.Schemata
// matches the assembled (most specific) schema.
func (db *DB) EachEntity(ctx context.Context, f concord.Filter, q concord.EntityQuery, fn func(*concord.Entity) error) error {
	const op = "sqlite.EachEntity"
	base := visible(f)
	if q.Dataset != "" {
		base.add("dataset = ?", q.Dataset)
	}
	if len(q.IDs) > 0 {
		base.in("entity_id", q.IDs)
	}
	list := &where{conds: slices.Clone(base.conds), args: slices.Clone(base.args)}
	if len(q.Schemata) > 0 {
		// The assembled schema is one of the visible statements' schemata.
		sub := &where{conds: slices.Clone(base.conds), args: slices.Clone(base.args)}
		sub.in("schema", q.Schemata)
		list.add("entity_id IN (SELECT entity_id FROM statements WHERE "+sub.String()+")", sub.args...)
	}
	ids, err := db.entityIDs(ctx, `SELECT entity_id FROM statements WHERE `+list.String()+
		` GROUP BY entity_id ORDER BY MIN(seq)`, list.args)
	if err != nil {
		return wrap(op, err)
	}
	for start := 0; start < len(ids); start += sqlstore.EntityPage {
		page := ids[start:min(start+sqlstore.EntityPage, len(ids))]
		w := &where{conds: slices.Clone(base.conds), args: slices.Clone(base.args)}
		w.in("entity_id", page)
		if len(q.Props) > 0 {
			w.in("prop", append([]string{"id"}, q.Props...))
		}
		rows, err := db.r.QueryContext(ctx, `SELECT `+stmtCols+` FROM statements WHERE `+w.String()+` ORDER BY seq`, w.args...)
		if err != nil {
			return wrap(op, err)
		}
		stmts, err := scanStatements(rows)
		if err != nil {
			return wrap(op, err)
		}
		if err := sqlstore.Emit(page, stmts, q.Schemata, fn); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) entityIDs(ctx context.Context, query string, args []any) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Counts returns the number of visible entities per assembled schema.
func (db *DB) Counts(ctx context.Context, f concord.Filter) (map[string]int, error) {
	const op = "sqlite.Counts"
	w := visible(f)
	rows, err := db.r.QueryContext(ctx, `SELECT entity_id, schema FROM statements WHERE `+w.String()+
		` GROUP BY entity_id, schema ORDER BY entity_id, MIN(seq)`, w.args...)
	if err != nil {
		return nil, wrap(op, err)
	}
	defer rows.Close()
	out := map[string]int{}
	var cur string
	var schemas []string
	flush := func() {
		if len(schemas) > 0 {
			out[sqlstore.EntitySchema(schemas)]++
		}
		schemas = schemas[:0]
	}
	for rows.Next() {
		var id, schema string
		if err := rows.Scan(&id, &schema); err != nil {
			return nil, wrap(op, err)
		}
		if id != cur {
			flush()
			cur = id
		}
		schemas = append(schemas, schema)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(op, err)
	}
	flush()
	return out, nil
}

// Datasets lists the imported datasets by name.
func (db *DB) Datasets(ctx context.Context) ([]concord.DatasetInfo, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT name, version, source, imported_at FROM datasets ORDER BY name`)
	if err != nil {
		return nil, wrap("sqlite.Datasets", err)
	}
	defer rows.Close()
	out := []concord.DatasetInfo{}
	for rows.Next() {
		var d concord.DatasetInfo
		var at int64
		if err := rows.Scan(&d.Name, &d.Version, &d.Source, &at); err != nil {
			return nil, wrap("sqlite.Datasets", err)
		}
		d.ImportedAt = fromMicros(at)
		out = append(out, d)
	}
	return out, wrap("sqlite.Datasets", rows.Err())
}
