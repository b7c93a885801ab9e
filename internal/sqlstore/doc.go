// Package sqlstore holds what the SQL stores (internal/sqlite and
// internal/postgres) share and what has no dialect: validation of writes,
// the import planner, audit event construction and small helpers. Each
// store keeps its own SQL; this package runs none.
package sqlstore
