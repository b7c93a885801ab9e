package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"concord"
	"concord/internal/sqlstore"
)

// insertChunk is the number of rows per multi-row INSERT (15 columns each,
// well under SQLite's 32766 parameters).
const insertChunk = 500

// Import applies a batch in one IMMEDIATE transaction: see concord.ImportBatch.
func (db *DB) Import(ctx context.Context, b *concord.ImportBatch) (*concord.ImportReport, error) {
	const op = "sqlite.Import"
	now := db.now()
	batch, err := sqlstore.PrepareBatch(b, now)
	if err != nil {
		return nil, err
	}
	var report *concord.ImportReport
	err = db.audited(ctx, op, sqlstore.Change{Action: "import", Object: b.Dataset}, func(tx *sql.Tx, ch *sqlstore.Change) error {
		planner := sqlstore.NewPlanner(batch)
		if err := loadDataset(ctx, tx, b.Dataset, planner); err != nil {
			return err
		}
		p := planner.Plan()
		if err := stageUpdates(ctx, tx, batch, p); err != nil {
			return err
		}
		if err := insertStatements(ctx, tx, batch, p.Insert); err != nil {
			if concord.ErrorCode(wrap(op, err)) == concord.ECONFLICT {
				return &concord.Error{Code: concord.ECONFLICT, Op: op,
					Message: "import " + b.Dataset + ": a statement id is already used by another dataset", Err: err}
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO datasets (name, version, source, imported_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET version = excluded.version, source = excluded.source, imported_at = excluded.imported_at`,
			b.Dataset, b.Version, b.Source, micros(now)); err != nil {
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
func loadDataset(ctx context.Context, tx *sql.Tx, dataset string, p *sqlstore.Planner) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, entity_id, schema, source_ref, audience, handling, first_seen, last_seen, retracted
		FROM statements WHERE dataset = ?`, dataset)
	if err != nil {
		return err
	}
	defer rows.Close()
	var s sqlstore.Stored
	for rows.Next() {
		if err := rows.Scan(&s.ID, &s.EntityID, &s.Schema, &s.SourceRef, &s.Audience, &s.Handling, &s.FirstSeen, &s.LastSeen, &s.Retracted); err != nil {
			return err
		}
		p.Stored(&s)
	}
	return rows.Err()
}

// stageUpdates refreshes and retracts stored statements through a temporary
// table and two set-based UPDATEs.
func stageUpdates(ctx context.Context, tx *sql.Tx, b *sqlstore.Batch, p *sqlstore.ImportPlan) error {
	if len(p.Update) == 0 && len(p.Retract) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS import_stage (
		id TEXT PRIMARY KEY, first_seen INTEGER, last_seen INTEGER, schema TEXT, source_ref TEXT,
		audience TEXT, handling TEXT, retract INTEGER NOT NULL)`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM temp.import_stage`); err != nil {
		return err
	}
	n := len(p.Update) + len(p.Retract)
	err := insertRows(ctx, tx, `INSERT INTO temp.import_stage (id, first_seen, last_seen, schema, source_ref, audience, handling, retract) VALUES `, 8, n,
		func(i int, args []any) []any {
			if i >= len(p.Update) {
				return append(args, p.Retract[i-len(p.Update)], nil, nil, nil, nil, nil, nil, 1)
			}
			j := p.Update[i]
			it, s := &b.Items[j], b.Source(int(j))
			return append(args, it.ID, it.First, it.Last, s.Schema, s.SourceRef, string(s.Audience), string(s.Handling), 0)
		})
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE statements SET first_seen = s.first_seen, last_seen = s.last_seen,
		schema = s.schema, source_ref = s.source_ref, audience = s.audience, handling = s.handling, retracted = 0
		FROM temp.import_stage AS s WHERE statements.id = s.id AND s.retract = 0`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE statements SET retracted = 1
		WHERE id IN (SELECT id FROM temp.import_stage WHERE retract = 1)`); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM temp.import_stage`)
	return err
}

// insertStatements appends the batch's items idx, numbering them after the
// last seq.
func insertStatements(ctx context.Context, tx *sql.Tx, b *sqlstore.Batch, idx []int32) error {
	if len(idx) == 0 {
		return nil
	}
	var base int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM statements`).Scan(&base); err != nil {
		return err
	}
	return insertRows(ctx, tx, `INSERT INTO statements (seq, id, entity_id, schema, prop, value, lang, dataset,
		source_ref, contributed_by, audience, handling, first_seen, last_seen) VALUES `, 14, len(idx),
		func(i int, args []any) []any {
			it, s := &b.Items[idx[i]], b.Source(int(idx[i]))
			return append(args, base+int64(i)+1, it.ID, s.EntityID, s.Schema, s.Prop, s.Value, s.Lang, b.B.Dataset,
				s.SourceRef, s.ContributedBy, string(s.Audience), string(s.Handling), it.First, it.Last)
		})
}

// insertRows runs prefix with multi-row VALUES lists of insertChunk rows,
// through one prepared statement per chunk size; row appends the arguments
// of row i (cols of them) to args. Rows are built a chunk at a time.
func insertRows(ctx context.Context, tx *sql.Tx, prefix string, cols, n int, row func(i int, args []any) []any) error {
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, insertChunk*cols)
	for start := 0; start < n; start += insertChunk {
		end := min(start+insertChunk, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		if end-start == insertChunk {
			if full == nil {
				var err error
				if full, err = tx.PrepareContext(ctx, prefix+values(cols, insertChunk)); err != nil {
					return err
				}
			}
			if _, err := full.ExecContext(ctx, args...); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, prefix+values(cols, end-start), args...); err != nil {
			return err
		}
	}
	return nil
}

// values returns "(?,?),(?,?)" for n rows of cols columns.
func values(cols, n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	var b strings.Builder
	b.Grow(n * (len(row) + 1))
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}
