-- Statement and entity ids are compared byte by byte ("C"), as SQLite
-- compares every text: they are hashes and source keys, never words to sort
-- for a reader. Under a database's default libc collation (C.UTF-8,
-- en_US.UTF-8) every comparison of the two largest indexes went through
-- strcoll and PostgreSQL sorted them without abbreviated keys: the bulk
-- load's build of statements_id took 1.6 s of the backend's CPU per 100,000
-- persons (616,463 statements), 0.54 s with "C"; statements_entity 0.87 s
-- and 0.62 s. Orders by entity id are now the same on both dialects
-- whatever the database's locale. Changing a column's collation rewrites
-- its indexes, not the table.
ALTER TABLE statements
	ALTER COLUMN id TYPE text COLLATE "C",
	ALTER COLUMN entity_id TYPE text COLLATE "C";
