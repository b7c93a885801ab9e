package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"concord"
)

const alertCols = `id, job_id, row, query_key, identity, member, entity_id, entity_version, score, query, match,
	status, reviewer, reason, created_at, decided_at`

// insertAlert stores a new alert of job (in the job's member, pending unless
// it says otherwise) and sets its id.
func insertAlert(ctx context.Context, t *tx, jobID, member string, now time.Time, a *concord.Alert) error {
	a.JobID, a.Member = jobID, member
	if a.Status == "" {
		a.Status = concord.AlertPending
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	return t.row(ctx, `INSERT INTO alerts (job_id, row, query_key, identity, member, entity_id, entity_version,
		score, query, match, status, reviewer, reason, created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`, a.JobID, a.Row, a.QueryKey, a.Identity, a.Member, a.EntityID, a.EntityVersion, a.Score,
		nonNil(a.Query), nonNil(a.Match), a.Status, a.Reviewer, a.Reason, a.CreatedAt, a.DecidedAt).Scan(&a.ID)
}

func (db *DB) alerts(ctx context.Context, op, query string, args ...any) ([]concord.Alert, error) {
	rows, err := db.query(ctx, query, args...)
	as, err := scanAll(rows, err, func(s scanner, a *concord.Alert) error {
		return s.Scan(&a.ID, &a.JobID, &a.Row, &a.QueryKey, &a.Identity, &a.Member, &a.EntityID, &a.EntityVersion,
			&a.Score, (*[]byte)(&a.Query), (*[]byte)(&a.Match), &a.Status, &a.Reviewer, &a.Reason, tm{&a.CreatedAt}, ntm{&a.DecidedAt})
	})
	return as, db.wrap(op, err)
}

// Alerts returns the alerts q selects, by id. q.Member is required unless
// q.All; Limit 0 means no limit.
func (db *DB) Alerts(ctx context.Context, q concord.AlertQuery) ([]concord.Alert, error) {
	w := db.where()
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
	if q.Identity != "" {
		w.add("identity = ?", q.Identity)
	}
	w.add("id > ?", q.After)
	query := `SELECT ` + alertCols + ` FROM alerts WHERE ` + w.String() + ` ORDER BY id`
	if q.Limit > 0 {
		query += ` LIMIT ?`
		w.args = append(w.args, q.Limit)
	}
	return db.alerts(ctx, "store.Alerts", query, w.args...)
}

// Alert returns one alert or ENOTFOUND.
func (db *DB) Alert(ctx context.Context, id int64) (*concord.Alert, error) {
	as, err := db.alerts(ctx, "store.Alert", `SELECT `+alertCols+` FROM alerts WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, alertNotFound(id)
	}
	return &as[0], nil
}

// DecideAlert confirms or dismisses a pending alert; ECONFLICT when it was
// already decided (also by a concurrent reviewer), ENOTFOUND when there is none.
func (db *DB) DecideAlert(ctx context.Context, id int64, status, reviewer, reason string) error {
	return db.DecideAlertSeen(ctx, id, status, reviewer, reason, "")
}

// DecideAlertSeen is DecideAlert that also records the version of the
// listed record the reviewer saw ("" keeps the alert's).
func (db *DB) DecideAlertSeen(ctx context.Context, id int64, status, reviewer, reason, entityVersion string) error {
	if err := checkDecision(status, reviewer, reason); err != nil {
		return err
	}
	return db.audited(ctx, "store.DecideAlert", change{Action: "alert.decide", Object: strconv.FormatInt(id, 10), Detail: status + ": " + reason},
		func(t *tx, _ *change) error {
			var cur string
			err := t.row(ctx, `SELECT status FROM alerts WHERE id = ?`+t.forUpdate(), id).Scan(&cur)
			if errors.Is(err, sql.ErrNoRows) {
				return alertNotFound(id)
			}
			if err != nil {
				return err
			}
			// pending → confirmed, dismissed or confirming (proposed);
			// confirming → confirmed or dismissed.
			if cur != concord.AlertPending && !(cur == concord.AlertConfirming && status != concord.AlertConfirming) {
				return concord.Errorf(concord.ECONFLICT, "alert %d was already %s", id, cur)
			}
			t.changed(concord.ChangeAlerts, itoa(id))
			_, err = t.exec(ctx, `UPDATE alerts SET status = ?, reviewer = ?, reason = ?, decided_at = ?,
				entity_version = CASE WHEN ? = '' THEN entity_version ELSE ? END WHERE id = ?`,
				status, reviewer, reason, db.now(), entityVersion, entityVersion, id)
			return err
		})
}

// Dismissed reports whether member dismissed an alert for this identity
// against this version of the listed record.
func (db *DB) Dismissed(ctx context.Context, member, identity, entityID, entityVersion string) (bool, error) {
	var n int
	err := db.row(ctx, `SELECT count(*) FROM alerts WHERE member = ? AND identity = ? AND entity_id = ?
		AND entity_version = ? AND status = ?`, member, identity, entityID, entityVersion, concord.AlertDismissed).Scan(&n)
	return n > 0, db.wrap("store.Dismissed", err)
}
