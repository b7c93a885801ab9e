package store

import (
	"context"
	"database/sql"
	"errors"
	"iter"
	"slices"
	"strconv"

	"concord"
)

const jobCols = `id, kind, source, owner, member, status, threshold, lim, total, done, hits, errors, error, meta, created_at, updated_at`

// jobRowsChunk is how many rows CreateJob buffers per insert.
const jobRowsChunk = 1000

// CreateJob stores a job and its rows in one transaction, inserting the
// rows in chunks as rows yields them, so that memory stays bounded whatever
// their number. Total becomes the number of rows, Done and Hits zero; an
// empty status is queued and zero times are now. Error, Meta, Errors and
// Refused are stored as the producer of rows left them (Errors at least
// len(Refused)).
func (db *DB) CreateJob(ctx context.Context, j *concord.Job, rows iter.Seq2[concord.JobRow, error]) error {
	if err := db.prepareJob(j); err != nil {
		return err
	}
	return db.audited(ctx, "store.CreateJob", change{Action: "job.create", Object: j.ID},
		func(t *tx, ch *change) error {
			if err := insertJob(ctx, t, j, rows); err != nil {
				return err
			}
			ch.Detail = j.Kind + " " + strconv.Itoa(j.Total) + " rows"
			if j.Errors > 0 {
				ch.Detail += ", " + strconv.Itoa(j.Errors) + " refused"
			}
			return nil
		})
}

// prepareJob checks a new job and fills its defaults.
func (db *DB) prepareJob(j *concord.Job) error {
	if j.ID == "" {
		return concord.Errorf(concord.EINVALID, "job: empty id")
	}
	if j.Status == "" {
		j.Status = concord.JobQueued
	}
	if !slices.Contains(jobStatuses, j.Status) {
		return concord.Errorf(concord.EINVALID, "job %s: unknown status %q", j.ID, j.Status)
	}
	if j.CreatedAt.IsZero() {
		j.CreatedAt = db.now()
	}
	if j.UpdatedAt.IsZero() {
		j.UpdatedAt = j.CreatedAt
	}
	j.Done, j.Hits = 0, 0
	return nil
}

// insertJob writes a prepared job and its rows in t, in chunks of
// jobRowsChunk as rows yields them; j.Total becomes their number.
func insertJob(ctx context.Context, t *tx, j *concord.Job, rows iter.Seq2[concord.JobRow, error]) error {
	if rows == nil {
		rows = concord.JobRows(nil)
	}
	t.changed(concord.ChangeJobs, j.ID)
	if _, err := t.exec(ctx, `INSERT INTO jobs (`+jobCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?, ?, ?)`,
		j.ID, j.Kind, j.Source, j.Owner, j.Member, j.Status, j.Threshold, j.Limit, j.Error, j.Meta,
		j.CreatedAt, j.UpdatedAt); err != nil {
		return err
	}
	buf := make([]concord.JobRow, 0, jobRowsChunk)
	flush := func() error {
		_, err := t.db.d.copyRows(ctx, t, "job_rows", []string{"job_id", "n", "key", "query"}, "", len(buf),
			func(i int, vals []any) []any {
				return append(vals, j.ID, buf[i].N, buf[i].Key, nonNil(buf[i].Query))
			})
		buf = buf[:0]
		return err
	}
	n := 0
	for r, err := range rows {
		if err != nil {
			return err
		}
		if r.N != n {
			return concord.Errorf(concord.EINVALID, "job %s: row %d has position %d", j.ID, n, r.N)
		}
		n++
		if buf = append(buf, r); len(buf) == jobRowsChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	j.Total, j.Errors = n, max(j.Errors, len(j.Refused))
	if _, err := t.exec(ctx, `UPDATE jobs SET total = ?, errors = ?, error = ?, meta = ? WHERE id = ?`,
		j.Total, j.Errors, j.Error, j.Meta, j.ID); err != nil {
		return err
	}
	errs := j.Refused
	_, err := t.db.d.copyRows(ctx, t, "job_errors", []string{"job_id", "n", "line", "message"}, "", len(errs),
		func(i int, vals []any) []any { return append(vals, j.ID, i, errs[i].Line, errs[i].Message) })
	return err
}

// JobErrors returns up to limit (0 = all) stored row errors of an existing
// job after position after, in order.
func (db *DB) JobErrors(ctx context.Context, jobID string, after, limit int) ([]concord.JobError, error) {
	q := `SELECT n, line, message FROM job_errors WHERE job_id = ? AND n > ? ORDER BY n`
	args := []any{jobID, after}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := db.query(ctx, q, args...)
	out, err := scanAll(rows, err, func(s scanner, e *concord.JobError) error { return s.Scan(&e.N, &e.Line, &e.Message) })
	if err != nil {
		return nil, db.wrap("store.JobErrors", err)
	}
	if len(out) == 0 {
		if _, err := db.Job(ctx, jobID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (db *DB) jobs(ctx context.Context, op, tail string, args ...any) ([]concord.Job, error) {
	js, err := jobs(ctx, db, tail, args...)
	return js, db.wrap(op, err)
}

func jobs(ctx context.Context, q querier, tail string, args ...any) ([]concord.Job, error) {
	rows, err := q.query(ctx, `SELECT `+jobCols+` FROM jobs `+tail, args...)
	return scanAll(rows, err, func(s scanner, j *concord.Job) error {
		return s.Scan(&j.ID, &j.Kind, &j.Source, &j.Owner, &j.Member, &j.Status, &j.Threshold, &j.Limit,
			&j.Total, &j.Done, &j.Hits, &j.Errors, &j.Error, &j.Meta, tm{&j.CreatedAt}, tm{&j.UpdatedAt})
	})
}

// Job returns one job or ENOTFOUND.
func (db *DB) Job(ctx context.Context, id string) (*concord.Job, error) {
	js, err := db.jobs(ctx, "store.Job", `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(js) == 0 {
		return nil, jobNotFound(id)
	}
	return &js[0], nil
}

// Jobs lists the jobs of member ("" = all), newest first.
func (db *DB) Jobs(ctx context.Context, member string) ([]concord.Job, error) {
	return db.jobs(ctx, "store.Jobs", `WHERE ? = '' OR member = ? ORDER BY created_at DESC, id DESC`, member, member)
}

// UnfinishedJobs returns queued and running jobs, oldest first.
func (db *DB) UnfinishedJobs(ctx context.Context) ([]concord.Job, error) {
	return db.jobs(ctx, "store.UnfinishedJobs", `WHERE status IN (?, ?) ORDER BY created_at, id`, concord.JobQueued, concord.JobRunning)
}

// SetJobStatus sets a job's status and error message.
func (db *DB) SetJobStatus(ctx context.Context, id, status, errMsg string) error {
	if !slices.Contains(jobStatuses, status) {
		return concord.Errorf(concord.EINVALID, "job %s: unknown status %q", id, status)
	}
	detail := status
	if errMsg != "" {
		detail += ": " + errMsg
	}
	return db.audited(ctx, "store.SetJobStatus", change{Action: "job.status", Object: id, Detail: detail}, func(t *tx, _ *change) error {
		t.changed(concord.ChangeJobs, id)
		return mustAffect(t.exec(ctx, `UPDATE jobs SET status = ?, error = ?, updated_at = ? WHERE id = ?`,
			status, errMsg, db.now(), id))(jobNotFound(id))
	})
}

// jobRows reads rows of an existing job (ENOTFOUND otherwise).
func (db *DB) jobRows(ctx context.Context, op, jobID, cond string, limit int, args ...any) ([]concord.JobRow, error) {
	q := `SELECT job_id, n, key, query, result, done FROM job_rows WHERE job_id = ? AND ` + cond + ` ORDER BY n`
	args = append([]any{jobID}, args...)
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := db.query(ctx, q, args...)
	out, err := scanAll(rows, err, func(s scanner, r *concord.JobRow) error {
		return s.Scan(&r.JobID, &r.N, &r.Key, (*[]byte)(&r.Query), (*[]byte)(&r.Result), &r.Done)
	})
	if err != nil {
		return nil, db.wrap(op, err)
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
	return db.jobRows(ctx, "store.PendingRows", jobID, `done = FALSE`, limit)
}

// JobRows returns up to limit (0 = all) rows whose position is after
// "after" (exclusive: -1 starts at the first row), in order.
func (db *DB) JobRows(ctx context.Context, jobID string, after, limit int) ([]concord.JobRow, error) {
	return db.jobRows(ctx, "store.JobRows", jobID, `n > ?`, limit, after)
}

// CompleteRows stores the results of rows not done yet and the alerts of
// those rows, advances Done, Hits (rows with at least one alert) and
// UpdatedAt, marks the job done with its last row and ends the leases of
// the completed rows, in one transaction. Rows already done are skipped
// with their alerts, so that a row completed twice (a job resumed after a
// crash, a lease taken over from a node that was only slow) counts and
// alerts once: the job's row is locked first, which serialises completions
// of one job. The ids assigned to stored alerts are set in alerts.
func (db *DB) CompleteRows(ctx context.Context, jobID string, rows []concord.JobRow, alerts []concord.Alert) error {
	now := db.now()
	return db.audited(ctx, "store.CompleteRows", change{Action: "job.progress", Object: jobID}, func(t *tx, ch *change) error {
		var member, status string
		err := t.row(ctx, `SELECT member, status FROM jobs WHERE id = ?`+t.forUpdate(), jobID).Scan(&member, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return jobNotFound(jobID)
		} else if err != nil {
			return err
		}
		if status == concord.JobCancelled || status == concord.JobFailed {
			return concord.Errorf(concord.ECONFLICT, "job %s was %s", jobID, status)
		}
		if err := t.stage(ctx, "job_stage", `n INTEGER NOT NULL, result ${blob}`, []string{"n", "result"}, len(rows),
			func(i int, vals []any) []any { return append(vals, rows[i].N, nonNil(rows[i].Result)) }); err != nil {
			return err
		}
		var unknown int
		err = t.row(ctx, `SELECT s.n FROM job_stage AS s WHERE NOT EXISTS
			(SELECT 1 FROM job_rows AS r WHERE r.job_id = ? AND r.n = s.n) ORDER BY s.n LIMIT 1`, jobID).Scan(&unknown)
		if err == nil {
			return concord.Errorf(concord.ENOTFOUND, "job %s: row %d not found", jobID, unknown)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		res, err := t.query(ctx, `UPDATE job_rows SET result = s.result, done = TRUE, lease_until = NULL FROM job_stage AS s
			WHERE job_rows.job_id = ? AND job_rows.n = s.n AND job_rows.done = FALSE RETURNING job_rows.n`, jobID)
		fresh, err := scanAll(res, err, func(s scanner, n *int) error { return s.Scan(n) })
		if err != nil {
			return err
		}
		hits := map[int]bool{}
		for i := range alerts {
			a := &alerts[i]
			if !slices.Contains(fresh, a.Row) {
				continue
			}
			if err := insertAlert(ctx, t, jobID, member, now, a); err != nil {
				return err
			}
			hits[a.Row] = true
			t.changed(concord.ChangeAlerts, itoa(a.ID))
		}
		if _, err := t.exec(ctx, `UPDATE jobs SET done = done + ?, hits = hits + ?, updated_at = ?,
			status = CASE WHEN done + ? >= total THEN ? ELSE status END WHERE id = ?`,
			len(fresh), len(hits), now, len(fresh), concord.JobDone, jobID); err != nil {
			return err
		}
		// The leases of chunks now wholly done end.
		if _, err := t.exec(ctx, `DELETE FROM job_leases WHERE job_id = ? AND NOT EXISTS (SELECT 1 FROM job_rows AS r
			WHERE r.job_id = job_leases.job_id AND r.n BETWEEN job_leases.first_n AND job_leases.last_n AND r.done = FALSE)
			AND first_n <= (SELECT MAX(n) FROM job_stage) AND last_n >= (SELECT MIN(n) FROM job_stage)`, jobID); err != nil {
			return err
		}
		ch.Detail = "+" + strconv.Itoa(len(fresh)) + " rows +" + strconv.Itoa(len(hits)) + " hits"
		if skipped := len(rows) - len(fresh); skipped > 0 {
			ch.Detail += " (" + strconv.Itoa(skipped) + " already done)"
		}
		t.changed(concord.ChangeJobs, jobID)
		return t.unstage(ctx, "job_stage")
	})
}
