-- Accounts, the audit chain, screening jobs and alerts.
CREATE TABLE users (
	name          text PRIMARY KEY,
	member        text NOT NULL,
	roles         text[] NOT NULL DEFAULT '{}',
	password_hash text NOT NULL DEFAULT '',
	disabled      boolean NOT NULL DEFAULT false,
	created_at    timestamptz NOT NULL
);
CREATE INDEX users_member ON users (member, name);

CREATE TABLE tokens (
	id         text PRIMARY KEY,
	user_name  text NOT NULL REFERENCES users (name),
	name       text NOT NULL DEFAULT '',
	scopes     text[] NOT NULL DEFAULT '{}',
	hash       text NOT NULL UNIQUE,
	created_at timestamptz NOT NULL,
	expires_at timestamptz,
	revoked_at timestamptz
);
CREATE INDEX tokens_user ON tokens (user_name, created_at);

CREATE TABLE sessions (
	hash       text PRIMARY KEY,
	user_name  text NOT NULL REFERENCES users (name),
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);

-- The audit: a hash chain in seq order (seq 1, 2, 3 ... without gaps; prev is
-- the hash of the row before, '' for the first). Appended in the transaction
-- of every write under a transaction advisory lock, so the chain never forks
-- even with several nodes; never updated or deleted.
CREATE TABLE audit (
	seq    bigint PRIMARY KEY,
	time   timestamptz NOT NULL,
	actor  text NOT NULL,
	member text NOT NULL DEFAULT '',
	via    text NOT NULL DEFAULT '',
	action text NOT NULL,
	object text NOT NULL DEFAULT '',
	detail text NOT NULL DEFAULT '',
	prev   text NOT NULL,
	hash   text NOT NULL
);
CREATE INDEX audit_member ON audit (member, seq);
CREATE INDEX audit_actor ON audit (actor, seq);
CREATE INDEX audit_action ON audit (action, seq);

CREATE TABLE jobs (
	id         text PRIMARY KEY,
	kind       text NOT NULL,
	source     text NOT NULL DEFAULT '',
	owner      text NOT NULL,
	member     text NOT NULL,
	status     text NOT NULL,
	threshold  double precision NOT NULL,
	lim        integer NOT NULL,
	total      integer NOT NULL,
	done       integer NOT NULL DEFAULT 0,
	hits       integer NOT NULL DEFAULT 0,
	error      text NOT NULL DEFAULT '',
	meta       text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);
CREATE INDEX jobs_status ON jobs (status, created_at);
CREATE INDEX jobs_member ON jobs (member, created_at);

CREATE TABLE job_rows (
	job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	n      integer NOT NULL,
	key    text NOT NULL,
	query  bytea NOT NULL,
	result bytea,
	done   boolean NOT NULL DEFAULT false,
	PRIMARY KEY (job_id, n)
);
CREATE INDEX job_rows_pending ON job_rows (job_id, n) WHERE NOT done;

CREATE TABLE alerts (
	id             bigserial PRIMARY KEY,
	job_id         text NOT NULL REFERENCES jobs (id),
	row            integer NOT NULL,
	query_key      text NOT NULL,
	identity       text NOT NULL,
	member         text NOT NULL,
	entity_id      text NOT NULL,
	entity_version text NOT NULL,
	score          double precision NOT NULL,
	query          bytea,
	match          bytea,
	status         text NOT NULL,
	reviewer       text NOT NULL DEFAULT '',
	reason         text NOT NULL DEFAULT '',
	created_at     timestamptz NOT NULL,
	decided_at     timestamptz
);
CREATE INDEX alerts_member ON alerts (member, status, id);
CREATE INDEX alerts_job ON alerts (job_id, id);
CREATE INDEX alerts_pair ON alerts (member, identity, entity_id, entity_version);
