package concord

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"time"
)

// TLP is a Traffic Light Protocol 2.0 handling label.
type TLP string

// TLP 2.0 labels, from most to least shareable.
const (
	TLPClear       TLP = "CLEAR"
	TLPGreen       TLP = "GREEN"
	TLPAmber       TLP = "AMBER"
	TLPAmberStrict TLP = "AMBER+STRICT"
	TLPRed         TLP = "RED"
)

// TLPs lists every label from most to least shareable.
var TLPs = []TLP{TLPClear, TLPGreen, TLPAmber, TLPAmberStrict, TLPRed}

// ParseTLP accepts a label with or without the "TLP:" prefix, any case.
func ParseTLP(s string) (TLP, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	u = strings.TrimPrefix(u, "TLP:")
	if u == "WHITE" { // TLP 1.0 name
		u = string(TLPClear)
	}
	for _, t := range TLPs {
		if string(t) == u {
			return t, nil
		}
	}
	return "", Errorf(EINVALID, "unknown TLP label %q (want CLEAR, GREEN, AMBER, AMBER+STRICT or RED)", s)
}

// Audience says who may see a statement: "public" (published lists),
// "coalition", "member:<id>" or "group:<id>".
type Audience string

// Well-known audiences.
const (
	AudiencePublic    Audience = "public"
	AudienceCoalition Audience = "coalition"
)

// MemberAudience is the audience of one member.
func MemberAudience(id string) Audience { return Audience("member:" + id) }

// GroupAudience is the audience of one group's members.
func GroupAudience(id string) Audience { return Audience("group:" + id) }

// ParseAudience validates an audience string.
func ParseAudience(s string) (Audience, error) {
	switch {
	case s == string(AudiencePublic), s == string(AudienceCoalition):
		return Audience(s), nil
	case strings.HasPrefix(s, "member:") && len(s) > len("member:"),
		strings.HasPrefix(s, "group:") && len(s) > len("group:"):
		return Audience(s), nil
	}
	return "", Errorf(EINVALID, "unknown audience %q (want public, coalition, member:<id> or group:<id>)", s)
}

// Statement is the unit of truth: one value of one property of one entity,
// with its provenance. Statements are append-only: a removal is a retraction.
type Statement struct {
	ID            string    `json:"id"`
	EntityID      string    `json:"entity_id"`
	Schema        string    `json:"schema"`
	Prop          string    `json:"prop"`
	Value         string    `json:"value"`
	Lang          string    `json:"lang,omitempty"` // ISO 639-3 language or script hint of the value, if known
	Dataset       string    `json:"dataset"`        // e.g. "un", "ofac", "member-es"
	SourceRef     string    `json:"source_ref"`     // e.g. "un:QDi.001", "ofac:12345"
	ContributedBy string    `json:"contributed_by"` // member id; "" for public lists loaded by the operator
	Audience      Audience  `json:"audience"`       // who may see it
	Handling      TLP       `json:"handling"`       // TLP 2.0
	FirstSeen     time.Time `json:"first_seen"`
	LastSeen      time.Time `json:"last_seen"`
	Retracted     bool      `json:"retracted,omitempty"`
	Seq           int64     `json:"-"` // storage order; assigned by the store
}

// StatementID is the stable identity of a statement: the same value of the
// same property of the same entity, said by the same contributor in the same
// dataset, is the same statement across imports.
//
// It is the SHA-1 of the six fields, each followed by a zero byte, in hex.
// The fields are hashed from one buffer on the stack (a value longer than
// it grows it on the heap) and the hex written into another: the string
// returned is the one allocation, where a hash.Hash took a dozen (a
// statement's id is worked out for every statement an import reads).
func StatementID(entityID, prop, value, lang, dataset, contributedBy string) string {
	var buf [256]byte
	b := buf[:0]
	for _, p := range [...]string{entityID, prop, value, lang, dataset, contributedBy} {
		b = append(append(b, p...), 0)
	}
	sum := sha1.Sum(b)
	var out [2 * sha1.Size]byte
	hex.Encode(out[:], sum[:])
	return string(out[:])
}

// MakeID fills s.ID from its identifying fields and returns s.
func (s Statement) MakeID() Statement {
	s.ID = StatementID(s.EntityID, s.Prop, s.Value, s.Lang, s.Dataset, s.ContributedBy)
	return s
}
