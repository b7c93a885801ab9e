package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"concord"
	"concord/access"
)

// listAlerts is GET /v1/alerts?status=&job=&after=&limit=: the alerts of
// the caller's member.
func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request, c *caller) error {
	q, ok := c.v.AlertScope()
	if !ok {
		return need(c.v, access.Review, "reading alerts")
	}
	qv := r.URL.Query()
	switch q.Status = qv.Get("status"); q.Status {
	case "", concord.AlertPending, concord.AlertConfirmed, concord.AlertDismissed:
	default:
		return concord.Errorf(concord.EINVALID, "parameter status: want pending, confirmed or dismissed")
	}
	q.JobID = qv.Get("job")
	if a := qv.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			return concord.Errorf(concord.EINVALID, "parameter after: want an alert id")
		}
		q.After = n
	}
	var err error
	if q.Limit, err = intParam(r, "limit", 100, 1, 1000); err != nil {
		return err
	}
	as, err := s.store.Alerts(r.Context(), q)
	if err != nil {
		return err
	}
	out := make([]concord.Alert, 0, len(as))
	for _, a := range as {
		if a.Member == c.v.Member {
			out = append(out, a)
		}
	}
	if err := s.audit(r.Context(), "alert.list", q.JobID, "status="+q.Status); err != nil {
		return err
	}
	resp := map[string]any{"alerts": out}
	if len(out) == q.Limit {
		resp["next"] = out[len(out)-1].ID
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// visibleAlert returns the alert if the caller may read it; another
// member's alert is not found.
func (s *Server) visibleAlert(r *http.Request, c *caller) (*concord.Alert, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, errNotFound("alert")
	}
	q, ok := c.v.AlertScope()
	if !ok {
		return nil, need(c.v, access.Review, "reading alerts")
	}
	a, err := s.store.Alert(r.Context(), id)
	if err != nil {
		return nil, hidden(err, "alert")
	}
	if a.Member != q.Member {
		return nil, errNotFound("alert")
	}
	return a, nil
}

// alert is GET /v1/alerts/{id}.
func (s *Server) alert(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, err := s.visibleAlert(r, c)
	if err != nil {
		return err
	}
	if err := s.audit(r.Context(), "alert.read", strconv.FormatInt(a.ID, 10), ""); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

type decisionRequest struct {
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// decideAlert is POST /v1/alerts/{id}/decision: a reviewer of the alert's
// member confirms or dismisses it, with a reason. A decided alert is a
// conflict.
func (s *Server) decideAlert(w http.ResponseWriter, r *http.Request, c *caller) error {
	a, err := s.visibleAlert(r, c)
	if err != nil {
		return err
	}
	if !c.v.CanDecide(a) {
		return need(c.v, access.Review, "deciding alerts")
	}
	var req decisionRequest
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	if req.Status != concord.AlertConfirmed && req.Status != concord.AlertDismissed {
		return concord.Errorf(concord.EINVALID, "status: want confirmed or dismissed")
	}
	req.Reason = strings.TrimSpace(req.Reason)
	if req.Reason == "" {
		return concord.Errorf(concord.EINVALID, "reason: say why (it is kept with the decision)")
	}
	if len(req.Reason) > 4000 {
		return concord.Errorf(concord.EINVALID, "reason: at most 4000 bytes")
	}
	ctx := r.Context()
	if err := s.store.DecideAlert(ctx, a.ID, req.Status, c.v.User, req.Reason); err != nil {
		return hidden(err, "alert")
	}
	s.metrics.inc("concord_alert_decisions_total", req.Status, 1)
	out, err := s.store.Alert(ctx, a.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// auditEvents is GET /v1/audit?after=&limit=&actor=&action=: the audit rows
// the caller may read (its member's; all for the secretariat).
func (s *Server) auditEvents(w http.ResponseWriter, r *http.Request, c *caller) error {
	q, ok := c.v.AuditScope()
	if !ok {
		return need(c.v, access.ViewAudit, "reading the audit")
	}
	qv := r.URL.Query()
	if a := qv.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			return concord.Errorf(concord.EINVALID, "parameter after: want a sequence number")
		}
		q.After = n
	}
	var err error
	if q.Limit, err = intParam(r, "limit", 100, 1, 1000); err != nil {
		return err
	}
	q.Actor, q.Action = qv.Get("actor"), qv.Get("action")
	if err := s.audit(r.Context(), "audit.read", q.Member, ""); err != nil {
		return err
	}
	evs, err := s.store.AuditEvents(r.Context(), q)
	if err != nil {
		return err
	}
	if evs == nil {
		evs = []concord.AuditEvent{}
	}
	resp := map[string]any{"events": evs}
	if len(evs) == q.Limit {
		resp["next"] = evs[len(evs)-1].Seq
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}
