-- Federation (issue 14). fed_meta holds the node id and how far the log has
-- followed the change feed. fed_state is, per statement members
-- contributed, the version last logged: its origin node and that node's
-- sequence, and the audience, handling and retraction it had. fed_log is the
-- node's federation log: every version it made or received, at local
-- position seq, that peers read after their cursor.
CREATE TABLE fed_meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE fed_state (
	statement_id TEXT PRIMARY KEY,
	origin       TEXT NOT NULL,
	origin_seq   ${bigint} NOT NULL,
	audience     TEXT NOT NULL,
	handling     TEXT NOT NULL,
	retracted    ${bool} NOT NULL DEFAULT FALSE
);

CREATE TABLE fed_log (
	seq          ${seq},
	statement_id TEXT NOT NULL,
	origin       TEXT NOT NULL,
	origin_seq   ${bigint} NOT NULL,
	audience     TEXT NOT NULL,
	handling     TEXT NOT NULL,
	retracted    ${bool} NOT NULL DEFAULT FALSE,
	UNIQUE (origin, origin_seq, statement_id)
);
CREATE INDEX fed_log_statement ON fed_log (statement_id, seq);

-- Peers: other nodes, by public key and member; cursor is the opaque
-- position reached in the peer's feed, bundle the last bundle imported.
CREATE TABLE fed_peers (
	id         TEXT PRIMARY KEY,
	member     TEXT NOT NULL,
	public_key TEXT NOT NULL UNIQUE,
	url        TEXT NOT NULL DEFAULT '',
	relay      ${bool} NOT NULL DEFAULT FALSE,
	node_id    TEXT NOT NULL DEFAULT '',
	cursor     TEXT NOT NULL DEFAULT '',
	bundle     ${bigint} NOT NULL DEFAULT 0,
	last_sync  ${time},
	added_at   ${time} NOT NULL
);

-- Bundles exported, numbered per recipient member.
CREATE TABLE fed_exports (
	member     TEXT NOT NULL,
	number     ${bigint} NOT NULL,
	base       ${bigint} NOT NULL,
	since_seq  ${bigint} NOT NULL,
	until_seq  ${bigint} NOT NULL,
	created_at ${time} NOT NULL,
	PRIMARY KEY (member, number)
);
