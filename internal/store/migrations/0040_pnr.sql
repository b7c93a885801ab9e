-- PNR data (issue 15): bookings a member received, one row per push that
-- changed something (a version), the attributes that link bookings, the
-- members' policies, and their scenario rules with hits and hit counts.
CREATE TABLE pnr_bookings (
	id         TEXT PRIMARY KEY,
	member     TEXT NOT NULL,
	owner      TEXT NOT NULL,
	locator    TEXT NOT NULL,
	created    TEXT NOT NULL,
	flight     TEXT NOT NULL,
	departure  TEXT NOT NULL,
	travellers INTEGER NOT NULL,
	versions   INTEGER NOT NULL,
	latest     INTEGER NOT NULL,
	pushes     INTEGER NOT NULL,
	first_seen ${time} NOT NULL,
	last_seen  ${time} NOT NULL,
	UNIQUE (member, owner, locator, created)
);
CREATE INDEX pnr_bookings_member ON pnr_bookings (member, last_seen);

-- personal is the PNR whole until the version is depersonalised (then NULL);
-- masked is what readers see afterwards; sealed is the whole encrypted under
-- the node's key, opened only for a re-personalisation.
CREATE TABLE pnr_versions (
	booking_id        TEXT NOT NULL REFERENCES pnr_bookings (id) ON DELETE CASCADE,
	n                 INTEGER NOT NULL,
	member            TEXT NOT NULL,
	received          ${time} NOT NULL,
	source            TEXT NOT NULL,
	digest            TEXT NOT NULL,
	changes           ${blob} NOT NULL,
	personal          ${blob},
	masked            ${blob} NOT NULL,
	sealed            ${blob} NOT NULL,
	depersonalised_at ${time},
	PRIMARY KEY (booking_id, n)
);
CREATE INDEX pnr_versions_received ON pnr_versions (member, received);

-- key is a keyed hash of the normalised value: links outlive the value,
-- which is NULL once the version is depersonalised.
CREATE TABLE pnr_links (
	booking_id TEXT NOT NULL,
	n          INTEGER NOT NULL,
	member     TEXT NOT NULL,
	kind       TEXT NOT NULL,
	key        TEXT NOT NULL,
	value      TEXT,
	traveller  INTEGER NOT NULL,
	FOREIGN KEY (booking_id, n) REFERENCES pnr_versions (booking_id, n) ON DELETE CASCADE
);
CREATE INDEX pnr_links_key ON pnr_links (member, kind, key);
CREATE INDEX pnr_links_version ON pnr_links (booking_id, n);

CREATE TABLE pnr_policies (
	member             TEXT PRIMARY KEY,
	depersonalise_days INTEGER NOT NULL,
	retain_days        INTEGER NOT NULL
);

CREATE TABLE pnr_rules (
	id         TEXT PRIMARY KEY,
	member     TEXT NOT NULL,
	name       TEXT NOT NULL,
	conditions ${blob} NOT NULL,
	enabled    ${bool} NOT NULL DEFAULT FALSE,
	version    INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	updated_at ${time} NOT NULL
);
CREATE INDEX pnr_rules_member ON pnr_rules (member, id);

CREATE TABLE pnr_rule_hits (
	id           ${serial},
	member       TEXT NOT NULL,
	rule_id      TEXT NOT NULL,
	rule_version INTEGER NOT NULL,
	rule_name    TEXT NOT NULL,
	booking_id   TEXT NOT NULL,
	n            INTEGER NOT NULL,
	traveller    INTEGER NOT NULL,
	explanation  ${blob} NOT NULL,
	status       TEXT NOT NULL,
	reviewer     TEXT NOT NULL DEFAULT '',
	reason       TEXT NOT NULL DEFAULT '',
	created_at   ${time} NOT NULL,
	decided_at   ${time},
	FOREIGN KEY (booking_id, n) REFERENCES pnr_versions (booking_id, n) ON DELETE CASCADE
);
CREATE INDEX pnr_rule_hits_member ON pnr_rule_hits (member, status, id);
CREATE INDEX pnr_rule_hits_version ON pnr_rule_hits (booking_id, n);

-- How many travellers each rule looked at and hit, per nationality: the
-- member sees each rule's hit rate by nationality. Counts, no persons.
CREATE TABLE pnr_rule_stats (
	rule_id     TEXT NOT NULL,
	member      TEXT NOT NULL,
	nationality TEXT NOT NULL,
	evaluated   INTEGER NOT NULL,
	hits        INTEGER NOT NULL,
	PRIMARY KEY (rule_id, nationality)
);
