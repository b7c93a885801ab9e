package concord

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"
	"time"
)

// AuditEvent is one row of the tamper-evident audit: every write and every
// read. Rows form a hash chain: Hash covers the row's fields and Prev, the
// Hash of the row before it. A row sealed with an audit key (KeyID set) has
// an HMAC for Hash, which only the key's holder can compute: without the
// key, no row can be altered, inserted or the chain recomputed from a row.
type AuditEvent struct {
	Seq    int64     `json:"seq"`
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"`
	Member string    `json:"member,omitempty"`
	Via    string    `json:"via,omitempty"`
	Action string    `json:"action"` // e.g. "import", "entity.read", "match", "alert.decide"
	Object string    `json:"object,omitempty"`
	Detail string    `json:"detail,omitempty"`
	KeyID  string    `json:"key_id,omitempty"` // the AuditKey that sealed the row; "" before keys
	Prev   string    `json:"prev"`
	Hash   string    `json:"hash"`
	// MemberSeq numbers the rows of one member (by Member: "" for the
	// operator and the system) 1, 2, 3 ...: what a member's view shows in
	// place of Seq, which counts every member's rows. Not hashed: it follows
	// from the chain, and verification checks it.
	MemberSeq int64 `json:"-"`
}

// fields writes the hashed fields of ev, each length-prefixed.
func (ev *AuditEvent) fields(h hash.Hash) {
	parts := []string{
		strconv.FormatInt(ev.Seq, 10), ev.Time.UTC().Format(time.RFC3339Nano),
		ev.Actor, ev.Member, ev.Via, ev.Action, ev.Object, ev.Detail, ev.Prev,
	}
	if ev.KeyID != "" {
		parts = append(parts, ev.KeyID)
	}
	for _, p := range parts {
		h.Write([]byte(strconv.Itoa(len(p))))
		h.Write([]byte{':'})
		h.Write([]byte(p))
	}
}

// ComputeHash returns the unkeyed hash of ev chained to ev.Prev: the Hash of
// a row without KeyID (rows written before audit keys).
func (ev *AuditEvent) ComputeHash() string {
	h := sha256.New()
	ev.fields(h)
	return hex.EncodeToString(h.Sum(nil))
}

// AuditKey keys the audit chain. Its secret is kept outside the database
// (a file of the node, see internal/audit), so that whoever can write the
// database but does not hold the key cannot forge rows.
type AuditKey struct {
	ID     string // public fingerprint of the secret, stored in each row it seals
	Secret []byte // at least 32 random bytes
}

// Seal sets ev's KeyID and its Hash, the HMAC-SHA256 of its fields.
func (k *AuditKey) Seal(ev *AuditEvent) {
	ev.KeyID = k.ID
	ev.Hash = k.MAC(ev)
}

// MAC returns the HMAC-SHA256 of ev's fields (KeyID included) under k: what
// Hash must be for a row k sealed.
func (k *AuditKey) MAC(ev *AuditEvent) string {
	m := hmac.New(sha256.New, k.Secret)
	ev.fields(m)
	return hex.EncodeToString(m.Sum(nil))
}

// AuditQuery selects audit rows.
type AuditQuery struct {
	Member string // "" = all members
	Actor  string
	Action string
	After  int64 // seq; with ByMember, MemberSeq
	Limit  int
	// ByMember orders and pages the rows of Member by MemberSeq, for the
	// member's own view of the audit.
	ByMember bool
}

// AuditStore appends to and reads the audit. Stores also append one event in
// the transaction of each of their writes, with the actor of the context.
type AuditStore interface {
	// Audit appends an event (a read, or an action with no other write).
	Audit(ctx context.Context, action, object, detail string) error
	AuditEvents(ctx context.Context, q AuditQuery) ([]AuditEvent, error)
	// EachAuditEvent streams the whole chain in seq order, for verification.
	EachAuditEvent(ctx context.Context, fn func(*AuditEvent) error) error
}
