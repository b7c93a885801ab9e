package search_test

import (
	"context"
	"testing"

	"concord"
	"concord/access"
	"concord/internal/search"
	"concord/internal/store"
	"concord/match"
)

func statements(e *concord.Entity, p concord.Provenance) []concord.Statement { return e.Statements(p) }

func TestMatchSeesOnlyWhatTheViewerMay(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.LoadCoalition(ctx, &concord.Coalition{
		Members: []concord.Member{{ID: "es", Country: "ES", Name: "Spain"}, {ID: "uz", Country: "UZ", Name: "Uzbekistan"}, {ID: "fr", Country: "FR", Name: "France"}},
		Groups:  []concord.Group{{ID: "ttwg", Name: "TTWG", Kind: concord.GroupWorkingGroup, Members: []string{"es", "fr"}}},
	}); err != nil {
		t.Fatal(err)
	}
	// A published list record.
	listed := concord.NewEntity("un-X.1", "Person")
	listed.Add("name", "Abdulrahman Qasim Haddad")
	listed.Add("birthDate", "1975")
	pub := concord.Provenance{Dataset: "un", SourceRef: "un:X.1", Audience: concord.AudiencePublic, Handling: concord.TLPClear}
	if _, err := db.Import(ctx, &concord.ImportBatch{Dataset: "un", Statements: statements(listed, pub)}); err != nil {
		t.Fatal(err)
	}
	// Spain adds an alias to it for itself only, and a person for its group.
	alias := concord.NewEntity("un-X.1", "Person")
	alias.Add("alias", "Zoltan Kwiatkowski")
	own := concord.Provenance{Dataset: "member-es", SourceRef: "es:un-X.1", ContributedBy: "es", Audience: concord.MemberAudience("es"), Handling: concord.TLPAmber}
	grp := concord.NewEntity("m-es-1", "Person")
	grp.Add("name", "Bartholomew Quixley")
	shared := concord.Provenance{Dataset: "member-es", SourceRef: "es:m-es-1", ContributedBy: "es", Audience: concord.GroupAudience("ttwg"), Handling: concord.TLPAmber}
	if err := db.Contribute(ctx, append(statements(alias, own)[1:], statements(grp, shared)...)); err != nil {
		t.Fatal(err)
	}
	svc, err := search.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	viewer := func(member string, groups ...string) access.Viewer {
		return access.Viewer{User: member + "-user", Member: member, Roles: []concord.Role{concord.RoleViewer}, Groups: groups}
	}
	es, fr, uz := viewer("es", "ttwg"), viewer("fr", "ttwg"), viewer("uz")
	cases := []struct {
		v    access.Viewer
		name string
		want string
	}{
		{es, "Zoltan Kwiatkowski", "un-X.1"}, // its own alias
		{fr, "Zoltan Kwiatkowski", ""},       // another member's private alias finds nothing
		{uz, "Zoltan Kwiatkowski", ""},
		{uz, "Abdulrahman Qasim Haddad", "un-X.1"}, // the public record, for everyone
		{fr, "Bartholomew Quixley", "m-es-1"},      // shared with the group
		{uz, "Bartholomew Quixley", ""},            // outside the group
	}
	for _, c := range cases {
		ms, err := svc.Match(ctx, c.v, match.Query{Name: c.name}, match.Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if len(ms) > 0 {
			got = ms[0].EntityID
		}
		if got != c.want {
			t.Errorf("%s matches %q: got %q, want %q (%+v)", c.v.Member, c.name, got, c.want, ms)
		}
		for _, m := range ms {
			for _, f := range m.Explanation {
				if f.Candidate == "Zoltan Kwiatkowski" && c.v.Member != "es" {
					t.Errorf("%s sees the hidden alias in an explanation", c.v.Member)
				}
			}
		}
	}
	// Retraction reaches the index through Refresh.
	ids := []string{concord.StatementID("un-X.1", "alias", "Zoltan Kwiatkowski", "", "member-es", "es")}
	if err := db.Retract(ctx, "es", ids); err != nil {
		t.Fatal(err)
	}
	if err := svc.Refresh(ctx, "un-X.1"); err != nil {
		t.Fatal(err)
	}
	if ms, _ := svc.Match(ctx, es, match.Query{Name: "Zoltan Kwiatkowski"}, match.Options{}); len(ms) != 0 {
		t.Errorf("retracted alias still matches: %+v", ms)
	}
}
