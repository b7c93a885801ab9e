package web

import (
	"net/http"
	"net/url"
	"strconv"

	"concord"
	"concord/access"
	"concord/internal/service"
)

func (s *Server) searchRoutes() []route {
	return []route{
		{"GET /search", s.search, false},
		{"GET /entities/{id}", s.entity, false},
	}
}

// homePage is the start page: a search box and what waits for the viewer.
type homePage struct {
	Pending    int // pending alerts of the member (capped at 100: "100+")
	PendingCap bool
	Jobs       []concord.Job
	Datasets   []concord.DatasetInfo
	Counts     map[string]int
	Total      int
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, q *request) error {
	ctx := r.Context()
	var d homePage
	if q.v.CanListJobs() {
		as, err := s.svc.Alerts(ctx, q.v, concord.AlertQuery{Status: concord.AlertPending, Limit: 100})
		if err != nil {
			return err
		}
		d.Pending, d.PendingCap = len(as), len(as) == 100
		js, err := s.svc.Jobs(ctx, q.v)
		if err != nil {
			return err
		}
		d.Jobs = js[:min(len(js), 5)]
	}
	if q.v.Can(access.Read) {
		var err error
		if d.Counts, d.Total, err = s.svc.Counts(ctx, q.v); err != nil {
			return err
		}
		if d.Datasets, err = s.svc.Datasets(ctx, q.v); err != nil {
			return err
		}
	}
	return s.render(w, r, q, http.StatusOK, "home", "Start", d)
}

// searchPage is the data of the search page.
type searchPage struct {
	Q, Schema string
	Schemata  []string
	Results   []service.Hit
	Searched  bool
	More      string // link to more results
	Limit     int
}

// searchSchemata are the schemata offered in the search form.
var searchSchemata = []string{"Person", "Organization", "Company", "Vessel", "Airplane"}

// search is the one search box: a name in any script, results as the viewer
// may see them, best first.
func (s *Server) search(w http.ResponseWriter, r *http.Request, q *request) error {
	qv := r.URL.Query()
	d := searchPage{Q: qv.Get("q"), Schema: qv.Get("schema"), Schemata: searchSchemata, Limit: 20}
	if n, err := strconv.Atoi(qv.Get("limit")); err == nil && n > 0 {
		d.Limit = min(n, 100)
	}
	if d.Q != "" {
		res, err := s.svc.Search(r.Context(), q.v, service.SearchRequest{Q: d.Q, Schema: d.Schema, Limit: d.Limit, Threshold: 0.5})
		if err != nil {
			return err
		}
		d.Results, d.Searched = res, true
		if len(res) == d.Limit && d.Limit < 100 {
			d.More = "/search?" + url.Values{"q": {d.Q}, "schema": {d.Schema}, "limit": {strconv.Itoa(d.Limit + 20)}}.Encode()
		}
	}
	title := "Search"
	if d.Q != "" {
		title = "Search: " + service.Truncate(d.Q, 60)
	}
	return s.render(w, r, q, http.StatusOK, "search", title, d)
}
