package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"concord"
)

// The job queue. A node claims a chunk of a job's rows in one transaction:
// it picks the next job in fair order, selects rows neither done nor
// leased (FOR UPDATE SKIP LOCKED on PostgreSQL, so that nodes claiming at
// once take different rows without waiting for each other; SQLite's writer
// is exclusive), marks them leased to itself until the lease expires, and
// records the lease. It renews the lease while it screens the rows, and
// CompleteRows ends it. Rows whose lease expired are claimable again: a node
// that died leaves its rows to the others.

// ClaimRows leases rows of the next job to c.Node (see concord.JobStore).
func (db *DB) ClaimRows(ctx context.Context, c concord.JobClaim) (*concord.JobLease, error) {
	if c.Node == "" || c.Rows <= 0 || c.TTL <= 0 {
		return nil, concord.Errorf(concord.EINVALID, "claim: node, rows and a lease time are required")
	}
	var lease *concord.JobLease
	err := db.wrap("store.ClaimRows", db.write(ctx, func(t *tx) error {
		now := db.now()
		if _, err := t.exec(ctx, `DELETE FROM job_leases WHERE expires < ?`, now); err != nil {
			return err
		}
		// Members under their share first, then the one served longest ago,
		// then its oldest job.
		only, args := "", []any{concord.JobQueued, concord.JobRunning}
		if c.JobID != "" {
			only, args = " AND j.id = ?", append(args, c.JobID)
		}
		ids, err := strs(ctx, t, `SELECT j.id FROM jobs AS j LEFT JOIN job_members AS m ON m.member = j.member
			WHERE j.status IN (?, ?) AND j.done < j.total`+only+`
			ORDER BY (SELECT count(*) FROM job_leases AS l WHERE l.member = j.member) >= ?,
				COALESCE(m.served_at, ?), j.created_at, j.id LIMIT 16`,
			append(args, max(c.PerMember, 1), time.Unix(0, 0))...)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if lease, err = claim(ctx, t, id, c, now); err != nil || lease != nil {
				return err
			}
		}
		return nil
	}))
	return lease, err
}

// claim leases rows of job id, if it has any free; nil otherwise. The claim
// is audited with the rows and the node.
func claim(ctx context.Context, t *tx, id string, c concord.JobClaim, now time.Time) (*concord.JobLease, error) {
	rows, err := t.query(ctx, `SELECT job_id, n, key, query FROM job_rows
		WHERE job_id = ? AND done = FALSE AND (lease_until IS NULL OR lease_until < ?) ORDER BY n LIMIT ?`+t.db.d.skipLocked(),
		id, now, c.Rows)
	free, err := scanAll(rows, err, func(s scanner, r *concord.JobRow) error {
		return s.Scan(&r.JobID, &r.N, &r.Key, (*[]byte)(&r.Query))
	})
	if err != nil || len(free) == 0 {
		return nil, err
	}
	js, err := jobs(ctx, t, `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	// The lease runs from now, not from the start of the transaction.
	l := &concord.JobLease{Job: js[0], Node: c.Node, Rows: free, Until: t.db.now().Add(c.TTL)}
	first, last := free[0].N, free[len(free)-1].N
	ns := make([]int, len(free))
	for i, r := range free {
		ns[i] = r.N
	}
	w := t.db.where()
	w.add("job_id = ?", id)
	in(w, "n", ns)
	if _, err := t.exec(ctx, `UPDATE job_rows SET lease_until = ?, node = ? WHERE `+w.String(),
		append([]any{l.Until, c.Node}, w.args...)...); err != nil {
		return nil, err
	}
	if err := t.row(ctx, `INSERT INTO job_leases (job_id, member, node, first_n, last_n, expires) VALUES (?, ?, ?, ?, ?, ?)
		RETURNING id`, id, l.Job.Member, c.Node, first, last, l.Until).Scan(&l.ID); err != nil {
		return nil, err
	}
	if _, err := t.exec(ctx, `INSERT INTO job_members (member, served_at) VALUES (?, ?)
		ON CONFLICT (member) DO UPDATE SET served_at = excluded.served_at`, l.Job.Member, now); err != nil {
		return nil, err
	}
	if l.Job.Status == concord.JobQueued {
		if _, err := t.exec(ctx, `UPDATE jobs SET status = ?, updated_at = ? WHERE id = ? AND status = ?`,
			concord.JobRunning, now, id, concord.JobQueued); err != nil {
			return nil, err
		}
		l.Job.Status, l.Job.UpdatedAt = concord.JobRunning, now
		t.changed(concord.ChangeJobs, id)
	}
	detail := "rows " + strconv.Itoa(first) + "-" + strconv.Itoa(last) + " to " + c.Node
	if err := t.appendAudit(ctx, []concord.AuditEvent{newEvent(ctx, now, change{Action: "job.claim", Object: id, Detail: detail})}, false); err != nil {
		return nil, err
	}
	return l, t.publish(ctx)
}

// RenewLease extends a lease that is still the node's and whose job still
// runs. Renewals are the lease's heartbeat, not a change of the record:
// they are not audited.
func (db *DB) RenewLease(ctx context.Context, l *concord.JobLease, ttl time.Duration) error {
	const op = "store.RenewLease"
	until := db.now().Add(ttl)
	return db.wrap(op, db.write(ctx, func(t *tx) error {
		var status string
		err := t.row(ctx, `SELECT j.status FROM job_leases AS l JOIN jobs AS j ON j.id = l.job_id
			WHERE l.id = ? AND l.node = ? AND l.expires >= ?`, l.ID, l.Node, db.now()).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && concord.JobFinished(status)) {
			return &concord.Error{Code: concord.ECONFLICT, Op: op, Message: "lease " + itoa(l.ID) + " of job " + l.Job.ID + " was lost"}
		}
		if err != nil {
			return err
		}
		// Rows first, then the lease, as CompleteRows locks them.
		if _, err = t.exec(ctx, `UPDATE job_rows SET lease_until = ? WHERE job_id = ? AND n BETWEEN ? AND ? AND node = ? AND done = FALSE`,
			until, l.Job.ID, l.Rows[0].N, l.Rows[len(l.Rows)-1].N, l.Node); err != nil {
			return err
		}
		_, err = t.exec(ctx, `UPDATE job_leases SET expires = ? WHERE id = ?`, until, l.ID)
		l.Until = until
		return err
	}))
}

// CancelJob stops an unfinished job and ends its leases.
func (db *DB) CancelJob(ctx context.Context, id string) error {
	return db.audited(ctx, "store.CancelJob", change{Action: "job.cancel", Object: id}, func(t *tx, ch *change) error {
		var status string
		var done, total int
		err := t.row(ctx, `SELECT status, done, total FROM jobs WHERE id = ?`+t.forUpdate(), id).Scan(&status, &done, &total)
		if errors.Is(err, sql.ErrNoRows) {
			return jobNotFound(id)
		} else if err != nil {
			return err
		}
		if concord.JobFinished(status) {
			return concord.Errorf(concord.ECONFLICT, "job %s was already %s", id, status)
		}
		if _, err := t.exec(ctx, `UPDATE jobs SET status = ?, updated_at = ? WHERE id = ?`, concord.JobCancelled, db.now(), id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM job_leases WHERE job_id = ?`, id); err != nil {
			return err
		}
		ch.Detail = strconv.Itoa(done) + " of " + strconv.Itoa(total) + " rows done"
		t.changed(concord.ChangeJobs, id)
		return nil
	})
}
