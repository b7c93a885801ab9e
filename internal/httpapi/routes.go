package httpapi

import (
	_ "embed"
	"net/http"
	"strings"

	"concord"
)

// route is one entry of the API: the mux pattern, its handler and whether it
// is served without credentials.
type route struct {
	method, path string
	h            handler
	public       bool
}

func (rt route) pattern() string {
	if rt.method == "" {
		return rt.path
	}
	return rt.method + " " + rt.path
}

// routeTable lists every route. The OpenAPI document describes exactly the
// /v1 routes of this table (a test checks both ways).
func (s *Server) routeTable() []route {
	return append([]route{
		{"GET", "/healthz", s.healthz, true},
		{"GET", "/readyz", s.readyz, true},
		{"", "/", s.notFound, true},
		{"", "/v1/", s.notFound, false},
		{"GET", "/v1/openapi.json", s.openapi, true},

		{"POST", "/v1/auth/login", s.login, true},
		{"POST", "/v1/auth/logout", s.logout, false},
		{"GET", "/v1/me", s.me, false},
		{"POST", "/v1/tokens", s.createToken, false},
		{"GET", "/v1/tokens", s.listTokens, false},
		{"DELETE", "/v1/tokens/{id}", s.revokeToken, false},
		{"POST", "/v1/users", s.createUser, false},
		{"GET", "/v1/users", s.listUsers, false},

		{"POST", "/v1/match", s.match, false},
		{"POST", "/v1/match/{dataset}", s.match, false},
		{"GET", "/v1/search", s.search, false},
		{"GET", "/v1/entities/{id}", s.entity, false},
		{"GET", "/v1/entities/{id}/statements", s.entityStatements, false},
		{"GET", "/v1/stats", s.stats, false},
		{"GET", "/v1/export", s.export, false},
		{"POST", "/v1/media/hash", s.mediaHash, false},
		{"POST", "/v1/media/match", s.mediaMatch, false},

		{"POST", "/v1/statements", s.contribute, false},
		{"POST", "/v1/statements/retract", s.retract, false},
		{"POST", "/v1/statements/reshare", s.reshare, false},

		{"GET", "/v1/coalition/members", s.members, false},
		{"GET", "/v1/coalition/members/{id}", s.member, false},
		{"PUT", "/v1/coalition/members/{id}", s.putMember, false},
		{"GET", "/v1/coalition/groups", s.groups, false},
		{"GET", "/v1/coalition/groups/{id}", s.group, false},
		{"PUT", "/v1/coalition/groups/{id}", s.putGroup, false},

		{"POST", "/v1/jobs", s.submitJob, false},
		{"GET", "/v1/jobs", s.listJobs, false},
		{"GET", "/v1/jobs/{id}", s.job, false},
		{"GET", "/v1/jobs/{id}/results", s.jobResults, false},
		{"GET", "/v1/jobs/{id}/errors", s.jobErrors, false},
		{"POST", "/v1/jobs/{id}/cancel", s.cancelJob, false},
		{"DELETE", "/v1/jobs/{id}", s.cancelJob, false},

		{"GET", "/v1/graph/{id}/neighbourhood", s.graphNeighbourhood, false},
		{"GET", "/v1/graph/{id}/exposure", s.graphExposure, false},
		{"GET", "/v1/graph/{id}/analysis", s.graphAnalysis, false},
		{"GET", "/v1/graph/paths", s.graphPaths, false},

		{"GET", "/v1/alerts", s.listAlerts, false},
		{"GET", "/v1/alerts/{id}", s.alert, false},
		{"POST", "/v1/alerts/{id}/decision", s.decideAlert, false},

		{"GET", "/v1/audit", s.auditEvents, false},

		{"POST", "/v1/cases", s.createCase, false},
		{"GET", "/v1/cases", s.listCases, false},
		{"GET", "/v1/cases/stats", s.caseStats, false},
		{"GET", "/v1/cases/export", s.exportCases, false},
		{"GET", "/v1/cases/{id}", s.getCase, false},
		{"POST", "/v1/cases/{id}/status", s.caseStatus, false},
		{"POST", "/v1/cases/{id}/persons/{person}/steps", s.caseStep, false},
		{"POST", "/v1/cases/{id}/persons/{person}/watch", s.caseWatch, false},
		{"DELETE", "/v1/cases/{id}/persons/{person}/watch", s.caseWatch, false},
		{"GET", "/v1/retention", s.retentionPolicies, false},

		{"GET", "/v1/meetings", s.listMeetings, false},
		{"POST", "/v1/meetings", s.recordWork("meeting"), false},
		{"GET", "/v1/meetings/{id}", s.getMeeting, false},
		{"POST", "/v1/joint-statements", s.recordWork("statement"), false},
		{"GET", "/v1/decisions", s.listDecisions, false},
		{"POST", "/v1/decisions", s.recordWork("decision"), false},
		{"GET", "/v1/actions", s.listActions, false},
		{"POST", "/v1/actions", s.recordWork("action"), false},
		{"POST", "/v1/actions/{id}/status", s.actionStatus, false},
		{"GET", "/v1/reminders", s.reminders, false},
		{"GET", "/v1/calendar.ics", s.calendar, false},
		{"PUT", "/v1/retention/{member}/{kind}", s.putRetention, false},
	}, s.pnrRoutes()...)
}

// notFound answers paths no route matches; when the path exists with
// another method it says which (with an Allow header).
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, _ *caller) error {
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
		if m == r.Method {
			continue
		}
		r2 := r.Clone(r.Context())
		r2.Method = m
		if _, p := s.mux.Handler(r2); p != "" && p != "/" && p != "/v1/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		return concord.Errorf(concord.EMETHOD, "method %s not allowed here (allowed: %s)", concord.Quote(r.Method), strings.Join(allow, ", "))
	}
	return errNotFound("route " + r.URL.Path)
}

//go:embed openapi.json
var openapiJSON []byte

func (s *Server) openapi(w http.ResponseWriter, _ *http.Request, _ *caller) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(openapiJSON)
	return err
}
