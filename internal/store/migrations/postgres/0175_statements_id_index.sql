-- The statement id's uniqueness is a named index (statements_id) instead of
-- the table's UNIQUE constraint, so that a large first import of a dataset
-- can drop the statement indexes and build them sorted at the end
-- (store.Import's bulk load), as on SQLite.
CREATE UNIQUE INDEX statements_id ON statements (id);
ALTER TABLE statements DROP CONSTRAINT IF EXISTS statements_id_key;
