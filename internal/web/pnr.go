package web

import (
	"bytes"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"concord"
	"concord/access"
	"concord/graph"
	"concord/internal/importer/pnrgov"
	"concord/internal/pnr"
	"concord/internal/service"
)

// The PNR pages (issue 15): the bookings of the viewer's member, a
// booking with its travellers, versions, links and rule hits, the link
// query ("who else used this phone?"), the network of listed persons'
// bookings, rule hits to decide and the rules' hit rates. Every read goes
// through internal/pnr with the viewer, which asks access and audits it; a
// booking of another member is missing, as through the API.

func (s *Server) pnrRoutes() []route {
	return []route{
		{"GET /pnr", s.pnrHome, false},
		{"POST /pnr/pushes", s.pnrPush, false},
		{"GET /pnr/bookings/{id}", s.pnrBooking, false},
		{"GET /pnr/bookings/{id}/network", s.pnrGraph, false},
		{"POST /pnr/bookings/{id}/versions/{n}/repersonalise", s.pnrRepersonalise, false},
		{"GET /pnr/links", s.pnrLinks, false},
		{"GET /pnr/network", s.pnrNetwork, false},
		{"GET /pnr/hits", s.pnrHits, false},
		{"POST /pnr/hits/{id}/decision", s.pnrDecide, false},
		{"GET /pnr/rules", s.pnrRules, false},
	}
}

// pnrService is the PNR service; a node without one has no PNR pages.
func (s *Server) pnrService(r *http.Request) (*pnr.Service, error) {
	if s.cfg.PNR == nil {
		return nil, service.NotFound("page " + r.URL.Path)
	}
	return s.cfg.PNR, nil
}

// linkKinds are the kinds of the link query, in the order of its menu.
var linkKinds = []string{concord.LinkPhone, concord.LinkEmail, concord.LinkAddress, concord.LinkCard, concord.LinkFrequentFlyer, concord.LinkAgency}

// pnrHomePage is the bookings of the member, newest first.
type pnrHomePage struct {
	Locator  string
	Bookings []concord.Booking
	Kinds    []string
	Pending  int // rule hits waiting for a decision
	CanPush  bool
	Report   *concord.PNRImportReport // the push just stored
	Error    string
}

const bookingsPerPage = 100

func (s *Server) pnrHomeData(r *http.Request, q *request, locator string) (*pnrHomePage, error) {
	p, err := s.pnrService(r)
	if err != nil {
		return nil, err
	}
	d := &pnrHomePage{Locator: locator, Kinds: linkKinds, CanPush: q.v.Can(access.PushPNR)}
	if d.Bookings, err = p.Bookings(r.Context(), q.v, strings.ToUpper(locator), bookingsPerPage); err != nil {
		return nil, err
	}
	hits, err := p.Hits(r.Context(), q.v, concord.RuleHitQuery{Status: concord.AlertPending, Limit: 1000})
	if err != nil {
		return nil, err
	}
	d.Pending = len(hits)
	return d, nil
}

func (s *Server) pnrHome(w http.ResponseWriter, r *http.Request, q *request) error {
	d, err := s.pnrHomeData(r, q, strings.TrimSpace(r.URL.Query().Get("locator")))
	if err != nil {
		return err
	}
	return s.render(w, r, q, http.StatusOK, "pnr", "PNR bookings", d)
}

// pnrPush stores an uploaded PNRGOV push and shows what it changed; the
// travellers that are new or changed are screened in the background.
func (s *Server) pnrPush(w http.ResponseWriter, r *http.Request, q *request) error {
	p, err := s.pnrService(r)
	if err != nil {
		return err
	}
	if !q.v.Can(access.PushPNR) {
		return concord.Errorf(concord.EFORBIDDEN, "storing PNR data needs the analyst or reviewer role")
	}
	refuse := func(msg string) error {
		d, err := s.pnrHomeData(r, q, "")
		if err != nil {
			return err
		}
		d.Error = msg
		return s.render(w, r, q, http.StatusBadRequest, "pnr", "PNR bookings", d)
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		return refuse("Choose a PNRGOV push to store.")
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, s.cfg.MaxUpload+1))
	if err != nil {
		return err
	}
	if int64(len(body)) > s.cfg.MaxUpload {
		return refuse("The file is larger than " + strconv.FormatInt(s.cfg.MaxUpload>>20, 10) + " MiB.")
	}
	if !pnrgov.Detect(body[:min(len(body), 4096)]) {
		return refuse("This file is not a PNRGOV message.")
	}
	rep, err := p.Import(r.Context(), q.v, service.Truncate(fh.Filename, 200), body)
	if concord.ErrorCode(err) == concord.EINVALID {
		return refuse(concord.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	d, err := s.pnrHomeData(r, q, "")
	if err != nil {
		return err
	}
	d.Report = rep
	return s.render(w, r, q, http.StatusOK, "pnr", "PNR bookings", d)
}

// hitView is a rule hit as a page shows it, with its decision form.
type hitView struct {
	concord.RuleHit
	Locator   string // of its booking, when known
	CanDecide bool
	CSRF      string
	Back      string // the page to return to after a decision
}

func hitViews(q *request, hits []concord.RuleHit, back string, locators map[string]string) []hitView {
	out := make([]hitView, 0, len(hits))
	for _, h := range hits {
		out = append(out, hitView{RuleHit: h, Locator: locators[h.BookingID], CanDecide: q.v.Can(access.Review), CSRF: q.csrf, Back: back})
	}
	return out
}

// bookingPage is one booking: its latest version (masked once
// depersonalised), its versions, links and rule hits.
type bookingPage struct {
	B        concord.Booking
	Latest   *pnrgov.PNR
	Masked   bool // the latest version is depersonalised
	Versions []concord.BookingVersion
	Own      []concord.BookingLink // the latest version's attributes that link
	Links    *pnr.BookingLinks
	Hits     []hitView
	// Whole is a version re-personalised for the viewer (WholeN).
	Whole  *pnrgov.PNR
	WholeN int
	// Exposure is how the booking reaches listed persons within three
	// hops of its network.
	Exposure []pathView
	// CanRepersonalise and CanDecide: the viewer is a reviewer.
	CanRepersonalise, CanDecide bool
	Error                       string
	ErrorN                      int // the version the error is about
	Reason                      string
}

func (s *Server) bookingData(r *http.Request, q *request, id string) (*bookingPage, error) {
	p, err := s.pnrService(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	view, err := p.Booking(ctx, q.v, id)
	if err != nil {
		return nil, service.Hidden(err, "booking")
	}
	links, err := p.LinksOf(ctx, q.v, id, 50)
	if err != nil {
		return nil, service.Hidden(err, "booking")
	}
	d := &bookingPage{B: view.Booking, Own: view.Links, Links: links,
		Hits:             hitViews(q, view.Hits, "/pnr/bookings/"+id, map[string]string{id: view.Booking.Locator}),
		CanRepersonalise: q.v.Can(access.RepersonalisePNR), CanDecide: q.v.Can(access.Review)}
	g, err := p.Graph(ctx, q.v, id, 3)
	if err != nil {
		return nil, service.Hidden(err, "booking")
	}
	ex, err := g.View.Exposure(g.Node, 3, 10)
	if err != nil {
		return nil, err
	}
	d.Exposure = pathViews(ex.Paths)
	d.Versions = slices.Clone(view.Versions)
	slices.Reverse(d.Versions)
	if len(d.Versions) > 0 {
		last := d.Versions[0]
		var pn pnrgov.PNR
		if err := json.Unmarshal(last.Data, &pn); err != nil {
			return nil, err
		}
		d.Latest, d.Masked = &pn, last.Masked
	}
	return d, nil
}

func (s *Server) pnrBooking(w http.ResponseWriter, r *http.Request, q *request) error {
	d, err := s.bookingData(r, q, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, q, http.StatusOK, "booking", "Booking "+d.B.Locator, d)
}

// pnrRepersonalise shows a depersonalised version whole to a reviewer who
// states a reason; the store audits who and why. The whole version is shown
// on this answer only, never kept in a page or a cache.
func (s *Server) pnrRepersonalise(w http.ResponseWriter, r *http.Request, q *request) error {
	p, err := s.pnrService(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return service.NotFound("version")
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	whole, err := p.Repersonalise(r.Context(), q.v, id, n, reason)
	d, derr := s.bookingData(r, q, id)
	if derr != nil {
		return derr
	}
	if code := concord.ErrorCode(err); code == concord.EINVALID {
		d.Error, d.ErrorN, d.Reason = concord.ErrorMessage(err), n, reason
		return s.render(w, r, q, http.StatusBadRequest, "booking", "Booking "+d.B.Locator, d)
	}
	if err != nil {
		return service.Hidden(err, "version")
	}
	d.Whole, d.WholeN = whole, n
	return s.render(w, r, q, http.StatusOK, "booking", "Booking "+d.B.Locator, d)
}

// linksPage answers "who else used this phone?".
type linksPage struct {
	Kinds       []string
	Kind, Value string
	Asked       bool
	Bookings    []concord.LinkedBooking
	Distinct    int // bookings among them
	Error       string
}

func (s *Server) pnrLinks(w http.ResponseWriter, r *http.Request, q *request) error {
	p, err := s.pnrService(r)
	if err != nil {
		return err
	}
	qv := r.URL.Query()
	d := linksPage{Kinds: linkKinds, Kind: qv.Get("kind"), Value: strings.TrimSpace(qv.Get("value"))}
	if d.Kind == "" {
		d.Kind = concord.LinkPhone
	}
	if d.Value == "" {
		return s.render(w, r, q, http.StatusOK, "pnrlinks", "Who else used this?", d)
	}
	ans, err := p.Links(r.Context(), q.v, d.Kind, d.Value, 200)
	if concord.ErrorCode(err) == concord.EINVALID {
		d.Error = concord.ErrorMessage(err)
		return s.render(w, r, q, http.StatusBadRequest, "pnrlinks", "Who else used this?", d)
	}
	if err != nil {
		return err
	}
	d.Asked, d.Bookings = true, ans.Bookings
	seen := map[string]bool{}
	for _, b := range ans.Bookings {
		seen[b.Booking.ID] = true
	}
	d.Distinct = len(seen)
	return s.render(w, r, q, http.StatusOK, "pnrlinks", "Who else used this?", d)
}

func (s *Server) pnrNetwork(w http.ResponseWriter, r *http.Request, q *request) error {
	p, err := s.pnrService(r)
	if err != nil {
		return err
	}
	net, err := p.Network(r.Context(), q.v, 500)
	if err != nil {
		return err
	}
	return s.render(w, r, q, http.StatusOK, "pnrnetwork", "Network of listed persons' bookings", net)
}

// hitsPage lists rule hits of one status.
type hitsPage struct {
	Status  string
	Hits    []hitView
	Decided string // the hit just decided
}

func (s *Server) pnrHits(w http.ResponseWriter, r *http.Request, q *request) error {
	p, err := s.pnrService(r)
	if err != nil {
		return err
	}
	qv := r.URL.Query()
	d := hitsPage{Status: qv.Get("status"), Decided: qv.Get("decided")}
	if !slices.Contains([]string{concord.AlertPending, concord.AlertConfirmed, concord.AlertDismissed}, d.Status) {
		d.Status = concord.AlertPending
	}
	hits, err := p.Hits(r.Context(), q.v, concord.RuleHitQuery{Status: d.Status, Limit: 200})
	if err != nil {
		return err
	}
	locators := map[string]string{}
	if len(hits) > 0 {
		bs, err := p.Bookings(r.Context(), q.v, "", 10000)
		if err != nil {
			return err
		}
		for _, b := range bs {
			locators[b.ID] = b.Locator
		}
	}
	d.Hits = hitViews(q, hits, "/pnr/hits?status="+d.Status, locators)
	return s.render(w, r, q, http.StatusOK, "pnrhits", "Rule hits", d)
}

// pnrDecide confirms or dismisses a rule hit with a reason, then goes back
// to the page the form was on.
func (s *Server) pnrDecide(w http.ResponseWriter, r *http.Request, q *request) error {
	p, err := s.pnrService(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return service.NotFound("rule hit")
	}
	status, reason := r.PostFormValue("status"), strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		return concord.Errorf(concord.EINVALID, "a decision on a rule hit needs a reason")
	}
	if err := p.DecideHit(r.Context(), q.v, id, status, reason); err != nil {
		return service.Hidden(err, "rule hit")
	}
	back := safeNext(r.PostFormValue("back"))
	if back == "/" {
		back = "/pnr/hits"
	}
	u, err := url.Parse(back)
	if err != nil {
		return err
	}
	vals := u.Query()
	vals.Set("decided", strconv.FormatInt(id, 10))
	u.RawQuery = vals.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
	return nil
}

// ruleView is a rule with its hit rates by nationality.
type ruleView struct {
	concord.PNRRule
	Text  string
	Rates *pnr.RuleRates
}

func (s *Server) pnrRules(w http.ResponseWriter, r *http.Request, q *request) error {
	p, err := s.pnrService(r)
	if err != nil {
		return err
	}
	rules, err := p.Rules(r.Context(), q.v)
	if err != nil {
		return err
	}
	var d []ruleView
	for _, rl := range rules {
		rates, err := p.Rates(r.Context(), q.v, rl.ID)
		if err != nil {
			return err
		}
		d = append(d, ruleView{PNRRule: rl, Text: pnr.Describe(rl.Conditions), Rates: rates})
	}
	return s.render(w, r, q, http.StatusOK, "pnrrules", "Scenario rules", d)
}

// nodeView is a node of a booking's network with the page it opens: a
// booking's, or a record's.
type nodeView struct {
	graph.Node
	Href string
}

func viewNode(n graph.Node) nodeView {
	if b, ok := strings.CutPrefix(n.ID, "pnr:"); ok {
		return nodeView{Node: n, Href: "/pnr/bookings/" + b}
	}
	return nodeView{Node: n, Href: "/entities/" + n.ID}
}

// pathView is an exposure path: its nodes and the edges of each step.
type pathView struct {
	Nodes []nodeView
	Steps [][]graph.Edge
}

func pathViews(ps []graph.Path) []pathView {
	out := make([]pathView, 0, len(ps))
	for _, p := range ps {
		pv := pathView{Steps: p.Steps}
		for _, n := range p.Nodes {
			pv.Nodes = append(pv.Nodes, viewNode(n))
		}
		out = append(out, pv)
	}
	return out
}

// pnrGraphPage is a booking's network drawn by the server.
type pnrGraphPage struct {
	ID        string // the booking's
	Caption   string
	Hops      int
	Picture   template.HTML // graph.WriteSVG escapes every text it draws
	Nodes     map[string]nodeView
	Edges     []graph.Edge
	Exposure  []pathView
	Truncated bool
}

// pnrGraph is the picture of a booking's network: the bookings linked to
// it within hops and the listed persons its travellers' alerts name.
func (s *Server) pnrGraph(w http.ResponseWriter, r *http.Request, q *request) error {
	p, err := s.pnrService(r)
	if err != nil {
		return err
	}
	hops := 2
	if h, err := strconv.Atoi(r.URL.Query().Get("hops")); err == nil && h >= 1 && h <= 3 {
		hops = h
	}
	id := r.PathValue("id")
	d := pnrGraphPage{ID: id, Hops: hops, Nodes: map[string]nodeView{}}
	g, err := p.Graph(r.Context(), q.v, id, max(hops, 3))
	if err != nil {
		return service.Hidden(err, "booking")
	}
	sub, err := g.View.Neighbourhood(g.Node, hops, 150)
	if err != nil {
		return err
	}
	ex, err := g.View.Exposure(g.Node, 3, 10)
	if err != nil {
		return err
	}
	var pic bytes.Buffer
	if err := graph.WriteSVG(&pic, sub); err != nil {
		return err
	}
	for _, n := range sub.Nodes {
		d.Nodes[n.ID] = viewNode(n)
	}
	d.Picture, d.Edges, d.Exposure, d.Truncated = template.HTML(pic.String()), sub.Edges, pathViews(ex.Paths), sub.Truncated || g.Truncated
	d.Caption = ex.Entity.Caption
	return s.render(w, r, q, http.StatusOK, "pnrgraph", "Network of "+d.Caption, d)
}
