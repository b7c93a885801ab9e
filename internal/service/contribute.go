package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"concord"
	"concord/access"
	"concord/internal/mediabank"
)

// Contribution is what a member states about a new entity (EntityID empty)
// or one the contributor sees.
type Contribution struct {
	EntityID   string
	Schema     string // "" on an existing entity: its schema
	Properties map[string][]string
	Audience   string
	Handling   string
}

// EntityIDRE is the shape of an entity id a client may name.
var EntityIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)

// Bounds of one contribution.
const (
	MaxValues   = 1000
	MaxValueLen = 4096
	MaxIDs      = 1000
)

// Contribute stores v's member's statements; it returns the entity id and
// the statements written. Contributing to an entity needs seeing it: a
// hidden entity is missing, never "already exists".
func (s *Service) Contribute(ctx context.Context, v access.Viewer, c Contribution) (string, []concord.Statement, error) {
	if err := Need(v, access.Contribute, "contributing"); err != nil {
		return "", nil, err
	}
	aud, hdl, err := Share(v, c.Audience, c.Handling)
	if err != nil {
		return "", nil, err
	}
	if concord.IsCaseSchema(c.Schema) {
		return "", nil, concord.Errorf(concord.EINVALID, "case records (%s) are recorded through /v1/cases", c.Schema)
	}
	if slices.Contains(concord.WorkSchemata, c.Schema) {
		return "", nil, concord.Errorf(concord.EINVALID, "meetings, joint statements, decisions and action items are recorded through /v1/meetings, /v1/joint-statements, /v1/decisions and /v1/actions")
	}
	id := c.EntityID
	if id != "" {
		if !EntityIDRE.MatchString(id) {
			return "", nil, concord.Errorf(concord.EINVALID, "entity_id %q: letters, digits and . _ : - (at most 128)", id)
		}
		e, err := s.Store.Entity(ctx, v.Filter(), id)
		if err != nil {
			return "", nil, Hidden(err, "entity")
		}
		if concord.IsCaseSchema(e.Schema) {
			return "", nil, guard(e, "")
		}
		if slices.Contains(concord.WorkSchemata, e.Schema) {
			return "", nil, concord.Errorf(concord.EINVALID, "%s is a record of the coalition's work: it is recorded whole, through its own endpoint", id)
		}
		if c.Schema == "" {
			c.Schema = e.Schema
		}
		if err := fits(c.Schema, e.Schema); err != nil {
			return "", nil, err
		}
	} else {
		b := make([]byte, 8)
		if _, err := rand.Read(b); err != nil {
			return "", nil, err
		}
		id = "m-" + v.Member + "-" + hex.EncodeToString(b)
	}
	sch := concord.SchemaByName(c.Schema)
	if sch == nil {
		return "", nil, concord.Errorf(concord.EINVALID, "unknown schema %q", c.Schema)
	}
	ent := concord.NewEntity(id, sch.Name)
	n := 0
	for _, prop := range slices.Sorted(func(yield func(string) bool) {
		for k := range c.Properties {
			if !yield(k) {
				return
			}
		}
	}) {
		if prop == "id" || !sch.HasProp(prop) {
			return "", nil, concord.Errorf(concord.EINVALID, "properties: schema %s has no property %s", sch.Name, concord.Quote(prop))
		}
		for i, val := range c.Properties[prop] {
			field := "properties." + prop + "[" + strconv.Itoa(i) + "]"
			val = strings.TrimSpace(val)
			// Text that no store keeps (NUL, control characters, invalid
			// UTF-8), values their type refuses (a birthDate that is no
			// date) and unbounded ones: a 400 naming the field.
			if err := concord.CheckText(val, MaxValueLen, true); err != nil || val == "" {
				if err == nil {
					err = concord.Errorf(concord.EINVALID, "empty value")
				}
				return "", nil, concord.FieldError(field, err)
			}
			if sch.Name == mediabank.Schema {
				var err error
				if val, err = mediabank.CheckValue(prop, val); err != nil {
					return "", nil, err
				}
			}
			if sch.Props[prop] == concord.TypeCountry {
				cc, ok := concord.CountryCode(val)
				if !ok {
					return "", nil, concord.Errorf(concord.EINVALID, "%s: unknown country %s", field, concord.Quote(val))
				}
				val = cc
			}
			if err := concord.CheckValue(sch, prop, val); err != nil {
				return "", nil, concord.FieldError(field, err)
			}
			ent.Add(prop, val)
			n++
		}
	}
	if n == 0 {
		return "", nil, concord.Errorf(concord.EINVALID, "no property values to contribute")
	}
	if n > MaxValues {
		return "", nil, concord.Errorf(concord.EINVALID, "at most %d values in one contribution", MaxValues)
	}
	stmts := ent.Statements(concord.Provenance{
		Dataset: "member-" + v.Member, SourceRef: v.Member + ":" + id, ContributedBy: v.Member,
		Audience: aud, Handling: hdl, Seen: s.now().Now(),
	})
	if err := s.Store.Contribute(ctx, stmts); err != nil {
		return "", nil, err
	}
	s.changed(id)
	return id, stmts, nil
}

// Share parses and checks an audience and handling for the viewer.
func Share(v access.Viewer, audience, handling string) (concord.Audience, concord.TLP, error) {
	if audience == "" || handling == "" {
		return "", "", concord.Errorf(concord.EINVALID, "audience and handling are required (e.g. \"coalition\", \"AMBER\")")
	}
	a, err := concord.ParseAudience(audience)
	if err != nil {
		return "", "", err
	}
	h, err := concord.ParseTLP(handling)
	if err != nil {
		return "", "", err
	}
	return a, h, access.ValidateShare(v, a, h)
}

// fits checks that a contribution's schema agrees with the entity's.
func fits(schema, entitySchema string) error {
	a, b := concord.SchemaByName(schema), concord.SchemaByName(entitySchema)
	if a == nil {
		return concord.Errorf(concord.EINVALID, "unknown schema %q", schema)
	}
	if b == nil || a.Is(entitySchema) || b.Is(schema) {
		return nil
	}
	return concord.Errorf(concord.EINVALID, "schema %s does not fit an entity of schema %s", schema, entitySchema)
}

// StatementChange retracts statements, or reshares them (a new audience
// and handling: wider or narrower).
type StatementChange struct {
	IDs      []string
	Reshare  bool
	Audience string // reshare only
	Handling string // reshare only
}

// ChangeStatements retracts or reshares v's member's statements and
// returns the entities they belong to. Only the originator changes a
// statement; another member's statement is not found.
func (s *Service) ChangeStatements(ctx context.Context, v access.Viewer, c StatementChange) ([]string, error) {
	if err := Need(v, access.Contribute, "changing statements"); err != nil {
		return nil, err
	}
	ids := slices.Compact(slices.Sorted(slices.Values(c.IDs)))
	if len(ids) == 0 || len(ids) > MaxIDs {
		return nil, concord.Errorf(concord.EINVALID, "ids: 1 to %d statement ids", MaxIDs)
	}
	var aud concord.Audience
	var hdl concord.TLP
	if c.Reshare {
		var err error
		if aud, hdl, err = Share(v, c.Audience, c.Handling); err != nil {
			return nil, err
		}
	} else if c.Audience != "" || c.Handling != "" {
		return nil, concord.Errorf(concord.EINVALID, "retract takes ids only")
	}
	f := v.Filter()
	var entities []string
	for _, id := range ids {
		st, err := s.Store.Statement(ctx, f, id)
		if err != nil {
			return nil, Hidden(err, "statement "+id)
		}
		if !access.CanRetract(v, st) {
			return nil, NotFound("statement " + id)
		}
		if concord.IsCaseSchema(st.Schema) {
			return nil, concord.Errorf(concord.EINVALID, "statement %s belongs to a case: a case is reshared as a whole, through /v1/cases", id)
		}
		entities = append(entities, st.EntityID)
	}
	var err error
	if c.Reshare {
		err = s.Store.Reshare(ctx, v.Member, ids, aud, hdl)
	} else {
		err = s.Store.Retract(ctx, v.Member, ids)
	}
	if err != nil {
		return nil, Hidden(err, "statement")
	}
	entities = slices.Compact(slices.Sorted(slices.Values(entities)))
	for _, e := range entities {
		s.changed(e)
	}
	return entities, nil
}

// OwnStatement returns a statement v's member originated (and so may
// reshare or retract); any other is not found.
func (s *Service) OwnStatement(ctx context.Context, v access.Viewer, id string) (*concord.Statement, error) {
	if err := Need(v, access.Contribute, "changing statements"); err != nil {
		return nil, err
	}
	st, err := s.Store.Statement(ctx, v.Filter(), id)
	if err != nil {
		return nil, Hidden(err, "statement")
	}
	if !access.CanRetract(v, st) {
		return nil, NotFound("statement")
	}
	return st, nil
}

// Contributions lists up to limit entities that v's member contributed
// to, as v sees them, in order of first statement.
func (s *Service) Contributions(ctx context.Context, v access.Viewer, limit int) ([]*concord.Entity, error) {
	if err := Need(v, access.Contribute, "listing contributions"); err != nil {
		return nil, err
	}
	var out []*concord.Entity
	errEnough := errors.New("enough")
	err := s.Store.EachEntity(ctx, v.Filter(), concord.EntityQuery{Dataset: "member-" + v.Member}, func(e *concord.Entity) error {
		out = append(out, e)
		if len(out) >= limit {
			return errEnough
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, err
	}
	return out, nil
}
