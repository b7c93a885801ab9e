package postgres

import (
	"context"
	"time"

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
	batch, err := sqlstore.PrepareBatch(b, now)
	if err != nil {
		return nil, err
	}
	var report *concord.ImportReport
	err = db.audited(ctx, op, sqlstore.Change{Action: "import", Object: b.Dataset}, func(tx pgx.Tx, ch *sqlstore.Change) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(`+lockKey+`)`, "concord.import"); err != nil {
			return err
		}
		planner := sqlstore.NewPlanner(batch)
		if err := loadDataset(ctx, tx, b.Dataset, planner); err != nil {
			return err
		}
		p := planner.Plan()
		if err := applyUpdates(ctx, tx, batch, p); err != nil {
			return err
		}
		if err := insertStatements(ctx, tx, batch, p.Insert); err != nil {
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

// loadDataset streams the dataset's stored statements into the planner.
func loadDataset(ctx context.Context, tx pgx.Tx, dataset string, p *sqlstore.Planner) error {
	rows, err := tx.Query(ctx, `SELECT id, entity_id, schema, source_ref, audience, handling, first_seen, last_seen, retracted
		FROM statements WHERE dataset = $1`, dataset)
	if err != nil {
		return err
	}
	defer rows.Close()
	var s sqlstore.Stored
	var first, last time.Time
	for rows.Next() {
		if err := rows.Scan(&s.ID, &s.EntityID, &s.Schema, &s.SourceRef, &s.Audience, &s.Handling, &first, &last, &s.Retracted); err != nil {
			return err
		}
		s.FirstSeen, s.LastSeen = first.UnixMicro(), last.UnixMicro()
		p.Stored(&s)
	}
	return rows.Err()
}

func applyUpdates(ctx context.Context, tx pgx.Tx, b *sqlstore.Batch, p *sqlstore.ImportPlan) error {
	if len(p.Update) > 0 {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_stage (id text PRIMARY KEY, first_seen timestamptz,
			last_seen timestamptz, schema text, source_ref text, audience text, handling text) ON COMMIT DROP`); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"import_stage"},
			[]string{"id", "first_seen", "last_seen", "schema", "source_ref", "audience", "handling"},
			pgx.CopyFromSlice(len(p.Update), func(i int) ([]any, error) {
				j := p.Update[i]
				it, s := &b.Items[j], b.Source(int(j))
				return []any{it.ID, sqlstore.FromMicros(it.First), sqlstore.FromMicros(it.Last), s.Schema, s.SourceRef,
					string(s.Audience), string(s.Handling)}, nil
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

// insertStatements COPYs the batch's items idx, numbering them after the
// last seq.
func insertStatements(ctx context.Context, tx pgx.Tx, b *sqlstore.Batch, idx []int32) error {
	if len(idx) == 0 {
		return nil
	}
	var base int64
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM statements`).Scan(&base); err != nil {
		return err
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"statements"},
		[]string{"seq", "id", "entity_id", "schema", "prop", "value", "lang", "dataset", "source_ref",
			"contributed_by", "audience", "handling", "first_seen", "last_seen", "retracted"},
		pgx.CopyFromSlice(len(idx), func(i int) ([]any, error) {
			it, s := &b.Items[idx[i]], b.Source(int(idx[i]))
			return []any{base + int64(i) + 1, it.ID, s.EntityID, s.Schema, s.Prop, s.Value, s.Lang, b.B.Dataset,
				s.SourceRef, s.ContributedBy, string(s.Audience), string(s.Handling),
				sqlstore.FromMicros(it.First), sqlstore.FromMicros(it.Last), false}, nil
		}))
	return err
}
