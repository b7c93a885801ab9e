-- Jobs are shared by the nodes through the database: a node leases a chunk
-- of a job's rows (job_rows.lease_until and node; one job_leases row per
-- chunk), renews the lease while it screens them and completes them; rows
-- whose lease expired are claimed again by any node. job_members remembers
-- when each member's jobs were last served, so that members take turns.
-- Input rows a job refused are kept per row (job_errors, capped), counted in
-- jobs.errors.
ALTER TABLE jobs ADD COLUMN errors INTEGER NOT NULL DEFAULT 0;
ALTER TABLE job_rows ADD COLUMN lease_until ${time};
ALTER TABLE job_rows ADD COLUMN node TEXT NOT NULL DEFAULT '';

CREATE TABLE job_leases (
	id      ${serial},
	job_id  TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	member  TEXT NOT NULL,
	node    TEXT NOT NULL,
	first_n INTEGER NOT NULL,
	last_n  INTEGER NOT NULL,
	expires ${time} NOT NULL
);
CREATE INDEX job_leases_member ON job_leases (member, expires);
CREATE INDEX job_leases_job ON job_leases (job_id, first_n);

CREATE TABLE job_members (
	member    TEXT PRIMARY KEY,
	served_at ${time} NOT NULL
);

CREATE TABLE job_errors (
	job_id  TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	n       INTEGER NOT NULL,
	line    INTEGER NOT NULL,
	message TEXT NOT NULL,
	PRIMARY KEY (job_id, n)
);
