package httpapi

import (
	"bufio"
	"net/http"
	"strconv"

	"concord"
	"concord/internal/importer/ftm"
	"concord/internal/service"
)

// createCase is POST /v1/cases: a case recorded by the caller's member.
func (s *Server) createCase(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req service.NewCase
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	cv, err := s.svc.CreateCase(r.Context(), c.v, req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/cases/"+cv.ID)
	writeJSON(w, http.StatusCreated, cv)
	return nil
}

// listCases is GET /v1/cases: the cases the caller sees, newest first;
// minors' names only with ?purpose=.
func (s *Server) listCases(w http.ResponseWriter, r *http.Request, c *caller) error {
	limit, err := intParam(r, "limit", 200, 1, 1000)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	cs, err := s.svc.Cases(r.Context(), c.v, service.CaseQuery{Status: q.Get("status"), State: q.Get("state"), Purpose: q.Get("purpose"), Limit: limit})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": cs})
	return nil
}

// getCase is GET /v1/cases/{id}: a case with its persons and histories; a
// case with a minor needs ?purpose=.
func (s *Server) getCase(w http.ResponseWriter, r *http.Request, c *caller) error {
	cv, err := s.svc.Case(r.Context(), c.v, r.PathValue("id"), r.URL.Query().Get("purpose"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cv)
	return nil
}

// caseStep is POST /v1/cases/{id}/persons/{person}/steps: the next step of
// a person's repatriation.
func (s *Server) caseStep(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req service.StepInput
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	e, err := s.svc.Step(r.Context(), c.v, r.PathValue("id"), r.PathValue("person"), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

// caseStatus is POST /v1/cases/{id}/status: close or reopen a case.
func (s *Server) caseStatus(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req struct {
		Status string `json:"status"`
		Reason string `json:"reason"`
	}
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	e, err := s.svc.SetCaseStatus(r.Context(), c.v, r.PathValue("id"), req.Status, req.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// caseWatch is POST (on) and DELETE (off) /v1/cases/{id}/persons/{person}/watch.
func (s *Server) caseWatch(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req struct {
		Purpose string `json:"purpose"`
	}
	if r.Method == http.MethodPost {
		if err := decode(w, r, s.cfg.MaxBody, &req, true); err != nil {
			return err
		}
	} else {
		req.Purpose = r.URL.Query().Get("purpose")
	}
	id, err := s.svc.Watch(r.Context(), c.v, r.PathValue("id"), r.PathValue("person"), r.Method == http.MethodPost, req.Purpose)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"watch": id, "on": r.Method == http.MethodPost})
	return nil
}

// caseStats is GET /v1/cases/stats?by=nationality|location|status.
func (s *Server) caseStats(w http.ResponseWriter, r *http.Request, c *caller) error {
	by := r.URL.Query().Get("by")
	if by == "" {
		by = "nationality"
	}
	t, err := s.svc.CaseStats(r.Context(), c.v, by)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// exportCases is GET /v1/cases/export?purpose=: the caller's cases as
// FollowTheMoney JSON lines (the case, its persons and kinship) followed by
// their histories (one WorkflowEvent line each), audited with the purpose.
func (s *Server) exportCases(w http.ResponseWriter, r *http.Request, c *caller) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	started := false
	start := func() {
		if !started {
			w.Header().Set("Content-Type", "application/x-ndjson")
			started = true
		}
	}
	err := s.svc.ExportCases(r.Context(), c.v, r.URL.Query().Get("purpose"), func(e *concord.Entity) error {
		start()
		return ftm.Write(bw, e)
	}, func(ev *concord.WorkflowEvent) error {
		start()
		return ftm.WriteEvent(bw, ev)
	})
	if err != nil && !started {
		return err
	}
	if err != nil {
		s.log.Error("case export interrupted", "user", c.v.User, "err", err)
		return nil
	}
	start()
	return bw.Flush()
}

// retentionPolicies is GET /v1/retention.
func (s *Server) retentionPolicies(w http.ResponseWriter, r *http.Request, c *caller) error {
	ps, err := s.svc.RetentionPolicies(r.Context(), c.v)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"policies": ps})
	return nil
}

// putRetention is PUT /v1/retention/{member}/{kind} {"months": N}.
func (s *Server) putRetention(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req struct {
		Months *int `json:"months"`
	}
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	if req.Months == nil {
		return concord.Errorf(concord.EINVALID, "months is required (0 removes the policy)")
	}
	p := concord.RetentionPolicy{Member: r.PathValue("member"), Kind: r.PathValue("kind"), Months: *req.Months}
	if err := s.svc.SetRetention(r.Context(), c.v, p); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"policy": p, "status": "set " + strconv.Itoa(p.Months) + " months"})
	return nil
}
