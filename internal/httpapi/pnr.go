package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"concord"
	"concord/access"
	"concord/graph"
	"concord/internal/importer/pnrgov"
	"concord/internal/pnr"
	"concord/internal/service"
)

// PNR is the PNR unit's service (internal/pnr): every method decides the
// caller's rights with access and reads its member's data only.
type PNR interface {
	Import(ctx context.Context, v access.Viewer, source string, data []byte) (*concord.PNRImportReport, error)
	Bookings(ctx context.Context, v access.Viewer, locator string, limit int) ([]concord.Booking, error)
	Booking(ctx context.Context, v access.Viewer, id string) (*pnr.BookingView, error)
	Repersonalise(ctx context.Context, v access.Viewer, id string, n int, reason string) (*pnrgov.PNR, error)
	Links(ctx context.Context, v access.Viewer, kind, value string, limit int) (*pnr.LinkAnswer, error)
	LinksOf(ctx context.Context, v access.Viewer, id string, limit int) (*pnr.BookingLinks, error)
	Network(ctx context.Context, v access.Viewer, limit int) ([]pnr.NetworkEntry, error)
	Graph(ctx context.Context, v access.Viewer, id string, hops int) (*pnr.BookingGraph, error)
	Policy(ctx context.Context, v access.Viewer) (concord.PNRPolicy, error)
	SetPolicy(ctx context.Context, v access.Viewer, depersonalise, retain int) (concord.PNRPolicy, error)
	PutRule(ctx context.Context, v access.Viewer, r concord.PNRRule) (*concord.PNRRule, error)
	Rules(ctx context.Context, v access.Viewer) ([]concord.PNRRule, error)
	DeleteRule(ctx context.Context, v access.Viewer, id string) error
	Hits(ctx context.Context, v access.Viewer, q concord.RuleHitQuery) ([]concord.RuleHit, error)
	DecideHit(ctx context.Context, v access.Viewer, id int64, status, reason string) error
	Rates(ctx context.Context, v access.Viewer, ruleID string) (*pnr.RuleRates, error)
}

var _ PNR = (*pnr.Service)(nil)

func (s *Server) pnrRoutes() []route {
	return []route{
		{"POST", "/v1/pnr/pushes", s.pnrPush, false},
		{"GET", "/v1/pnr/bookings", s.pnrBookings, false},
		{"GET", "/v1/pnr/bookings/{id}", s.pnrBooking, false},
		{"GET", "/v1/pnr/bookings/{id}/links", s.pnrBookingLinks, false},
		{"GET", "/v1/pnr/bookings/{id}/network", s.pnrGraph, false},
		{"GET", "/v1/pnr/bookings/{id}/exposure", s.pnrExposure, false},
		{"POST", "/v1/pnr/bookings/{id}/versions/{n}/repersonalise", s.pnrRepersonalise, false},
		{"GET", "/v1/pnr/links", s.pnrLinks, false},
		{"GET", "/v1/pnr/network", s.pnrNetwork, false},
		{"GET", "/v1/pnr/policy", s.pnrPolicy, false},
		{"PUT", "/v1/pnr/policy", s.pnrSetPolicy, false},
		{"GET", "/v1/pnr/rules", s.pnrRules, false},
		{"POST", "/v1/pnr/rules", s.pnrPutRule, false},
		{"PUT", "/v1/pnr/rules/{id}", s.pnrPutRule, false},
		{"DELETE", "/v1/pnr/rules/{id}", s.pnrDeleteRule, false},
		{"GET", "/v1/pnr/rules/{id}/rates", s.pnrRates, false},
		{"GET", "/v1/pnr/hits", s.pnrHits, false},
		{"POST", "/v1/pnr/hits/{id}/decision", s.pnrDecideHit, false},
	}
}

// pnrService is the PNR service, or a 404 on a node without one.
func (s *Server) pnrService() (PNR, error) {
	if s.cfg.PNR == nil {
		return nil, errNotFound("PNR data on this node")
	}
	return s.cfg.PNR, nil
}

// pnrPush is POST /v1/pnr/pushes?name=: a PNRGOV push (application/edifact
// or recognised by its content) stored as versions of its bookings; the
// travellers that are new or changed are screened by a job.
func (s *Server) pnrPush(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, err := s.pnrService()
	if err != nil {
		return err
	}
	if err := need(c.v, access.PushPNR, "storing PNR data"); err != nil {
		return err
	}
	// A push is stored in one transaction, so it is read whole (the memory
	// of a push, never of the day's pushes); one over the upload limit is
	// refused before it is read when it says its length, on reaching the
	// limit when it does not.
	if r.ContentLength > s.cfg.MaxJobBody {
		return concord.Errorf(concord.ETOOLARGE, "push of %d bytes: at most %d", r.ContentLength, s.cfg.MaxJobBody)
	}
	name, body, err := s.upload(w, r)
	if err != nil {
		return err
	}
	if !pnrgov.Detect(body[:min(len(body), 4096)]) {
		return concord.Errorf(concord.EINVALID, "the body is not a PNRGOV message")
	}
	if name == "" {
		name = "push.edi"
	}
	rep, err := p.Import(r.Context(), c.v, name, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rep)
	return nil
}

// pnrRead answers a read of the PNR service: fn's result as JSON, a not
// found (also another member's record) as a missing "what".
func (s *Server) pnrRead(w http.ResponseWriter, r *http.Request, what string, maxLimit int, fn func(p PNR, limit int) (any, error)) error {
	p, err := s.pnrService()
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", min(maxLimit, 100), 1, maxLimit)
	if err != nil {
		return err
	}
	out, err := fn(p, limit)
	if err != nil {
		return service.Hidden(err, what)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) pnrBookings(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.pnrRead(w, r, "booking", 1000, func(p PNR, limit int) (any, error) {
		bs, err := p.Bookings(r.Context(), c.v, r.URL.Query().Get("locator"), limit)
		return map[string]any{"bookings": bs}, err
	})
}

func (s *Server) pnrBooking(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.pnrRead(w, r, "booking", 1000, func(p PNR, _ int) (any, error) {
		return p.Booking(r.Context(), c.v, r.PathValue("id"))
	})
}

func (s *Server) pnrBookingLinks(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.pnrRead(w, r, "booking", 1000, func(p PNR, limit int) (any, error) {
		return p.LinksOf(r.Context(), c.v, r.PathValue("id"), limit)
	})
}

// pnrRepersonalise is POST .../versions/{n}/repersonalise {"reason"}: a
// reviewer sees a depersonalised version whole, the reason audited.
func (s *Server) pnrRepersonalise(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, err := s.pnrService()
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return errNotFound("version")
	}
	var req struct {
		Reason string `json:"reason"`
	}
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	if len(req.Reason) > 4000 {
		return concord.Errorf(concord.EINVALID, "reason: at most 4000 bytes")
	}
	whole, err := p.Repersonalise(r.Context(), c.v, r.PathValue("id"), n, req.Reason)
	if err != nil {
		return service.Hidden(err, "booking version")
	}
	writeJSON(w, http.StatusOK, map[string]any{"booking_id": r.PathValue("id"), "version": n, "pnr": whole})
	return nil
}

// pnrLinks is GET /v1/pnr/links?kind=phone&value=...: who else used this
// phone (e-mail, card, frequent-flyer account, agency)?
func (s *Server) pnrLinks(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.pnrRead(w, r, "link", 1000, func(p PNR, limit int) (any, error) {
		return p.Links(r.Context(), c.v, r.URL.Query().Get("kind"), r.URL.Query().Get("value"), limit)
	})
}

func (s *Server) pnrNetwork(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.pnrRead(w, r, "booking", 5000, func(p PNR, limit int) (any, error) {
		n, err := p.Network(r.Context(), c.v, limit)
		return map[string]any{"network": n}, err
	})
}

func (s *Server) pnrPolicy(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.pnrRead(w, r, "policy", 1000, func(p PNR, _ int) (any, error) { return p.Policy(r.Context(), c.v) })
}

func (s *Server) pnrSetPolicy(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, err := s.pnrService()
	if err != nil {
		return err
	}
	var req concord.PNRPolicy
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	pol, err := p.SetPolicy(r.Context(), c.v, req.DepersonaliseDays, req.RetainDays)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pol)
	return nil
}

func (s *Server) pnrRules(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.pnrRead(w, r, "rule", 1000, func(p PNR, _ int) (any, error) {
		rs, err := p.Rules(r.Context(), c.v)
		return map[string]any{"rules": rs}, err
	})
}

// pnrPutRule is POST /v1/pnr/rules (a new rule) and PUT /v1/pnr/rules/{id}.
func (s *Server) pnrPutRule(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, err := s.pnrService()
	if err != nil {
		return err
	}
	var req concord.PNRRule
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	req.ID = r.PathValue("id")
	out, err := p.PutRule(r.Context(), c.v, req)
	if err != nil {
		return service.Hidden(err, "rule")
	}
	status := http.StatusOK
	if r.Method == "POST" {
		status = http.StatusCreated
	}
	writeJSON(w, status, out)
	return nil
}

func (s *Server) pnrDeleteRule(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, err := s.pnrService()
	if err != nil {
		return err
	}
	if err := p.DeleteRule(r.Context(), c.v, r.PathValue("id")); err != nil {
		return service.Hidden(err, "rule")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) pnrRates(w http.ResponseWriter, r *http.Request, c *caller) error {
	return s.pnrRead(w, r, "rule", 1000, func(p PNR, _ int) (any, error) { return p.Rates(r.Context(), c.v, r.PathValue("id")) })
}

func (s *Server) pnrHits(w http.ResponseWriter, r *http.Request, c *caller) error {
	qv := r.URL.Query()
	q := concord.RuleHitQuery{Status: qv.Get("status"), RuleID: qv.Get("rule"), BookingID: qv.Get("booking")}
	switch q.Status {
	case "", concord.AlertPending, concord.AlertConfirmed, concord.AlertDismissed:
	default:
		return concord.Errorf(concord.EINVALID, "parameter status: want pending, confirmed or dismissed")
	}
	return s.pnrRead(w, r, "rule hit", 1000, func(p PNR, limit int) (any, error) {
		q.Limit = limit
		hs, err := p.Hits(r.Context(), c.v, q)
		return map[string]any{"hits": hs}, err
	})
}

func (s *Server) pnrDecideHit(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, err := s.pnrService()
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound("rule hit")
	}
	var req decisionRequest
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	if req.Status != concord.AlertConfirmed && req.Status != concord.AlertDismissed {
		return concord.Errorf(concord.EINVALID, "status: want confirmed or dismissed")
	}
	if strings.TrimSpace(req.Reason) == "" || len(req.Reason) > 4000 {
		return concord.Errorf(concord.EINVALID, "reason: say why, in at most 4000 bytes")
	}
	if err := p.DecideHit(r.Context(), c.v, id, req.Status, req.Reason); err != nil {
		return service.Hidden(err, "rule hit")
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "status": req.Status})
	return nil
}

// pnrGraph is GET /v1/pnr/bookings/{id}/network: the booking, the bookings
// linked to it within hops and the listed persons its travellers' alerts
// name, as package graph answers a neighbourhood (JSON, GraphML, Cytoscape
// JSON or SVG).
func (s *Server) pnrGraph(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, err := s.pnrService()
	if err != nil {
		return err
	}
	hops, err := intParam(r, "hops", 2, 1, graph.MaxHops)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 500, 1, graph.MaxNodes)
	if err != nil {
		return err
	}
	format, err := subgraphFormat(r)
	if err != nil {
		return err
	}
	g, err := p.Graph(r.Context(), c.v, r.PathValue("id"), hops)
	if err != nil {
		return service.Hidden(err, "booking")
	}
	sub, err := g.View.Neighbourhood(g.Node, hops, limit)
	if err != nil {
		return err
	}
	sub.Truncated = sub.Truncated || g.Truncated
	return writeSubgraph(w, format, sub)
}

// pnrExposure is GET /v1/pnr/bookings/{id}/exposure: whether the booking is
// within hops of a listed person through the PNR links and its travellers'
// alerts, and the paths that say how.
func (s *Server) pnrExposure(w http.ResponseWriter, r *http.Request, c *caller) error {
	p, err := s.pnrService()
	if err != nil {
		return err
	}
	hops, err := intParam(r, "hops", 3, 1, graph.MaxHops)
	if err != nil {
		return err
	}
	limit, err := intParam(r, "limit", 10, 1, 100)
	if err != nil {
		return err
	}
	g, err := p.Graph(r.Context(), c.v, r.PathValue("id"), hops)
	if err != nil {
		return service.Hidden(err, "booking")
	}
	ex, err := g.View.Exposure(g.Node, hops, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ex)
	return nil
}
