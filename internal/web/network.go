package web

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"

	"concord"
	"concord/access"
	"concord/graph"
)

func (s *Server) networkRoutes() []route {
	return []route{
		{"GET /entities/{id}/network", s.network, false},
	}
}

// networkPage is an entity's neighbourhood drawn by the server, with its
// edges and its exposure to listed entities.
type networkPage struct {
	ID        string
	Hops      int
	Picture   template.HTML // graph.WriteSVG escapes every text it draws
	Sub       *graph.Subgraph
	Exposure  *graph.Exposure
	Truncated bool
}

// network is the console's picture of the network around an entity, as
// the viewer sees it (the same view as /v1/graph).
func (s *Server) network(w http.ResponseWriter, r *http.Request, q *request) error {
	if !q.v.Can(access.Read) {
		return concord.Errorf(concord.EFORBIDDEN, "reading the network needs the read scope")
	}
	if s.cfg.Network == nil || s.cfg.Network() == nil {
		return concord.Errorf(concord.EUNSUPPORTED, "the network is not loaded on this node")
	}
	hops := 2
	if h, err := strconv.Atoi(r.URL.Query().Get("hops")); err == nil && h >= 1 && h <= 3 {
		hops = h
	}
	id := r.PathValue("id")
	v := s.cfg.Network().View(q.v.Filter())
	sub, err := v.Neighbourhood(id, hops, 150)
	if err != nil {
		return err
	}
	ex, err := v.Exposure(id, 3, 10)
	if err != nil {
		return err
	}
	var pic bytes.Buffer
	if err := graph.WriteSVG(&pic, sub); err != nil {
		return err
	}
	if err := s.svc.Audit(r.Context(), "graph.neighbourhood", id, "console"); err != nil {
		return err
	}
	d := networkPage{ID: id, Hops: hops, Picture: template.HTML(pic.String()), Sub: sub, Exposure: ex, Truncated: sub.Truncated}
	return s.render(w, r, q, http.StatusOK, "network", "Network of "+ex.Entity.Caption, d)
}
