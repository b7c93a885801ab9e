package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"concord"
	"concord/access"
	"concord/internal/service"
)

func (s *Server) contributeRoutes() []route {
	return []route{
		{"GET /contribute", s.contributeForm, false},
		{"POST /contribute", s.contribute, false},
		{"GET /contribute/statements/{id}", s.statementForm, false},
		{"POST /contribute/statements/{id}", s.changeStatement, false},
	}
}

// option is a choice of a select.
type option struct{ Value, Label string }

// contributePage adds a record, or values to a record the viewer sees.
type contributePage struct {
	Entity                                   *concord.Entity // adding to it; nil: a new record
	Schema                                   string
	Name, Aliases, BirthDate, Nationality    string
	Document, Notes, Other, Audience, Handle string
	Schemata                                 []string
	Countries                                []string
	Audiences, Handlings                     []option
	Error                                    string
	Mine                                     []*concord.Entity
}

// contributeSchemata are the kinds of record the form offers.
var contributeSchemata = []string{"Person", "Organization", "Company", "Vessel", "Airplane"}

// shareOptions are the audiences v may choose, in words, and the TLP
// labels with what each allows.
func (s *Server) shareOptions(ctx context.Context, v access.Viewer) ([]option, []option, error) {
	aud, err := s.audienceWords(ctx)
	if err != nil {
		return nil, nil, err
	}
	var as []option
	for _, a := range v.Audiences() {
		if a == concord.AudiencePublic {
			continue // published lists only
		}
		as = append(as, option{string(a), aud.words(a, v.Member)})
	}
	hs := []option{
		{"GREEN", "TLP:GREEN — the audience may share it within their community"},
		{"CLEAR", "TLP:CLEAR — no restriction on disclosure"},
		{"AMBER", "TLP:AMBER — the audience only, on a need-to-know basis"},
		{"AMBER+STRICT", "TLP:AMBER+STRICT — your member only"},
		{"RED", "TLP:RED — named recipients only (your member)"},
	}
	return as, hs, nil
}

func (s *Server) newContributePage(r *http.Request, q *request) (*contributePage, error) {
	ctx := r.Context()
	d := &contributePage{Schema: "Person", Schemata: contributeSchemata, Countries: concord.CountryCodes(),
		Audience: string(concord.MemberAudience(q.v.Member)), Handle: "AMBER"}
	var err error
	if d.Audiences, d.Handlings, err = s.shareOptions(ctx, q.v); err != nil {
		return nil, err
	}
	if id := r.FormValue("entity"); id != "" {
		e, err := s.svc.Entity(ctx, q.v, id)
		if err != nil {
			return nil, err
		}
		d.Entity, d.Schema = e, e.Schema
	}
	return d, nil
}

func (s *Server) contributeForm(w http.ResponseWriter, r *http.Request, q *request) error {
	if err := service.Need(q.v, access.Contribute, "contributing"); err != nil {
		return err
	}
	d, err := s.newContributePage(r, q)
	if err != nil {
		return err
	}
	if d.Mine, err = s.svc.Contributions(r.Context(), q.v, 100); err != nil {
		return err
	}
	return s.render(w, r, q, http.StatusOK, "contribute", title(d), d)
}

func title(d *contributePage) string {
	if d.Entity != nil {
		return "Add values to " + service.Truncate(d.Entity.Caption(), 60)
	}
	return "Contribute a record"
}

// contribute states the member's values with the audience and handling
// chosen, then shows the record.
func (s *Server) contribute(w http.ResponseWriter, r *http.Request, q *request) error {
	d, err := s.newContributePage(r, q)
	if err != nil {
		return err
	}
	f := r.PostFormValue
	d.Name, d.Aliases, d.BirthDate, d.Nationality = f("name"), f("aliases"), f("birth_date"), f("nationality")
	d.Document, d.Notes, d.Other, d.Audience, d.Handle = f("document"), f("notes"), f("other"), f("audience"), f("handling")
	if d.Entity == nil {
		d.Schema = f("schema")
	}
	props := map[string][]string{}
	add := func(prop, v string) {
		if v = strings.TrimSpace(v); v != "" {
			props[prop] = append(props[prop], v)
		}
	}
	add("name", d.Name)
	for _, a := range strings.Split(d.Aliases, "\n") {
		add("alias", a)
	}
	person := d.Schema == "Person"
	if person {
		add("birthDate", d.BirthDate)
		add("nationality", d.Nationality)
		add("passportNumber", d.Document)
	} else {
		add("country", d.Nationality)
		add("registrationNumber", d.Document)
	}
	add("notes", d.Notes)
	for i, line := range strings.Split(d.Other, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		prop, val, ok := strings.Cut(line, ":")
		if !ok {
			d.Error = "Other values, line " + strconv.Itoa(i+1) + ": write property: value (e.g. idNumber: 12345)"
			return s.render(w, r, q, http.StatusBadRequest, "contribute", title(d), d)
		}
		add(strings.TrimSpace(prop), val)
	}
	c := service.Contribution{Schema: d.Schema, Properties: props, Audience: d.Audience, Handling: d.Handle}
	if d.Entity != nil {
		c.EntityID, c.Schema = d.Entity.ID, ""
	}
	id, _, err := s.svc.Contribute(r.Context(), q.v, c)
	if code := concord.ErrorCode(err); code == concord.EINVALID || code == concord.EFORBIDDEN {
		d.Error = concord.ErrorMessage(err)
		return s.render(w, r, q, concord.HTTPStatus(code), "contribute", title(d), d)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/entities/"+url.PathEscape(id), http.StatusSeeOther)
	return nil
}

// statementPage reshares, narrows or retracts one of the member's
// statements.
type statementPage struct {
	Statement            *concord.Statement
	Who                  string
	Audiences, Handlings []option
	Error                string
}

func (s *Server) statementData(r *http.Request, q *request) (*statementPage, error) {
	ctx := r.Context()
	st, err := s.svc.OwnStatement(ctx, q.v, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	d := &statementPage{Statement: st}
	if d.Audiences, d.Handlings, err = s.shareOptions(ctx, q.v); err != nil {
		return nil, err
	}
	aud, err := s.audienceWords(ctx)
	if err != nil {
		return nil, err
	}
	d.Who = aud.words(st.Audience, st.ContributedBy)
	return d, nil
}

func (s *Server) statementForm(w http.ResponseWriter, r *http.Request, q *request) error {
	d, err := s.statementData(r, q)
	if err != nil {
		return err
	}
	return s.render(w, r, q, http.StatusOK, "statement", "Share or retract a value", d)
}

// changeStatement reshares (wider or narrower) or retracts a statement.
func (s *Server) changeStatement(w http.ResponseWriter, r *http.Request, q *request) error {
	d, err := s.statementData(r, q)
	if err != nil {
		return err
	}
	c := service.StatementChange{IDs: []string{d.Statement.ID}}
	if r.PostFormValue("action") == "reshare" {
		c.Reshare, c.Audience, c.Handling = true, r.PostFormValue("audience"), r.PostFormValue("handling")
	}
	_, err = s.svc.ChangeStatements(r.Context(), q.v, c)
	if code := concord.ErrorCode(err); code == concord.EINVALID || code == concord.EFORBIDDEN {
		d.Error = concord.ErrorMessage(err)
		return s.render(w, r, q, concord.HTTPStatus(code), "statement", "Share or retract a value", d)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/entities/"+url.PathEscape(d.Statement.EntityID), http.StatusSeeOther)
	return nil
}
