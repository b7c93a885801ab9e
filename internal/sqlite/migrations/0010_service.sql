-- Accounts, the audit chain, screening jobs and alerts. Times are Unix
-- microseconds (UTC); lists (roles, scopes) are comma-separated.
CREATE TABLE users (
	name          TEXT PRIMARY KEY,
	member        TEXT NOT NULL,
	roles         TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL DEFAULT '',
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL
);
CREATE INDEX users_member ON users (member, name);

CREATE TABLE tokens (
	id         TEXT PRIMARY KEY,
	user_name  TEXT NOT NULL REFERENCES users (name),
	name       TEXT NOT NULL DEFAULT '',
	scopes     TEXT NOT NULL DEFAULT '',
	hash       TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER,
	revoked_at INTEGER
);
CREATE INDEX tokens_user ON tokens (user_name, created_at);

CREATE TABLE sessions (
	hash       TEXT PRIMARY KEY,
	user_name  TEXT NOT NULL REFERENCES users (name),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);

-- The audit: a hash chain in seq order (seq 1, 2, 3 ... without gaps; prev is
-- the hash of the row before, '' for the first). Appended in the transaction
-- of every write; never updated or deleted.
CREATE TABLE audit (
	seq    INTEGER PRIMARY KEY,
	time   INTEGER NOT NULL,
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
	threshold  REAL NOT NULL,
	lim        INTEGER NOT NULL,
	total      INTEGER NOT NULL,
	done       INTEGER NOT NULL DEFAULT 0,
	hits       INTEGER NOT NULL DEFAULT 0,
	error      TEXT NOT NULL DEFAULT '',
	meta       TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX jobs_status ON jobs (status, created_at);
CREATE INDEX jobs_member ON jobs (member, created_at);

CREATE TABLE job_rows (
	job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	n      INTEGER NOT NULL,
	key    TEXT NOT NULL,
	query  BLOB NOT NULL,
	result BLOB,
	done   INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
	PRIMARY KEY (job_id, n)
);
CREATE INDEX job_rows_pending ON job_rows (job_id, done, n);

CREATE TABLE alerts (
	id             INTEGER PRIMARY KEY,
	job_id         TEXT NOT NULL REFERENCES jobs (id),
	row            INTEGER NOT NULL,
	query_key      TEXT NOT NULL,
	identity       TEXT NOT NULL,
	member         TEXT NOT NULL,
	entity_id      TEXT NOT NULL,
	entity_version TEXT NOT NULL,
	score          REAL NOT NULL,
	query          BLOB,
	match          BLOB,
	status         TEXT NOT NULL,
	reviewer       TEXT NOT NULL DEFAULT '',
	reason         TEXT NOT NULL DEFAULT '',
	created_at     INTEGER NOT NULL,
	decided_at     INTEGER
);
CREATE INDEX alerts_member ON alerts (member, status, id);
CREATE INDEX alerts_job ON alerts (job_id, id);
CREATE INDEX alerts_pair ON alerts (member, identity, entity_id, entity_version);
