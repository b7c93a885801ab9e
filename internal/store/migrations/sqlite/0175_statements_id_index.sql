-- The statement id's uniqueness is a named index (statements_id) instead of
-- the table's UNIQUE constraint, so that a large first import of a dataset
-- can drop the statement indexes and build them sorted at the end
-- (store.Import's bulk load). SQLite cannot drop a table constraint: the
-- table is rebuilt, with its rows, seq numbers and indexes as they were.
CREATE TABLE statements_0175 (
	seq            INTEGER PRIMARY KEY,
	id             TEXT NOT NULL,
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
	first_seen     INTEGER NOT NULL,
	last_seen      INTEGER NOT NULL,
	retracted      INTEGER NOT NULL DEFAULT FALSE
);
INSERT INTO statements_0175 (seq, id, entity_id, schema, prop, value, lang, dataset, source_ref, contributed_by,
		audience, handling, first_seen, last_seen, retracted)
	SELECT seq, id, entity_id, schema, prop, value, lang, dataset, source_ref, contributed_by,
		audience, handling, first_seen, last_seen, retracted FROM statements ORDER BY seq;
DROP TABLE statements;
ALTER TABLE statements_0175 RENAME TO statements;
CREATE UNIQUE INDEX statements_id ON statements (id);
CREATE INDEX statements_entity ON statements (entity_id, seq);
CREATE INDEX statements_dataset ON statements (dataset);
CREATE INDEX statements_references ON statements (value)
	WHERE prop IN ('addressEntity', 'asset', 'associate', 'beneficiary', 'case', 'decision', 'director', 'entity', 'holder', 'kinship', 'linkedEntity', 'meeting', 'member', 'object', 'organization', 'owner', 'payer', 'person', 'relatedCase', 'relatedRecord', 'relative', 'subject');
