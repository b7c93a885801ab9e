package web

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"concord"
	"concord/access"
)

// entityPage is an entity with every value and its provenance.
type entityPage struct {
	Entity  *concord.Entity
	Props   []propValues
	Links   []link
	Linked  []link              // records that link to this one
	History []concord.Statement // with ?history=1
	Showing string              // "values" or "history"
	Own     bool                // the viewer's member stated some of it
	CanEdit bool
}

// propValues is one property with its values, each with its statements.
type propValues struct {
	Prop   string
	Values []valueStatements
}

type valueStatements struct {
	Value      string
	IsEntity   bool // an entity-typed value: a link
	Statements []statementView
}

// statementView is a statement with who may see it, in words.
type statementView struct {
	concord.Statement
	Who string
	Own bool // the viewer's member is its originator
}

// link is another entity this one names (holder, owner, member, ...).
type link struct {
	Prop, ID, Caption, Schema string
}

func (s *Server) entity(w http.ResponseWriter, r *http.Request, q *request) error {
	ctx := r.Context()
	id := r.PathValue("id")
	e, err := s.svc.Entity(ctx, q.v, id)
	if err != nil {
		return err
	}
	d := entityPage{Entity: e, Showing: "values", CanEdit: q.v.Can(access.Contribute)}
	aud, err := s.audienceWords(ctx)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("history") != "" {
		st, err := s.svc.History(ctx, q.v, id)
		if err != nil {
			return err
		}
		d.History, d.Showing = st, "history"
		return s.render(w, r, q, http.StatusOK, "entity", e.Caption(), d)
	}
	st, err := s.svc.Statements(ctx, q.v, id)
	if err != nil {
		return err
	}
	sch := concord.SchemaByName(e.Schema)
	byProp := map[string]*propValues{}
	var order []string
	for _, x := range st {
		if x.Prop == "id" {
			continue
		}
		pv := byProp[x.Prop]
		if pv == nil {
			pv = &propValues{Prop: x.Prop}
			byProp[x.Prop] = pv
			order = append(order, x.Prop)
		}
		i := slices.IndexFunc(pv.Values, func(v valueStatements) bool { return v.Value == x.Value })
		if i < 0 {
			isEnt := sch != nil && sch.Props[x.Prop] == concord.TypeEntity
			pv.Values = append(pv.Values, valueStatements{Value: x.Value, IsEntity: isEnt})
			i = len(pv.Values) - 1
		}
		own := x.ContributedBy != "" && x.ContributedBy == q.v.Member
		d.Own = d.Own || own
		pv.Values[i].Statements = append(pv.Values[i].Statements, statementView{Statement: x, Who: aud.words(x.Audience, x.ContributedBy), Own: own})
	}
	slices.SortStableFunc(order, func(a, b string) int { return propRank(a) - propRank(b) })
	for _, p := range order {
		d.Props = append(d.Props, *byProp[p])
	}
	// Links: the entities this one names, as the viewer sees them (one it
	// may not see is not linked).
	f := q.v.Filter()
	for _, p := range order {
		for _, v := range byProp[p].Values {
			if !v.IsEntity || len(d.Links) >= 50 {
				continue
			}
			other, err := s.store.Entity(ctx, f, v.Value)
			if concord.ErrorCode(err) == concord.ENOTFOUND {
				continue
			}
			if err != nil {
				return err
			}
			d.Links = append(d.Links, link{Prop: p, ID: other.ID, Caption: other.Caption(), Schema: other.Schema})
		}
	}
	from, err := s.svc.Referencing(ctx, q.v, id, 50)
	if err != nil {
		return err
	}
	for _, o := range from {
		prop := ""
		if sch := concord.SchemaByName(o.Schema); sch != nil {
			for _, p := range o.PropNames() {
				if sch.Props[p] == concord.TypeEntity && slices.Contains(o.Properties[p], id) {
					prop = p
					break
				}
			}
		}
		d.Linked = append(d.Linked, link{Prop: prop, ID: o.ID, Caption: o.Caption(), Schema: o.Schema})
	}
	return s.render(w, r, q, http.StatusOK, "entity", e.Caption(), d)
}

// propRank orders the properties a reader looks for first.
func propRank(p string) int {
	for i, x := range []string{"name", "alias", "weakAlias", "previousName", "firstName", "lastName", "birthDate",
		"birthPlace", "nationality", "citizenship", "gender", "passportNumber", "idNumber", "number", "holder", "country", "address"} {
		if p == x {
			return i
		}
	}
	return 100
}

// audiences says who may see a statement, in words.
type audiences struct {
	members map[string]string   // id → name
	groups  map[string]string   // id → name
	in      map[string][]string // group id → member ids
}

func (s *Server) audienceWords(ctx context.Context) (*audiences, error) {
	a := &audiences{members: map[string]string{}, groups: map[string]string{}, in: map[string][]string{}}
	ms, err := s.store.Members(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		a.members[m.ID] = m.Name
	}
	gs, err := s.store.Groups(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		a.groups[g.ID], a.in[g.ID] = g.Name, g.Members
	}
	return a, nil
}

func (a *audiences) name(member string) string {
	if n := a.members[member]; n != "" {
		return n
	}
	return member
}

// words describes an audience: who, besides the originator, sees it.
func (a *audiences) words(aud concord.Audience, by string) string {
	s := string(aud)
	switch {
	case aud == concord.AudiencePublic:
		return "everyone (published list)"
	case aud == concord.AudienceCoalition:
		return "every coalition member"
	case strings.HasPrefix(s, "member:"):
		return a.name(strings.TrimPrefix(s, "member:")) + " only"
	case strings.HasPrefix(s, "group:"):
		id := strings.TrimPrefix(s, "group:")
		names := make([]string, 0, len(a.in[id]))
		for _, m := range a.in[id] {
			names = append(names, a.name(m))
		}
		g := a.groups[id]
		if g == "" {
			g = id
		}
		out := "members of " + g
		if len(names) > 0 {
			out += " (" + strings.Join(names, ", ") + ")"
		}
		if by != "" && !slices.Contains(a.in[id], by) {
			out += " and " + a.name(by)
		}
		return out
	}
	return s
}
