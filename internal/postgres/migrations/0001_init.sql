-- Statements: the unit of truth. seq is the insertion order (assigned by the
-- store under an advisory lock), times are timestamptz (microseconds).
CREATE TABLE statements (
	seq            bigint PRIMARY KEY,
	id             text NOT NULL UNIQUE,
	entity_id      text NOT NULL,
	schema         text NOT NULL,
	prop           text NOT NULL,
	value          text NOT NULL,
	lang           text NOT NULL DEFAULT '',
	dataset        text NOT NULL,
	source_ref     text NOT NULL DEFAULT '',
	contributed_by text NOT NULL DEFAULT '',
	audience       text NOT NULL,
	handling       text NOT NULL,
	first_seen     timestamptz NOT NULL,
	last_seen      timestamptz NOT NULL,
	retracted      boolean NOT NULL DEFAULT false
) WITH (fillfactor = 75); -- room for HOT updates: every import refreshes last_seen
CREATE INDEX statements_entity ON statements (entity_id, seq);
CREATE INDEX statements_dataset ON statements (dataset);

CREATE TABLE datasets (
	name        text PRIMARY KEY,
	version     text NOT NULL,
	source      text NOT NULL,
	imported_at timestamptz NOT NULL
);

CREATE TABLE coalition_members (
	id       text PRIMARY KEY,
	country  text NOT NULL,
	agency   text NOT NULL,
	name     text NOT NULL,
	region   text NOT NULL DEFAULT '',
	joined   text NOT NULL DEFAULT '',
	co_chair boolean NOT NULL DEFAULT false
);

CREATE TABLE coalition_groups (
	id          text PRIMARY KEY,
	name        text NOT NULL,
	kind        text NOT NULL,
	description text NOT NULL DEFAULT '',
	version     integer NOT NULL
);

-- Members and leads reference members: deleting a member that is in a group
-- is refused (the store reports ECONFLICT), groups cascade to their rows.
CREATE TABLE group_members (
	group_id  text NOT NULL REFERENCES coalition_groups (id) ON DELETE CASCADE,
	member_id text NOT NULL REFERENCES coalition_members (id),
	pos       integer NOT NULL,
	PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_members_member ON group_members (member_id);

CREATE TABLE group_leads (
	group_id  text NOT NULL REFERENCES coalition_groups (id) ON DELETE CASCADE,
	member_id text NOT NULL REFERENCES coalition_members (id),
	pos       integer NOT NULL,
	PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_leads_member ON group_leads (member_id);

CREATE TABLE group_partners (
	group_id text NOT NULL REFERENCES coalition_groups (id) ON DELETE CASCADE,
	pos      integer NOT NULL,
	partner  text NOT NULL,
	PRIMARY KEY (group_id, pos)
);
