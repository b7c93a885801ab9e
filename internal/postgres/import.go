package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"concord"
	"concord/internal/sqlstore"
)

// Import applies a batch in one transaction: see concord.ImportBatch. Imports
// into one schema are serialised by a transaction advisory lock, so that the
// plan computed from the sqlstore.Stored statements holds until commit and statement
// seq numbers stay in insertion order across nodes. New statements are COPYed
// into place; refreshed ones are COPYed into a temporary table and applied
// with one UPDATE … FROM; retractions are one UPDATE … WHERE id = ANY.
func (db *DB) Import(ctx context.Context, b *concord.ImportBatch) (*concord.ImportReport, error) {
	const op = "postgres.Import"
	now := db.now()
	stmts, err := sqlstore.PrepareBatch(b, now)
	if err != nil {
		return nil, err
	}
	var report *concord.ImportReport
	err = db.audited(ctx, op, sqlstore.Change{Action: "import", Object: b.Dataset}, func(tx pgx.Tx, ch *sqlstore.Change) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(`+lockKey+`)`, "concord.import"); err != nil {
			return err
		}
		old, err := loadDataset(ctx, tx, b.Dataset)
		if err != nil {
			return err
		}
		p := sqlstore.PlanImport(b, stmts, old)
		if err := applyUpdates(ctx, tx, p); err != nil {
			return err
		}
		if err := insertStatements(ctx, tx, p.Insert); err != nil {
			if concord.ErrorCode(wrap(op, err)) == concord.ECONFLICT {
				return &concord.Error{Code: concord.ECONFLICT, Op: op,
					Message: "import " + b.Dataset + ": a statement id is already used by another dataset", Err: err}
			}
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO datasets (name, version, source, imported_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (name) DO UPDATE SET version = excluded.version, source = excluded.source, imported_at = excluded.imported_at`,
			b.Dataset, b.Version, b.Source, now); err != nil {
			return err
		}
		report = p.Report
		ch.Detail = sqlstore.ImportDetail(report)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return report, nil
}

func loadDataset(ctx context.Context, tx pgx.Tx, dataset string) (map[string]sqlstore.Stored, error) {
	rows, err := tx.Query(ctx, `SELECT id, entity_id, schema, source_ref, audience, handling, first_seen, last_seen, retracted
		FROM statements WHERE dataset = $1`, dataset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]sqlstore.Stored{}
	for rows.Next() {
		var id string
		var s sqlstore.Stored
		if err := rows.Scan(&id, &s.EntityID, &s.Schema, &s.SourceRef, &s.Audience, &s.Handling, &s.FirstSeen, &s.LastSeen, &s.Retracted); err != nil {
			return nil, err
		}
		s.FirstSeen, s.LastSeen = s.FirstSeen.UTC(), s.LastSeen.UTC()
		out[id] = s
	}
	return out, rows.Err()
}

func applyUpdates(ctx context.Context, tx pgx.Tx, p *sqlstore.ImportPlan) error {
	if len(p.Update) > 0 {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_stage (id text PRIMARY KEY, first_seen timestamptz,
			last_seen timestamptz, schema text, source_ref text, audience text, handling text) ON COMMIT DROP`); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"import_stage"},
			[]string{"id", "first_seen", "last_seen", "schema", "source_ref", "audience", "handling"},
			pgx.CopyFromSlice(len(p.Update), func(i int) ([]any, error) {
				s := &p.Update[i]
				return []any{s.ID, s.FirstSeen, s.LastSeen, s.Schema, s.SourceRef, string(s.Audience), string(s.Handling)}, nil
			}))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE statements AS t SET first_seen = s.first_seen, last_seen = s.last_seen,
			schema = s.schema, source_ref = s.source_ref, audience = s.audience, handling = s.handling, retracted = false
			FROM import_stage AS s WHERE t.id = s.id`); err != nil {
			return err
		}
	}
	if len(p.Retract) > 0 {
		if _, err := tx.Exec(ctx, `UPDATE statements SET retracted = true WHERE id = ANY($1)`, p.Retract); err != nil {
			return err
		}
	}
	return nil
}

// insertStatements COPYs new statements, numbering them after the last seq.
func insertStatements(ctx context.Context, tx pgx.Tx, stmts []concord.Statement) error {
	if len(stmts) == 0 {
		return nil
	}
	var base int64
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM statements`).Scan(&base); err != nil {
		return err
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"statements"},
		[]string{"seq", "id", "entity_id", "schema", "prop", "value", "lang", "dataset", "source_ref",
			"contributed_by", "audience", "handling", "first_seen", "last_seen", "retracted"},
		pgx.CopyFromSlice(len(stmts), func(i int) ([]any, error) {
			s := &stmts[i]
			return []any{base + int64(i) + 1, s.ID, s.EntityID, s.Schema, s.Prop, s.Value, s.Lang, s.Dataset,
				s.SourceRef, s.ContributedBy, string(s.Audience), string(s.Handling), s.FirstSeen, s.LastSeen, false}, nil
		}))
	return err
}
