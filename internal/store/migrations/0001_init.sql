-- Statements: the unit of truth. seq is the insertion order (assigned by the
-- store under the import lock). Time columns hold Unix microseconds (UTC) on
-- SQLite and timestamptz on PostgreSQL (the dialect's types).
CREATE TABLE statements (
	seq            ${seq},
	id             TEXT NOT NULL UNIQUE,
	entity_id      TEXT NOT NULL,
	schema         TEXT NOT NULL,
	prop           TEXT NOT NULL,
	value          TEXT NOT NULL,
	lang           TEXT NOT NULL DEFAULT '',
	dataset        TEXT NOT NULL,
	source_ref     TEXT NOT NULL DEFAULT '',
	contributed_by TEXT NOT NULL DEFAULT '',
	audience       TEXT NOT NULL,
	handling       TEXT NOT NULL,
	first_seen     ${time} NOT NULL,
	last_seen      ${time} NOT NULL,
	retracted      ${bool} NOT NULL DEFAULT FALSE
)${hot_updates}; -- every import refreshes last_seen
CREATE INDEX statements_entity ON statements (entity_id, seq);
CREATE INDEX statements_dataset ON statements (dataset);

CREATE TABLE datasets (
	name        TEXT PRIMARY KEY,
	version     TEXT NOT NULL,
	source      TEXT NOT NULL,
	imported_at ${time} NOT NULL
);

CREATE TABLE coalition_members (
	id       TEXT PRIMARY KEY,
	country  TEXT NOT NULL,
	agency   TEXT NOT NULL,
	name     TEXT NOT NULL,
	region   TEXT NOT NULL DEFAULT '',
	joined   TEXT NOT NULL DEFAULT '',
	co_chair ${bool} NOT NULL DEFAULT FALSE
);

CREATE TABLE coalition_groups (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	kind        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	version     INTEGER NOT NULL
);

-- Members and leads reference members: deleting a member that is in a group
-- is refused (the store reports ECONFLICT), groups cascade to their rows.
CREATE TABLE group_members (
	group_id  TEXT NOT NULL REFERENCES coalition_groups (id) ON DELETE CASCADE,
	member_id TEXT NOT NULL REFERENCES coalition_members (id),
	pos       INTEGER NOT NULL,
	PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_members_member ON group_members (member_id);

CREATE TABLE group_leads (
	group_id  TEXT NOT NULL REFERENCES coalition_groups (id) ON DELETE CASCADE,
	member_id TEXT NOT NULL REFERENCES coalition_members (id),
	pos       INTEGER NOT NULL,
	PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_leads_member ON group_leads (member_id);

CREATE TABLE group_partners (
	group_id TEXT NOT NULL REFERENCES coalition_groups (id) ON DELETE CASCADE,
	pos      INTEGER NOT NULL,
	partner  TEXT NOT NULL,
	PRIMARY KEY (group_id, pos)
);
