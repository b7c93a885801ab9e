package concord

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"time"
)

// Entity is a view of the statements about one thing that a viewer may see:
// a FollowTheMoney-style schema with multi-valued properties. Values keep the
// order in which they were first stated.
type Entity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
	Datasets   []string            `json:"datasets"`
	Refs       []string            `json:"referents"` // source records, e.g. "un:QDi.001"
	FirstSeen  time.Time           `json:"first_seen"`
	LastSeen   time.Time           `json:"last_seen"`
}

// NewEntity returns an empty entity.
func NewEntity(id, schema string) *Entity {
	return &Entity{ID: id, Schema: schema, Properties: map[string][]string{}}
}

// Add appends value to prop unless it is already there or empty.
func (e *Entity) Add(prop string, values ...string) {
	for _, v := range values {
		if v == "" || slices.Contains(e.Properties[prop], v) {
			continue
		}
		e.Properties[prop] = append(e.Properties[prop], v)
	}
}

// First returns the first value of prop, or "".
func (e *Entity) First(prop string) string {
	if v := e.Properties[prop]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Caption is the display name of the entity: its first name-like value.
func (e *Entity) Caption() string {
	for _, p := range []string{"name", "full", "number", "accountNumber", "publicKey", "alias"} {
		if v := e.First(p); v != "" {
			return v
		}
	}
	return e.ID
}

// Names returns every name and alias of the entity (not weak aliases).
func (e *Entity) Names() []string {
	var out []string
	for _, p := range []string{"name", "alias", "previousName"} {
		out = append(out, e.Properties[p]...)
	}
	return out
}

// PropNames returns the entity's property names, sorted.
func (e *Entity) PropNames() []string {
	out := make([]string, 0, len(e.Properties))
	for k := range e.Properties {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Assemble builds entities from statements, in order of first appearance of
// each entity id. Statements must already be filtered for the viewer and
// ordered by Seq. The schema of an entity is the most specific one stated.
func Assemble(stmts []Statement) []*Entity {
	var out []*Entity
	byID := map[string]*Entity{}
	for i := range stmts {
		s := &stmts[i]
		e := byID[s.EntityID]
		if e == nil {
			e = NewEntity(s.EntityID, s.Schema)
			e.FirstSeen, e.LastSeen = s.FirstSeen, s.LastSeen
			byID[s.EntityID] = e
			out = append(out, e)
		}
		e.absorb(s)
	}
	return out
}

func (e *Entity) absorb(s *Statement) {
	if s.Schema != e.Schema {
		if a, b := SchemaByName(s.Schema), SchemaByName(e.Schema); a != nil && b != nil && a.Is(e.Schema) && !b.Is(s.Schema) {
			e.Schema = s.Schema
		}
	}
	if s.Prop != "" && s.Prop != "id" {
		e.Add(s.Prop, s.Value)
	}
	if s.Dataset != "" && !slices.Contains(e.Datasets, s.Dataset) {
		e.Datasets = append(e.Datasets, s.Dataset)
	}
	if s.SourceRef != "" && !slices.Contains(e.Refs, s.SourceRef) {
		e.Refs = append(e.Refs, s.SourceRef)
	}
	if !s.FirstSeen.IsZero() && (e.FirstSeen.IsZero() || s.FirstSeen.Before(e.FirstSeen)) {
		e.FirstSeen = s.FirstSeen
	}
	if s.LastSeen.After(e.LastSeen) {
		e.LastSeen = s.LastSeen
	}
}

// Statements turns an entity into statements with the given provenance. An
// entity with no properties still yields one "id" statement so that it exists.
func (e *Entity) Statements(p Provenance) []Statement {
	out := e.AppendStatements(nil, p)
	for i := range out {
		out[i] = out[i].MakeID()
	}
	return out
}

// AppendStatements appends the entity's statements to dst as Statements
// makes them, but with no ID: for a batch of an import into p.Dataset,
// which works the id out (the same) as it checks each statement, so that
// a reader does not hash every statement twice.
func (e *Entity) AppendStatements(dst []Statement, p Provenance) []Statement {
	mk := func(prop, value string) {
		dst = append(dst, Statement{
			EntityID: e.ID, Schema: e.Schema, Prop: prop, Value: value,
			Dataset: p.Dataset, SourceRef: p.SourceRef, ContributedBy: p.ContributedBy,
			Audience: p.Audience, Handling: p.Handling, FirstSeen: p.Seen, LastSeen: p.Seen,
		})
	}
	mk("id", e.ID)
	for _, prop := range e.PropNames() {
		for _, v := range e.Properties[prop] {
			mk(prop, v)
		}
	}
	return dst
}

// Provenance is what every statement of one import or contribution shares.
type Provenance struct {
	Dataset       string
	SourceRef     string
	ContributedBy string
	Audience      Audience
	Handling      TLP
	Seen          time.Time
}

// Version is a hash of the entity's schema and values, independent of their
// order: it changes when the entity, as this view of it shows it, changes.
// A dismissed alert is remembered against the version its reviewer saw.
func (e *Entity) Version() string {
	h := sha256.New()
	h.Write([]byte(e.Schema))
	props := e.PropNames()
	sort.Strings(props)
	for _, p := range props {
		vals := append([]string(nil), e.Properties[p]...)
		sort.Strings(vals)
		fmt.Fprintf(h, "\x00%s=%q", p, vals)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
