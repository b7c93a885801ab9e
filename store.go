package concord

import (
	"context"
	"time"
)

// ImportBatch is one version of a dataset, imported as a whole: statements of
// the dataset that the batch no longer holds are retracted (history is kept),
// statements it holds again are refreshed, new ones are added. A batch is
// applied in one transaction: on any error nothing changes.
type ImportBatch struct {
	Dataset    string
	Version    string // e.g. the list's generation date
	Source     string // file name(s), for the record
	Statements []Statement
	// Stream, when set, yields the batch's statements instead of Statements,
	// as a reader parses them: the store writes them as they come, in the
	// import's one transaction, so memory stays bounded whatever the size
	// of the list. An error from Stream (a bad line) rolls the import back.
	Stream func(yield func(*Statement) error) error
	// Partial batches only add and refresh; they never retract (FtM imports of
	// a subset, member contributions).
	Partial bool
	// Check, when set, is called with the import's report once its delta is
	// known, in the import's transaction before it commits: an error from
	// it (a delta too large to apply unconfirmed, a dry run) changes
	// nothing and is returned as it is.
	Check func(*ImportReport) error
	// Listed are the schemata of the entity a list record is about (the
	// listed person or organisation, not its passports and addresses):
	// the report's Records count a record as added or removed with such
	// an entity. Empty: every entity counts.
	Listed []string
}

// ReportIDs is how many entity ids an ImportReport lists at most per kind
// of change; the counts are exact.
const ReportIDs = 10000

// ImportReport is what an import changed, per record (entity).
type ImportReport struct {
	Dataset    string         `json:"dataset"`
	Version    string         `json:"version,omitempty"`
	Entities   int            `json:"entities"`   // entities in the batch
	BySchema   map[string]int `json:"by_schema"`  // entities in the batch per schema
	Statements int            `json:"statements"` // distinct statements in the batch
	// Entity ids, sorted, at most ReportIDs of each (the first ones).
	Added   []string `json:"added"`   // new in this version
	Changed []string `json:"changed"` // whose statements changed
	Removed []string `json:"removed"` // no longer in the dataset (retracted)
	// How many entities were added, changed and removed.
	NAdded   int `json:"n_added"`
	NChanged int `json:"n_changed"`
	NRemoved int `json:"n_removed"`
	// Live statements of the dataset before the import, and of those the
	// ones the import retracts.
	Live      int `json:"live"`
	Retracted int `json:"retracted"`
	// Records is the delta by list record (source ref).
	Records RecordDelta `json:"records"`
}

// RecordDelta is an import's delta by list record (source ref): every
// record of a dataset imported for the first time is added; after that a
// record is added or removed with its listed entity (ImportBatch.Listed),
// and changed when its listed entity or any other of its entities
// (documents, addresses, sanction) was added, changed or removed. A record
// without a listed entity is added with its first entity and removed with
// its last. An entity whose statements end as they were (a statement
// refreshed and set back within the batch) is not changed.
type RecordDelta struct {
	Records int `json:"records"` // distinct source refs in the batch
	// Source refs, sorted, at most ReportIDs of each (the first ones).
	Added   []string `json:"added"`
	Changed []string `json:"changed"`
	Removed []string `json:"removed"`
	// How many records were added, changed and removed.
	NAdded   int `json:"n_added"`
	NChanged int `json:"n_changed"`
	NRemoved int `json:"n_removed"`
}

// Unchanged reports whether the import changed no record.
func (r *ImportReport) Unchanged() bool {
	return r.NAdded == 0 && r.NChanged == 0 && r.NRemoved == 0
}

// EntityQuery narrows an iteration over entities.
type EntityQuery struct {
	Schemata []string // exact schema names; empty means all
	Dataset  string   // "" means all
	IDs      []string // "" means all
	// Referencing, when set, lists only the entities with a visible
	// entity-typed value (EntityProps: holder, owner, member, ...) naming
	// this entity id: the records that link to it.
	Referencing string
	// Props, when set, assembles each entity from these properties only
	// (its identity, datasets and refs come from its "id" statements); which
	// entities are listed, and their order, do not change.
	Props []string
	// After and Until bound ScanEntities to the entity ids in (After,
	// Until]; empty: no bound.
	After, Until string
}

// EntityStore keeps statements and assembles entities from them. Every read
// takes the reader's Filter.
type EntityStore interface {
	Import(ctx context.Context, b *ImportBatch) (*ImportReport, error)
	// Entity returns the entity as f sees it, or ENOTFOUND (also when hidden).
	Entity(ctx context.Context, f Filter, id string) (*Entity, error)
	// Statements returns the statements about an entity that f sees, in order.
	Statements(ctx context.Context, f Filter, entityID string) ([]Statement, error)
	// EachEntity calls fn for each visible entity matching q, in order of
	// first statement. Returning an error from fn stops the iteration.
	EachEntity(ctx context.Context, f Filter, q EntityQuery, fn func(*Entity) error) error
	// ScanEntities calls fn for each visible entity matching q, in id order,
	// reading statements entity by entity without listing the entities
	// first: memory stays constant whatever the size of the store, and
	// disjoint ranges of ids (q.After, q.Until) can be read at once.
	ScanEntities(ctx context.Context, f Filter, q EntityQuery, fn func(*Entity) error) error
	// ScanStatements calls fn with the statements f sees of each entity
	// matching q (q.Schemata and q.Referencing aside), entity by entity in
	// id order, each entity's in seq order: one streaming query, memory
	// constant, for an index that keeps the visibility of every statement
	// (the network). fn may keep the slice it is given.
	ScanStatements(ctx context.Context, f Filter, q EntityQuery, fn func([]Statement) error) error
	// Counts returns the number of visible entities per schema.
	Counts(ctx context.Context, f Filter) (map[string]int, error)
	// Datasets lists the datasets and when they were last imported.
	Datasets(ctx context.Context) ([]DatasetInfo, error)
}

// DatasetInfo describes one imported dataset.
type DatasetInfo struct {
	Name       string    `json:"name"`
	Version    string    `json:"version"`
	Source     string    `json:"source"`
	ImportedAt time.Time `json:"imported_at"`
}

// ContributionStore keeps the statements members contribute. Only the
// originator (ContributedBy) changes its statements; a statement hidden from
// or absent for the member gives the same ENOTFOUND.
type ContributionStore interface {
	// Contribute appends statements (already validated by access).
	Contribute(ctx context.Context, stmts []Statement) error
	// Reshare changes the audience and handling of the member's statements.
	Reshare(ctx context.Context, member string, ids []string, a Audience, h TLP) error
	// Retract retracts the member's statements (kept, marked retracted).
	Retract(ctx context.Context, member string, ids []string) error
	// Statement returns one statement if f sees it.
	Statement(ctx context.Context, f Filter, id string) (*Statement, error)
}

// CoalitionStore keeps members and groups.
type CoalitionStore interface {
	Members(ctx context.Context) ([]Member, error)
	Member(ctx context.Context, id string) (*Member, error)
	PutMember(ctx context.Context, m *Member) error
	DeleteMember(ctx context.Context, id string) error
	Groups(ctx context.Context) ([]Group, error)
	Group(ctx context.Context, id string) (*Group, error)
	// PutGroup creates or replaces a group and bumps its version.
	PutGroup(ctx context.Context, g *Group) error
	DeleteGroup(ctx context.Context, id string) error
	// LoadCoalition replaces members and groups with c in one transaction.
	LoadCoalition(ctx context.Context, c *Coalition) error
	// MemberGroups returns the ids of the groups member belongs to.
	MemberGroups(ctx context.Context, member string) ([]string, error)
}

// Store is everything a Concord node persists. Every write of a Store
// appends one AuditEvent, with the actor of its context, and its Changes to
// the ChangeFeed, in the write's own transaction.
type Store interface {
	EntityStore
	CoalitionStore
	ContributionStore
	UserStore
	AuditStore
	JobStore
	AlertStore
	WorkflowStore
	ChangeFeed
	PNRStore
	FederationStore
	Close() error
}

// Clock tells the time; injected so tests control it.
type Clock interface{ Now() time.Time }

// SystemClock is the wall clock (UTC, microsecond precision so that every
// store keeps it exactly).
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
