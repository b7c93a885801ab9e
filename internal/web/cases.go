package web

import (
	"net/http"
	"net/url"
	"strings"

	"concord"
	"concord/internal/service"
)

func (s *Server) caseRoutes() []route {
	return []route{
		{"GET /cases", s.cases, false},
		{"GET /cases/{id}", s.casePage, false},
		{"POST /cases/{id}/status", s.caseStatus, false},
		{"POST /cases/{id}/persons/{person}/steps", s.caseStep, false},
		{"POST /cases/{id}/persons/{person}/watch", s.caseWatch, false},
	}
}

// casesPage lists the cases the viewer sees and, for task-force leads and
// the secretariat, the statistics with small cells suppressed.
type casesPage struct {
	Cases   []service.CaseSummary
	Status  string
	Purpose string
	Stats   []*service.CaseTable
}

func (s *Server) cases(w http.ResponseWriter, r *http.Request, q *request) error {
	qv := r.URL.Query()
	d := casesPage{Status: qv.Get("status"), Purpose: strings.TrimSpace(qv.Get("purpose"))}
	var err error
	if d.Cases, err = s.svc.Cases(r.Context(), q.v, service.CaseQuery{Status: d.Status, Purpose: d.Purpose}); err != nil {
		return err
	}
	for _, by := range service.StatDimensions {
		t, err := s.svc.CaseStats(r.Context(), q.v, by)
		if concord.ErrorCode(err) == concord.EFORBIDDEN {
			break
		}
		if err != nil {
			return err
		}
		d.Stats = append(d.Stats, t)
	}
	return s.render(w, r, q, http.StatusOK, "cases", "Cases", d)
}

// casePage is one case with its persons' workflows; a case with a minor
// asks for the purpose of the read first.
type casePage struct {
	ID          string
	Case        *service.CaseView
	Purpose     string
	NeedPurpose bool
	Error       string
	Done        string
	Steps       []string
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request, q *request) error {
	return s.renderCase(w, r, q, http.StatusOK, "", r.URL.Query().Get("done"))
}

func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, q *request, status int, msg, done string) error {
	id := r.PathValue("id")
	purpose := strings.TrimSpace(r.FormValue("purpose"))
	d := casePage{ID: id, Purpose: purpose, Error: msg, Done: done, Steps: concord.Steps}
	cv, err := s.svc.Case(r.Context(), q.v, id, purpose)
	switch {
	case err != nil && concord.ErrorMessage(err) == service.MinorPurpose:
		d.NeedPurpose = true
		return s.render(w, r, q, http.StatusOK, "case", "Case", d)
	case err != nil:
		return err
	}
	d.Case = cv
	return s.render(w, r, q, status, "case", "Case at "+cv.Case.First("location"), d)
}

// back redirects to the case page, keeping the stated purpose.
func back(w http.ResponseWriter, r *http.Request, id, done string) {
	u := "/cases/" + url.PathEscape(id) + "?done=" + url.QueryEscape(done)
	if p := strings.TrimSpace(r.PostFormValue("purpose")); p != "" {
		u += "&purpose=" + url.QueryEscape(p)
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// formError renders a refused change on the case page; anything else is
// the error page.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, q *request, err error) error {
	switch concord.ErrorCode(err) {
	case concord.EINVALID, concord.EFORBIDDEN, concord.ECONFLICT:
		return s.renderCase(w, r, q, concord.HTTPStatus(concord.ErrorCode(err)), concord.ErrorMessage(err), "")
	}
	return err
}

func (s *Server) caseStep(w http.ResponseWriter, r *http.Request, q *request) error {
	var docs []string
	for _, l := range strings.Split(r.PostFormValue("documents"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			docs = append(docs, l)
		}
	}
	in := service.StepInput{Step: r.PostFormValue("step"), Date: r.PostFormValue("date"), Country: r.PostFormValue("country"),
		Documents: docs, Reason: r.PostFormValue("reason")}
	e, err := s.svc.Step(r.Context(), q.v, r.PathValue("id"), r.PathValue("person"), in)
	if err != nil {
		return s.formError(w, r, q, err)
	}
	back(w, r, e.Record, "Recorded: "+strings.ReplaceAll(e.State, "_", " ")+".")
	return nil
}

func (s *Server) caseStatus(w http.ResponseWriter, r *http.Request, q *request) error {
	e, err := s.svc.SetCaseStatus(r.Context(), q.v, r.PathValue("id"), r.PostFormValue("status"), r.PostFormValue("reason"))
	if err != nil {
		return s.formError(w, r, q, err)
	}
	back(w, r, e.Record, "The case is "+e.State+".")
	return nil
}

func (s *Server) caseWatch(w http.ResponseWriter, r *http.Request, q *request) error {
	on := r.PostFormValue("on") != "false"
	if _, err := s.svc.Watch(r.Context(), q.v, r.PathValue("id"), r.PathValue("person"), on, r.PostFormValue("purpose")); err != nil {
		return s.formError(w, r, q, err)
	}
	msg := "On your member's watch: travel of this person raises an alert for your member."
	if !on {
		msg = "Taken off your member's watch."
	}
	back(w, r, r.PathValue("id"), msg)
	return nil
}
