-- Roles and scopes were text[] on PostgreSQL (comma-separated text on
-- SQLite): one column type, so that one query reads both.
ALTER TABLE users ALTER COLUMN roles DROP DEFAULT,
	ALTER COLUMN roles TYPE text USING array_to_string(roles, ','),
	ALTER COLUMN roles SET DEFAULT '';
ALTER TABLE tokens ALTER COLUMN scopes DROP DEFAULT,
	ALTER COLUMN scopes TYPE text USING array_to_string(scopes, ','),
	ALTER COLUMN scopes SET DEFAULT '';
