package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"

	"concord"
	"concord/internal/sqlstore"
)

const jobCols = `id, kind, source, owner, member, status, threshold, lim, total, done, hits, error, meta, created_at, updated_at`

// CreateJob stores a job and all its rows in one transaction. Total becomes
// the number of rows, Done and Hits zero; an empty status is queued and zero
// times are now.
func (db *DB) CreateJob(ctx context.Context, j *concord.Job, rows []concord.JobRow) error {
	if j.ID == "" {
		return concord.Errorf(concord.EINVALID, "job: empty id")
	}
	if j.Status == "" {
		j.Status = concord.JobQueued
	}
	if !slices.Contains(sqlstore.JobStatuses, j.Status) {
		return concord.Errorf(concord.EINVALID, "job %s: unknown status %q", j.ID, j.Status)
	}
	now := db.now()
	if j.CreatedAt.IsZero() {
		j.CreatedAt = now
	}
	if j.UpdatedAt.IsZero() {
		j.UpdatedAt = j.CreatedAt
	}
	j.Total, j.Done, j.Hits = len(rows), 0, 0
	return db.audited(ctx, "sqlite.CreateJob", sqlstore.Change{Action: "job.create", Object: j.ID, Detail: j.Kind + " " + strconv.Itoa(len(rows)) + " rows"},
		func(tx *sql.Tx, _ *sqlstore.Change) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO jobs (`+jobCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?)`,
				j.ID, j.Kind, j.Source, j.Owner, j.Member, j.Status, j.Threshold, j.Limit, j.Total, j.Error, j.Meta,
				micros(j.CreatedAt), micros(j.UpdatedAt)); err != nil {
				return err
			}
			for i, r := range rows {
				if r.N != i {
					return concord.Errorf(concord.EINVALID, "job %s: row %d has position %d", j.ID, i, r.N)
				}
			}
			return insertRows(ctx, tx, `INSERT INTO job_rows (job_id, n, key, query) VALUES `, 4, len(rows),
				func(i int, args []any) []any {
					return append(args, j.ID, rows[i].N, rows[i].Key, sqlstore.NonNil(rows[i].Query))
				})
		})
}

func scanJobs(rows *sql.Rows) ([]concord.Job, error) {
	defer rows.Close()
	out := []concord.Job{}
	for rows.Next() {
		var j concord.Job
		var c, u int64
		if err := rows.Scan(&j.ID, &j.Kind, &j.Source, &j.Owner, &j.Member, &j.Status, &j.Threshold, &j.Limit,
			&j.Total, &j.Done, &j.Hits, &j.Error, &j.Meta, &c, &u); err != nil {
			return nil, err
		}
		j.CreatedAt, j.UpdatedAt = fromMicros(c), fromMicros(u)
		out = append(out, j)
	}
	return out, rows.Err()
}

func (db *DB) jobs(ctx context.Context, op, tail string, args ...any) ([]concord.Job, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+jobCols+` FROM jobs `+tail, args...)
	if err != nil {
		return nil, wrap(op, err)
	}
	js, err := scanJobs(rows)
	return js, wrap(op, err)
}

// Job returns one job or ENOTFOUND.
func (db *DB) Job(ctx context.Context, id string) (*concord.Job, error) {
	js, err := db.jobs(ctx, "sqlite.Job", `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(js) == 0 {
		return nil, sqlstore.JobNotFound(id)
	}
	return &js[0], nil
}

// Jobs lists the jobs of member ("" = all), newest first.
func (db *DB) Jobs(ctx context.Context, member string) ([]concord.Job, error) {
	return db.jobs(ctx, "sqlite.Jobs", `WHERE ? = '' OR member = ? ORDER BY created_at DESC, id DESC`, member, member)
}

// UnfinishedJobs returns queued and running jobs, oldest first.
func (db *DB) UnfinishedJobs(ctx context.Context) ([]concord.Job, error) {
	return db.jobs(ctx, "sqlite.UnfinishedJobs", `WHERE status IN (?, ?) ORDER BY created_at, id`, concord.JobQueued, concord.JobRunning)
}

// SetJobStatus sets a job's status and error message.
func (db *DB) SetJobStatus(ctx context.Context, id, status, errMsg string) error {
	if !slices.Contains(sqlstore.JobStatuses, status) {
		return concord.Errorf(concord.EINVALID, "job %s: unknown status %q", id, status)
	}
	detail := status
	if errMsg != "" {
		detail += ": " + errMsg
	}
	return db.audited(ctx, "sqlite.SetJobStatus", sqlstore.Change{Action: "job.status", Object: id, Detail: detail}, func(tx *sql.Tx, _ *sqlstore.Change) error {
		return mustAffect(tx.ExecContext(ctx, `UPDATE jobs SET status = ?, error = ?, updated_at = ? WHERE id = ?`,
			status, errMsg, micros(db.now()), id))(sqlstore.JobNotFound(id))
	})
}

func scanRows(rows *sql.Rows) ([]concord.JobRow, error) {
	defer rows.Close()
	out := []concord.JobRow{}
	for rows.Next() {
		var r concord.JobRow
		if err := rows.Scan(&r.JobID, &r.N, &r.Key, (*[]byte)(&r.Query), (*[]byte)(&r.Result), &r.Done); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// jobRows reads rows of an existing job (ENOTFOUND otherwise).
func (db *DB) jobRows(ctx context.Context, op, jobID, cond string, limit int, args ...any) ([]concord.JobRow, error) {
	q := `SELECT job_id, n, key, query, result, done FROM job_rows WHERE job_id = ? AND ` + cond + ` ORDER BY n`
	args = append([]any{jobID}, args...)
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap(op, err)
	}
	out, err := scanRows(rows)
	if err != nil {
		return nil, wrap(op, err)
	}
	if len(out) == 0 {
		if _, err := db.Job(ctx, jobID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PendingRows returns up to limit (0 = all) rows not done yet, in order.
func (db *DB) PendingRows(ctx context.Context, jobID string, limit int) ([]concord.JobRow, error) {
	return db.jobRows(ctx, "sqlite.PendingRows", jobID, `done = 0`, limit)
}

// JobRows returns up to limit (0 = all) rows whose position is after
// "after" (exclusive: -1 starts at the first row), in order.
func (db *DB) JobRows(ctx context.Context, jobID string, after, limit int) ([]concord.JobRow, error) {
	return db.jobRows(ctx, "sqlite.JobRows", jobID, `n > ?`, limit, after)
}

// CompleteRows stores the results of rows not done yet and the alerts of
// those rows, and advances Done, Hits (rows with at least one alert) and
// UpdatedAt, in one transaction. Rows already done are skipped with their
// alerts, so that a row completed twice (a job resumed after a crash) counts
// and alerts once. The ids assigned to stored alerts are set in alerts.
func (db *DB) CompleteRows(ctx context.Context, jobID string, rows []concord.JobRow, alerts []concord.Alert) error {
	now := db.now()
	return db.audited(ctx, "sqlite.CompleteRows", sqlstore.Change{Action: "job.progress", Object: jobID}, func(tx *sql.Tx, ch *sqlstore.Change) error {
		var member string
		if err := tx.QueryRowContext(ctx, `SELECT member FROM jobs WHERE id = ?`, jobID).Scan(&member); errors.Is(err, sql.ErrNoRows) {
			return sqlstore.JobNotFound(jobID)
		} else if err != nil {
			return err
		}
		fresh := map[int]bool{}
		for _, r := range rows {
			res, err := tx.ExecContext(ctx, `UPDATE job_rows SET result = ?, done = 1 WHERE job_id = ? AND n = ? AND done = 0`,
				sqlstore.NonNil(r.Result), jobID, r.N)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				fresh[r.N] = true
				continue
			}
			var x int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM job_rows WHERE job_id = ? AND n = ?`, jobID, r.N).Scan(&x); errors.Is(err, sql.ErrNoRows) {
				return concord.Errorf(concord.ENOTFOUND, "job %s: row %d not found", jobID, r.N)
			} else if err != nil {
				return err
			}
		}
		hits := map[int]bool{}
		for i := range alerts {
			a := &alerts[i]
			if !fresh[a.Row] {
				continue
			}
			if err := insertAlert(ctx, tx, jobID, member, now, a); err != nil {
				return err
			}
			hits[a.Row] = true
		}
		if _, err := tx.ExecContext(ctx, `UPDATE jobs SET done = done + ?, hits = hits + ?, updated_at = ? WHERE id = ?`,
			len(fresh), len(hits), micros(now), jobID); err != nil {
			return err
		}
		ch.Detail = "+" + strconv.Itoa(len(fresh)) + " rows +" + strconv.Itoa(len(hits)) + " hits"
		if skipped := len(rows) - len(fresh); skipped > 0 {
			ch.Detail += " (" + strconv.Itoa(skipped) + " already done)"
		}
		return nil
	})
}
