// Package concord is the domain of Concord, the data exchange and screening
// platform of the Global Coalition to Defeat ISIS.
//
// It holds the nouns (entities, statements, members, groups, audiences,
// handling), the service contracts that adapters implement (Store) and the one
// error type. It imports only the standard library; adapters are named after
// their technology or role (internal/store on SQLite and PostgreSQL,
// internal/httpapi) and only cmd/concord picks concrete types.
package concord
