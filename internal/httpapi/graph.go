package httpapi

import (
	"net/http"
	"strings"

	"concord"
	"concord/access"
	"concord/graph"
)

// network returns the caller's view of the network, or not_supported when
// the server has none.
func (s *Server) network(c *caller) (*graph.View, error) {
	if err := need(c.v, access.Read, "the network"); err != nil {
		return nil, err
	}
	if s.cfg.Network == nil || s.cfg.Network() == nil {
		return nil, concord.Errorf(concord.EUNSUPPORTED, "the network is not loaded on this node")
	}
	return s.cfg.Network().View(c.v.Filter()), nil
}

// graphParams reads the view and the bounds every question takes: hops
// (default defHops) and a count named count (default def, at most max).
func (s *Server) graphParams(r *http.Request, c *caller, defHops int, count string, def, max int) (*graph.View, int, int, error) {
	v, err := s.network(c)
	if err != nil {
		return nil, 0, 0, err
	}
	hops, err := intParam(r, "hops", defHops, 1, graph.MaxHops)
	if err != nil {
		return nil, 0, 0, err
	}
	n, err := intParam(r, count, def, 1, max)
	if err != nil {
		return nil, 0, 0, err
	}
	return v, hops, n, nil
}

// graphNeighbourhood is GET /v1/graph/{id}/neighbourhood: the entities
// within hops of id and the edges among them, as JSON, GraphML, Cytoscape
// JSON or SVG (format).
func (s *Server) graphNeighbourhood(w http.ResponseWriter, r *http.Request, c *caller) error {
	v, hops, limit, err := s.graphParams(r, c, 2, "limit", 500, graph.MaxNodes)
	if err != nil {
		return err
	}
	format, err := subgraphFormat(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	sub, err := v.Neighbourhood(id, hops, limit)
	if err != nil {
		return err
	}
	if err := s.audit(r.Context(), "graph.neighbourhood", id, format); err != nil {
		return err
	}
	return writeSubgraph(w, format, sub)
}

// subgraphFormat is the format of a neighbourhood asked for (format=):
// json (""), graphml, cytoscape or svg.
func subgraphFormat(r *http.Request) (string, error) {
	format := strings.ToLower(r.URL.Query().Get("format"))
	switch format {
	case "", "json", "graphml", "cytoscape", "svg":
		return format, nil
	}
	return "", concord.Errorf(concord.EINVALID, "format %q: want json, graphml, cytoscape or svg", format)
}

// writeSubgraph answers with sub in format.
func writeSubgraph(w http.ResponseWriter, format string, sub *graph.Subgraph) error {
	switch format {
	case "graphml":
		w.Header().Set("Content-Type", "application/graphml+xml")
		return graph.WriteGraphML(w, sub)
	case "cytoscape":
		w.Header().Set("Content-Type", "application/json")
		return graph.WriteCytoscape(w, sub)
	case "svg":
		w.Header().Set("Content-Type", "image/svg+xml")
		return graph.WriteSVG(w, sub)
	}
	writeJSON(w, http.StatusOK, sub)
	return nil
}

// graphExposure is GET /v1/graph/{id}/exposure: whether id is within hops
// of a listed entity, and the paths that say how.
func (s *Server) graphExposure(w http.ResponseWriter, r *http.Request, c *caller) error {
	v, hops, limit, err := s.graphParams(r, c, 3, "limit", 10, 100)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	ex, err := v.Exposure(id, hops, limit)
	if err != nil {
		return err
	}
	if err := s.audit(r.Context(), "graph.exposure", id, ""); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ex)
	return nil
}

// graphAnalysis is GET /v1/graph/{id}/analysis: components, communities and
// the most central entities within hops of id.
func (s *Server) graphAnalysis(w http.ResponseWriter, r *http.Request, c *caller) error {
	v, hops, top, err := s.graphParams(r, c, 2, "top", 10, 100)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	a, err := v.Analyse(id, hops, top)
	if err != nil {
		return err
	}
	if err := s.audit(r.Context(), "graph.analysis", id, ""); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// graphPaths is GET /v1/graph/paths?from=&to=: the shortest paths between
// two entities, each step with every edge and its provenance.
func (s *Server) graphPaths(w http.ResponseWriter, r *http.Request, c *caller) error {
	v, hops, limit, err := s.graphParams(r, c, 4, "limit", 10, 100)
	if err != nil {
		return err
	}
	from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
	if from == "" || to == "" {
		return concord.Errorf(concord.EINVALID, "parameters from and to (entity ids) are required")
	}
	ps, err := v.Paths(from, to, hops, limit)
	if err != nil {
		return err
	}
	if err := s.audit(r.Context(), "graph.paths", from, to); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"paths": ps})
	return nil
}
