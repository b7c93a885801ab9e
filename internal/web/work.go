package web

import (
	"net/http"
	"net/url"

	"concord"
	"concord/internal/service"
)

func (s *Server) workRoutes() []route {
	return []route{
		{"GET /meetings", s.meetings, false},
		{"GET /meetings/{id}", s.meeting, false},
		{"GET /decisions", s.decisions, false},
		{"GET /actions", s.actions, false},
		{"POST /actions/{id}/status", s.actionStatus, false},
	}
}

// meetingsPage lists meetings, with the viewer's reminders.
type meetingsPage struct {
	Meetings  []concord.Meeting
	Reminders []service.ActionView
	Names     map[string]string
}

func (s *Server) names(r *http.Request) (map[string]string, error) {
	ms, err := s.store.Members(r.Context())
	if err != nil {
		return nil, err
	}
	out := map[string]string{"coalition": "the coalition"}
	for _, m := range ms {
		out[m.ID] = m.Name
	}
	gs, err := s.store.Groups(r.Context())
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		out[g.ID] = g.Name
	}
	return out, nil
}

func (s *Server) meetings(w http.ResponseWriter, r *http.Request, q *request) error {
	ms, err := s.svc.Meetings(r.Context(), q.v, r.URL.Query().Get("body"))
	if err != nil {
		return err
	}
	rem, err := s.svc.Reminders(r.Context(), q.v)
	if err != nil {
		return err
	}
	names, err := s.names(r)
	if err != nil {
		return err
	}
	return s.render(w, r, q, http.StatusOK, "meetings", "Meetings", meetingsPage{Meetings: ms, Reminders: rem, Names: names})
}

type meetingPage struct {
	M     *service.MeetingView
	Names map[string]string
}

func (s *Server) meeting(w http.ResponseWriter, r *http.Request, q *request) error {
	mv, err := s.svc.Meeting(r.Context(), q.v, r.PathValue("id"))
	if err != nil {
		return err
	}
	names, err := s.names(r)
	if err != nil {
		return err
	}
	return s.render(w, r, q, http.StatusOK, "meeting", mv.Title, meetingPage{M: mv, Names: names})
}

type decisionsPage struct {
	Decisions  []concord.Decision
	Statements []concord.JointStatement
	Names      map[string]string
}

func (s *Server) decisions(w http.ResponseWriter, r *http.Request, q *request) error {
	ds, js, err := s.svc.Decisions(r.Context(), q.v)
	if err != nil {
		return err
	}
	names, err := s.names(r)
	if err != nil {
		return err
	}
	return s.render(w, r, q, http.StatusOK, "decisions", "Decisions and joint statements", decisionsPage{Decisions: ds, Statements: js, Names: names})
}

// actionsPage lists action items: the viewer's member's (mine), a group's
// across members (?group=, a lead's view) or all it sees.
type actionsPage struct {
	Actions   []service.ActionView
	Reminders []service.ActionView
	Group     string
	Mine      bool
	Groups    []concord.Group
	Names     map[string]string
	Done      string
	Error     string
	Statuses  []string
}

func (s *Server) actions(w http.ResponseWriter, r *http.Request, q *request) error {
	return s.renderActions(w, r, q, http.StatusOK, "")
}

func (s *Server) renderActions(w http.ResponseWriter, r *http.Request, q *request, status int, msg string) error {
	qv := r.URL.Query()
	d := actionsPage{Group: qv.Get("group"), Mine: qv.Get("mine") == "1", Done: qv.Get("done"), Error: msg, Statuses: concord.ActionStatuses}
	var err error
	if d.Actions, err = s.svc.Actions(r.Context(), q.v, service.ActionQuery{Group: d.Group, Mine: d.Mine}); err != nil {
		return err
	}
	if d.Reminders, err = s.svc.Reminders(r.Context(), q.v); err != nil {
		return err
	}
	if d.Names, err = s.names(r); err != nil {
		return err
	}
	gs, err := s.store.Groups(r.Context())
	if err != nil {
		return err
	}
	for _, g := range gs {
		for _, mine := range q.v.Groups {
			if g.ID == mine {
				d.Groups = append(d.Groups, g)
			}
		}
	}
	return s.render(w, r, q, status, "actions", "Action items", d)
}

func (s *Server) actionStatus(w http.ResponseWriter, r *http.Request, q *request) error {
	ev, err := s.svc.SetActionStatus(r.Context(), q.v, r.PathValue("id"), r.PostFormValue("status"), r.PostFormValue("note"))
	switch concord.ErrorCode(err) {
	case "":
	case concord.EINVALID, concord.EFORBIDDEN:
		return s.renderActions(w, r, q, concord.HTTPStatus(concord.ErrorCode(err)), concord.ErrorMessage(err))
	default:
		return err
	}
	http.Redirect(w, r, "/actions?done="+url.QueryEscape(ev.Record+": "+ev.State)+"#a-"+url.PathEscape(ev.Record), http.StatusSeeOther)
	return nil
}
