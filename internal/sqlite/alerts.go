package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"concord"
	"concord/internal/sqlstore"
)

const alertCols = `id, job_id, row, query_key, identity, member, entity_id, entity_version, score, query, match,
	status, reviewer, reason, created_at, decided_at`

// insertAlert stores a new alert of job (in the job's member, pending unless
// it says otherwise) and sets its id.
func insertAlert(ctx context.Context, tx *sql.Tx, jobID, member string, now time.Time, a *concord.Alert) error {
	a.JobID, a.Member = jobID, member
	if a.Status == "" {
		a.Status = concord.AlertPending
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	return tx.QueryRowContext(ctx, `INSERT INTO alerts (job_id, row, query_key, identity, member, entity_id, entity_version,
		score, query, match, status, reviewer, reason, created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`, a.JobID, a.Row, a.QueryKey, a.Identity, a.Member, a.EntityID, a.EntityVersion, a.Score,
		sqlstore.NonNil(a.Query), sqlstore.NonNil(a.Match), a.Status, a.Reviewer, a.Reason, micros(a.CreatedAt), nullMicros(a.DecidedAt)).Scan(&a.ID)
}

func scanAlerts(rows *sql.Rows) ([]concord.Alert, error) {
	defer rows.Close()
	out := []concord.Alert{}
	for rows.Next() {
		var a concord.Alert
		var at int64
		var dec sql.NullInt64
		if err := rows.Scan(&a.ID, &a.JobID, &a.Row, &a.QueryKey, &a.Identity, &a.Member, &a.EntityID, &a.EntityVersion,
			&a.Score, (*[]byte)(&a.Query), (*[]byte)(&a.Match), &a.Status, &a.Reviewer, &a.Reason, &at, &dec); err != nil {
			return nil, err
		}
		a.CreatedAt, a.DecidedAt = fromMicros(at), fromNullMicros(dec)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Alerts returns the alerts q selects, by id. q.Member is required unless
// q.All; Limit 0 means no limit.
func (db *DB) Alerts(ctx context.Context, q concord.AlertQuery) ([]concord.Alert, error) {
	const op = "sqlite.Alerts"
	w := &where{}
	switch {
	case q.Member != "":
		w.add("member = ?", q.Member)
	case !q.All:
		return nil, concord.Errorf(concord.EINVALID, "alerts: no member")
	}
	if q.Status != "" {
		w.add("status = ?", q.Status)
	}
	if q.JobID != "" {
		w.add("job_id = ?", q.JobID)
	}
	w.add("id > ?", q.After)
	query := `SELECT ` + alertCols + ` FROM alerts WHERE ` + w.String() + ` ORDER BY id`
	if q.Limit > 0 {
		query += ` LIMIT ?`
		w.args = append(w.args, q.Limit)
	}
	rows, err := db.r.QueryContext(ctx, query, w.args...)
	if err != nil {
		return nil, wrap(op, err)
	}
	as, err := scanAlerts(rows)
	return as, wrap(op, err)
}

// Alert returns one alert or ENOTFOUND.
func (db *DB) Alert(ctx context.Context, id int64) (*concord.Alert, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+alertCols+` FROM alerts WHERE id = ?`, id)
	if err != nil {
		return nil, wrap("sqlite.Alert", err)
	}
	as, err := scanAlerts(rows)
	if err != nil {
		return nil, wrap("sqlite.Alert", err)
	}
	if len(as) == 0 {
		return nil, sqlstore.AlertNotFound(id)
	}
	return &as[0], nil
}

// DecideAlert confirms or dismisses a pending alert; ECONFLICT when it was
// already decided, ENOTFOUND when there is none.
func (db *DB) DecideAlert(ctx context.Context, id int64, status, reviewer, reason string) error {
	if err := sqlstore.CheckDecision(status, reviewer, reason); err != nil {
		return err
	}
	ids := strconv.Itoa(int(id))
	return db.audited(ctx, "sqlite.DecideAlert", sqlstore.Change{Action: "alert.decide", Object: ids, Detail: status + ": " + reason},
		func(tx *sql.Tx, _ *sqlstore.Change) error {
			var cur string
			err := tx.QueryRowContext(ctx, `SELECT status FROM alerts WHERE id = ?`, id).Scan(&cur)
			if errors.Is(err, sql.ErrNoRows) {
				return sqlstore.AlertNotFound(id)
			}
			if err != nil {
				return err
			}
			if cur != concord.AlertPending {
				return concord.Errorf(concord.ECONFLICT, "alert %d was already %s", id, cur)
			}
			_, err = tx.ExecContext(ctx, `UPDATE alerts SET status = ?, reviewer = ?, reason = ?, decided_at = ? WHERE id = ?`,
				status, reviewer, reason, micros(db.now()), id)
			return err
		})
}

// Dismissed reports whether member dismissed an alert for this identity
// against this version of the listed record.
func (db *DB) Dismissed(ctx context.Context, member, identity, entityID, entityVersion string) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM alerts WHERE member = ? AND identity = ? AND entity_id = ?
		AND entity_version = ? AND status = ?`, member, identity, entityID, entityVersion, concord.AlertDismissed).Scan(&n)
	if err != nil {
		return false, wrap("sqlite.Dismissed", err)
	}
	return n > 0, nil
}
