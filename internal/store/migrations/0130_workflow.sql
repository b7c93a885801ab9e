-- Histories of cases (repatriation steps per person; a case closed,
-- reopened, depersonalised) and of action items (their status). Events are
-- appended in order under the workflow lock and never changed, except that
-- retention redacts their documents and reasons. An event is read only
-- through its record: a reader that sees none of the record's statements
-- sees none of its history.
CREATE TABLE workflow_events (
	seq         ${serial},
	record      TEXT NOT NULL,
	subject     TEXT NOT NULL DEFAULT '',
	kind        TEXT NOT NULL,
	state       TEXT NOT NULL,
	day         TEXT NOT NULL,
	actor       TEXT NOT NULL,
	member      TEXT NOT NULL,
	side        TEXT NOT NULL DEFAULT '',
	country     TEXT NOT NULL DEFAULT '',
	documents   TEXT NOT NULL DEFAULT '[]',
	reason      TEXT NOT NULL DEFAULT '',
	recorded_at ${time} NOT NULL
);
CREATE INDEX workflow_events_record ON workflow_events (record, seq);
CREATE INDEX workflow_events_kind ON workflow_events (kind, seq);

-- How long a member keeps a kind of record in person-identifying form
-- (member '*': the default of members without their own).
CREATE TABLE retention_policies (
	member TEXT NOT NULL,
	kind   TEXT NOT NULL,
	months INTEGER NOT NULL,
	PRIMARY KEY (member, kind)
);
