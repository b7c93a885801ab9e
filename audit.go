package concord

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// AuditEvent is one row of the tamper-evident audit: every write and every
// read. Rows form a hash chain: Hash covers the row's fields and Prev, the
// Hash of the row before it.
type AuditEvent struct {
	Seq    int64     `json:"seq"`
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"`
	Member string    `json:"member,omitempty"`
	Via    string    `json:"via,omitempty"`
	Action string    `json:"action"` // e.g. "import", "entity.read", "match", "alert.decide"
	Object string    `json:"object,omitempty"`
	Detail string    `json:"detail,omitempty"`
	Prev   string    `json:"prev"`
	Hash   string    `json:"hash"`
}

// ComputeHash returns the hash of ev chained to ev.Prev.
func (ev *AuditEvent) ComputeHash() string {
	h := sha256.New()
	for _, p := range []string{
		strconv.FormatInt(ev.Seq, 10), ev.Time.UTC().Format(time.RFC3339Nano),
		ev.Actor, ev.Member, ev.Via, ev.Action, ev.Object, ev.Detail, ev.Prev,
	} {
		h.Write([]byte(strconv.Itoa(len(p))))
		h.Write([]byte{':'})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditQuery selects audit rows.
type AuditQuery struct {
	Member string // "" = all members
	Actor  string
	Action string
	After  int64 // seq
	Limit  int
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
