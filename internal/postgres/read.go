package postgres

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"concord"
	"concord/internal/sqlstore"
)

const stmtCols = `seq, id, entity_id, schema, prop, value, lang, dataset, source_ref, contributed_by,
	audience, handling, first_seen, last_seen, retracted`

// where is a SQL condition with its numbered arguments.
type where struct {
	conds []string
	args  []any
}

// arg adds an argument and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return "true"
	}
	return strings.Join(w.conds, " AND ")
}

func (w *where) clone() *where {
	return &where{conds: slices.Clone(w.conds), args: slices.Clone(w.args)}
}

// visible compiles f into the condition concord.Filter.Allows describes.
func visible(f concord.Filter) *where {
	w := &where{}
	if !f.IncludeRetracted {
		w.conds = append(w.conds, "NOT retracted")
	}
	if f.All {
		return w
	}
	var or []string
	if f.Member != "" {
		or = append(or, "contributed_by = "+w.arg(f.Member))
	}
	if len(f.Audiences) > 0 && len(f.Handlings) > 0 {
		aud := make([]string, len(f.Audiences))
		for i, a := range f.Audiences {
			aud[i] = string(a)
		}
		hs := make([]string, len(f.Handlings))
		for i, h := range f.Handlings {
			hs[i] = string(h)
		}
		or = append(or, "(audience = ANY("+w.arg(aud)+") AND handling = ANY("+w.arg(hs)+"))")
	}
	if len(or) == 0 {
		w.conds = append(w.conds, "false")
	} else {
		w.conds = append(w.conds, "("+strings.Join(or, " OR ")+")")
	}
	return w
}

func scanStatements(rows pgx.Rows) ([]concord.Statement, error) {
	defer rows.Close()
	var out []concord.Statement
	for rows.Next() {
		var s concord.Statement
		if err := rows.Scan(&s.Seq, &s.ID, &s.EntityID, &s.Schema, &s.Prop, &s.Value, &s.Lang, &s.Dataset,
			&s.SourceRef, &s.ContributedBy, &s.Audience, &s.Handling, &s.FirstSeen, &s.LastSeen, &s.Retracted); err != nil {
			return nil, err
		}
		s.FirstSeen, s.LastSeen = s.FirstSeen.UTC(), s.LastSeen.UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

// query runs a statement query on a pooled connection.
func (db *DB) query(ctx context.Context, sql string, args []any) ([]concord.Statement, error) {
	var out []concord.Statement
	err := db.with(ctx, func(c *pgxpool.Conn) error {
		rows, err := c.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		out, err = scanStatements(rows)
		return err
	})
	return out, err
}

// Statements returns the statements about entityID that f sees, in seq order,
// or ENOTFOUND when there is none.
func (db *DB) Statements(ctx context.Context, f concord.Filter, entityID string) ([]concord.Statement, error) {
	const op = "postgres.Statements"
	w := visible(f)
	w.conds = append(w.conds, "entity_id = "+w.arg(entityID))
	out, err := db.query(ctx, `SELECT `+stmtCols+` FROM statements WHERE `+w.String()+` ORDER BY seq`, w.args)
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
			return nil, sqlstore.NotFound("postgres.Entity", id)
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
	const op = "postgres.EachEntity"
	base := visible(f)
	if q.Dataset != "" {
		base.conds = append(base.conds, "dataset = "+base.arg(q.Dataset))
	}
	if len(q.IDs) > 0 {
		base.conds = append(base.conds, "entity_id = ANY("+base.arg(q.IDs)+")")
	}
	list := base.clone()
	if len(q.Schemata) > 0 {
		// The assembled schema is one of the visible statements' schemata.
		// sub extends base's arguments, so base's placeholders stay valid in it.
		sub := base.clone()
		sub.conds = append(sub.conds, "schema = ANY("+sub.arg(q.Schemata)+")")
		list = sub
		list.conds = []string{"entity_id IN (SELECT entity_id FROM statements WHERE " + sub.String() + ")"}
		list.conds = append(list.conds, base.conds...)
	}
	var ids []string
	err := db.with(ctx, func(c *pgxpool.Conn) error {
		rows, err := c.Query(ctx, `SELECT entity_id FROM statements WHERE `+list.String()+
			` GROUP BY entity_id ORDER BY MIN(seq)`, list.args...)
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		return wrap(op, err)
	}
	for start := 0; start < len(ids); start += sqlstore.EntityPage {
		page := ids[start:min(start+sqlstore.EntityPage, len(ids))]
		w := base.clone()
		w.conds = append(w.conds, "entity_id = ANY("+w.arg(page)+")")
		if len(q.Props) > 0 {
			w.conds = append(w.conds, "prop = ANY("+w.arg(append([]string{"id"}, q.Props...))+")")
		}
		stmts, err := db.query(ctx, `SELECT `+stmtCols+` FROM statements WHERE `+w.String()+` ORDER BY seq`, w.args)
		if err != nil {
			return wrap(op, err)
		}
		if err := sqlstore.Emit(page, stmts, q.Schemata, fn); err != nil {
			return err
		}
	}
	return nil
}

// Counts returns the number of visible entities per assembled schema.
func (db *DB) Counts(ctx context.Context, f concord.Filter) (map[string]int, error) {
	const op = "postgres.Counts"
	w := visible(f)
	out := map[string]int{}
	err := db.with(ctx, func(c *pgxpool.Conn) error {
		rows, err := c.Query(ctx, `SELECT entity_id, schema FROM statements WHERE `+w.String()+
			` GROUP BY entity_id, schema ORDER BY entity_id, MIN(seq)`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
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
				return err
			}
			if id != cur {
				flush()
				cur = id
			}
			schemas = append(schemas, schema)
		}
		flush()
		return rows.Err()
	})
	if err != nil {
		return nil, wrap(op, err)
	}
	return out, nil
}

// Datasets lists the imported datasets by name.
func (db *DB) Datasets(ctx context.Context) ([]concord.DatasetInfo, error) {
	out := []concord.DatasetInfo{}
	err := db.with(ctx, func(c *pgxpool.Conn) error {
		rows, err := c.Query(ctx, `SELECT name, version, source, imported_at FROM datasets ORDER BY name`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d concord.DatasetInfo
			if err := rows.Scan(&d.Name, &d.Version, &d.Source, &d.ImportedAt); err != nil {
				return err
			}
			d.ImportedAt = d.ImportedAt.UTC()
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap("postgres.Datasets", err)
	}
	return out, nil
}
