package postgres

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

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
	for i, r := range rows {
		if r.N != i {
			return concord.Errorf(concord.EINVALID, "job %s: row %d has position %d", j.ID, i, r.N)
		}
	}
	if j.CreatedAt.IsZero() {
		j.CreatedAt = db.now()
	}
	if j.UpdatedAt.IsZero() {
		j.UpdatedAt = j.CreatedAt
	}
	j.Total, j.Done, j.Hits = len(rows), 0, 0
	return db.audited(ctx, "postgres.CreateJob", sqlstore.Change{Action: "job.create", Object: j.ID, Detail: j.Kind + " " + strconv.Itoa(len(rows)) + " rows"},
		func(tx pgx.Tx, _ *sqlstore.Change) error {
			if _, err := tx.Exec(ctx, `INSERT INTO jobs (`+jobCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, 0, $10, $11, $12, $13)`,
				j.ID, j.Kind, j.Source, j.Owner, j.Member, j.Status, j.Threshold, j.Limit, j.Total, j.Error, j.Meta,
				j.CreatedAt, j.UpdatedAt); err != nil {
				return err
			}
			_, err := tx.CopyFrom(ctx, pgx.Identifier{"job_rows"}, []string{"job_id", "n", "key", "query"},
				pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
					return []any{j.ID, rows[i].N, rows[i].Key, sqlstore.NonNil(rows[i].Query)}, nil
				}))
			return err
		})
}

func (db *DB) jobs(ctx context.Context, op, tail string, args ...any) ([]concord.Job, error) {
	var out []concord.Job
	err := db.read(ctx, op, func(q queryer) error {
		rows, err := q.Query(ctx, `SELECT `+jobCols+` FROM jobs `+tail, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (concord.Job, error) {
			var j concord.Job
			err := r.Scan(&j.ID, &j.Kind, &j.Source, &j.Owner, &j.Member, &j.Status, &j.Threshold, &j.Limit,
				&j.Total, &j.Done, &j.Hits, &j.Error, &j.Meta, &j.CreatedAt, &j.UpdatedAt)
			j.CreatedAt, j.UpdatedAt = j.CreatedAt.UTC(), j.UpdatedAt.UTC()
			return j, err
		})
		return err
	})
	if out == nil {
		out = []concord.Job{}
	}
	return out, err
}

// Job returns one job or ENOTFOUND.
func (db *DB) Job(ctx context.Context, id string) (*concord.Job, error) {
	js, err := db.jobs(ctx, "postgres.Job", `WHERE id = $1`, id)
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
	return db.jobs(ctx, "postgres.Jobs", `WHERE $1 = '' OR member = $1 ORDER BY created_at DESC, id DESC`, member)
}

// UnfinishedJobs returns queued and running jobs, oldest first.
func (db *DB) UnfinishedJobs(ctx context.Context) ([]concord.Job, error) {
	return db.jobs(ctx, "postgres.UnfinishedJobs", `WHERE status IN ($1, $2) ORDER BY created_at, id`, concord.JobQueued, concord.JobRunning)
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
	return db.audited(ctx, "postgres.SetJobStatus", sqlstore.Change{Action: "job.status", Object: id, Detail: detail}, func(tx pgx.Tx, _ *sqlstore.Change) error {
		tag, err := tx.Exec(ctx, `UPDATE jobs SET status = $1, error = $2, updated_at = $3 WHERE id = $4`, status, errMsg, db.now(), id)
		if err == nil && tag.RowsAffected() == 0 {
			return sqlstore.JobNotFound(id)
		}
		return err
	})
}

// jobRows reads rows of an existing job (ENOTFOUND otherwise).
func (db *DB) jobRows(ctx context.Context, op, jobID, cond string, limit int, args ...any) ([]concord.JobRow, error) {
	args = append([]any{jobID}, args...)
	q := `SELECT job_id, n, key, query, result, done FROM job_rows WHERE job_id = $1 AND ` + cond + ` ORDER BY n`
	if limit > 0 {
		args = append(args, limit)
		q += ` LIMIT $` + strconv.Itoa(len(args))
	}
	var out []concord.JobRow
	err := db.read(ctx, op, func(qr queryer) error {
		rows, err := qr.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (concord.JobRow, error) {
			var jr concord.JobRow
			err := r.Scan(&jr.JobID, &jr.N, &jr.Key, &jr.Query, &jr.Result, &jr.Done)
			return jr, err
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		if _, err := db.Job(ctx, jobID); err != nil {
			return nil, err
		}
		out = []concord.JobRow{}
	}
	return out, nil
}

// PendingRows returns up to limit (0 = all) rows not done yet, in order.
func (db *DB) PendingRows(ctx context.Context, jobID string, limit int) ([]concord.JobRow, error) {
	return db.jobRows(ctx, "postgres.PendingRows", jobID, `NOT done`, limit)
}

// JobRows returns up to limit (0 = all) rows whose position is after
// "after" (exclusive: -1 starts at the first row), in order.
func (db *DB) JobRows(ctx context.Context, jobID string, after, limit int) ([]concord.JobRow, error) {
	return db.jobRows(ctx, "postgres.JobRows", jobID, `n > $2`, limit, after)
}

// CompleteRows stores the results of rows not done yet and the alerts of
// those rows, and advances Done, Hits (rows with at least one alert) and
// UpdatedAt, in one transaction. Rows already done are skipped with their
// alerts, so that a row completed twice (a job resumed after a crash, or two
// nodes racing) counts and alerts once: the job's row is locked first, which
// serialises completions of one job. The ids assigned to stored alerts are
// set in alerts.
func (db *DB) CompleteRows(ctx context.Context, jobID string, rows []concord.JobRow, alerts []concord.Alert) error {
	now := db.now()
	return db.audited(ctx, "postgres.CompleteRows", sqlstore.Change{Action: "job.progress", Object: jobID}, func(tx pgx.Tx, ch *sqlstore.Change) error {
		var member string
		err := tx.QueryRow(ctx, `SELECT member FROM jobs WHERE id = $1 FOR UPDATE`, jobID).Scan(&member)
		if errors.Is(err, pgx.ErrNoRows) {
			return sqlstore.JobNotFound(jobID)
		} else if err != nil {
			return err
		}
		ns := make([]int32, len(rows))
		results := make([][]byte, len(rows))
		for i, r := range rows {
			ns[i], results[i] = int32(r.N), sqlstore.NonNil(r.Result)
		}
		var known []int32
		if err := queryInts(ctx, tx, &known, `SELECT n FROM job_rows WHERE job_id = $1 AND n = ANY($2)`, jobID, ns); err != nil {
			return err
		}
		for _, n := range ns {
			if !slices.Contains(known, n) {
				return concord.Errorf(concord.ENOTFOUND, "job %s: row %d not found", jobID, n)
			}
		}
		var updated []int32
		if err := queryInts(ctx, tx, &updated, `UPDATE job_rows AS r SET result = u.result, done = true
			FROM unnest($2::integer[], $3::bytea[]) AS u(n, result)
			WHERE r.job_id = $1 AND r.n = u.n AND NOT r.done RETURNING r.n`, jobID, ns, results); err != nil {
			return err
		}
		hits := map[int]bool{}
		for i := range alerts {
			a := &alerts[i]
			if !slices.Contains(updated, int32(a.Row)) {
				continue
			}
			if err := insertAlert(ctx, tx, jobID, member, now, a); err != nil {
				return err
			}
			hits[a.Row] = true
		}
		if _, err := tx.Exec(ctx, `UPDATE jobs SET done = done + $1, hits = hits + $2, updated_at = $3 WHERE id = $4`,
			len(updated), len(hits), now, jobID); err != nil {
			return err
		}
		ch.Detail = "+" + strconv.Itoa(len(updated)) + " rows +" + strconv.Itoa(len(hits)) + " hits"
		if skipped := len(rows) - len(updated); skipped > 0 {
			ch.Detail += " (" + strconv.Itoa(skipped) + " already done)"
		}
		return nil
	})
}

func queryInts(ctx context.Context, q queryer, dst *[]int32, sql string, args ...any) error {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	*dst, err = pgx.CollectRows(rows, pgx.RowTo[int32])
	return err
}
