package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"concord"
	"concord/internal/sqlstore"
)

const alertCols = `id, job_id, row, query_key, identity, member, entity_id, entity_version, score, query, match,
	status, reviewer, reason, created_at, decided_at`

// insertAlert stores a new alert of job (in the job's member, pending unless
// it says otherwise) and sets its id.
func insertAlert(ctx context.Context, tx pgx.Tx, jobID, member string, now time.Time, a *concord.Alert) error {
	a.JobID, a.Member = jobID, member
	if a.Status == "" {
		a.Status = concord.AlertPending
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	return tx.QueryRow(ctx, `INSERT INTO alerts (job_id, row, query_key, identity, member, entity_id, entity_version,
		score, query, match, status, reviewer, reason, created_at, decided_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		a.JobID, a.Row, a.QueryKey, a.Identity, a.Member, a.EntityID, a.EntityVersion, a.Score,
		sqlstore.NonNil(a.Query), sqlstore.NonNil(a.Match), a.Status, a.Reviewer, a.Reason, a.CreatedAt, a.DecidedAt).Scan(&a.ID)
}

func (db *DB) alerts(ctx context.Context, op, query string, args []any) ([]concord.Alert, error) {
	var out []concord.Alert
	err := db.read(ctx, op, func(q queryer) error {
		rows, err := q.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (concord.Alert, error) {
			var a concord.Alert
			err := r.Scan(&a.ID, &a.JobID, &a.Row, &a.QueryKey, &a.Identity, &a.Member, &a.EntityID, &a.EntityVersion,
				&a.Score, (*[]byte)(&a.Query), (*[]byte)(&a.Match), &a.Status, &a.Reviewer, &a.Reason, &a.CreatedAt, &a.DecidedAt)
			a.CreatedAt, a.DecidedAt = a.CreatedAt.UTC(), utcPtr(a.DecidedAt)
			return a, err
		})
		return err
	})
	if out == nil {
		out = []concord.Alert{}
	}
	return out, err
}

// Alerts returns the alerts q selects, by id. q.Member is required unless
// q.All; Limit 0 means no limit.
func (db *DB) Alerts(ctx context.Context, q concord.AlertQuery) ([]concord.Alert, error) {
	w := &where{}
	switch {
	case q.Member != "":
		w.conds = append(w.conds, "member = "+w.arg(q.Member))
	case !q.All:
		return nil, concord.Errorf(concord.EINVALID, "alerts: no member")
	}
	if q.Status != "" {
		w.conds = append(w.conds, "status = "+w.arg(q.Status))
	}
	if q.JobID != "" {
		w.conds = append(w.conds, "job_id = "+w.arg(q.JobID))
	}
	w.conds = append(w.conds, "id > "+w.arg(q.After))
	query := `SELECT ` + alertCols + ` FROM alerts WHERE ` + w.String() + ` ORDER BY id`
	if q.Limit > 0 {
		query += ` LIMIT ` + w.arg(q.Limit)
	}
	return db.alerts(ctx, "postgres.Alerts", query, w.args)
}

// Alert returns one alert or ENOTFOUND.
func (db *DB) Alert(ctx context.Context, id int64) (*concord.Alert, error) {
	as, err := db.alerts(ctx, "postgres.Alert", `SELECT `+alertCols+` FROM alerts WHERE id = $1`, []any{id})
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, sqlstore.AlertNotFound(id)
	}
	return &as[0], nil
}

// DecideAlert confirms or dismisses a pending alert; ECONFLICT when it was
// already decided (also by a concurrent reviewer), ENOTFOUND when there is none.
func (db *DB) DecideAlert(ctx context.Context, id int64, status, reviewer, reason string) error {
	if err := sqlstore.CheckDecision(status, reviewer, reason); err != nil {
		return err
	}
	return db.audited(ctx, "postgres.DecideAlert", sqlstore.Change{Action: "alert.decide", Object: strconv.FormatInt(id, 10), Detail: status + ": " + reason},
		func(tx pgx.Tx, _ *sqlstore.Change) error {
			var cur string
			err := tx.QueryRow(ctx, `SELECT status FROM alerts WHERE id = $1 FOR UPDATE`, id).Scan(&cur)
			if errors.Is(err, pgx.ErrNoRows) {
				return sqlstore.AlertNotFound(id)
			}
			if err != nil {
				return err
			}
			if cur != concord.AlertPending {
				return concord.Errorf(concord.ECONFLICT, "alert %d was already %s", id, cur)
			}
			_, err = tx.Exec(ctx, `UPDATE alerts SET status = $1, reviewer = $2, reason = $3, decided_at = $4 WHERE id = $5`,
				status, reviewer, reason, db.now(), id)
			return err
		})
}

// Dismissed reports whether member dismissed an alert for this identity
// against this version of the listed record.
func (db *DB) Dismissed(ctx context.Context, member, identity, entityID, entityVersion string) (bool, error) {
	var ok bool
	err := db.read(ctx, "postgres.Dismissed", func(q queryer) error {
		rows, err := q.Query(ctx, `SELECT EXISTS (SELECT 1 FROM alerts WHERE member = $1 AND identity = $2 AND entity_id = $3
			AND entity_version = $4 AND status = $5)`, member, identity, entityID, entityVersion, concord.AlertDismissed)
		if err != nil {
			return err
		}
		ok, err = pgx.CollectExactlyOneRow(rows, pgx.RowTo[bool])
		return err
	})
	return ok, err
}
