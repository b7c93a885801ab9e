package concord

import (
	"context"
	"time"
)

// Change kinds: what part of the store a committed write changed.
const (
	// ChangeEntities: statements were imported, contributed, reshared or
	// retracted. IDs are the entity ids whose statements changed.
	ChangeEntities = "entities"
	// ChangeCoalition: members or groups changed, and so possibly who sees
	// what. IDs are "member:ID" and "group:ID"; none when the whole
	// coalition was replaced.
	ChangeCoalition = "coalition"
	// ChangeCredentials: users, tokens or sessions changed (created,
	// updated, disabled, revoked, signed out). IDs are "user:NAME",
	// "token:ID" and "session:USER".
	ChangeCredentials = "credentials"
	// ChangeJobs: screening jobs were created, progressed, changed status.
	// IDs are job ids.
	ChangeJobs = "jobs"
	// ChangeAlerts: alerts were raised or decided. IDs are alert ids.
	ChangeAlerts = "alerts"
	// ChangeWorkflow: a case's or an action item's history grew. IDs are
	// the records' entity ids.
	ChangeWorkflow = "workflow"
)

// Change is one kind of change of one committed write, as the other nodes
// of a store follow it to keep their indexes and caches in step. A write
// that changes several kinds (screening results raise alerts) records one
// Change per kind; a write with many ids may record several Changes of one
// kind.
type Change struct {
	// Seq numbers changes in commit order, from 1, without gaps: a follower
	// that has applied every change up to Seq n reads on from n.
	Seq  int64  `json:"seq"`
	Kind string `json:"kind"`
	// IDs says what changed (see the kinds); empty means anything of the
	// kind may have changed.
	IDs []string  `json:"ids,omitempty"`
	At  time.Time `json:"at"`
}

// ChangeFeed is the log of committed writes. The store writes a write's
// changes in the write's own transaction, so a follower sees a change
// exactly when the write is visible, and never one that rolled back.
//
// A follower reads LastChange, loads what it keeps (an index, a cache),
// then applies Changes after that point as they come, waiting with
// WaitChange in between. Old changes are pruned after a while: a follower
// that fell further behind gets ECONFLICT from Changes and loads again.
type ChangeFeed interface {
	// Changes returns up to limit changes with Seq > after, in Seq order
	// (limit <= 0: a default page). ECONFLICT when the feed no longer
	// holds every change after after (pruned, or the database was
	// restored to an older state).
	Changes(ctx context.Context, after int64, limit int) ([]Change, error)
	// LastChange is the Seq of the latest committed change (0 if none).
	LastChange(ctx context.Context) (int64, error)
	// WaitChange returns nil once the latest change is other than after
	// (a newer one was committed, by this process or any other on the same
	// database), or ctx's error when it ends first.
	WaitChange(ctx context.Context, after int64) error
}
