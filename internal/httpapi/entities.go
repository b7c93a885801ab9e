package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"concord"
	"concord/access"
)

// hidden maps a store's not-found to the one body of a missing record, so
// that no store message tells hidden from absent.
func hidden(err error, what string) error {
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		return errNotFound(what)
	}
	return err
}

// entity is GET /v1/entities/{id}: the entity as the caller sees it.
func (s *Server) entity(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.Read, "reading entities"); err != nil {
		return err
	}
	id := r.PathValue("id")
	e, err := s.store.Entity(r.Context(), c.v.Filter(), id)
	if err != nil && concord.ErrorCode(err) != concord.ENOTFOUND {
		return err
	}
	detail := ""
	if err != nil {
		detail = "not_found"
	}
	if aerr := s.audit(r.Context(), "entity.read", id, detail); aerr != nil {
		return aerr
	}
	if err != nil {
		return hidden(err, "entity")
	}
	writeJSON(w, http.StatusOK, toJSON(e))
	return nil
}

// entityStatements is GET /v1/entities/{id}/statements: the statements the
// caller sees, with their provenance.
func (s *Server) entityStatements(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.Read, "reading statements"); err != nil {
		return err
	}
	id := r.PathValue("id")
	st, err := s.store.Statements(r.Context(), c.v.Filter(), id)
	if err != nil && concord.ErrorCode(err) != concord.ENOTFOUND {
		return err
	}
	detail := ""
	if err != nil || len(st) == 0 {
		detail = "not_found"
	}
	if aerr := s.audit(r.Context(), "entity.statements", id, detail); aerr != nil {
		return aerr
	}
	if detail != "" {
		return errNotFound("entity")
	}
	writeJSON(w, http.StatusOK, map[string]any{"entity_id": id, "statements": st})
	return nil
}

// stats is GET /v1/stats: entity counts per schema in the caller's view.
func (s *Server) stats(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.Read, "reading counts"); err != nil {
		return err
	}
	counts, err := s.store.Counts(r.Context(), c.v.Filter())
	if err != nil {
		return err
	}
	if counts == nil {
		counts = map[string]int{}
	}
	n := 0
	for _, k := range counts {
		n += k
	}
	if err := s.audit(r.Context(), "stats", "", ""); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"schemata": counts, "total": n})
	return nil
}

type contributeRequest struct {
	EntityID   string              `json:"entity_id,omitempty"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
	Audience   string              `json:"audience"`
	Handling   string              `json:"handling"`
}

var entityIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)

// Bounds of one contribution.
const (
	maxValues   = 1000
	maxValueLen = 4096
	maxIDs      = 1000
)

// contribute is POST /v1/statements: the caller's member states property
// values about a new entity or one the caller sees.
func (s *Server) contribute(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := need(c.v, access.Contribute, "contributing"); err != nil {
		return err
	}
	var req contributeRequest
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	aud, hdl, err := share(c.v, req.Audience, req.Handling)
	if err != nil {
		return err
	}
	ctx := r.Context()
	id := req.EntityID
	if id != "" {
		if !entityIDRE.MatchString(id) {
			return concord.Errorf(concord.EINVALID, "entity_id %q: letters, digits and . _ : - (at most 128)", id)
		}
		// Contributing to an entity needs seeing it: a hidden entity is
		// missing, never "already exists".
		e, err := s.store.Entity(ctx, c.v.Filter(), id)
		if err != nil {
			return hidden(err, "entity")
		}
		if req.Schema == "" {
			req.Schema = e.Schema
		}
		if err := fits(req.Schema, e.Schema); err != nil {
			return err
		}
	} else {
		b := make([]byte, 8)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		id = "m-" + c.v.Member + "-" + hex.EncodeToString(b)
	}
	sch := concord.SchemaByName(req.Schema)
	if sch == nil {
		return concord.Errorf(concord.EINVALID, "unknown schema %q", req.Schema)
	}
	ent := concord.NewEntity(id, sch.Name)
	n := 0
	for prop, vals := range req.Properties {
		if prop == "id" || !sch.HasProp(prop) {
			return concord.Errorf(concord.EINVALID, "schema %s has no property %q", sch.Name, prop)
		}
		for _, v := range vals {
			v = strings.TrimSpace(v)
			if v == "" || len(v) > maxValueLen {
				return concord.Errorf(concord.EINVALID, "property %s: values must be 1 to %d bytes", prop, maxValueLen)
			}
			if sch.Props[prop] == concord.TypeCountry {
				cc, ok := concord.CountryCode(v)
				if !ok {
					return concord.Errorf(concord.EINVALID, "property %s: unknown country %q", prop, v)
				}
				v = cc
			}
			ent.Add(prop, v)
			n++
		}
	}
	if n == 0 {
		return concord.Errorf(concord.EINVALID, "no property values to contribute")
	}
	if n > maxValues {
		return concord.Errorf(concord.EINVALID, "at most %d values in one contribution", maxValues)
	}
	stmts := ent.Statements(concord.Provenance{
		Dataset: "member-" + c.v.Member, SourceRef: c.v.Member + ":" + id, ContributedBy: c.v.Member,
		Audience: aud, Handling: hdl, Seen: s.clock.Now(),
	})
	if err := s.store.Contribute(ctx, stmts); err != nil {
		return err
	}
	s.cfg.OnChange(id)
	s.metrics.inc("concord_contributions_total", "contribute", 1)
	writeJSON(w, http.StatusCreated, map[string]any{"entity_id": id, "statements": stmts})
	return nil
}

// share parses and checks an audience and handling for the viewer.
func share(v access.Viewer, audience, handling string) (concord.Audience, concord.TLP, error) {
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

type idsRequest struct {
	IDs      []string `json:"ids"`
	Audience string   `json:"audience,omitempty"`
	Handling string   `json:"handling,omitempty"`
}

// retract is POST /v1/statements/retract: only the originator retracts; a
// statement of another member is not found.
func (s *Server) retract(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.changeStatements(w, r, c, false)
}

// reshare is POST /v1/statements/reshare: the originator widens or narrows
// the audience and handling of its statements.
func (s *Server) reshare(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.changeStatements(w, r, c, true)
}

func (s *Server) changeStatements(w http.ResponseWriter, r *http.Request, c *caller, reshare bool) error {
	if err := need(c.v, access.Contribute, "changing statements"); err != nil {
		return err
	}
	var req idsRequest
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	ids := slices.Compact(slices.Sorted(slices.Values(req.IDs)))
	if len(ids) == 0 || len(ids) > maxIDs {
		return concord.Errorf(concord.EINVALID, "ids: 1 to %d statement ids", maxIDs)
	}
	var aud concord.Audience
	var hdl concord.TLP
	if reshare {
		var err error
		if aud, hdl, err = share(c.v, req.Audience, req.Handling); err != nil {
			return err
		}
	} else if req.Audience != "" || req.Handling != "" {
		return concord.Errorf(concord.EINVALID, "retract takes ids only")
	}
	ctx := r.Context()
	f := c.v.Filter()
	var entities []string
	for _, id := range ids {
		st, err := s.store.Statement(ctx, f, id)
		if err != nil {
			return hidden(err, "statement "+id)
		}
		if !access.CanRetract(c.v, st) {
			return errNotFound("statement " + id)
		}
		entities = append(entities, st.EntityID)
	}
	action, key := "retract", "retracted"
	var err error
	if reshare {
		action, key = "reshare", "reshared"
		err = s.store.Reshare(ctx, c.v.Member, ids, aud, hdl)
	} else {
		err = s.store.Retract(ctx, c.v.Member, ids)
	}
	if err != nil {
		return hidden(err, "statement")
	}
	for _, e := range slices.Compact(slices.Sorted(slices.Values(entities))) {
		s.cfg.OnChange(e)
	}
	s.metrics.inc("concord_contributions_total", action, 1)
	writeJSON(w, http.StatusOK, map[string]any{key: len(ids), "entities": slices.Compact(slices.Sorted(slices.Values(entities)))})
	return nil
}
