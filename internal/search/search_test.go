package search_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"concord"
	"concord/access"
	"concord/internal/search"
	"concord/match"
)

// fixture is a store with a small coalition: es, fr and uz; group ttwg =
// {es, fr}.
type fixture struct {
	t   testing.TB
	ctx context.Context
	db  concord.Store
}

func newFixture(t testing.TB, backend string) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), db: openStore(t, backend, nil)}
	if err := f.db.LoadCoalition(f.ctx, &concord.Coalition{
		Members: []concord.Member{{ID: "es", Country: "ES", Name: "Spain"}, {ID: "uz", Country: "UZ", Name: "Uzbekistan"}, {ID: "fr", Country: "FR", Name: "France"}},
		Groups:  []concord.Group{{ID: "ttwg", Name: "TTWG", Kind: concord.GroupWorkingGroup, Members: []string{"es", "fr"}}},
	}); err != nil {
		t.Fatal(err)
	}
	return f
}

var (
	viewerES = viewer("es", "ttwg")
	viewerFR = viewer("fr", "ttwg")
	viewerUZ = viewer("uz")
)

func viewer(member string, groups ...string) access.Viewer {
	return access.Viewer{User: member + "-user", Member: member, Roles: []concord.Role{concord.RoleViewer}, Groups: groups}
}

// list imports a public dataset of persons: id, name and birth date.
func (f *fixture) list(dataset string, recs ...[3]string) {
	f.t.Helper()
	var stmts []concord.Statement
	for _, r := range recs {
		e := concord.NewEntity(r[0], "Person")
		e.Add("name", r[1])
		e.Add("birthDate", r[2])
		stmts = append(stmts, e.Statements(concord.Provenance{Dataset: dataset, SourceRef: dataset + ":" + r[0],
			Audience: concord.AudiencePublic, Handling: concord.TLPClear})...)
	}
	if _, err := f.db.Import(f.ctx, &concord.ImportBatch{Dataset: dataset, Statements: stmts}); err != nil {
		f.t.Fatal(err)
	}
}

// contribute has member add prop=value to entity id under audience a (a
// new Person when the id is new).
func (f *fixture) contribute(member string, a concord.Audience, h concord.TLP, id string, props ...string) {
	f.t.Helper()
	e := concord.NewEntity(id, "Person")
	for i := 0; i+1 < len(props); i += 2 {
		e.Add(props[i], props[i+1])
	}
	p := concord.Provenance{Dataset: "member-" + member, SourceRef: member + ":" + id, ContributedBy: member, Audience: a, Handling: h}
	if err := f.db.Contribute(f.ctx, e.Statements(p)); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) match(svc *search.Service, v access.Viewer, q match.Query, opt match.Options) []match.Match {
	f.t.Helper()
	ms, err := svc.Match(f.ctx, v, q, opt)
	if err != nil {
		f.t.Fatal(err)
	}
	return ms
}

func ids(ms []match.Match) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.EntityID)
	}
	return out
}

func TestMatchSeesOnlyWhatTheViewerMay(t *testing.T) {
	f := newFixture(t, "sqlite")
	f.list("un", [3]string{"un-X.1", "Abdulrahman Qasim Haddad", "1975"})
	f.list("eu", [3]string{"eu-7", "Haddad Abdulrahman Qasim", "1975-02-03"}) // merged with un-X.1
	// Spain adds an alias to the EU record for itself only, and a person for
	// its group; France a birth date to the UN record for the coalition.
	f.contribute("es", concord.MemberAudience("es"), concord.TLPAmber, "eu-7", "alias", "Zoltan Kwiatkowski")
	f.contribute("es", concord.GroupAudience("ttwg"), concord.TLPAmber, "m-es-1", "name", "Bartholomew Quixley")
	f.contribute("fr", concord.AudienceCoalition, concord.TLPGreen, "un-X.1", "birthDate", "1975-02-03")
	svc, err := search.New(f.ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		v    access.Viewer
		q    match.Query
		want []string
		refs []string // of the first result
	}{
		{viewerES, match.Query{Name: "Zoltan Kwiatkowski"}, []string{"un-X.1"}, []string{"un:un-X.1", "eu:eu-7", "fr:un-X.1", "es:eu-7"}}, // its own alias, on the merged record
		{viewerFR, match.Query{Name: "Zoltan Kwiatkowski"}, []string{}, nil},                                                              // another member's private alias finds nothing
		{viewerUZ, match.Query{Name: "Zoltan Kwiatkowski"}, []string{}, nil},
		{viewerUZ, match.Query{Name: "Abdulrahman Qasim Haddad"}, []string{"un-X.1"}, []string{"un:un-X.1", "eu:eu-7", "fr:un-X.1"}}, // the public record, for everyone
		{viewerFR, match.Query{Name: "Bartholomew Quixley"}, []string{"m-es-1"}, []string{"es:m-es-1"}},                              // shared with the group
		{viewerUZ, match.Query{Name: "Bartholomew Quixley"}, []string{}, nil},                                                        // outside the group
	}
	for _, c := range cases {
		t.Run(c.v.Member+"/"+c.q.Name, func(t *testing.T) {
			ms := f.match(svc, c.v, c.q, match.Options{})
			if !slices.Equal(ids(ms), c.want) {
				t.Fatalf("got %v, want %v (%+v)", ids(ms), c.want, ms)
			}
			if len(ms) > 0 && !slices.Equal(ms[0].Refs, c.refs) {
				t.Errorf("refs %v, want %v", ms[0].Refs, c.refs)
			}
			for _, m := range ms {
				for _, ft := range m.Explanation {
					if ft.Candidate == "Zoltan Kwiatkowski" && c.v.Member != "es" {
						t.Errorf("%s sees the hidden alias in an explanation", c.v.Member)
					}
				}
			}
		})
	}
	// The coalition's birth date counts for everyone: a conflicting query
	// date is closer to it than to the public year alone.
	q := match.Query{Name: "Abdulrahman Qasim Haddad", BirthDate: "1975-02-03"}
	m := f.match(svc, viewerUZ, q, match.Options{})
	if len(m) != 1 || !slices.ContainsFunc(m[0].Explanation, func(ft match.Feature) bool { return ft.Feature == "birth_date" && ft.Score == 1 }) {
		t.Errorf("coalition birth date not used: %+v", m)
	}
}

// The issue 8 §1 case: a member adds forty RED records named like a listed
// person. Another member gets exactly what it got before: the same hits,
// scores and part weights.
func TestHiddenRecordsDoNotCrowdOutListedHits(t *testing.T) {
	for _, backend := range backends() {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend)
			f.list("un", [3]string{"un-1", "Abu Mohammed al-Adnani", "1977"}, [3]string{"un-2", "Abu Mohammed al-Adnani al-Shami", "1980"}, [3]string{"un-3", "Abu Mohammed Adnan", "1971"})
			f.list("xl", [3]string{"xl-1", "Ali Hassan", "1960"}, [3]string{"xl-2", "Omar Farouk", "1966"})
			q := match.Query{Name: "Abu Mohammed al-Adnani"}
			opt := match.Options{Threshold: 0.5, Limit: 5}
			before, err := search.New(f.ctx, f.db)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string][]match.Match{}
			for _, v := range []access.Viewer{viewerFR, viewerUZ} {
				want[v.Member] = f.match(before, v, q, opt)
			}
			if len(want["uz"]) < 3 {
				t.Fatalf("the listed persons are not found: %+v", want["uz"])
			}
			for i := range 40 {
				f.contribute("es", concord.MemberAudience("es"), concord.TLPRed, fmt.Sprintf("m-es-%d", i), "name", "Abu Mohammed al-Adnani", "birthDate", "1977")
			}
			after, err := search.New(f.ctx, f.db)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range []access.Viewer{viewerFR, viewerUZ} {
				if got := f.match(after, v, q, opt); !reflect.DeepEqual(got, want[v.Member]) {
					t.Errorf("%s: hidden records changed the matches\nbefore %+v\nafter  %+v", v.Member, want[v.Member], got)
				}
			}
			// Spain sees its own records (as many as its audience's index
			// gives candidates) and the listed ones still.
			got := ids(f.match(after, viewerES, q, match.Options{Threshold: 0.5, Limit: 50}))
			if !slices.Contains(got, "un-1") || !slices.Contains(got, "un-2") || !slices.Contains(got, "un-3") || !slices.Contains(got, "m-es-0") {
				t.Errorf("es: %v", got)
			}
		})
	}
}

// Refresh follows a reshare and a retraction: the alias moves between
// audiences' indexes, and is gone when retracted.
func TestRefreshFollowsReshareAndRetraction(t *testing.T) {
	f := newFixture(t, "sqlite")
	f.list("un", [3]string{"un-X.1", "Abdulrahman Qasim Haddad", "1975"})
	svc, err := search.New(f.ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	alias := match.Query{Name: "Zoltan Kwiatkowski"}
	check := func(step string, want map[string]bool) {
		t.Helper()
		for _, v := range []access.Viewer{viewerES, viewerFR, viewerUZ} {
			if got := len(f.match(svc, v, alias, match.Options{})) == 1; got != want[v.Member] {
				t.Errorf("%s: %s finds the alias: %v, want %v", step, v.Member, got, want[v.Member])
			}
		}
	}
	f.contribute("es", concord.AudienceCoalition, concord.TLPGreen, "un-X.1", "alias", "Zoltan Kwiatkowski")
	check("before refresh", map[string]bool{})
	if err := svc.Refresh(f.ctx, "un-X.1"); err != nil {
		t.Fatal(err)
	}
	check("coalition", map[string]bool{"es": true, "fr": true, "uz": true})
	sid := []string{concord.StatementID("un-X.1", "alias", "Zoltan Kwiatkowski", "", "member-es", "es")}
	steps := []struct {
		name  string
		apply func() error
		want  map[string]bool
	}{
		{"reshared to ttwg", func() error { return f.db.Reshare(f.ctx, "es", sid, concord.GroupAudience("ttwg"), concord.TLPAmber) },
			map[string]bool{"es": true, "fr": true}},
		{"narrowed to es", func() error { return f.db.Reshare(f.ctx, "es", sid, concord.MemberAudience("es"), concord.TLPRed) },
			map[string]bool{"es": true}},
		{"retracted", func() error { return f.db.Retract(f.ctx, "es", sid) }, map[string]bool{}},
	}
	for _, st := range steps {
		if err := st.apply(); err != nil {
			t.Fatal(err)
		}
		if err := svc.Refresh(f.ctx, "un-X.1"); err != nil {
			t.Fatal(err)
		}
		check(st.name, st.want)
	}
	// The public record is found as before by everyone.
	if ms := f.match(svc, viewerUZ, match.Query{Name: "Abdulrahman Qasim Haddad"}, match.Options{}); len(ms) != 1 {
		t.Errorf("public record: %+v", ms)
	}
}
