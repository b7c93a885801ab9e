package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"concord"
	"concord/access"
	"concord/internal/service"
	"concord/match"
)

func (s *Server) reviewRoutes() []route {
	return []route{
		{"GET /review", s.queue, false},
		{"GET /alerts/{id}", s.alert, false},
		{"POST /alerts/{id}/decision", s.decide, false},
	}
}

// alertView is an alert with its query and match decoded.
type alertView struct {
	concord.Alert
	Q queryView
	M match.Match
}

func viewAlert(a concord.Alert) alertView {
	v := alertView{Alert: a}
	_ = json.Unmarshal(a.Query, &v.Q)
	_ = json.Unmarshal(a.Match, &v.M)
	return v
}

// queuePage is the review queue: alerts of the member, per job and status.
type queuePage struct {
	Status, JobID string
	Job           *concord.Job
	Jobs          []concord.Job
	Alerts        []alertView
	Next          string
	Decided       string // the alert just decided
	CanDecide     bool
}

const alertsPerPage = 50

func (s *Server) queue(w http.ResponseWriter, r *http.Request, q *request) error {
	ctx := r.Context()
	qv := r.URL.Query()
	d := queuePage{Status: qv.Get("status"), JobID: qv.Get("job"), Decided: qv.Get("decided"), CanDecide: q.v.Can(access.Review)}
	if d.Status == "" {
		d.Status = concord.AlertPending
	}
	if d.JobID != "" {
		j, err := s.svc.Job(ctx, q.v, d.JobID)
		if err != nil {
			return err
		}
		d.Job = j
	}
	after, _ := strconv.ParseInt(qv.Get("after"), 10, 64)
	as, err := s.svc.Alerts(ctx, q.v, concord.AlertQuery{Status: d.Status, JobID: d.JobID, After: max(after, 0), Limit: alertsPerPage})
	if err != nil {
		return err
	}
	for _, a := range as {
		d.Alerts = append(d.Alerts, viewAlert(a))
	}
	if len(as) == alertsPerPage {
		d.Next = "/review?" + url.Values{"status": {d.Status}, "job": {d.JobID}, "after": {strconv.FormatInt(as[len(as)-1].ID, 10)}}.Encode()
	}
	js, err := s.svc.Jobs(ctx, q.v)
	if err != nil {
		return err
	}
	d.Jobs = js[:min(len(js), 50)]
	title := "Review"
	if d.Job != nil {
		title = "Review: " + service.Truncate(d.Job.Source, 60)
	}
	return s.render(w, r, q, http.StatusOK, "review", title, d)
}

// alertPage is one alert beside the listed record.
type alertPage struct {
	Alert      alertView
	Listed     *concord.Entity // nil: no longer visible to the viewer
	Earlier    []alertView     // decisions on the same identity
	Job        *concord.Job
	Prev, Next int64 // pending alerts before and after it in its job
	Position   int   // 1-based among the job's pending alerts; 0: not pending
	Pending    int
	CanDecide  bool // the viewer may decide it now
	Proposed   bool // a confirmation awaits a second reviewer
	Error      string
	Reason     string
	Decided    string // the alert decided just before this one opened
}

func (s *Server) alertPageData(ctx context.Context, q *request, id int64) (*alertPage, error) {
	a, err := s.svc.Alert(ctx, q.v, id)
	if err != nil {
		return nil, err
	}
	d := &alertPage{Alert: viewAlert(*a), Proposed: a.Status == concord.AlertConfirming}
	d.CanDecide = q.v.CanDecide(a) && (a.Status == concord.AlertPending || d.Proposed && a.Reviewer != q.v.User)
	if e, err := s.svc.Entity(ctx, q.v, a.EntityID); err == nil {
		d.Listed = e
	} else if concord.ErrorCode(err) != concord.ENOTFOUND {
		return nil, err
	}
	if j, err := s.svc.Job(ctx, q.v, a.JobID); err == nil {
		d.Job = j
	}
	// Decisions on the same identity, in any screening of the member.
	same, err := s.svc.Alerts(ctx, q.v, concord.AlertQuery{Identity: a.Identity, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, x := range same {
		if x.ID != a.ID && x.Status != concord.AlertPending {
			d.Earlier = append(d.Earlier, viewAlert(x))
		}
	}
	slices.Reverse(d.Earlier) // newest first
	// Neighbours among the job's pending alerts, for working through a
	// flight with the keyboard.
	pend, err := s.svc.Alerts(ctx, q.v, concord.AlertQuery{Status: concord.AlertPending, JobID: a.JobID, Limit: 1000})
	if err != nil {
		return nil, err
	}
	d.Pending = len(pend)
	for i, x := range pend {
		if x.ID == a.ID {
			d.Position = i + 1
			if i > 0 {
				d.Prev = pend[i-1].ID
			}
			if i+1 < len(pend) {
				d.Next = pend[i+1].ID
			}
		}
		if d.Position == 0 && x.ID > a.ID && d.Next == 0 {
			d.Next = x.ID // a decided alert: the next pending one
		}
	}
	return d, nil
}

func (s *Server) alert(w http.ResponseWriter, r *http.Request, q *request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return service.NotFound("alert")
	}
	d, err := s.alertPageData(r.Context(), q, id)
	if err != nil {
		return err
	}
	if dec, err := strconv.ParseInt(r.URL.Query().Get("decided"), 10, 64); err == nil && dec > 0 {
		d.Decided = strconv.FormatInt(dec, 10)
	}
	return s.render(w, r, q, http.StatusOK, "alert", "Alert "+strconv.FormatInt(id, 10), d)
}

// decide confirms or dismisses an alert with the reviewer's reason, then
// moves on to the next pending alert of the same screening.
func (s *Server) decide(w http.ResponseWriter, r *http.Request, q *request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return service.NotFound("alert")
	}
	ctx := r.Context()
	status, reason := r.PostFormValue("status"), r.PostFormValue("reason")
	a, err := s.svc.Decide(ctx, q.v, id, status, reason)
	if code := concord.ErrorCode(err); code == concord.EINVALID || code == concord.ECONFLICT {
		d, derr := s.alertPageData(ctx, q, id)
		if derr != nil {
			return derr
		}
		d.Error, d.Reason = concord.ErrorMessage(err), reason
		if code == concord.ECONFLICT {
			d.Error = "This alert was decided meanwhile; its decision is shown below."
		}
		return s.render(w, r, q, concord.HTTPStatus(code), "alert", "Alert "+strconv.FormatInt(id, 10), d)
	}
	if err != nil {
		return err
	}
	next, err := s.svc.Alerts(ctx, q.v, concord.AlertQuery{Status: concord.AlertPending, JobID: a.JobID, Limit: 1})
	if err != nil {
		return err
	}
	to := "/review?" + url.Values{"job": {a.JobID}, "decided": {strconv.FormatInt(a.ID, 10)}}.Encode()
	if len(next) > 0 {
		to = "/alerts/" + strconv.FormatInt(next[0].ID, 10) + "?decided=" + strconv.FormatInt(a.ID, 10)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
