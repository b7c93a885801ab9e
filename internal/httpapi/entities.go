package httpapi

import (
	"net/http"
	"slices"

	"concord/access"
	"concord/internal/service"
)

// entity is GET /v1/entities/{id}: the entity as the caller sees it.
func (s *Server) entity(w http.ResponseWriter, r *http.Request, c *caller) error {
	e, err := s.svc.EntityFor(r.Context(), c.v, r.PathValue("id"), r.URL.Query().Get("purpose"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toJSON(e))
	return nil
}

// entityStatements is GET /v1/entities/{id}/statements: the statements the
// caller sees, with their provenance.
func (s *Server) entityStatements(w http.ResponseWriter, r *http.Request, c *caller) error {
	id := r.PathValue("id")
	st, err := s.svc.StatementsFor(r.Context(), c.v, id, r.URL.Query().Get("purpose"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"entity_id": id, "statements": st})
	return nil
}

// stats is GET /v1/stats: entity counts per schema in the caller's view.
func (s *Server) stats(w http.ResponseWriter, r *http.Request, c *caller) error {
	counts, n, err := s.svc.Counts(r.Context(), c.v)
	if err != nil {
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
	id, stmts, err := s.svc.Contribute(r.Context(), c.v, service.Contribution{EntityID: req.EntityID,
		Schema: req.Schema, Properties: req.Properties, Audience: req.Audience, Handling: req.Handling})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"entity_id": id, "statements": stmts})
	return nil
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
	entities, err := s.svc.ChangeStatements(r.Context(), c.v, service.StatementChange{IDs: req.IDs,
		Reshare: reshare, Audience: req.Audience, Handling: req.Handling})
	if err != nil {
		return err
	}
	key := "retracted"
	if reshare {
		key = "reshared"
	}
	writeJSON(w, http.StatusOK, map[string]any{key: len(slices.Compact(slices.Sorted(slices.Values(req.IDs)))), "entities": entities})
	return nil
}
