package concord

import (
	"context"
	"iter"
	"time"
)

// StatementVersion is one state of a statement as federation carries it
// between nodes. Versions are keyed by the node where the statement was made
// (Origin) and that node's sequence (OriginSeq, increasing with every change
// it makes to its statements): a receiver keeps, per statement, the highest
// version it has seen, so replays, duplicates and out-of-order delivery change
// nothing.
type StatementVersion struct {
	Origin    string `json:"origin"`
	OriginSeq int64  `json:"origin_seq"`
	// Withdrawn says the statement is no longer for the receiver: retracted by
	// its originator, or narrowed to an audience the receiver is not in. A
	// withdrawal carries the statement's id only (not its new audience).
	Withdrawn bool      `json:"withdrawn,omitempty"`
	Statement Statement `json:"statement"`
}

// Share is an audience and handling a statement had.
type Share struct {
	Audience Audience
	Handling TLP
}

// FederationEntry is one version in a node's federation log, at local
// position Seq: the node's own changes and the versions it received from
// peers, in the order it learnt them. Statement holds the statement's
// content with the version's audience, handling and retraction; Earlier
// lists the (unretracted) shares it had in the entries before this one, so
// that a feed can tell a receiver that saw an earlier version that it is
// withdrawn.
type FederationEntry struct {
	Seq int64
	StatementVersion
	Earlier []Share
	// CaseOnly says the statement is of a case's record or a minor's
	// (IsCaseSchema, TopicMinor): only the case operations serve those, with
	// a purpose, so no feed or bundle carries them.
	CaseOnly bool
}

// Peer is another Concord node this node exchanges statements with,
// configured by its public key and the member it serves.
type Peer struct {
	ID        string `json:"id"`         // local name of the peer (a slug)
	Member    string `json:"member"`     // the member whose view the peer receives
	PublicKey string `json:"public_key"` // its node key, "ed25519:<base64>"
	URL       string `json:"url,omitempty"`
	// Relay peers (a coalition node) may forward the statements of other
	// members and nodes; others may send only their own member's.
	Relay bool `json:"relay,omitempty"`
	// NodeID is the peer's node id, learnt on first contact and held to it
	// afterwards (it survives the peer's key rotation).
	NodeID string `json:"node_id,omitempty"`
	// Cursor is the opaque position reached in the peer's feed.
	Cursor string `json:"cursor,omitempty"`
	// Bundle is the number of the last bundle imported from the peer.
	Bundle   int64     `json:"bundle,omitempty"`
	LastSync time.Time `json:"last_sync,omitzero"`
	AddedAt  time.Time `json:"added_at"`
}

// FederationSource says where a batch of versions comes from, and what
// position in the sender's sequence it covers: ApplyFederated checks it
// against what was imported before, in its own transaction.
type FederationSource struct {
	Peer   string // peer id
	NodeID string // the sender's node id
	// A feed page continues from Since, which must be the peer's stored
	// cursor, and ends at Until, which becomes it.
	Since, Until string
	// A bundle has a Number and continues the sender's bundle Base (0: from
	// the start): refused as a replay when Number is not above the last one
	// imported, and as a gap when Base is above it.
	Number, Base int64
}

// FederationReport is what applying a batch of versions changed.
type FederationReport struct {
	Versions  int      `json:"versions"`  // versions received
	Added     int      `json:"added"`     // statements new to this node
	Updated   int      `json:"updated"`   // audience, handling or retraction changed
	Withdrawn int      `json:"withdrawn"` // statements retracted here
	Ignored   int      `json:"ignored"`   // duplicates, stale versions, this node's own
	Entities  []string `json:"entities,omitempty"`
}

// ExportRecord numbers a bundle exported to a member.
type ExportRecord struct {
	Member string
	Number int64 // this bundle
	Base   int64 // the bundle it continues (0: from the start)
	Since  int64 // log positions it covers: (Since, Until]
	Until  int64
}

// FederationStore keeps what federation needs: the node id, the federation
// log, peers and their cursors, and the bundles exported.
type FederationStore interface {
	// NodeID is this node's id (created on first use).
	NodeID(ctx context.Context) (string, error)
	// NodeMember is the member this node serves ("" until set).
	NodeMember(ctx context.Context) (string, error)
	SetNodeMember(ctx context.Context, member string) error
	// SyncFederationLog appends to the log a version of every statement
	// members contributed whose audience, handling or retraction changed
	// since it was last logged, with this node as origin.
	SyncFederationLog(ctx context.Context) error
	// FederationLog returns up to limit entries after position after.
	FederationLog(ctx context.Context, after int64, limit int) ([]FederationEntry, error)
	// FederationHead is the position of the last entry (0 if none).
	FederationHead(ctx context.Context) (int64, error)
	// ApplyFederated applies versions received from src in one
	// transaction: all or, on any error (including one the sequence yields),
	// nothing.
	ApplyFederated(ctx context.Context, src FederationSource, versions iter.Seq2[*StatementVersion, error]) (*FederationReport, error)

	Peers(ctx context.Context) ([]Peer, error)
	Peer(ctx context.Context, id string) (*Peer, error)
	// PutPeer adds or updates a peer's configuration (its cursor, node id
	// and bundle number are kept unless reset).
	PutPeer(ctx context.Context, p *Peer) error
	DeletePeer(ctx context.Context, id string) error

	// RecordExport records a bundle exported (ECONFLICT when its number is
	// taken).
	RecordExport(ctx context.Context, rec *ExportRecord) error
	// Exports lists the bundles exported to member, oldest first.
	Exports(ctx context.Context, member string) ([]ExportRecord, error)
}
