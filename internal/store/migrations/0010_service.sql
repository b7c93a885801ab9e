-- Accounts, the audit chain, screening jobs and alerts.
CREATE TABLE users (
	name          TEXT PRIMARY KEY,
	member        TEXT NOT NULL,
	roles         ${list} NOT NULL DEFAULT ${empty_list},
	password_hash TEXT NOT NULL DEFAULT '',
	disabled      ${bool} NOT NULL DEFAULT FALSE,
	created_at    ${time} NOT NULL
);
CREATE INDEX users_member ON users (member, name);

CREATE TABLE tokens (
	id         TEXT PRIMARY KEY,
	user_name  TEXT NOT NULL REFERENCES users (name),
	name       TEXT NOT NULL DEFAULT '',
	scopes     ${list} NOT NULL DEFAULT ${empty_list},
	hash       TEXT NOT NULL UNIQUE,
	created_at ${time} NOT NULL,
	expires_at ${time},
	revoked_at ${time}
);
CREATE INDEX tokens_user ON tokens (user_name, created_at);

CREATE TABLE sessions (
	hash       TEXT PRIMARY KEY,
	user_name  TEXT NOT NULL REFERENCES users (name),
	created_at ${time} NOT NULL,
	expires_at ${time} NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);

-- The audit: a hash chain in seq order (seq 1, 2, 3 ... without gaps; prev is
-- the hash of the row before, '' for the first). Appended in the transaction
-- of every write under the audit lock, so the chain never forks even with
-- several nodes; never updated or deleted.
CREATE TABLE audit (
	seq    ${seq},
	time   ${time} NOT NULL,
	actor  TEXT NOT NULL,
	member TEXT NOT NULL DEFAULT '',
	via    TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	object TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT '',
	prev   TEXT NOT NULL,
	hash   TEXT NOT NULL
);
CREATE INDEX audit_member ON audit (member, seq);
CREATE INDEX audit_actor ON audit (actor, seq);
CREATE INDEX audit_action ON audit (action, seq);

CREATE TABLE jobs (
	id         TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,
	source     TEXT NOT NULL DEFAULT '',
	owner      TEXT NOT NULL,
	member     TEXT NOT NULL,
	status     TEXT NOT NULL,
	threshold  ${float} NOT NULL,
	lim        INTEGER NOT NULL,
	total      INTEGER NOT NULL,
	done       INTEGER NOT NULL DEFAULT 0,
	hits       INTEGER NOT NULL DEFAULT 0,
	error      TEXT NOT NULL DEFAULT '',
	meta       TEXT NOT NULL DEFAULT '',
	created_at ${time} NOT NULL,
	updated_at ${time} NOT NULL
);
CREATE INDEX jobs_status ON jobs (status, created_at);
CREATE INDEX jobs_member ON jobs (member, created_at);

CREATE TABLE job_rows (
	job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	n      INTEGER NOT NULL,
	key    TEXT NOT NULL,
	query  ${blob} NOT NULL,
	result ${blob},
	done   ${bool} NOT NULL DEFAULT FALSE,
	PRIMARY KEY (job_id, n)
);
CREATE INDEX job_rows_pending ON job_rows (job_id, n) WHERE done = FALSE;

CREATE TABLE alerts (
	id             ${serial},
	job_id         TEXT NOT NULL REFERENCES jobs (id),
	row            INTEGER NOT NULL,
	query_key      TEXT NOT NULL,
	identity       TEXT NOT NULL,
	member         TEXT NOT NULL,
	entity_id      TEXT NOT NULL,
	entity_version TEXT NOT NULL,
	score          ${float} NOT NULL,
	query          ${blob},
	match          ${blob},
	status         TEXT NOT NULL,
	reviewer       TEXT NOT NULL DEFAULT '',
	reason         TEXT NOT NULL DEFAULT '',
	created_at     ${time} NOT NULL,
	decided_at     ${time}
);
CREATE INDEX alerts_member ON alerts (member, status, id);
CREATE INDEX alerts_job ON alerts (job_id, id);
CREATE INDEX alerts_pair ON alerts (member, identity, entity_id, entity_version);
