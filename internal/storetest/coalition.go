package storetest

import (
	"reflect"
	"testing"

	"concord"
)

func members() []concord.Member {
	return []concord.Member{
		{ID: "es", Country: "ES", Agency: "Ministry of Foreign Affairs", Name: "Spain", Region: "Europe", CoChair: true},
		{ID: "us", Country: "US", Agency: "Department of State", Name: "United States", Region: "Americas", CoChair: true},
		{ID: "uz", Country: "UZ", Agency: "Ministry of Foreign Affairs", Name: "Uzbekistan", Region: "Central Asia", Joined: "2025"},
		{ID: "ng", Country: "NG", Agency: "Office of the NSA", Name: "Nigeria", Region: "Africa"},
	}
}

func testCoalition(t *testing.T, s concord.Store) {
	for _, m := range members() {
		if err := s.PutMember(ctx(t), &m); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, "invalid member", s.PutMember(ctx(t), &concord.Member{ID: "Bad Id", Country: "XX", Name: "x"}), concord.EINVALID)
	got, err := s.Members(ctx(t))
	m := members()
	want := []concord.Member{m[0], m[3], m[1], m[2]} // by id: es ng us uz
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Members:\n got %+v %v\nwant %+v", got, err, want)
	}
	uz := want[3]
	uz.Agency = "Ministry of Internal Affairs"
	uz.HighRisk = []string{"af", "sy"} // a member setting of payment screening
	if err := s.PutMember(ctx(t), &uz); err != nil {
		t.Fatal(err)
	}
	if m, err := s.Member(ctx(t), "uz"); err != nil || !reflect.DeepEqual(*m, uz) {
		t.Errorf("Member after replace: %+v %v", m, err)
	}

	g := &concord.Group{ID: "tf-central-asia", Name: "Central Asia Task Force", Kind: concord.GroupTaskForce,
		Members: []string{"uz", "us"}, Leads: []string{"uz"}, Partners: []string{"INTERPOL"}}
	if err := s.PutGroup(ctx(t), g); err != nil {
		t.Fatal(err)
	}
	if g.Version != 1 {
		t.Errorf("new group version %d, want 1", g.Version)
	}
	g.Members = append(g.Members, "es")
	g.Description = "Regional task force"
	if err := s.PutGroup(ctx(t), g); err != nil || g.Version != 2 {
		t.Errorf("PutGroup again: version %d %v", g.Version, err)
	}
	gg, err := s.Group(ctx(t), g.ID)
	if err != nil || !reflect.DeepEqual(gg, g) {
		t.Errorf("Group:\n got %+v %v\nwant %+v", gg, err, g)
	}
	wantCode(t, "group with unknown member", s.PutGroup(ctx(t), &concord.Group{ID: "x", Name: "X", Kind: concord.GroupInitiative, Members: []string{"zz"}}), concord.EINVALID)
	wantCode(t, "group with bad kind", s.PutGroup(ctx(t), &concord.Group{ID: "x", Name: "X", Kind: "club"}), concord.EINVALID)
	if err := s.PutGroup(ctx(t), &concord.Group{ID: "ttwg", Name: "Terrorist Travel Working Group", Kind: concord.GroupWorkingGroup, Members: []string{"es"}}); err != nil {
		t.Fatal(err)
	}
	if gs, err := s.Groups(ctx(t)); err != nil || len(gs) != 2 || gs[0].ID != "tf-central-asia" || gs[1].ID != "ttwg" || gs[1].Leads != nil || len(gs[1].Members) != 1 {
		t.Errorf("Groups: %+v %v", gs, err)
	}
	for id, want := range map[string][]string{"es": {"tf-central-asia", "ttwg"}, "uz": {"tf-central-asia"}, "ng": {}} {
		if got, err := s.MemberGroups(ctx(t), id); err != nil || len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
			t.Errorf("MemberGroups(%s) = %v %v, want %v", id, got, err, want)
		}
	}

	// A member in a group cannot be deleted: the group must drop it first.
	wantCode(t, "delete member in a group", s.DeleteMember(ctx(t), "uz"), concord.ECONFLICT)
	if _, err := s.Member(ctx(t), "uz"); err != nil {
		t.Errorf("member deleted despite conflict: %v", err)
	}
	if err := s.DeleteMember(ctx(t), "ng"); err != nil {
		t.Errorf("delete free member: %v", err)
	}
	if err := s.DeleteGroup(ctx(t), "tf-central-asia"); err != nil {
		t.Fatal(err)
	}
	_, err = s.Group(ctx(t), "tf-central-asia")
	wantCode(t, "deleted group", err, concord.ENOTFOUND)
	if err := s.DeleteMember(ctx(t), "uz"); err != nil {
		t.Errorf("delete member after its group: %v", err)
	}
	if got, _ := s.MemberGroups(ctx(t), "es"); !reflect.DeepEqual(got, []string{"ttwg"}) {
		t.Errorf("MemberGroups after delete: %v", got)
	}
}

func testLoadCoalition(t *testing.T, s concord.Store) {
	c := &concord.Coalition{
		Name: "Global Coalition to Defeat ISIS", AsOf: "2025-06", CoChairs: []string{"es", "us"},
		Members: members(),
		Groups: []concord.Group{
			{ID: "isis-k", Name: "ISIS-K Diplomatic Grouping", Kind: concord.GroupLineOfEffort, Members: []string{"us", "uz"}, Leads: []string{"us"}},
			{ID: "africa", Name: "Africa Focus Group", Kind: concord.GroupTaskForce, Members: []string{"ng", "us"}},
		},
	}
	c.Members[0].CoChair, c.Members[1].CoChair = false, false // set from CoChairs
	if err := s.PutMember(ctx(t), &concord.Member{ID: "old", Country: "FR", Name: "Gone"}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutGroup(ctx(t), &concord.Group{ID: "isis-k", Name: "Old name", Kind: concord.GroupLineOfEffort, Members: []string{"old"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.LoadCoalition(ctx(t), c); err != nil {
		t.Fatal(err)
	}
	ms, _ := s.Members(ctx(t))
	if len(ms) != 4 || ms[0].ID != "es" || !ms[0].CoChair || !ms[2].CoChair || ms[3].CoChair {
		t.Errorf("members after load: %+v", ms)
	}
	gs, _ := s.Groups(ctx(t))
	if len(gs) != 2 || gs[0].ID != "africa" || gs[0].Version != 1 || gs[1].Version != 2 || !reflect.DeepEqual(gs[1].Leads, []string{"us"}) {
		t.Errorf("groups after load: %+v", gs)
	}
	if err := s.LoadCoalition(ctx(t), c); err != nil {
		t.Fatal(err)
	}
	if gs2, _ := s.Groups(ctx(t)); !reflect.DeepEqual(gs, gs2) {
		t.Errorf("reloading the same coalition changed groups:\n%+v\n%+v", gs2, gs)
	}
	bad := *c
	bad.Groups = append([]concord.Group{}, c.Groups...)
	bad.Groups[0].Members = []string{"nobody"}
	wantCode(t, "invalid coalition", s.LoadCoalition(ctx(t), &bad), concord.EINVALID)
	if gs2, _ := s.Groups(ctx(t)); !reflect.DeepEqual(gs, gs2) {
		t.Errorf("invalid coalition changed groups")
	}
}
