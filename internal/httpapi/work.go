package httpapi

import (
	"net/http"

	"concord"
	"concord/internal/service"
)

// recordWork handles POST /v1/meetings, /v1/joint-statements,
// /v1/decisions and /v1/actions: one record of the coalition's work, with
// an optional ?handling= (default GREEN).
func (s *Server) recordWork(kind string) handler {
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		rec := service.WorkRecord{Handling: r.URL.Query().Get("handling")}
		var target any
		switch kind {
		case "meeting":
			rec.Meeting = new(concord.Meeting)
			target = rec.Meeting
		case "statement":
			rec.Statement = new(concord.JointStatement)
			target = rec.Statement
		case "decision":
			rec.Decision = new(concord.Decision)
			target = rec.Decision
		default:
			rec.Action = new(concord.ActionItem)
			target = rec.Action
		}
		if err := decode(w, r, s.cfg.MaxBody, target, false); err != nil {
			return err
		}
		id, err := s.svc.RecordWork(r.Context(), c.v, rec)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, map[string]string{"id": id})
		return nil
	}
}

// listMeetings is GET /v1/meetings[?body=coalition|GROUP].
func (s *Server) listMeetings(w http.ResponseWriter, r *http.Request, c *caller) error {
	ms, err := s.svc.Meetings(r.Context(), c.v, r.URL.Query().Get("body"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"meetings": ms})
	return nil
}

// getMeeting is GET /v1/meetings/{id}: the meeting, its statements,
// decisions and action items.
func (s *Server) getMeeting(w http.ResponseWriter, r *http.Request, c *caller) error {
	mv, err := s.svc.Meeting(r.Context(), c.v, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mv)
	return nil
}

// listDecisions is GET /v1/decisions: decisions and joint statements.
func (s *Server) listDecisions(w http.ResponseWriter, r *http.Request, c *caller) error {
	ds, js, err := s.svc.Decisions(r.Context(), c.v)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"decisions": ds, "statements": js})
	return nil
}

// listActions is GET /v1/actions[?group=][&mine=1][&status=].
func (s *Server) listActions(w http.ResponseWriter, r *http.Request, c *caller) error {
	q := r.URL.Query()
	as, err := s.svc.Actions(r.Context(), c.v, service.ActionQuery{Group: q.Get("group"), Mine: q.Get("mine") == "1" || q.Get("mine") == "true", Status: q.Get("status")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"actions": as})
	return nil
}

// actionStatus is POST /v1/actions/{id}/status {"status","note"}.
func (s *Server) actionStatus(w http.ResponseWriter, r *http.Request, c *caller) error {
	var req struct {
		Status string `json:"status"`
		Note   string `json:"note"`
	}
	if err := decode(w, r, s.cfg.MaxBody, &req, false); err != nil {
		return err
	}
	ev, err := s.svc.SetActionStatus(r.Context(), c.v, r.PathValue("id"), req.Status, req.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ev)
	return nil
}

// reminders is GET /v1/reminders: the caller's member's action items that
// are overdue or due within two weeks.
func (s *Server) reminders(w http.ResponseWriter, r *http.Request, c *caller) error {
	as, err := s.svc.Reminders(r.Context(), c.v)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"reminders": as})
	return nil
}

// calendar is GET /v1/calendar.ics: the caller's meetings and due dates.
func (s *Server) calendar(w http.ResponseWriter, r *http.Request, c *caller) error {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	return s.svc.Calendar(r.Context(), c.v, w)
}
