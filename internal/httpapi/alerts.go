package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"concord"
	"concord/access"
)

// listAlerts is GET /v1/alerts?status=&job=&after=&limit=: the alerts of
// the caller's member.
func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request, c *caller) error {
	if _, ok := c.v.AlertScope(); !ok {
		return need(c.v, access.Review, "reading alerts")
	}
	qv := r.URL.Query()
	q := concord.AlertQuery{Status: qv.Get("status"), JobID: qv.Get("job")}
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
	out, err := s.svc.Alerts(r.Context(), c.v, q)
	if err != nil {
		return err
	}
	resp := map[string]any{"alerts": out}
	if len(out) == q.Limit {
		resp["next"] = out[len(out)-1].ID
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// alertID reads the {id} of an alert path; a malformed id is a missing alert.
func alertID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, errNotFound("alert")
	}
	return id, nil
}

// alert is GET /v1/alerts/{id}.
func (s *Server) alert(w http.ResponseWriter, r *http.Request, c *caller) error {
	id, err := alertID(r)
	if err != nil {
		return err
	}
	a, err := s.svc.Alert(r.Context(), c.v, id)
	if err != nil {
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
	id, err := alertID(r)
	if err != nil {
		return err
	}
	if _, ok := c.v.AlertScope(); !ok {
		return need(c.v, access.Review, "reading alerts")
	}
	var req decisionRequest
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	out, err := s.svc.Decide(r.Context(), c.v, id, req.Status, req.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// auditEvents is GET /v1/audit?after=&limit=&actor=&action=: the audit rows
// the caller may read (its member's; all for the secretariat).
func (s *Server) auditEvents(w http.ResponseWriter, r *http.Request, c *caller) error {
	if _, ok := c.v.AuditScope(); !ok {
		return need(c.v, access.ViewAudit, "reading the audit")
	}
	qv := r.URL.Query()
	var q concord.AuditQuery
	if a := qv.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			return concord.Errorf(concord.EINVALID, "parameter after: want a sequence number (the next of the last page)")
		}
		q.After = n
	}
	var err error
	if q.Limit, err = intParam(r, "limit", 100, 1, 1000); err != nil {
		return err
	}
	q.Actor, q.Action = qv.Get("actor"), qv.Get("action")
	evs, err := s.svc.AuditEvents(r.Context(), c.v, q)
	if err != nil {
		return err
	}
	resp := map[string]any{"events": evs}
	if scope, _ := c.v.AuditScope(); scope.Member != "" {
		// The member's view (service.AuditEvents): its own numbering, no
		// chain links, and none of their fields.
		view := make([]memberAuditEvent, len(evs))
		for i, ev := range evs {
			view[i] = memberAuditEvent{Seq: ev.Seq, Time: ev.Time, Actor: ev.Actor, Member: ev.Member,
				Via: ev.Via, Action: ev.Action, Object: ev.Object, Detail: ev.Detail}
		}
		resp["events"] = view
	}
	if len(evs) == q.Limit {
		resp["next"] = evs[len(evs)-1].Seq
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// memberAuditEvent is an audit row in a member's view: numbered among the
// member's own rows, without the chain's links (prev and hash would tell
// whether, and how often, others acted in between); the secretariat reads
// the chain itself.
type memberAuditEvent struct {
	Seq    int64     `json:"seq"` // among the member's rows
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"`
	Member string    `json:"member,omitempty"`
	Via    string    `json:"via,omitempty"`
	Action string    `json:"action"`
	Object string    `json:"object,omitempty"`
	Detail string    `json:"detail,omitempty"`
}
