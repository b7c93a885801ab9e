package store

import (
	"context"
	"slices"
	"time"

	"concord"
)

// Import applies a batch in one transaction: see concord.ImportBatch. Imports
// (and contributions) take the import lock, so that the plan computed from
// the stored statements holds until commit and statement seq numbers stay in
// insertion order across nodes. New statements are bulk-copied into place;
// refreshed and retracted ones are staged in a temporary table and applied
// with two set-based UPDATEs.
func (db *DB) Import(ctx context.Context, b *concord.ImportBatch) (*concord.ImportReport, error) {
	const op = "store.Import"
	now := db.now()
	batch, err := prepareBatch(b, now)
	if err != nil {
		return nil, err
	}
	var report *concord.ImportReport
	err = db.audited(ctx, op, change{Action: "import", Object: b.Dataset}, func(t *tx, ch *change) error {
		if err := t.lock(ctx, lockImport); err != nil {
			return err
		}
		planner := newPlanner(batch)
		if err := loadDataset(ctx, t, b.Dataset, planner); err != nil {
			return err
		}
		p := planner.Plan()
		if b.Check != nil {
			if err := b.Check(p.Report); err != nil {
				return err
			}
		}
		if err := stageUpdates(ctx, t, batch, p); err != nil {
			return err
		}
		if err := insertStatements(ctx, t, batch, p.Insert); err != nil {
			if concord.ErrorCode(db.wrap(op, err)) == concord.ECONFLICT {
				return &concord.Error{Code: concord.ECONFLICT, Op: op,
					Message: "import " + b.Dataset + ": a statement id is already used by another dataset", Err: err}
			}
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO datasets (name, version, source, imported_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET version = excluded.version, source = excluded.source, imported_at = excluded.imported_at`,
			b.Dataset, b.Version, b.Source, now); err != nil {
			return err
		}
		report = p.Report
		ch.Detail = importDetail(report)
		if !report.Unchanged() {
			t.changed(concord.ChangeEntities, slices.Concat(report.Added, report.Changed, report.Removed)...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return report, nil
}

// loadDataset streams the dataset's stored statements into the planner.
func loadDataset(ctx context.Context, t *tx, dataset string, p *planner) error {
	rows, err := t.query(ctx, `SELECT id, entity_id, schema, source_ref, audience, handling, first_seen, last_seen, retracted
		FROM statements WHERE dataset = ?`, dataset)
	if err != nil {
		return err
	}
	defer rows.Close()
	var s storedStatement
	var first, last time.Time
	for rows.Next() {
		if err := rows.Scan(&s.ID, &s.EntityID, &s.Schema, &s.SourceRef, &s.Audience, &s.Handling,
			tm{&first}, tm{&last}, &s.Retracted); err != nil {
			return err
		}
		s.FirstSeen, s.LastSeen = first.UnixMicro(), last.UnixMicro()
		p.see(&s)
	}
	return rows.Err()
}

// stageUpdates refreshes and retracts stored statements through a temporary
// table and two set-based UPDATEs.
func stageUpdates(ctx context.Context, t *tx, b *batch, p *importPlan) error {
	if len(p.Update) == 0 && len(p.Retract) == 0 {
		return nil
	}
	err := t.stage(ctx, "import_stage", `id TEXT PRIMARY KEY, first_seen ${time}, last_seen ${time}, schema TEXT,
		source_ref TEXT, audience TEXT, handling TEXT, retract ${bool} NOT NULL`,
		[]string{"id", "first_seen", "last_seen", "schema", "source_ref", "audience", "handling", "retract"},
		len(p.Update)+len(p.Retract), func(i int, vals []any) []any {
			if i >= len(p.Update) {
				return append(vals, p.Retract[i-len(p.Update)], nil, nil, nil, nil, nil, nil, true)
			}
			j := p.Update[i]
			it, s := &b.Items[j], b.Source(int(j))
			return append(vals, it.ID, fromMicros(it.First), fromMicros(it.Last),
				s.Schema, s.SourceRef, string(s.Audience), string(s.Handling), false)
		})
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE statements SET first_seen = s.first_seen, last_seen = s.last_seen,
		schema = s.schema, source_ref = s.source_ref, audience = s.audience, handling = s.handling, retracted = FALSE
		FROM import_stage AS s WHERE statements.id = s.id AND NOT s.retract`); err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE statements SET retracted = TRUE
		WHERE id IN (SELECT id FROM import_stage WHERE retract)`); err != nil {
		return err
	}
	return t.unstage(ctx, "import_stage")
}

// insertStatements appends the batch's items idx, numbering them after the
// last seq.
func insertStatements(ctx context.Context, t *tx, b *batch, idx []int32) error {
	if len(idx) == 0 {
		return nil
	}
	var base int64
	if err := t.row(ctx, `SELECT COALESCE(MAX(seq), 0) FROM statements`).Scan(&base); err != nil {
		return err
	}
	return t.db.d.copyRows(ctx, t, "statements", []string{"seq", "id", "entity_id", "schema", "prop", "value", "lang", "dataset",
		"source_ref", "contributed_by", "audience", "handling", "first_seen", "last_seen", "retracted"}, len(idx),
		func(i int, vals []any) []any {
			it, s := &b.Items[idx[i]], b.Source(int(idx[i]))
			return append(vals, base+int64(i)+1, it.ID, s.EntityID, s.Schema, s.Prop, s.Value, s.Lang, b.B.Dataset,
				s.SourceRef, s.ContributedBy, string(s.Audience), string(s.Handling),
				fromMicros(it.First), fromMicros(it.Last), false)
		})
}
